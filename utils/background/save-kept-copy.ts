/**
 * The one way a kept copy of a bundle is saved, from the popup, a console panel, the storage error page or a
 * notification: through the download manager, and then the download watcher is told the download is ours, so a
 * browser that opens or unpacks it is still caught. The answer says how the save ended.
 */
import type { SaveOutcome } from '../downloads/types';
import { fail, ok, type Result } from '../shared/result';
import type { CompanionDb } from '../store/schema';
import { getBundle, getBundleFile } from '../store/queries';
import { saveAndFollow } from './follow-saves';
import type { FileToSave } from './ports';
import type { DownloadWatcher } from './watch-downloads';

export interface SaveKeptCopyDeps {
  db: () => Promise<CompanionDb>;
  saveFile(file: FileToSave): Promise<number>;
  /** How the download ended (background/follow-saves.ts). */
  outcomeOf(downloadId: number, fallbackName: string): Promise<SaveOutcome>;
  watcher: Pick<DownloadWatcher, 'noteOwnSave'>;
}

export function createSaveKeptCopy(deps: SaveKeptCopyDeps) {
  return async function saveKeptCopy(bundleId: string): Promise<Result<SaveOutcome>> {
    const db = await deps.db();
    const [record, file] = await Promise.all([getBundle(db, bundleId), getBundleFile(db, bundleId)]);
    if (!record || !file) return fail('no-copy', 'Astra Companion has no verified copy of this bundle.', "Get a fresh link from the database's Connect tab.");
    const start = () => deps.saveFile({ bytes: file.bytes, fileName: record.fileName, mime: 'application/zip', saveAs: true });
    return ok(await saveAndFollow(start, deps, record.fileName, (downloadId) => deps.watcher.noteOwnSave(downloadId, bundleId)));
  };
}
