import 'fake-indexeddb/auto';
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import type { BundleRecord } from '../bundle/types';
import type { TokenRecord } from '../token/types';
import type { WarningRecord } from '../downloads/types';
import { DB_VERSION, openStore } from './schema';
import { updateBundle, updateToken } from './writes';
import {
  bundleSummaries,
  getBundleFile,
  getToken,
  listTokens,
  listWarnings,
  readCounts,
  newestBundles,
  newestTokens,
  tokenSummaries,
} from './queries';

let dbCount = 0;
const freshName = () => `queries-test-${++dbCount}-${Math.random().toString(36).slice(2)}`;

function bundle(n: number): BundleRecord {
  return {
    id: `db${String(n).padStart(4, '0')}|us-east1|external`,
    dbId: `db${n}`,
    dbName: n % 2 ? 'orders' : 'Bestellungen-Größe',
    region: ['us-east1', 'europe-west1'][n % 2],
    kind: 'external',
    fileName: 'secure-connect-orders.zip',
    link: `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/db${n}-1/secure-connect-orders.zip?X-Amz-Signature=${n}`,
    expiresAt: 1_000_000 + n,
    capturedAt: 1_000 * ((n * 7919) % 101), // capture order differs from id order
    updatedAt: 1,
    page: 'https://astra.datastax.com/',
    source: 'network',
    status: 'verified',
    problems: [],
    hasCopy: n % 3 === 0,
  };
}

function token(n: number): TokenRecord {
  return {
    id: `Client${String(n).padStart(18, '0')}`,
    clientId: `Client${String(n).padStart(18, '0')}`,
    sealed: { format: 'astra-companion-sealed', version: 1, kid: 'k', epk: 'e', iv: 'i', data: `ciphertext-${n}` },
    maskedToken: 'AstraCS:Clie…',
    hasSecret: true,
    secretCheck: 'match',
    role: n % 2 ? 'R/W User' : 'Database Administrator',
    capturedAt: 500 * ((n * 31) % 97),
    page: 'https://astra.datastax.com/',
    source: 'network',
  };
}

