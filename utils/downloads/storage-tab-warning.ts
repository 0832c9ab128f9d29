/**
 * A dead bundle link opened in a tab (the console's Download after expiry): the same warning record a download
 * gets, so it reaches the badge, the notification, the Warnings tab and the console page like every other kind.
 */
import type { StorageErrorReport } from './storage-error-page';
import type { StorageErrorContext, WarningRecord } from './types';

export const STORAGE_TAB_CODES: ReadonlySet<string> = new Set<StorageErrorReport['code']>(['link-expired', 'link-not-yet-valid', 'link-altered', 'no-such-bundle', 'storage-error']);

const WHAT: Record<StorageErrorReport['code'], string> = {
  'link-expired': 'had expired',
  'link-not-yet-valid': 'was not valid yet (your computer\u2019s clock is probably wrong)',
  'link-altered': 'was changed when it was copied',
  'no-such-bundle': 'points at no bundle',
  'storage-error': 'was refused by storage',
};

/** One record per link: opening the same dead link again updates it instead of adding another. */
export function storageTabWarningId(url: string): string {
  const signature = /[?&](?:X-Amz-Signature|X-Goog-Signature|sig|Signature)=([^&]{8,})/i.exec(url)?.[1];
  let hash = 2166136261;
  for (const char of signature ?? url) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `storage-tab-${(signature ?? '').slice(0, 16) || hash.toString(16)}`;
}

export function storageTabWarning(url: string, code: StorageErrorReport['code'], context: StorageErrorContext, now: number): WarningRecord {
  const name = context.fileName ?? 'the bundle';
  const hint = context.hasCopy
    ? 'Save the verified copy Astra Companion kept (one click), or get a fresh link from the database\u2019s Connect tab.'
    : 'Get a fresh link: open the database\u2019s Connect tab, click Get Bundle, and download within 5 minutes.';
  return {
    id: storageTabWarningId(url),
    createdAt: now,
    code: code === 'link-expired' ? 'link-expired' : 'storage-tab',
    message: `The link to ${name} ${WHAT[code]} when it was opened: the browser showed storage's error page, and nothing was downloaded.`,
    hint,
    ...(context.bundleId ? { bundleId: context.bundleId } : {}),
    ...(context.fileName ? { fileName: context.fileName } : {}),
    actions: context.hasCopy && context.bundleId ? ['save-copy', 'fresh-link'] : ['fresh-link'],
  };
}
