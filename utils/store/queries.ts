/**
 * Read-only queries on the store: what the popup and the background read. Nothing here writes; writes are in
 * writes.ts and run in the background only, which announces every change.
 */
import type { BundleRecord } from '../bundle/types';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { TokenRecord } from '../token/types';
import type { BundleFile, CompanionDb } from './schema';

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

export async function roleNameOf(db: CompanionDb, id: string): Promise<string | undefined> {
  return ((await db.get('kv', 'role-names')) as Record<string, string> | undefined)?.[id];
}
