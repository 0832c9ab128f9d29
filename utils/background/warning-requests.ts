/**
 * Requests about download warnings: the popup dismissing one, the popup asking to look again at recent downloads,
 * and the storage host's error page asking what was kept for the dead link it shows (which is a warning too).
 */
import type { Routes } from './request-table';
import { storageErrorContext } from './storage-tab-context';
import { STORAGE_TAB_CODES, storageTabWarning } from '../downloads/storage-tab-warning';
import type { StorageErrorReport } from '../downloads/storage-error-page';
import { getBundle } from '../store/queries';

export const warningRoutes: Routes<'dismiss-warning' | 'storage-error-context' | 'recheck-downloads'> = {
  'dismiss-warning': {
    from: ['extension'],
    refused: { ok: false },
    async handle(request, _sender, services) {
      await services.warningActions.dismiss(String(request.id));
      return { ok: true };
    },
  },
  'storage-error-context': {
    from: ['storage'],
    refused: null,
    async handle(request, sender, services) {
      if (!sender.url) return null;
      const context = await storageErrorContext(await services.db(), sender.url);
      const code = request.report?.code;
      // The page showed storage's error for its own link: a warning like a failed download, in all four places.
      if (typeof code === 'string' && STORAGE_TAB_CODES.has(code)) {
        const warning = storageTabWarning(sender.url, code as StorageErrorReport['code'], context, services.ports.now());
        const bundle = context.bundleId ? await getBundle(await services.db(), context.bundleId) : undefined;
        await services.raiseWarning(warning, { connectUrl: context.connectUrl, ...(bundle ? { bundle } : {}) });
      }
      return context;
    },
  },
  'recheck-downloads': {
    from: ['extension'],
    refused: { watching: 0 },
    async handle(_request, _sender, services) {
      return { watching: await services.watcher.recheckRecent() };
    },
  },
};
