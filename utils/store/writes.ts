/**
 * Every write to the store. Only the background calls these (the import map forbids components to): it owns the
 * store and announces each change, so open views redraw. Each multi-step change runs in one transaction, and every
 * write that adds or removes a bundle, token or warning changes the counters (counts.ts) in that same transaction.
 */
import type { IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { BundleRecord } from '../bundle/types';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { TokenRecord } from '../token/types';
import type { BundleFile, CompanionDb, CompanionSchema, OutboxFile, TokenRow } from './schema';
import { addCounts, asCounts, CHECKED_KEY, countEverything, CountChanges, COUNTS_KEY, NO_COUNTS, type StoreCounts } from './counts';

export { CountChanges } from './counts';

/** A read-write transaction whose scope holds at least `N` (any wider scope fits). */
export type WriteTx<N extends StoreNames<CompanionSchema>> = {
  objectStore<K extends N>(name: K): IDBPObjectStore<CompanionSchema, ArrayLike<StoreNames<CompanionSchema>>, K, 'readwrite'>;
};

/** Adds `changes` to the counters, in the caller's transaction (its scope must hold `counts`). */
export async function saveCountChanges(tx: WriteTx<'counts'>, changes: CountChanges): Promise<void> {
  if (!changes.changed) return;
  const store = tx.objectStore('counts');
  const current = asCounts(await store.get(COUNTS_KEY)) ?? NO_COUNTS;
  const next = addCounts(current, changes.delta);
  // Below zero means the counters drifted (a write that did not count): clamp, and the idle check repairs it.
  await store.put(Object.fromEntries(Object.entries(next).map(([k, v]) => [k, Math.max(0, v)])) as unknown as StoreCounts, COUNTS_KEY);
}

/** A token with its box, in the caller's transaction (scope: tokens, tokenBoxes). */
export async function readTokenIn(tx: WriteTx<'tokens' | 'tokenBoxes'>, id: string): Promise<TokenRecord | undefined> {
  const [row, box] = await Promise.all([tx.objectStore('tokens').get(id), tx.objectStore('tokenBoxes').get(id)]);
  return row && { ...row, sealed: box?.sealed };
}

/** Stores a token as a row and its box, counted (scope: tokens, tokenBoxes; `changes` saved by the caller). */
export function putTokenIn(tx: WriteTx<'tokens' | 'tokenBoxes'>, record: TokenRecord, existed: boolean, changes: CountChanges): Array<Promise<unknown>> {
  const { sealed, ...row } = record;
  changes.token(existed, true);
  return [tx.objectStore('tokens').put(row satisfies TokenRow), tx.objectStore('tokenBoxes').put({ id: row.id, sealed })];
}

/** Stores a bundle record (and its bytes), counted (scope: bundles, bundleFiles; `changes` saved by the caller). */
export function putBundleIn(tx: WriteTx<'bundles' | 'bundleFiles'>, record: BundleRecord, file: BundleFile | undefined, existed: boolean, changes: CountChanges): Array<Promise<unknown>> {
  changes.bundle(record.id, existed, true);
  return [tx.objectStore('bundles').put(record), ...(file ? [tx.objectStore('bundleFiles').put(file)] : [])];
}

/** Stores a warning and counts it, in the caller's transaction (scope: warnings, counts). */
export async function putWarningIn(tx: WriteTx<'warnings' | 'counts'>, warning: WarningRecord): Promise<void> {
  const store = tx.objectStore('warnings');
  const before = await store.get(warning.id);
  await store.put(warning);
  await saveCountChanges(tx, new CountChanges().warning(before, warning));
}

/** The stores an import writes, counters included. */
export const IMPORT_SCOPE = ['bundles', 'bundleFiles', 'tokens', 'tokenBoxes', 'counts'] as const;

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
  const tx = db.transaction(['bundles', 'bundleFiles', 'counts'], 'readwrite');
  try {
    const current = await tx.objectStore('bundles').get(id);
    const next = change(current);
    // One after the other: a refused write throws at once, and no earlier request is left unobserved.
    await tx.objectStore('bundles').put(next);
    if (file) await tx.objectStore('bundleFiles').put(file);
    await saveCountChanges(tx, new CountChanges().bundle(id, current !== undefined, true));
    await tx.done;
    return next;
  } catch (error) {
    // A refused write (a full disk) leaves nothing half-written: the record and its bytes go in together or not at all.
    try {
      tx.abort();
    } catch {
      // already finished or aborted by the browser
    }
    await tx.done.catch(() => undefined);
    throw error;
  }
}

