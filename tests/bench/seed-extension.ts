/**
 * Fills the extension's real IndexedDB like years of use: bundle records made by the real checker from real bundles,
 * each with its kept copy, and tokens sealed by the extension's own vault (a few imported through the background,
 * their boxes reused under other client ids: opening a box costs the same whichever record holds it).
 */
import type { Page } from '@playwright/test';
import 'fake-indexeddb/auto';
import 'reflect-metadata';
import { exportStore } from '../../utils/backup/export-store';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { safeBundleFileName } from '../../utils/backup/recheck-records';
import { dbIdFor, DB_NAMES, filledStore, realBundle, T0 } from '../unit/fixtures/filled-store';

const REGIONS = ['us-east1', 'europe-west1', 'ap-south-1'];

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * `count` real tokens (each its own client id, token and secret) in a plain-CSV export, for the extension to import
 * and seal with its own vault: an import checks every token against its client id, so boxes cannot be reused.
 * Made in Node once and kept in the temp folder (10,000 take about a minute to make).
 */
async function tokenExport(count: number): Promise<string> {
  const cached = path.join(tmpdir(), `astra-companion-bench-tokens-${count}-v1.zip`);
  if (existsSync(cached)) return toBase64(readFileSync(cached));
  const store = await filledStore({ bundles: 0, tokens: count });
  const exported = await exportStore({ db: store.db, vault: store.vault, extensionVersion: 'bench', now: () => T0, tokens: { mode: 'plain-csv' } });
  if (!exported.ok) throw new Error(exported.error.message);
  writeFileSync(cached, exported.value);
  return toBase64(exported.value);
}

/** Made once per bench run: three real bundles, and plain-CSV exports of real tokens, by count. */
export async function seedMaterial() {
  const bundles = await Promise.all([0, 1, 2].map((i) => realBundle(dbIdFor(i), DB_NAMES[i]!, REGIONS[i]!)));
  const exports = new Map<number, Promise<string>>();
  return {
    bundles: bundles.map((b) => ({ base64: toBase64(b.bytes), facts: b.facts, sha256: b.sha256, certNotAfter: b.certNotAfter, entryCount: b.entryCount })),
    tokenExport: (count: number) => exports.get(count) ?? exports.set(count, tokenExport(count)).get(count)!,
    // What keep-bundle keeps: a file name safe to save under (the names are hostile on purpose), per DB_NAMES entry.
    safeNames: DB_NAMES.map((name) => safeBundleFileName(`secure-connect-${name}.zip`).replace(/\.zip$/, '')),
  };
}

export type SeedMaterial = Awaited<ReturnType<typeof seedMaterial>>;

/** tsx names functions with a `__name` helper the page does not have: give it one before evaluating bench code. */
export async function allowBenchCode(page: Page): Promise<void> {
  await page.evaluate('globalThis.__name ??= (fn) => fn');
}

/** Runs in an extension page (the popup): adds `bundles` records with kept copies and `tokens` real tokens (imported, so sealed by its vault). */
export async function seedExtension(page: Page, material: SeedMaterial, counts: { bundles: number; tokens: number }): Promise<void> {
  await allowBenchCode(page);
  const imported = await page.evaluate(async (base64) => {
    type Answer = { ok: boolean; value?: { id?: string } };
    const chrome = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Answer> } } }).chrome;
    const file = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]);
    // As the popup imports (BackupTab.tsx): an id from the background, the file as a Blob on the extension's channel.
    const begun = await chrome.runtime.sendMessage({ type: 'import-begin', size: file.size });
    if (!begun.ok) return begun;
    const id = begun.value!.id!;
    const channel = new BroadcastChannel('astra-companion:files');
    channel.onmessage = (event) => {
      if (event.data?.type === 'file-wanted' && event.data.id === id) channel.postMessage({ type: 'file', id, file });
    };
    try {
      return await chrome.runtime.sendMessage({ type: 'import-store', id });
    } finally {
      channel.close();
    }
  }, await material.tokenExport(counts.tokens));
  if (!(imported as { ok?: boolean }).ok) throw new Error(`seeding tokens failed: ${JSON.stringify(imported)}`);

  await page.evaluate(
    async ({ material, counts, dbNames, regions, t0, safeNames }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('astra-companion');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const done = (tx: IDBTransaction) => new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
      const bytes = material.bundles.map((b) => Uint8Array.from(atob(b.base64), (c) => c.charCodeAt(0)));
      const hex = (n: number) => n.toString(16).padStart(8, '0');
      // In transactions of 1,000: one huge transaction would hold every value in memory at once.
      for (let start = 0; start < counts.bundles; start += 1000) {
        const tx = db.transaction(['bundles', 'bundleFiles'], 'readwrite');
        for (let i = start; i < Math.min(counts.bundles, start + 1000); i++) {
          const real = material.bundles[i % material.bundles.length]!;
          const dbId = `${hex(i)}-4b5c-4d7e-8f90-a1b2c3d4e5f6`;
          const dbName = `${dbNames[i % dbNames.length]}-${Math.floor(i / 3)}`;
          const fileName = `${safeNames[i % safeNames.length]}-${Math.floor(i / 3)}.zip`;
          const region = regions[i % regions.length]!;
          const id = `${dbId}|${region}|external`;
          const capturedAt = t0 - i * 60_000;
          tx.objectStore('bundles').put({
            id, dbId, dbName, region, kind: 'external', fileName,
            link: `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/${dbId}-1/${encodeURIComponent(fileName)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAQ3EGRJ7VZB2MXN4P%2F20261120%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=20261120T090000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${hex(i).repeat(8)}`,
            signedAt: capturedAt, expiresAt: capturedAt + 300_000, capturedAt, updatedAt: capturedAt + 900,
            page: `https://astra.datastax.com/org/o/database/${dbId}/connect`, source: 'network', status: 'verified', problems: [],
            facts: { ...(real.facts as object), name: fileName }, size: bytes[i % bytes.length]!.byteLength, sha256: real.sha256, entryCount: real.entryCount,
            certNotAfter: real.certNotAfter, hasCopy: true, copySha256: real.sha256,
          });
          tx.objectStore('bundleFiles').put({ id, bytes: bytes[i % bytes.length]!.slice(), sha256: real.sha256, savedAt: capturedAt + 900 });
        }
        await done(tx);
      }
      // Bundles are written around the extension's write paths (tokens came through its import), so the counters are
      // set here from what the stores hold, as those paths keep them (utils/store/counts.ts).
      const tx = db.transaction(['bundles', 'tokens', 'warnings', 'counts'], 'readwrite');
      const request = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve) => (r.onsuccess = () => resolve(r.result)));
      const [bundleKeys, tokenCount, warnings] = await Promise.all([
        request(tx.objectStore('bundles').getAllKeys()),
        request(tx.objectStore('tokens').count()),
        request(tx.objectStore('warnings').getAll() as IDBRequest<Array<{ dismissed?: boolean }>>),
      ]);
      tx.objectStore('counts').put(
        {
          bundles: bundleKeys.length,
          shownBundles: bundleKeys.filter((key) => String(key).endsWith('|external')).length,
          tokens: tokenCount,
          warnings: warnings.length,
          openWarnings: warnings.filter((w) => !w.dismissed).length,
        },
        'all',
      );
      await done(tx);
      db.close();
    },
    { material: { bundles: material.bundles }, counts, dbNames: DB_NAMES, regions: REGIONS, t0: T0, safeNames: material.safeNames },
  );
}
