/**
 * The popup's export and import requests. They run in the background, where the vault lives: a second
 * vault in the popup could undo the background's unlock. Only the extension's own pages may ask.
 */
import { base64ToBytes, bytesToBase64 } from '../shared/bytes';
import { exportDatabase, exportStore } from '../backup/export-store';
import { importStore } from '../backup/import-store';
import type { BackgroundMessage } from '../protocol/messages';
import { fail, ok } from '../shared/result';
import type { CompanionDb } from '../store/schema';
import type { Vault } from '../vault/vault';

export interface ExportRequestDeps {
  db: () => Promise<CompanionDb>;
  vault: () => Promise<Vault>;
  now: () => number;
  version: string;
  saveFile(bytes: Uint8Array, fileName: string, saveAs: boolean): Promise<number>;
}

type ExportMessage = Extract<BackgroundMessage, { type: 'export-store' | 'import-store' | 'export-database' }>;

export function isExportRequest(message: BackgroundMessage): message is ExportMessage {
  return message.type === 'export-store' || message.type === 'import-store' || message.type === 'export-database';
}

export async function handleExportRequest(deps: ExportRequestDeps, request: ExportMessage): Promise<unknown> {
  switch (request.type) {
    case 'export-store': {
      const exported = await exportStore({ db: await deps.db(), vault: await deps.vault(), extensionVersion: deps.version, now: deps.now, tokens: request.tokens });
      return exported.ok ? ok({ base64: bytesToBase64(exported.value) }) : exported;
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
