// The counters the popup draws equal real counts after every write path, and no write bypasses them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleRecord } from '../bundle/types';
import type { WarningRecord } from '../downloads/types';
import { exportStore } from '../backup/export-store';
import { importStore } from '../backup/import-store';
import { reportFlood } from '../background/capture-limits';
import { keepTokenConflict } from '../background/token-conflicts';
import { filledStore, freshStore, T0 } from '../../tests/unit/fixtures/filled-store';
import { CHECKED_KEY, COUNTS_KEY, isShownBundleId, type StoreCounts } from './counts';
import { readCounts } from './queries';
import type { CompanionDb } from './schema';
import { deleteBundles, deleteToken, putWarning, reconcileCounts, updateBundle, updateToken } from './writes';

/** Counted the slow way: every entry walked. */
async function realCounts(db: CompanionDb): Promise<StoreCounts> {
  const [bundleKeys, tokens, warnings, boxes] = await Promise.all([db.getAllKeys('bundles'), db.count('tokens'), db.getAll('warnings'), db.count('tokenBoxes')]);
  expect(boxes).toBe(tokens);
  return {
    bundles: bundleKeys.length,
    shownBundles: bundleKeys.filter(isShownBundleId).length,
    tokens,
    warnings: warnings.length,
    openWarnings: warnings.filter((w) => !w.dismissed).length,
  };
}

async function expectTrue(db: CompanionDb, at: string): Promise<StoreCounts> {
  const real = await realCounts(db);
  expect({ at, counts: await readCounts(db) }).toEqual({ at, counts: real });
  return real;
}

const bundle = (id: string): BundleRecord => ({
  id,
  dbName: 'orders',
  kind: id.split('|')[2] as BundleRecord['kind'],
  fileName: 'secure-connect-orders.zip',
  link: `https://example.invalid/${id}`,
  capturedAt: 1,
  updatedAt: 1,
  page: 'https://astra.datastax.com/',
  source: 'network',
  status: 'verified',
  problems: [],
  hasCopy: false,
});
const warning = (id: string, extra: Partial<WarningRecord> = {}): WarningRecord => ({ id, createdAt: 1, code: 'link-expired', message: 'm', hint: 'h', actions: [], ...extra });

