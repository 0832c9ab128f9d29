/**
 * Read-only queries on the store: what the popup and the background read. Nothing here writes; writes are in
 * writes.ts and run in the background only, which announces every change.
 */
import type { BundleRecord } from '../bundle/types';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { TokenRecord } from '../token/types';
import type { IDBPObjectStore, StoreNames } from 'idb';
import type { BundleFile, CompanionDb, CompanionSchema, TokenRow } from './schema';
import { asCounts, COUNTS_KEY, NO_COUNTS, type StoreCounts } from './counts';

export type { StoreCounts } from './counts';
export type { TokenRow } from './schema';

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

export async function getBundleFile(db: CompanionDb, id: string): Promise<BundleFile | undefined> {
  return db.get('bundleFiles', id);
}

/** A transaction whose scope holds at least `N`, read-only or not. */
export type ReadTx<N extends StoreNames<CompanionSchema>> = {
  objectStore<K extends N>(name: K): Pick<IDBPObjectStore<CompanionSchema, ArrayLike<StoreNames<CompanionSchema>>, K>, 'get' | 'getAll'>;
};

/** Every token with its sealed box, in id order, in the caller's transaction (an export's snapshot). */
export async function tokensWithBoxesIn(tx: ReadTx<'tokens' | 'tokenBoxes'>): Promise<TokenRecord[]> {
  const [rows, boxes] = await Promise.all([tx.objectStore('tokens').getAll(), tx.objectStore('tokenBoxes').getAll()]);
  const sealedOf = new Map(boxes.map((box) => [box.id, box.sealed]));
  return rows.map((row) => ({ ...row, sealed: sealedOf.get(row.id) }));
}

/** Every token with its sealed box, newest first: for the background's whole-store work, never for a list. */
export async function listTokens(db: CompanionDb): Promise<TokenRecord[]> {
  return (await tokensWithBoxesIn(db.transaction(['tokens', 'tokenBoxes']))).sort((a, b) => b.capturedAt - a.capturedAt);
}

export async function getToken(db: CompanionDb, id: string): Promise<TokenRecord | undefined> {
  const tx = db.transaction(['tokens', 'tokenBoxes']);
  const [row, box] = await Promise.all([tx.objectStore('tokens').get(id), tx.objectStore('tokenBoxes').get(id)]);
  return row && { ...row, sealed: box?.sealed };
}

export async function listWarnings(db: CompanionDb): Promise<WarningRecord[]> {
  const all = await db.getAll('warnings');
  return all.sort((a, b) => b.createdAt - a.createdAt);
}

export async function getKv<T>(db: CompanionDb, key: string): Promise<T | undefined> {
  return (await db.get('kv', key)) as T | undefined;
}

export async function getDownloadWatch(db: CompanionDb, downloadId: number): Promise<DownloadWatch | undefined> {
  return db.get('downloads', downloadId);
}

export async function listDownloadWatches(db: CompanionDb): Promise<DownloadWatch[]> {
  return db.getAll('downloads');
}

/** Organization names by id, as learned from the console (find-org-names.ts). */
export async function orgNames(db: CompanionDb): Promise<Record<string, string>> {
  return ((await db.get('kv', 'org-names')) as Record<string, string> | undefined) ?? {};
}

export async function roleNameOf(db: CompanionDb, id: string): Promise<string | undefined> {
  return ((await db.get('kv', 'role-names')) as Record<string, string> | undefined)?.[id];
}

// ---------------------------------------------------------------------------------------------
// What lists draw: counts from the store, pages through the capture-time indexes, small summaries for search
// and sorting. A list never reads bundle bytes, and token rows come without their sealed boxes.
// ---------------------------------------------------------------------------------------------

/**
 * What the tabs count, in one get: counters every write keeps (counts.ts). Counting the stores instead walks every
 * entry (measured in Chromium at 10,000 records: 0.06 to 2 s).
 */
export async function readCounts(db: CompanionDb): Promise<StoreCounts> {
  return asCounts(await db.get('counts', COUNTS_KEY)) ?? { ...NO_COUNTS };
}

/** Newest first: `limit` records after the first `offset`, read through the capture-time index. */
async function newestPage<S extends 'bundles' | 'tokens'>(db: CompanionDb, store: S, offset: number, limit: number) {
  const records: Array<S extends 'bundles' ? BundleRecord : TokenRow> = [];
  let cursor = await db.transaction(store).store.index('byCapturedAt').openCursor(null, 'prev');
  if (cursor && offset > 0) cursor = await cursor.advance(offset);
  while (cursor && records.length < limit) {
    records.push(cursor.value as (typeof records)[number]);
    cursor = await cursor.continue();
  }
  return records;
}

export function newestBundles(db: CompanionDb, offset: number, limit: number): Promise<BundleRecord[]> {
  return newestPage(db, 'bundles', offset, limit) as Promise<BundleRecord[]>;
}

/** The `tokens` store holds rows only (the boxes are in `tokenBoxes`): a page never reads a sealed box. */
export async function newestTokens(db: CompanionDb, offset: number, limit: number): Promise<TokenRow[]> {
  return (await newestPage(db, 'tokens', offset, limit)) as TokenRow[];
}

/**
 * What search, sorting and drawing need of a record: its id, sort keys, lower-case searchable text and the row a
 * list draws (a bundle without the checker's facts, a token without its sealed box). Kept in memory by the popup.
 */
export interface RecordSummary<Row = unknown> {
  id: string;
  capturedAt: number;
  expiresAt?: number;
  /** Database name then region for bundles, role for tokens: the "by name" order. */
  name: string;
  text: string;
  row: Row;
}

const lower = (...fields: Array<string | undefined>) => fields.filter(Boolean).join('\n').toLowerCase();

/** A bundle as a list draws it: the checker's facts stay in the store. */
export function bundleRowOf(record: BundleRecord): BundleRecord {
  const { facts: _facts, ...row } = record;
  return row;
}

export function bundleSummaryOf(record: BundleRecord): RecordSummary<BundleRecord> {
  return {
    id: record.id,
    capturedAt: record.capturedAt,
    expiresAt: record.expiresAt,
    name: `${record.dbName}\u0000${record.region ?? ''}`,
    text: lower(record.dbName, record.region, record.dbId, record.fileName),
    row: bundleRowOf(record),
  };
}

export function tokenSummaryOf(row: TokenRow): RecordSummary<TokenRow> {
  return { id: row.id, capturedAt: row.capturedAt, name: row.role ?? '', text: lower(row.role, row.clientId, row.label, row.orgId), row };
}

/** Up to `limit` summaries of records whose id comes after `after`, in id order: a chunk of a full scan. */
export async function bundleSummaries(db: CompanionDb, after: string | undefined, limit: number): Promise<Array<RecordSummary<BundleRecord>>> {
  const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
  return (await db.getAll('bundles', range, limit)).map(bundleSummaryOf);
}

export async function tokenSummaries(db: CompanionDb, after: string | undefined, limit: number): Promise<Array<RecordSummary<TokenRow>>> {
  const range = after === undefined ? undefined : IDBKeyRange.lowerBound(after, true);
  return (await db.getAll('tokens', range, limit)).map(tokenSummaryOf);
}
