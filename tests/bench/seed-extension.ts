/**
 * Fills the extension's real IndexedDB like years of use: bundle records made by the real checker from real bundles,
 * each with its kept copy, and tokens sealed by the extension's own vault (a few imported through the background,
 * their boxes reused under other client ids: opening a box costs the same whichever record holds it).
 */
import type { Page } from '@playwright/test';
import 'fake-indexeddb/auto';
import 'reflect-metadata';
import { exportStore } from '../../utils/backup/export-store';
import { dbIdFor, DB_NAMES, filledStore, realBundle, T0 } from '../unit/fixtures/filled-store';

const REGIONS = ['us-east1', 'europe-west1', 'ap-south-1'];
const SEALED_TOKENS = 20;

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Made once per bench run: three real bundles, and an export holding a few tokens in plain CSV. */
export async function seedMaterial() {
  const bundles = await Promise.all([0, 1, 2].map((i) => realBundle(dbIdFor(i), DB_NAMES[i]!, REGIONS[i]!)));
  const store = await filledStore({ bundles: 0, tokens: SEALED_TOKENS });
  const exported = await exportStore({ db: store.db, vault: store.vault, extensionVersion: 'bench', now: () => T0, tokens: { mode: 'plain-csv' } });
  if (!exported.ok) throw new Error(exported.error.message);
  return {
    bundles: bundles.map((b) => ({ base64: toBase64(b.bytes), facts: b.facts, sha256: b.sha256, certNotAfter: b.certNotAfter, entryCount: b.entryCount })),
    tokenExport: toBase64(exported.value),
  };
}

export type SeedMaterial = Awaited<ReturnType<typeof seedMaterial>>;

/** tsx names functions with a `__name` helper the page does not have: give it one before evaluating bench code. */
export async function allowBenchCode(page: Page): Promise<void> {
  await page.evaluate('globalThis.__name ??= (fn) => fn');
}

/** Runs in an extension page (the popup): adds `bundles` records with kept copies and `tokens` sealed tokens. */
export async function seedExtension(page: Page, material: SeedMaterial, counts: { bundles: number; tokens: number }): Promise<void> {
  await allowBenchCode(page);
  const imported = await page.evaluate(async (base64) => {
    const chrome = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
    return chrome.runtime.sendMessage({ type: 'import-store', base64 });
  }, material.tokenExport);
  if (!(imported as { ok?: boolean }).ok) throw new Error(`seeding tokens failed: ${JSON.stringify(imported)}`);

  await page.evaluate(
    async ({ material, counts, dbNames, regions, t0 }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('astra-companion');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const done = (tx: IDBTransaction) => new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
      const read = <T,>(store: string) =>
        new Promise<T[]>((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result as T[]);
        });
      // Rows and their sealed boxes (kept apart since store version 3), as the import left them.
      const sealedTokens = await read<Record<string, unknown>>('tokens');
      const boxOf = new Map((await read<{ id: string; sealed: unknown }>('tokenBoxes')).map((box) => [box.id, box.sealed]));
      const bytes = material.bundles.map((b) => Uint8Array.from(atob(b.base64), (c) => c.charCodeAt(0)));
      const hex = (n: number) => n.toString(16).padStart(8, '0');
      // In transactions of 1,000: one huge transaction would hold every value in memory at once.
      for (let start = 0; start < counts.bundles; start += 1000) {
        const tx = db.transaction(['bundles', 'bundleFiles'], 'readwrite');
        for (let i = start; i < Math.min(counts.bundles, start + 1000); i++) {
          const real = material.bundles[i % material.bundles.length]!;
          const dbId = `${hex(i)}-4b5c-4d7e-8f90-a1b2c3d4e5f6`;
          const dbName = `${dbNames[i % dbNames.length]}-${Math.floor(i / 3)}`;
          const region = regions[i % regions.length]!;
          const id = `${dbId}|${region}|external`;
          const capturedAt = t0 - i * 60_000;
          tx.objectStore('bundles').put({
            id, dbId, dbName, region, kind: 'external', fileName: `secure-connect-${dbName}.zip`,
            link: `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/${dbId}-1/secure-connect-${dbName}.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261120T090000Z&X-Amz-Expires=300&X-Amz-Signature=${hex(i).repeat(8)}`,
            signedAt: capturedAt, expiresAt: capturedAt + 300_000, capturedAt, updatedAt: capturedAt + 900,
            page: `https://astra.datastax.com/org/o/database/${dbId}/connect`, source: 'network', status: 'verified', problems: [],
            facts: real.facts, size: bytes[i % bytes.length]!.byteLength, sha256: real.sha256, entryCount: real.entryCount,
            certNotAfter: real.certNotAfter, hasCopy: true, copySha256: real.sha256,
          });
          tx.objectStore('bundleFiles').put({ id, bytes: bytes[i % bytes.length]!.slice(), sha256: real.sha256, savedAt: capturedAt + 900 });
        }
        await done(tx);
      }
      for (let start = 0; start < counts.tokens; start += 1000) {
        const tx = db.transaction(['tokens', 'tokenBoxes'], 'readwrite');
        if (start === 0) tx.objectStore('tokens').clear();
        if (start === 0) tx.objectStore('tokenBoxes').clear();
        for (let i = start; i < Math.min(counts.tokens, start + 1000); i++) {
          const model = sealedTokens[i % sealedTokens.length]!;
          const clientId = `${i.toString(36).padStart(6, '0').toUpperCase()}${String(model.clientId).slice(6)}`;
          tx.objectStore('tokens').put({ ...model, id: clientId, clientId, capturedAt: t0 - i * 30_000, label: i % 3 === 0 ? `CI token ${i}` : undefined });
          tx.objectStore('tokenBoxes').put({ id: clientId, sealed: boxOf.get(String(model.id)) });
        }
        await done(tx);
      }
      // Written around the extension's write paths, so the counters are set here as those paths keep them (counts.ts).
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
    { material, counts, dbNames: DB_NAMES, regions: REGIONS, t0: T0 },
  );
}