/** A database as version 1 of the extension created and filled it, with the raw IndexedDB API. */
async function version1Database(name: string, records: { bundles: BundleRecord[]; tokens: TokenRecord[]; warnings: WarningRecord[] }): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => {
      const v1 = open.result;
      v1.createObjectStore('bundles', { keyPath: 'id' }).createIndex('byLink', 'link', { unique: false });
      v1.createObjectStore('bundleFiles', { keyPath: 'id' });
      v1.createObjectStore('tokens', { keyPath: 'id' });
      v1.createObjectStore('warnings', { keyPath: 'id' });
      v1.createObjectStore('downloads', { keyPath: 'downloadId' });
      v1.createObjectStore('kv');
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction(['bundles', 'bundleFiles', 'tokens', 'warnings', 'kv'], 'readwrite');
  for (const record of records.bundles) tx.objectStore('bundles').put(record);
  tx.objectStore('bundleFiles').put({ id: records.bundles[0]!.id, bytes: new Uint8Array([80, 75, 5, 6]), sha256: 'x', savedAt: 1 });
  for (const record of records.tokens) tx.objectStore('tokens').put(record);
  for (const record of records.warnings) tx.objectStore('warnings').put(record);
  tx.objectStore('kv').put({ 'role-id': 'R/W User' }, 'role-names');
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

const byCaptureDesc = <T extends { capturedAt: number }>(records: T[]) => [...records].sort((a, b) => b.capturedAt - a.capturedAt);

describe('store upgrade from version 1', () => {
  it('keeps every record, byte for byte, and indexes them for paging', async () => {
    const name = freshName();
    const bundles = Array.from({ length: 40 }, (_, n) => bundle(n));
    const tokens = Array.from({ length: 25 }, (_, n) => token(n));
    const warnings: WarningRecord[] = [
      { id: 'w1', createdAt: 5, code: 'expired-link', message: 'm', hint: 'h', actions: ['fresh-link'] },
      { id: 'w2', createdAt: 9, code: 'error-document', message: 'm', hint: 'h', actions: [], dismissed: true },
    ];
    await version1Database(name, { bundles, tokens, warnings });

    const db = await openStore(name);
    expect(db.version).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(3);
    expect([...db.transaction('bundles').store.indexNames].sort()).toEqual(['byCapturedAt', 'byLink']);
    expect(await db.getAll('bundles')).toEqual([...bundles].sort((a, b) => (a.id < b.id ? -1 : 1)));
    // The rows without their boxes, the boxes apart, and every token whole again when read with its box.
    expect(await db.getAll('tokens')).toEqual([...tokens].sort((a, b) => (a.id < b.id ? -1 : 1)).map(({ sealed: _s, ...row }) => row));
    expect(await listTokens(db)).toEqual(byCaptureDesc(tokens));
    expect(await getToken(db, tokens[3]!.id)).toEqual(tokens[3]);
    expect((await getBundleFile(db, bundles[0]!.id))?.bytes).toEqual(new Uint8Array([80, 75, 5, 6]));
    expect(await db.get('kv', 'role-names')).toEqual({ 'role-id': 'R/W User' });
    expect((await listWarnings(db)).map((w) => w.id)).toEqual(['w2', 'w1']);

    expect(await readCounts(db)).toEqual({ bundles: 40, shownBundles: 40, tokens: 25, warnings: 2, openWarnings: 1 });
    const newest = await newestBundles(db, 0, 10);
    expect(newest.map((r) => r.capturedAt)).toEqual(byCaptureDesc(bundles).slice(0, 10).map((r) => r.capturedAt));
    db.close();
  });

  it('opens a fresh store at the new version with the same indexes', async () => {
    const db = await openStore(freshName());
    expect(db.version).toBe(DB_VERSION);
    expect([...db.transaction('tokens').store.indexNames]).toEqual(['byCapturedAt']);
    expect([...db.transaction('warnings').store.indexNames]).toEqual(['byCreatedAt']);
    expect([...db.objectStoreNames]).toContain('outbox');
    expect(await readCounts(db)).toEqual({ bundles: 0, shownBundles: 0, tokens: 0, warnings: 0, openWarnings: 0 });
    db.close();
  });
});

describe('list queries', () => {
  async function filled(bundleCount: number, tokenCount: number) {
    const db = await openStore(freshName());
    for (let n = 0; n < bundleCount; n++) await updateBundle(db, bundle(n).id, () => bundle(n));
    for (let n = 0; n < tokenCount; n++) await updateToken(db, token(n).id, () => token(n));
    return db;
  }

  it('pages newest first without gaps or repeats', async () => {
    const db = await filled(53, 0);
    const pages = [await newestBundles(db, 0, 20), await newestBundles(db, 20, 20), await newestBundles(db, 40, 20), await newestBundles(db, 60, 20)];
    expect(pages.map((p) => p.length)).toEqual([20, 20, 13, 0]);
    const seen = pages.flat();
    expect(new Set(seen.map((r) => r.id)).size).toBe(53);
    expect(seen.map((r) => r.capturedAt)).toEqual(seen.map((r) => r.capturedAt).sort((a, b) => b - a));
  });

  it('gives token rows without their sealed boxes', async () => {
    const db = await filled(0, 12);
    const rows = [...(await newestTokens(db, 0, 50)), ...(await tokenSummaries(db, undefined, 50)).map((s) => s.row)];
    expect(rows).toHaveLength(24);
    for (const row of rows) {
      expect(row).not.toHaveProperty('sealed');
      expect(JSON.stringify(row)).not.toContain('ciphertext');
    }
    expect(rows[0]!.clientId).toMatch(/^Client/);
  });

  it('reads every summary in chunks by id, with searchable lower-case text', async () => {
    const db = await filled(23, 7);
    const chunks = [];
    for (let after: string | undefined; ; ) {
      const chunk = await bundleSummaries(db, after, 10);
      chunks.push(chunk);
      if (chunk.length < 10) break;
      after = chunk[chunk.length - 1]!.id;
    }
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 3]);
    const all = chunks.flat();
    expect(new Set(all.map((s) => s.id)).size).toBe(23);
    expect(all.find((s) => s.id === bundle(2).id)!.text).toContain('bestellungen-größe');
    expect(all.find((s) => s.id === bundle(2).id)!.text.split('\n')).toEqual(['bestellungen-größe', 'us-east1', 'db2', 'secure-connect-orders.zip']);
    expect(all.find((s) => s.id === bundle(2).id)!.row).toEqual(bundle(2));
    const tokenText = (await tokenSummaries(db, undefined, 100)).map((s) => s.text);
    expect(tokenText).toHaveLength(7);
    expect(tokenText.join(' ')).toContain('database administrator');
    expect(tokenText.join(' ')).not.toContain('ciphertext');
  });
});
