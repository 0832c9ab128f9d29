/**
 * Requests about download warnings: the popup dismissing one, and the storage host's error page asking what was
 * kept for the dead link it shows.
 */
import type { Routes } from './request-table';
import { storageErrorContext } from './storage-tab-context';

export const warningRoutes: Routes<'dismiss-warning' | 'storage-error-context'> = {
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
    async handle(_request, sender, services) {
      return sender.url ? storageErrorContext(await services.db(), sender.url) : null;
    },
  },
};
