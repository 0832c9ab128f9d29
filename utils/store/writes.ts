/**
 * Every write to the store. Only the background calls these (the import map forbids components to): it owns the
 * store and announces each change, so open views redraw. Each multi-step change runs in one transaction.
 */
import type { BundleRecord } from '../bundle/types';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { TokenRecord } from '../token/types';
import type { BundleFile, CompanionDb, OutboxFile } from './schema';

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
  try {
    const next = change(await tx.objectStore('bundles').get(id));
    await tx.objectStore('bundles').put(next);
    if (file) await tx.objectStore('bundleFiles').put(file);
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
  const tx = db.transaction(['bundles', 'bundleFiles', 'warnings'], 'readwrite');
  const bundleIds = ids === 'all' ? ((await tx.objectStore('bundles').getAllKeys()) as string[]) : ids;
  const gone = new Set(bundleIds);
  const warningIds = (await tx.objectStore('warnings').getAll()).filter((w) => w.bundleId !== undefined && gone.has(w.bundleId)).map((w) => w.id);
  await Promise.all([
    ...bundleIds.flatMap((id) => [tx.objectStore('bundles').delete(id), tx.objectStore('bundleFiles').delete(id)]),
    ...warningIds.map((id) => tx.objectStore('warnings').delete(id)),
  ]);
  await tx.done;
  return { bundleIds, warningIds };
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

export async function deleteToken(db: CompanionDb, id: string): Promise<void> {
  await db.delete('tokens', id);
}

export async function putWarning(db: CompanionDb, warning: WarningRecord): Promise<void> {
  await db.put('warnings', warning);
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

/** Leaves a file for an extension page to save; one per key, so a newer export replaces an unsaved one. */
export async function putOutboxFile(db: CompanionDb, key: string, file: OutboxFile): Promise<void> {
  await db.put('outbox', file, key);
}

export async function deleteOutboxFile(db: CompanionDb, key: string): Promise<void> {
  await db.delete('outbox', key);
}
