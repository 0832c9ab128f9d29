/**
 * Read-only queries on the store: what the popup and the background read. Nothing here writes; writes are in
 * writes.ts and run in the background only, which announces every change.
 */
import type { BundleRecord } from '../bundle/types';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { TokenRecord } from '../token/types';
import type { BundleFile, CompanionDb, OutboxFile } from './schema';

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

export async function listTokens(db: CompanionDb): Promise<TokenRecord[]> {
  const all = await db.getAll('tokens');
  return all.sort((a, b) => b.capturedAt - a.capturedAt);
}

/** A file the background left for this page to save (see writes' putOutboxFile). */
export async function getOutboxFile(db: CompanionDb, key: string): Promise<OutboxFile | undefined> {
  return db.get('outbox', key);
}

export async function getToken(db: CompanionDb, id: string): Promise<TokenRecord | undefined> {
  return db.get('tokens', id);
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

/** A token as a list draws it: everything but the sealed box. */
export type TokenRow = Omit<TokenRecord, 'sealed'>;

export function toTokenRow(record: TokenRecord): TokenRow {
  const { sealed: _sealed, ...row } = record;
  return row;
}

/**
 * Counted by the store itself. Measured in Chromium at 10,000 records: counting the store takes about a third of
 * counting through an index (an index count checks every entry against its record), and both walk every entry.
 */
export function countBundles(db: CompanionDb): Promise<number> {
  return db.count('bundles');
}

export function countTokens(db: CompanionDb): Promise<number> {
  return db.count('tokens');
}

/** Newest first: `limit` records after the first `offset`, read through the capture-time index. */
async function newestPage<S extends 'bundles' | 'tokens'>(db: CompanionDb, store: S, offset: number, limit: number) {
  const records: Array<S extends 'bundles' ? BundleRecord : TokenRecord> = [];
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

export async function newestTokens(db: CompanionDb, offset: number, limit: number): Promise<TokenRow[]> {
  return ((await newestPage(db, 'tokens', offset, limit)) as TokenRecord[]).map(toTokenRow);
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

export function tokenSummaryOf(record: TokenRecord): RecordSummary<TokenRow> {
  return { id: record.id, capturedAt: record.capturedAt, name: record.role ?? '', text: lower(record.role, record.clientId, record.label, record.orgId), row: toTokenRow(record) };
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
