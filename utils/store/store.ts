/**
 * The extension's IndexedDB store: bundle records, their verified bytes, tokens, warnings,
 * download watches and a small key-value area. Owned by the background; the popup reads it too
 * (same extension origin). Every multi-step change runs in one transaction, so writes from
 * several tabs at once lose nothing.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BundleStatus, CaptureSource } from '../protocol/messages';
import type { Problem } from '../shared/result';

export const DB_NAME = 'astra-companion';
export const DB_VERSION = 1;

export interface BundleProblemRecord extends Problem {
  severity: 'error' | 'warning';
}

export interface BundleRecord {
  /** One record per bundle: database, region and kind. A newer link for the same bundle updates it. */
  id: string;
  dbId?: string;
  dbName: string;
  region?: string;
  datacenterId?: string;
  kind: string;
  fileName: string;
  link: string;
  signedAt?: number;
  expiresAt?: number;
  capturedAt: number;
  updatedAt: number;
  page: string;
  source: CaptureSource;
  status: BundleStatus;
  problems: BundleProblemRecord[];
  /** The bundle checker's facts, without passwords. */
  facts?: unknown;
  size?: number;
  sha256?: string;
  entryCount?: number;
  certNotAfter?: string;
  /** True when a verified copy of the bytes is kept in `bundleFiles`. */
  hasCopy: boolean;
  copySha256?: string;
  downloaded?: { at: number; ok: boolean; note?: string };
}

export interface BundleFile {
  id: string;
  bytes: Uint8Array;
  sha256: string;
  savedAt: number;
}

export interface TokenRecord {
  /** The client id: one record per generated token. */
  id: string;
  clientId: string;
  /** Encrypted `{ token, secret? }`, sealed by the vault. */
  sealed: unknown;
  maskedToken: string;
  hasSecret: boolean;
  secretCheck: 'match' | 'mismatch' | 'no-secret';
  role?: string;
  orgId?: string;
  generatedOn?: string;
  capturedAt: number;
  page: string;
  source: string;
  label?: string;
}

export interface WarningRecord {
  id: string;
  createdAt: number;
  code: string;
  message: string;
  hint: string;
  bundleId?: string;
  downloadId?: number;
  fileName?: string;
  actions: Array<'save-copy' | 'fresh-link' | 'browser-setting'>;
  dismissed?: boolean;
}

export interface DownloadWatch {
  downloadId: number;
  url: string;
  bundleId?: string;
  startedAt: number;
  filename?: string;
  state: 'in_progress' | 'complete' | 'interrupted';
  judged?: boolean;
}

interface CompanionSchema extends DBSchema {
  bundles: { key: string; value: BundleRecord; indexes: { byLink: string } };
  bundleFiles: { key: string; value: BundleFile };
  tokens: { key: string; value: TokenRecord };
  warnings: { key: string; value: WarningRecord };
  downloads: { key: number; value: DownloadWatch };
  kv: { key: string; value: unknown };
}

export type CompanionDb = IDBPDatabase<CompanionSchema>;

/** Opens (and creates or upgrades) the store. Tests pass a fresh name per test to isolate themselves. */
export function openStore(name = DB_NAME): Promise<CompanionDb> {
  return openDB<CompanionSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const bundles = db.createObjectStore('bundles', { keyPath: 'id' });
        bundles.createIndex('byLink', 'link', { unique: false });
        db.createObjectStore('bundleFiles', { keyPath: 'id' });
        db.createObjectStore('tokens', { keyPath: 'id' });
        db.createObjectStore('warnings', { keyPath: 'id' });
        db.createObjectStore('downloads', { keyPath: 'downloadId' });
        db.createObjectStore('kv');
      }
    },
  });
}

export function bundleIdOf(parts: { dbId?: string; dbName: string; region?: string; kind: string; datacenterId?: string }): string {
  return [parts.dbId ?? parts.dbName, parts.datacenterId ?? parts.region ?? '', parts.kind].join('|');
}

/** Newest first, by the time the link was captured. */
export async function listBundles(db: CompanionDb): Promise<BundleRecord[]> {
  const all = await db.getAll('bundles');
  return all.sort((a, b) => b.capturedAt - a.capturedAt);
}

export async function getBundle(db: CompanionDb, id: string): Promise<BundleRecord | undefined> {
  return db.get('bundles', id);
}

export async function findBundleByLink(db: CompanionDb, link: string): Promise<BundleRecord | undefined> {
  return db.getFromIndex('bundles', 'byLink', link);
}

/**
 * Creates or updates a bundle record in one transaction. `change` gets the stored record (if any)
 * and returns the new one; with `file`, the verified bytes are stored in the same transaction.
 */
