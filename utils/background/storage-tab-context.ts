/**
 * A bundle link opened in a tab after it died: what Astra Companion kept for it (the 'storage-error-context'
 * request of the storage host's error page). Never includes bytes or passwords.
 */
import { connectPageUrl, orgIdOf } from '../astra/routes';
import type { BundleRecord } from '../bundle/types';
import type { StorageErrorContext } from '../downloads/types';
import type { CompanionDb } from '../store/schema';
import { findBundleByLink, listBundles } from '../store/queries';

const DB_ID_IN_PATH = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:-\d{1,4})?\//i;

function objectOf(url: string): { address: string; path: string } | undefined {
  try {
    const parsed = new URL(url);
    return { address: `${parsed.origin}${parsed.pathname}`, path: parsed.pathname };
  } catch {
    return undefined;
  }
}

function decodedName(path: string): string | undefined {
  const last = path.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || undefined;
  } catch {
    return last || undefined;
  }
}

/**
 * The kept bundle for a link: the same link, or else the newest record for the same file in storage (a newer
 * link for the same bundle replaces the record's link, and the dead one is what the tab shows).
 */
export async function findBundleForStorageUrl(db: CompanionDb, url: string): Promise<BundleRecord | undefined> {
  const exact = await findBundleByLink(db, url);
  if (exact) return exact;
  const object = objectOf(url);
  if (!object) return undefined;
  const all = await listBundles(db);
  return all.find((record) => objectOf(record.link)?.address === object.address);
}

/** The answer to the storage page's 'storage-error-context' request. Never includes bytes or passwords. */
export async function storageErrorContext(db: CompanionDb, url: string): Promise<StorageErrorContext> {
  const record = await findBundleForStorageUrl(db, url);
  const path = objectOf(url)?.path ?? '';
  const dbId = record?.dbId ?? DB_ID_IN_PATH.exec(path)?.[1]?.toLowerCase();
  let orgId = record ? orgIdOf(record.page) : undefined;
  if (!orgId && dbId) {
    // Another bundle of the same database may have been captured on a page that names the organization.
    const sibling = (await listBundles(db)).find((other) => other.dbId === dbId && orgIdOf(other.page));
    orgId = sibling ? orgIdOf(sibling.page) : undefined;
  }
  return {
    ...(record ? { bundleId: record.id, dbName: record.dbName } : {}),
    hasCopy: record?.hasCopy === true,
    fileName: record?.fileName ?? decodedName(path),
    connectUrl: dbId ? connectPageUrl(orgId, dbId) : connectPageUrl(undefined, ''),
    ...(record?.link === url && record.signedAt !== undefined ? { signedAt: record.signedAt } : {}),
    ...(record?.link === url && record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
  };
}
