import { describe, expect, it } from 'vitest';
import { freshStore, T0 } from '../../tests/unit/fixtures/filled-store';
import { readCounts } from '../store/queries';
import type { StoreArea } from '../protocol/messages';
import { OUTBOX_STALE_MS, upkeepAtStart } from './store-upkeep';

const file = (createdAt: number) => ({ blob: new Blob(['zip']), fileName: 'astra-companion-export.zip', createdAt });

describe('the background at start', () => {
  it('deletes outbox files an export of an older version left that the popup never saved, and keeps a recent one', async () => {
    const db = await freshStore('upkeep');
    await db.put('outbox', file(T0 - OUTBOX_STALE_MS - 1), 'export');
    await db.put('outbox', file(T0 - 3600_000), 'export-older');
    await db.put('outbox', file(T0 - 2_000), 'export-now');
    const announced: StoreArea[] = [];
    const done = await upkeepAtStart({ db: async () => db, now: () => T0, wait: async () => {}, announce: (what) => void announced.push(what) });
    expect(done.staleOutbox.sort()).toEqual(['export', 'export-older']);
    expect(await db.get('outbox', 'export')).toBeUndefined();
    expect(await db.get('outbox', 'export-older')).toBeUndefined();
    expect((await db.get('outbox', 'export-now'))?.fileName).toBe('astra-companion-export.zip');
    // A fresh store's counters hold: nothing to repair, nothing announced.
    expect(done.repairedCounts).toBeUndefined();
    expect(announced).toEqual([]);
  });

  it('repairs counters that drifted once idle, and tells the open views', async () => {
    const db = await freshStore('upkeep-drift');
    await db.put('warnings', { id: 'raw', createdAt: 1, code: 'link-expired', message: 'm', hint: 'h', actions: [] });
    await db.delete('counts', 'checked-at');
    const announced: StoreArea[] = [];
    const waited: number[] = [];
    const done = await upkeepAtStart({ db: async () => db, now: () => T0, wait: async (ms) => void waited.push(ms), announce: (what) => void announced.push(what) });
    expect(waited).toHaveLength(1);
    expect(done.repairedCounts).toMatchObject({ warnings: 1, openWarnings: 1 });
    expect((await readCounts(db)).openWarnings).toBe(1);
    expect(announced).toEqual(['bundles']);
  });
});
