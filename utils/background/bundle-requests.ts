/**
 * Requests about kept bundles: the in-page panel's and the popup's summaries, saving the kept copy, deleting.
 * Every change is announced, so the popup, the console panels and the warnings follow at once.
 */
import { parseBundleLink } from '../bundle/bundle-link';
import { fail } from '../shared/result';
import { findBundleByLink } from '../store/queries';
import { deleteBundles } from '../store/writes';
import { summarize } from './keep-bundle';
import { readDatabaseStatuses, type DatabaseStatusMap } from '../store/database-statuses';
import type { BundleSummary } from '../bundle/types';
import type { Routes } from './request-table';
import type { BackgroundServices } from './services';

async function removeBundles(services: BackgroundServices, ids: string[] | 'all') {
  const removed = await deleteBundles(await services.db(), ids);
  services.announce('bundles', { bundleIds: removed.bundleIds, warningIds: removed.warningIds });
  if (removed.warningIds.length) services.announce('warnings', { bundleIds: removed.bundleIds, warningIds: removed.warningIds });
  return { ok: true };
}

function withDatabaseStatus(summary: BundleSummary, dbId: string | undefined, statuses: DatabaseStatusMap): BundleSummary {
  const status = dbId ? statuses[dbId.toLowerCase()]?.status : undefined;
  return status ? { ...summary, databaseStatus: status } : summary;
}

export const bundleRoutes: Routes<'bundle-summaries' | 'save-bundle-copy' | 'delete-bundle' | 'clear-bundles'> = {
  'bundle-summaries': {
    from: ['console', 'extension'],
    refused: [],
    async handle(request, _sender, services) {
      const db = await services.db();
      const urls = Array.isArray(request.urls) ? request.urls.filter((u): u is string => typeof u === 'string').slice(0, 20) : [];
      // Stored links are normalized by parseBundleLink; a link read from the page may be escaped otherwise.
      const normalized = urls.map((url) => {
        const parsed = parseBundleLink(url, { trustedHosts: services.trustedHosts });
        return parsed.ok ? parsed.value.url : url;
      });
      const [records, statuses] = await Promise.all([Promise.all(normalized.map((url) => findBundleByLink(db, url))), readDatabaseStatuses(db)]);
      return records.flatMap((record) => (record ? [withDatabaseStatus(summarize(record), record.dbId, statuses)] : []));
    },
  },
  'save-bundle-copy': {
    from: ['console', 'extension', 'storage'],
    refused: fail('not-found', 'That bundle is no longer in Astra Companion.', 'Open the popup again; it may have been deleted.'),
    async handle(request, _sender, services) {
      const saved = await services.saveKeptCopy(String(request.id));
      return saved.ok ? { ok: true, saved: saved.value } : saved;
    },
  },
  'delete-bundle': {
    from: ['extension'],
    refused: { ok: false },
    handle: (request, _sender, services) => removeBundles(services, [String(request.id)]),
  },
  'clear-bundles': {
    from: ['extension'],
    refused: { ok: false },
    handle: (_request, _sender, services) => removeBundles(services, 'all'),
  },
};
