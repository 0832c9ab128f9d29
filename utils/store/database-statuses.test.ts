import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { findDatabaseStatuses } from '../astra/database-status';
import { mergeDatabaseStatuses, readDatabaseStatuses } from './database-statuses';
import { openStore } from './schema';
import { keepDatabaseStatuses } from './writes-database-status';

const DB = { archive: { id: 'f2c8b6a4-0e1d-4b7c-9a35-6d8e2f4a1c90' } };
/** The DevOps object's shape as the replica serves it (utils/astra/database-status.test.ts reads the replica itself). */
const databaseJson = (id: string, name: string, status: string) => ({ id, info: { name, datacenters: [{ id: `${id}-1`, status }] }, status });
const goJson = (value: unknown) => JSON.stringify(value).replace(/&/g, '\\u0026');

describe('kept database statuses', () => {
  it('newest wins, an unchanged sighting is no change, and at most `max` ids are kept (oldest dropped)', () => {
    const first = mergeDatabaseStatuses({}, [{ dbId: 'a', status: 'ACTIVE', name: 'a' }], 1);
    expect(first.changed).toBe(true);
    expect(mergeDatabaseStatuses(first.next, [{ dbId: 'a', status: 'ACTIVE' }], 2).changed).toBe(false);
    const hibernated = mergeDatabaseStatuses(first.next, [{ dbId: 'a', status: 'HIBERNATED' }], 3);
    expect(hibernated.next.a).toEqual({ status: 'HIBERNATED', name: 'a', seenAt: 3 });
    const many = mergeDatabaseStatuses(hibernated.next, [{ dbId: 'b', status: 'ACTIVE' }, { dbId: 'c', status: 'PARKED' }], 4, 2);
    expect(Object.keys(many.next).sort()).toEqual(['b', 'c']);
  });

  it('the background\'s write keeps them in the store and says when something changed', async () => {
    const db = await openStore(`status-${Math.random()}`);
    const text = goJson([databaseJson(DB.archive.id, 'events-archive', 'HIBERNATED'), databaseJson('0b8e4d27-91c3-4f6a-8e2d-7c5a3b1f9e42', 'inventory', 'ACTIVE')]);
    expect(await keepDatabaseStatuses(db, findDatabaseStatuses(text), 10)).toBe(true);
    expect(await keepDatabaseStatuses(db, findDatabaseStatuses(text), 20)).toBe(false);
    expect((await readDatabaseStatuses(db))[DB.archive.id]).toEqual({ status: 'HIBERNATED', name: 'events-archive', seenAt: 10 });
  });
});