/** Deletes bundle records with their kept copies and their warnings, in one transaction; the warnings removed. */
export async function deleteBundles(db: CompanionDb, ids: string[] | 'all'): Promise<{ bundleIds: string[]; warningIds: string[] }> {
  const tx = db.transaction(['bundles', 'bundleFiles', 'warnings', 'counts'], 'readwrite');
  const kept = new Set((await tx.objectStore('bundles').getAllKeys()) as string[]);
  const bundleIds = ids === 'all' ? [...kept] : ids;
  const gone = new Set(bundleIds);
  const warnings = (await tx.objectStore('warnings').getAll()).filter((w) => w.bundleId !== undefined && gone.has(w.bundleId));
  const warningIds = warnings.map((w) => w.id);
  const changes = new CountChanges();
  for (const id of gone) changes.bundle(id, kept.has(id), false);
  for (const warning of warnings) changes.warning(warning, undefined);
  await Promise.all([
    ...bundleIds.flatMap((id) => [tx.objectStore('bundles').delete(id), tx.objectStore('bundleFiles').delete(id)]),
    ...warningIds.map((id) => tx.objectStore('warnings').delete(id)),
  ]);
  await saveCountChanges(tx, changes);
  await tx.done;
  return { bundleIds, warningIds };
}

export async function updateToken(
  db: CompanionDb,
  id: string,
  change: (current: TokenRecord | undefined) => TokenRecord,
): Promise<TokenRecord> {
  const tx = db.transaction(['tokens', 'tokenBoxes', 'counts'], 'readwrite');
  const current = await readTokenIn(tx, id);
  const next = change(current);
  const changes = new CountChanges();
  await Promise.all(putTokenIn(tx, next, current !== undefined, changes));
  await saveCountChanges(tx, changes);
  await tx.done;
  return next;
}

export async function deleteToken(db: CompanionDb, id: string): Promise<void> {
  const tx = db.transaction(['tokens', 'tokenBoxes', 'counts'], 'readwrite');
  const existed = (await tx.objectStore('tokens').getKey(id)) !== undefined;
  await Promise.all([tx.objectStore('tokens').delete(id), tx.objectStore('tokenBoxes').delete(id)]);
  await saveCountChanges(tx, new CountChanges().token(existed, false));
  await tx.done;
}

export async function putWarning(db: CompanionDb, warning: WarningRecord): Promise<void> {
  const tx = db.transaction(['warnings', 'counts'], 'readwrite');
  await putWarningIn(tx, warning);
  await tx.done;
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

/** Role names by role id, learned from the console's roles responses (find-role-names.ts): a known name is never replaced, and at most 500 are kept. */
export async function learnRoleNames(db: CompanionDb, names: Record<string, string>, max = 500): Promise<boolean> {
  return learnNames(db, 'role-names', names, max);
}

/** Organization names by id (find-org-names.ts), under the same rules as role names. */
export async function learnOrgNames(db: CompanionDb, names: Record<string, string>, max = 50): Promise<boolean> {
  return learnNames(db, 'org-names', names, max);
}

/** Adds names never seen before, up to `max`; a known name is never replaced. True when anything was added. */
async function learnNames(db: CompanionDb, key: string, names: Record<string, string>, max: number): Promise<boolean> {
  if (Object.keys(names).length === 0) return false;
  const tx = db.transaction('kv', 'readwrite');
  const known = ((await tx.store.get(key)) as Record<string, string> | undefined) ?? {};
  const next = { ...known };
  let added = false;
  for (const [id, name] of Object.entries(names)) {
    if (Object.keys(next).length >= max) break;
    if (!(id in next)) {
      next[id] = name;
      added = true;
    }
  }
  if (added) await tx.store.put(next, key);
  await tx.done;
  return added;
}

/**
 * Outbox files made before `before`: exports an older version left in the store for a popup that never saved them
 * (exports now go to the popup over the extension's channel, not through the store). Returns the keys.
 */
export async function deleteStaleOutboxFiles(db: CompanionDb, before: number): Promise<string[]> {
  const tx = db.transaction('outbox', 'readwrite');
  const stale: string[] = [];
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    const createdAt = (cursor.value as Partial<OutboxFile> | undefined)?.createdAt;
    if (typeof createdAt === 'number' && createdAt >= before) continue;
    stale.push(String(cursor.key));
    await cursor.delete();
  }
  await tx.done;
  return stale;
}

/**
 * Compares the counters with real counts (walking every entry: the background does this when idle, at most once
 * per `everyMs`), and repairs them. Returns the counts found when the counters had drifted, else undefined.
 */
export async function reconcileCounts(db: CompanionDb, now: number, everyMs: number): Promise<StoreCounts | undefined> {
  const tx = db.transaction(['bundles', 'tokens', 'warnings', 'counts'], 'readwrite');
  const counts = tx.objectStore('counts');
  const [stored, checkedAt] = await Promise.all([counts.get(COUNTS_KEY), counts.get(CHECKED_KEY)]);
  const current = asCounts(stored);
  if (current && typeof checkedAt === 'number' && checkedAt <= now && now - checkedAt < everyMs) {
    await tx.done;
    return undefined;
  }
  const real = await countEverything(tx as unknown as IDBPTransaction<CompanionSchema, StoreNames<CompanionSchema>[], 'readwrite'>);
  const drifted = !current || (Object.keys(real) as Array<keyof StoreCounts>).some((k) => real[k] !== current[k]);
  await Promise.all([...(drifted ? [counts.put(real, COUNTS_KEY)] : []), counts.put(now, CHECKED_KEY)]);
  await tx.done;
  return drifted ? real : undefined;
}