export async function updateBundle(
  db: CompanionDb,
  id: string,
  change: (current: BundleRecord | undefined) => BundleRecord,
  file?: BundleFile,
): Promise<BundleRecord> {
  const tx = db.transaction(['bundles', 'bundleFiles'], 'readwrite');
  const next = change(await tx.objectStore('bundles').get(id));
  await tx.objectStore('bundles').put(next);
  if (file) await tx.objectStore('bundleFiles').put(file);
  await tx.done;
  return next;
}

export async function getBundleFile(db: CompanionDb, id: string): Promise<BundleFile | undefined> {
  return db.get('bundleFiles', id);
}

export async function deleteBundle(db: CompanionDb, id: string): Promise<void> {
  const tx = db.transaction(['bundles', 'bundleFiles'], 'readwrite');
  await Promise.all([tx.objectStore('bundles').delete(id), tx.objectStore('bundleFiles').delete(id), tx.done]);
}

export async function clearBundles(db: CompanionDb): Promise<void> {
  const tx = db.transaction(['bundles', 'bundleFiles'], 'readwrite');
  await Promise.all([tx.objectStore('bundles').clear(), tx.objectStore('bundleFiles').clear(), tx.done]);
}

export async function listTokens(db: CompanionDb): Promise<TokenRecord[]> {
  const all = await db.getAll('tokens');
  return all.sort((a, b) => b.capturedAt - a.capturedAt);
}

export async function updateToken(
  db: CompanionDb,
  id: string,
  change: (current: TokenRecord | undefined) => TokenRecord,
): Promise<TokenRecord> {
  const tx = db.transaction('tokens', 'readwrite');
  const next = change(await tx.store.get(id));
  await tx.store.put(next);
  await tx.done;
  return next;
}

export async function getToken(db: CompanionDb, id: string): Promise<TokenRecord | undefined> {
  return db.get('tokens', id);
}

export async function deleteToken(db: CompanionDb, id: string): Promise<void> {
  await db.delete('tokens', id);
}

export async function listWarnings(db: CompanionDb): Promise<WarningRecord[]> {
  const all = await db.getAll('warnings');
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export async function putWarning(db: CompanionDb, warning: WarningRecord): Promise<void> {
  await db.put('warnings', warning);
}

export async function deleteWarning(db: CompanionDb, id: string): Promise<void> {
  await db.delete('warnings', id);
}

export async function getKv<T>(db: CompanionDb, key: string): Promise<T | undefined> {
  return (await db.get('kv', key)) as T | undefined;
}

export async function setKv(db: CompanionDb, key: string, value: unknown): Promise<void> {
  await db.put('kv', value, key);
}

/** Adds `by` to a counter atomically (several tabs may count at once). */
export async function addToCounter(db: CompanionDb, key: string, by: number): Promise<number> {
  const tx = db.transaction('kv', 'readwrite');
  const next = (((await tx.store.get(key)) as number | undefined) ?? 0) + by;
  await tx.store.put(next, key);
  await tx.done;
  return next;
}

// ---------------------------------------------------------------------------------------------
// Download watches (added for the download guard, utils/watch-downloads.ts).
// ---------------------------------------------------------------------------------------------

export async function getDownloadWatch(db: CompanionDb, downloadId: number): Promise<DownloadWatch | undefined> {
  return db.get('downloads', downloadId);
}

export async function listDownloadWatches(db: CompanionDb): Promise<DownloadWatch[]> {
  return db.getAll('downloads');
}

/**
 * Reads and writes one download watch in one transaction. `change` returns the new watch, or
 * `undefined` to leave the store as it is; the answer is what the store holds afterwards.
 */
export async function updateDownloadWatch(
  db: CompanionDb,
  downloadId: number,
  change: (current: DownloadWatch | undefined) => DownloadWatch | undefined,
): Promise<{ changed: boolean; watch: DownloadWatch | undefined }> {
  const tx = db.transaction('downloads', 'readwrite');
  const current = await tx.store.get(downloadId);
  const next = change(current);
  if (next) await tx.store.put(next);
  await tx.done;
  return { changed: next !== undefined, watch: next ?? current };
}

export async function deleteDownloadWatch(db: CompanionDb, downloadId: number): Promise<void> {
  await db.delete('downloads', downloadId);
}

/** Role names by role id, learned from the console's responses (see find-role-names.ts). */
export async function learnRoleNames(db: CompanionDb, names: Record<string, string>): Promise<void> {
  if (Object.keys(names).length === 0) return;
  const tx = db.transaction('kv', 'readwrite');
  const known = ((await tx.store.get('role-names')) as Record<string, string> | undefined) ?? {};
  await tx.store.put({ ...known, ...names }, 'role-names');
  await tx.done;
}

export async function roleNameOf(db: CompanionDb, id: string): Promise<string | undefined> {
  return ((await db.get('kv', 'role-names')) as Record<string, string> | undefined)?.[id];
}
