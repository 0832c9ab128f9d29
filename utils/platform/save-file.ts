/**
 * Saves bytes through the browser's download manager. The one place files leave the extension: kept bundles,
 * exports, connection kits and token files all come through here.
 */
import { browser } from 'wxt/browser';
import type { FileToSave } from '../background/ports';
import { toDataUrl } from '../shared/bytes';

export async function saveFile(file: FileToSave): Promise<number> {
  return browser.downloads.download({ url: toDataUrl(file.bytes, file.mime), filename: file.fileName, saveAs: file.saveAs, conflictAction: 'uniquify' });
}
