/**
 * The popup's export and import requests. They run in the background, where the vault lives: a second vault in
 * the popup could undo the background's unlock. Only the extension's own pages may ask.
 */
import { exportDatabase, exportFileName, exportStore, type ExportProgress } from '../backup/export-store';
import { IMPORT_LIMITS, importStore, type ImportProgress } from '../backup/import-store';
import { issueHandoverId, takeHandoverId } from './import-handover';
import { openKitToken } from './open-kit-token';
import type { BackupProgressMessage } from '../protocol/messages';
import { fail, ok } from '../shared/result';
import type { Routes } from './request-table';

const NOT_ALLOWED = fail('not-allowed', "Only Astra Companion's popup can ask for that.", 'Open the popup.');

/** How long an export is offered to the popup that asked for it: it takes it at once, unless it closed. */
const OFFER_MS = 60_000;
/** The exports on offer, by handover id: one at a time, a newer export replaces one never taken. */
const offers = new Map<string, () => void>();

function stopOffers(): void {
  for (const stop of offers.values()) stop();
  offers.clear();
}

/** At most one progress report per 100 ms, and the last one always; none in the first `quietMs` (no flash of a bar). */
function throttled<P extends ExportProgress | ImportProgress>(report: (progress: P) => void, now: () => number, quietMs = 0) {
  let last = -Infinity;
  const start = now();
  return (progress: P) => {
    if (now() - start < quietMs) return;
    if (now() - last < 100 && progress.done < progress.total) return;
    last = now();
    report(progress);
  };
}

const PICK_AGAIN = 'Choose the file again; keep this page open until the import ends.';

export const backupRoutes: Routes<'export-store' | 'export-saved' | 'import-begin' | 'import-store' | 'export-database'> = {
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
      // Offered on the extension's own channel, not written to the store: no 122 MB write, no room needed on disk.
      stopOffers();
      // Its own random id: never one the import's handover accepts.
      const handover = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      const stop = ports.offerFile(handover, new Blob([exported.value as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
      offers.set(handover, stop);
      setTimeout(() => offers.get(handover) === stop && (stop(), offers.delete(handover)), OFFER_MS);
      return ok({ handover, fileName, size: exported.value.byteLength });
    },
  },
  'export-saved': {
    from: ['extension'],
    refused: { ok: false },
    async handle(request) {
      const stop = offers.get(String(request.handover));
      stop?.();
      offers.delete(String(request.handover));
      return { ok: stop !== undefined };
    },
  },
  'import-begin': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      if (typeof request.size === 'number' && request.size > IMPORT_LIMITS.maxBytes) {
        return fail('too-large', `This file is larger than an export can be (${Math.round(IMPORT_LIMITS.maxBytes / 2 ** 20)} MB at most).`, 'Choose a zip saved with "Export everything" in Astra Companion, as it was saved.');
      }
      return ok({ id: issueHandoverId(services.ports.now()) });
    },
  },
  'import-store': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const { ports } = services;
      // Only a file offered under an id issued to an extension page, once: nothing else on the channel is taken.
      if (!takeHandoverId(request.id, ports.now())) return fail('not-allowed', 'That import was not started here, or it expired.', PICK_AGAIN);
      const onProgress = throttled((progress: ImportProgress) => ports.sendToExtensionPages({ type: 'backup-progress', ...progress } satisfies BackupProgressMessage), () => performance.now(), 500);
      const file = await ports.receiveFile(request.id);
      if (!file) return fail('not-a-zip', 'The file did not reach the extension.', PICK_AGAIN);
      if (file.size > IMPORT_LIMITS.maxBytes) {
        return fail('too-large', `This file is larger than an export can be (${Math.round(IMPORT_LIMITS.maxBytes / 2 ** 20)} MB at most).`, PICK_AGAIN);
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch {
        return fail('not-a-zip', 'That file could not be read.', 'Choose the zip saved by "Export everything".');
      }
      const report = await importStore({
        db: await services.db(),
        vault: await services.vault(),
        bytes,
        passphrase: typeof request.passphrase === 'string' ? request.passphrase : undefined,
        skipTokens: request.skipTokens === true,
        now: ports.now,
        onProgress,
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
