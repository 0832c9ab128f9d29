/**
 * The popup's export and import requests. They run in the background, where the vault lives: a second vault in
 * the popup could undo the background's unlock. Only the extension's own pages may ask.
 */
import { exportDatabase, exportFileName, exportStore, type ExportProgress } from '../backup/export-store';
import { importStore } from '../backup/import-store';
import { openKitToken } from './open-kit-token';
import type { BackupProgressMessage } from '../protocol/messages';
import { base64ToBytes } from '../shared/bytes';
import { fail, ok } from '../shared/result';
import { deleteOutboxFile, putOutboxFile } from '../store/writes';
import type { Routes } from './request-table';

const NOT_ALLOWED = fail('not-allowed', "Only Astra Companion's popup can ask for that.", 'Open the popup.');

/** The outbox key of the export: one at a time, a newer export replaces one never saved. */
export const EXPORT_OUTBOX = 'export';

/** At most one progress report per 100 ms, and the last one always. */
function throttled(report: (progress: ExportProgress) => void, now: () => number) {
  let last = -Infinity;
  return (progress: ExportProgress) => {
    if (now() - last < 100 && progress.done < progress.total) return;
    last = now();
    report(progress);
  };
}

export const backupRoutes: Routes<'export-store' | 'export-saved' | 'import-store' | 'export-database'> = {
  'export-store': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const { ports } = services;
      const db = await services.db();
      const onProgress = throttled((progress) => ports.sendToExtensionPages({ type: 'backup-progress', ...progress } satisfies BackupProgressMessage), () => performance.now());
      const exported = await exportStore({ db, vault: await services.vault(), extensionVersion: ports.version, now: ports.now, tokens: request.tokens, onProgress });
      if (!exported.ok) return exported;
      const fileName = exportFileName(ports.now());
      try {
        await putOutboxFile(db, EXPORT_OUTBOX, { blob: new Blob([exported.value as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName, createdAt: ports.now() });
      } catch {
        return fail('store-failed', 'The export was made but there is no room to hand it over.', 'Free some disk space, or export without tokens or after deleting old bundles.');
      }
      return ok({ outbox: EXPORT_OUTBOX, fileName, size: exported.value.byteLength });
    },
  },
  'export-saved': {
    from: ['extension'],
    refused: { ok: false },
    async handle(_request, _sender, services) {
      await deleteOutboxFile(await services.db(), EXPORT_OUTBOX);
      return { ok: true };
    },
  },
  'import-store': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      let bytes: Uint8Array;
      try {
        bytes = base64ToBytes(String(request.base64));
      } catch {
        return fail('not-a-zip', 'That file could not be read.', 'Choose the zip saved by "Export everything".');
      }
      const report = await importStore({
        db: await services.db(),
        vault: await services.vault(),
        bytes,
        passphrase: typeof request.passphrase === 'string' ? request.passphrase : undefined,
        skipTokens: request.skipTokens === true,
        now: services.ports.now,
      });
      if (report.ok) {
        services.announce('bundles');
        services.announce('tokens');
      }
      return report;
    },
  },
  'export-database': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const token = await openKitToken(services, request.tokenId);
      if (!token.ok) return token;
      const exported = await exportDatabase({ db: await services.db(), bundleId: String(request.id), token: token.value });
      if (!exported.ok) return exported;
      const saved = await services.saveFile({ bytes: exported.value.bytes, fileName: exported.value.fileName, mime: 'application/zip', saveAs: true });
      return ok({ fileName: exported.value.fileName, saved });
    },
  },
};
