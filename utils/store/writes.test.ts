import { describe, expect, it } from 'vitest';
import type { BundleRecord } from '../bundle/types';
import { addToCounter, deleteBundles, putWarning, updateBundle } from './writes';
import { bundleIdOf, openStore } from './schema';
import { getBundleFile, listBundles, listWarnings } from './queries';

let dbCount = 0;
const freshDb = () => openStore(`store-test-${++dbCount}`);

function record(id: string, capturedAt: number, extra: Partial<BundleRecord> = {}): BundleRecord {
  return {
    id,
    dbName: 'orders',
    kind: 'external',
    fileName: 'secure-connect-orders.zip',
    link: `https://example.invalid/${id}`,
    capturedAt,
    updatedAt: capturedAt,
    page: 'https://astra.datastax.com/',
    source: 'network',
    status: 'verified',
    problems: [],
    hasCopy: false,
    ...extra,
  };
}

describe('store', () => {
  it('creates every object store on first open and reopens without losing data', async () => {
    const name = `store-test-reopen-${++dbCount}`;
    const db = await openStore(name);
    expect([...db.objectStoreNames].sort()).toEqual(['bundleFiles', 'bundles', 'counts', 'downloads', 'kv', 'outbox', 'tokenBoxes', 'tokens', 'warnings']);
    await updateBundle(db, 'a', () => record('a', 1));
    db.close();
    const again = await openStore(name);
    expect((await listBundles(again)).map((r) => r.id)).toEqual(['a']);
  });

  it('keeps one record per bundle: database, region and kind', () => {
    expect(bundleIdOf({ dbId: 'db1', dbName: 'orders', region: 'us-east1', kind: 'external' })).toBe('db1|us-east1|external');
    expect(bundleIdOf({ dbId: 'db1', dbName: 'orders', datacenterId: 'db1-2', region: 'eu', kind: 'internal' })).toBe('db1|db1-2|internal');
    expect(bundleIdOf({ dbName: 'orders', kind: 'external' })).toBe('orders||external');
  });

  it('lists newest first and stores the bytes with the record in one step', async () => {
    const db = await freshDb();
    await updateBundle(db, 'old', () => record('old', 1));
    const bytes = new Uint8Array([80, 75, 5, 6]);
    await updateBundle(db, 'new', () => record('new', 2, { hasCopy: true }), { id: 'new', bytes, sha256: 'x', savedAt: 2 });
    expect((await listBundles(db)).map((r) => r.id)).toEqual(['new', 'old']);
    expect((await getBundleFile(db, 'new'))?.bytes).toEqual(bytes);
    await putWarning(db, { id: 'w-new', createdAt: 3, code: 'link-expired', message: 'm', hint: 'h', bundleId: 'new', actions: [] });
    await putWarning(db, { id: 'w-other', createdAt: 3, code: 'link-expired', message: 'm', hint: 'h', bundleId: 'old', actions: [] });
    expect(await deleteBundles(db, ['new'])).toEqual({ bundleIds: ['new'], warningIds: ['w-new'] });
    expect(await getBundleFile(db, 'new')).toBeUndefined();
    expect((await listWarnings(db)).map((w) => w.id)).toEqual(['w-other']);
    expect(await deleteBundles(db, 'all')).toEqual({ bundleIds: ['old'], warningIds: ['w-other'] });
    expect(await listBundles(db)).toEqual([]);
  });

  it('loses no write when many tabs update the same record and counter at once', async () => {
    const db = await freshDb();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        updateBundle(db, 'shared', (current) => record('shared', 1, { problems: [...(current?.problems ?? []), { code: `p${i}`, severity: 'warning', message: '', hint: '' }] })),
      ),
    );
    await Promise.all(Array.from({ length: 40 }, () => addToCounter(db, 'dropped-links', 1)));
    const [stored] = await listBundles(db);
    expect(stored?.problems).toHaveLength(40);
    expect(await addToCounter(db, 'dropped-links', 0)).toBe(40);
  });
});
