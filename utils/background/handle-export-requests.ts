/**
 * The popup's export and import requests. They run in the background, where the vault lives: a second
 * vault in the popup could undo the background's unlock. Only the extension's own pages may ask.
 */
import { base64ToBytes } from '../shared/bytes';
import { exportDatabase, exportFileName, exportStore, type ExportProgress } from '../backup/export-store';
import { importStore } from '../backup/import-store';
import type { BackgroundMessage } from '../protocol/messages';
import { fail, ok } from '../shared/result';
import type { CompanionDb } from '../store/schema';
import { deleteOutboxFile, putOutboxFile } from '../store/writes';
import type { Vault } from '../vault/vault';

export interface ExportRequestDeps {
  db: () => Promise<CompanionDb>;
  vault: () => Promise<Vault>;
  now: () => number;
  version: string;
  saveFile(bytes: Uint8Array, fileName: string, saveAs: boolean): Promise<number>;
  /** Tells open pages how far an export is (at most a few times a second). */
  notifyProgress?(progress: ExportProgress): void;
}

/** The outbox key of the export: one at a time, a newer export replaces one never saved. */
export const EXPORT_OUTBOX = 'export';

/** At most one progress report per 100 ms, and the last one always. */
function throttled(report: ((progress: ExportProgress) => void) | undefined, now: () => number) {
  let last = -Infinity;
  return (progress: ExportProgress) => {
    if (!report || (now() - last < 100 && progress.done < progress.total)) return;
    last = now();
    report(progress);
  };
}

type ExportMessage = Extract<BackgroundMessage, { type: 'export-store' | 'export-saved' | 'import-store' | 'export-database' }>;

export function isExportRequest(message: BackgroundMessage): message is ExportMessage {
  return message.type === 'export-store' || message.type === 'export-saved' || message.type === 'import-store' || message.type === 'export-database';
}

export async function handleExportRequest(deps: ExportRequestDeps, request: ExportMessage): Promise<unknown> {
  switch (request.type) {
    case 'export-store': {
      const db = await deps.db();
      const onProgress = throttled(deps.notifyProgress, () => performance.now());
      const exported = await exportStore({ db, vault: await deps.vault(), extensionVersion: deps.version, now: deps.now, tokens: request.tokens, onProgress });
      if (!exported.ok) return exported;
      const fileName = exportFileName(deps.now());
      try {
        await putOutboxFile(db, EXPORT_OUTBOX, { blob: new Blob([exported.value as Uint8Array<ArrayBuffer>], { type: 'application/zip' }), fileName, createdAt: deps.now() });
      } catch {
        return fail('store-failed', 'The export was made but there is no room to hand it over.', 'Free some disk space, or export without tokens or after deleting old bundles.');
      }
      return ok({ outbox: EXPORT_OUTBOX, fileName, size: exported.value.byteLength });
    }
    case 'export-saved': {
      await deleteOutboxFile(await deps.db(), EXPORT_OUTBOX);
      return { ok: true };
    }
    case 'import-store': {
      let bytes: Uint8Array;
      try {
        bytes = base64ToBytes(String(request.base64));
      } catch {
        return fail('not-a-zip', 'That file could not be read.', 'Choose the zip saved by "Export everything".');
      }
      return importStore({
        db: await deps.db(),
        vault: await deps.vault(),
        bytes,
        passphrase: typeof request.passphrase === 'string' ? request.passphrase : undefined,
        skipTokens: request.skipTokens === true,
        now: deps.now,
      });
    }
    case 'export-database': {
      const exported = await exportDatabase({ db: await deps.db(), bundleId: String(request.id) });
      if (!exported.ok) return exported;
      await deps.saveFile(exported.value.bytes, exported.value.fileName, true);
      return ok({ fileName: exported.value.fileName });
    }
  }
}
