/**
 * The popup's export and import requests. They run in the background, where the vault lives: a second vault in
 * the popup could undo the background's unlock. Only the extension's own pages may ask.
 */
import { exportDatabase, exportStore } from '../backup/export-store';
import { importStore } from '../backup/import-store';
import { base64ToBytes, bytesToBase64 } from '../shared/bytes';
import { fail, ok } from '../shared/result';
import type { Routes } from './request-table';

const NOT_ALLOWED = fail('not-allowed', "Only Astra Companion's popup can ask for that.", 'Open the popup.');

export const backupRoutes: Routes<'export-store' | 'import-store' | 'export-database'> = {
  'export-store': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const exported = await exportStore({ db: await services.db(), vault: await services.vault(), extensionVersion: services.ports.version, now: services.ports.now, tokens: request.tokens });
      return exported.ok ? ok({ base64: bytesToBase64(exported.value) }) : exported;
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
      const exported = await exportDatabase({ db: await services.db(), bundleId: String(request.id) });
      if (!exported.ok) return exported;
      await services.ports.saveFile({ bytes: exported.value.bytes, fileName: exported.value.fileName, mime: 'application/zip', saveAs: true });
      return ok({ fileName: exported.value.fileName });
    },
  },
};