describe('the counters', () => {
  it('equal real counts after every write function, adding, replacing and removing', async () => {
    const db = await freshStore('counts');
    await expectTrue(db, 'fresh');
    await updateBundle(db, 'a|us|external', () => bundle('a|us|external'));
    await updateBundle(db, 'a|us|internal', () => bundle('a|us|internal'));
    await updateBundle(db, 'a|us|external', (current) => ({ ...current!, updatedAt: 2 }), { id: 'a|us|external', bytes: new Uint8Array([1]), sha256: 'x', savedAt: 2 });
    expect(await expectTrue(db, 'bundles')).toMatchObject({ bundles: 2, shownBundles: 1 });

    const sealed = { format: 'astra-companion-sealed', version: 1, kid: 'k', epk: 'e', iv: 'i', data: 'd' };
    const token = { id: 'T1', clientId: 'T1', sealed, maskedToken: 'AstraCS:T1…', hasSecret: false, secretCheck: 'no-secret' as const, capturedAt: 1, page: 'p', source: 'network' };
    await updateToken(db, 'T1', () => token);
    await updateToken(db, 'T2', () => ({ ...token, id: 'T2', clientId: 'T2' }));
    await updateToken(db, 'T1', (current) => ({ ...current!, label: 'ci' }));
    expect(await expectTrue(db, 'tokens')).toMatchObject({ tokens: 2 });
    await deleteToken(db, 'T2');
    await deleteToken(db, 'no-such-token');
    expect(await expectTrue(db, 'token deleted')).toMatchObject({ tokens: 1 });

    await putWarning(db, warning('w1', { bundleId: 'a|us|external' }));
    await putWarning(db, warning('w2', { dismissed: true }));
    await putWarning(db, warning('w3', { bundleId: 'a|us|internal' }));
    await putWarning(db, warning('w1', { bundleId: 'a|us|external', dismissed: true }));
    await putWarning(db, warning('w2'));
    expect(await expectTrue(db, 'warnings')).toMatchObject({ warnings: 3, openWarnings: 2 });

    await reportFlood(db, T0, { links: 3, tokens: 0, recordCapReached: false });
    await reportFlood(db, T0 + 1, { links: 1, tokens: 1, recordCapReached: true });
    const conflict = { clientId: 'T1', captureSha256: 'c1', reason: 'different-token' as const, maskedToken: 'AstraCS:T1…', sealed, seenAt: T0, source: 'network', page: 'p' };
    await keepTokenConflict(db, conflict);
    await keepTokenConflict(db, conflict);
    await keepTokenConflict(db, { ...conflict, captureSha256: 'c2' });
    expect(await expectTrue(db, 'flood and conflicts')).toMatchObject({ warnings: 5, openWarnings: 4 });

    await deleteBundles(db, ['a|us|internal', 'never-kept|x|external']);
    expect(await expectTrue(db, 'bundles deleted')).toMatchObject({ bundles: 1, shownBundles: 1, warnings: 4 });
    await deleteBundles(db, 'all');
    expect(await expectTrue(db, 'all bundles deleted')).toMatchObject({ bundles: 0, shownBundles: 0, warnings: 3 });
  });

  it('equal real counts after an import that adds, and after one that merges into what is kept', async () => {
    const source = await filledStore({ bundles: 23, tokens: 7 });
    const exported = await exportStore({ db: source.db, vault: source.vault, extensionVersion: 'test', now: () => T0, tokens: { mode: 'plain-csv' } });
    if (!exported.ok) throw new Error(exported.error.message);
    const target = await freshStore('counts-import');
    await updateBundle(target, 'elsewhere|us|external', () => bundle('elsewhere|us|external'));
    const first = await importStore({ db: target, vault: source.vault, bytes: exported.value, now: () => T0 });
    expect(first).toMatchObject({ ok: true });
    expect(await expectTrue(target, 'imported')).toMatchObject({ bundles: 24, tokens: 7 });
    expect(await importStore({ db: target, vault: source.vault, bytes: exported.value, now: () => T0 })).toMatchObject({ ok: true });
    expect(await expectTrue(target, 'imported again')).toMatchObject({ bundles: 24, tokens: 7 });
    expect(await expectTrue(source.db, 'filled')).toMatchObject({ bundles: 23, tokens: 7 });
  });

  it('are repaired by the idle check when something wrote around them, and left alone when they hold', async () => {
    const db = await freshStore('counts-drift');
    await updateBundle(db, 'a|us|external', () => bundle('a|us|external'));
    const now = T0;
    // Checked recently: the check does not walk the store again.
    expect(await reconcileCounts(db, now, 60_000)).toBeUndefined();
    expect(await db.get('counts', CHECKED_KEY)).toBe(now);
    await db.put('warnings', warning('raw'));
    expect(await reconcileCounts(db, now + 1000, 60_000)).toBeUndefined();
    // A day on, it does, and repairs what drifted.
    expect(await reconcileCounts(db, now + 60_000, 60_000)).toEqual({ bundles: 1, shownBundles: 1, tokens: 0, warnings: 1, openWarnings: 1 });
    await expectTrue(db, 'repaired');
    // Missing or damaged counters are repaired whenever they are checked.
    await db.put('counts', { bundles: -1 } as unknown as StoreCounts, COUNTS_KEY);
    expect(await readCounts(db)).toEqual({ bundles: 0, shownBundles: 0, tokens: 0, warnings: 0, openWarnings: 0 });
    expect(await reconcileCounts(db, now + 60_001, 60_000)).toMatchObject({ bundles: 1 });
    await expectTrue(db, 'repaired again');
  });
});

/** Source files that ship, outside the store's own write module. */
function shippedSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return shippedSources(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('every write of a counted record', () => {
  it('goes through utils/store/writes.ts, which keeps the counters (a raw put, add, delete or clear elsewhere fails here)', () => {
    const root = path.resolve(__dirname, '../..');
    const counted = `'(bundles|tokens|tokenBoxes|warnings|counts)'`;
    const raw: string[] = [];
    for (const file of ['utils', 'components', 'entrypoints'].flatMap((d) => shippedSources(path.join(root, d)))) {
      const relative = path.relative(root, file);
      if (relative === 'utils/store/writes.ts' || relative === 'utils/store/schema.ts') continue;
      const text = readFileSync(file, 'utf8');
      const storeVariables = [...text.matchAll(new RegExp(`(\\w+)\\s*=\\s*\\w+\\.objectStore\\(${counted}\\)`, 'g'))].map((m) => m[1]!);
      const patterns = [
        new RegExp(`objectStore\\(${counted}\\)\\.(put|add|delete|clear)\\(`),
        new RegExp(`\\.(put|add|delete|clear)\\(\\s*${counted}`),
        new RegExp(`transaction\\(\\s*${counted}\\s*,\\s*'readwrite'`),
        ...storeVariables.map((v) => new RegExp(`\\b${v}\\.(put|add|delete|clear)\\(`)),
      ];
      for (const pattern of patterns) if (pattern.test(text)) raw.push(`${relative}: ${pattern.source}`);
    }
    expect(raw).toEqual([]);
  });
});
