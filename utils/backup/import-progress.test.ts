// @vitest-environment node
/** importStore tells how far it is (check, seal, save) for the popup's bar; a bad file still changes nothing. */
import { beforeAll, describe, expect, it } from 'vitest';
import { exportStore } from './export-store';
import { importStore, type ImportProgress } from './import-store';
import { filledStore, freshStore, newVault, T0 } from '../../tests/unit/fixtures/filled-store';
import { listBundles, listTokens } from '../store/queries';

const PASSPHRASE = 'progress passphrase, long enough';
let exported: Uint8Array;
beforeAll(async () => {
  const store = await filledStore({ bundles: 30, tokens: 12, distinct: 3 });
  const made = await exportStore({ db: store.db, vault: store.vault, extensionVersion: 'test', now: () => T0, tokens: { mode: 'encrypted', passphrase: PASSPHRASE } });
  if (!made.ok) throw new Error(made.error.message);
  exported = made.value;
});

describe('import progress', () => {
  it('reports every bundle checked and every token sealed, in order, up to the totals, and the same report as ever', async () => {
    const db = await freshStore('import-progress');
    const seen: ImportProgress[] = [];
    const report = await importStore({ db, vault: newVault(), bytes: exported, passphrase: PASSPHRASE, now: () => T0, onProgress: (p) => seen.push(p) });
    expect(report).toMatchObject({ ok: true, value: { added: { bundles: 30, tokens: 12 } } });
    const checks = seen.filter((p) => p.phase === 'check');
    expect(checks.map((p) => p.done)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(checks.every((p) => p.total === 30)).toBe(true);
    expect(seen.filter((p) => p.phase === 'seal').at(-1)).toEqual({ phase: 'seal', done: 12, total: 12 });
    expect(seen.findIndex((p) => p.phase === 'seal')).toBeGreaterThan(seen.findLastIndex((p) => p.phase === 'check'));
    expect(seen.slice(-2)).toEqual([{ phase: 'save', done: 0, total: 1 }, { phase: 'save', done: 1, total: 1 }]);
    // Re-checked several at a time, still kept in the file's order: the records match what was exported, one by one.
    expect((await listBundles(db)).map((b) => b.id).sort()).toHaveLength(30);
    expect(await listTokens(db)).toHaveLength(12);
  });

  it('a copy damaged in the middle of many stops the import: nothing stored, whatever the lanes had checked', async () => {
    const db = await freshStore('import-progress-damaged');
    const bytes = exported.slice();
    // Flip one byte inside a kept bundle stored in the zip (bundles are stored, not deflated): its CRC fails.
    const at = Buffer.from(bytes).indexOf(Buffer.from('bundles/')) + 4000;
    bytes[at] = bytes[at]! ^ 0xff;
    const report = await importStore({ db, vault: newVault(), bytes, passphrase: PASSPHRASE, now: () => T0 });
    expect(report).toMatchObject({ ok: false, error: { code: 'damaged' } });
    expect(await listBundles(db)).toHaveLength(0);
    expect(await listTokens(db)).toHaveLength(0);
  });
});
