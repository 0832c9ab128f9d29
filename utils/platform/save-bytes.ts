/**
 * Saves bytes the background made (a kept bundle, an export, a token file) through the browser's downloads.
 * Firefox refuses `data:` URLs in `downloads.download` ("Access denied for URL data:…") but its background page
 * can make `blob:` URLs; Chrome's service worker has no `URL.createObjectURL`, and takes `data:` URLs.
 */
import { toDataUrl } from '../shared/bytes';

export interface SaveBytesDeps {
  download(options: { url: string; filename: string; saveAs: boolean; conflictAction: 'uniquify' }): Promise<number>;
  /** `URL` where the background has one with object URLs (Firefox's background page). */
  objectUrls?: { createObjectURL(blob: Blob): string; revokeObjectURL(url: string): void };
}

export interface BytesSaver {
  save(bytes: Uint8Array, fileName: string, saveAs: boolean, mime?: string): Promise<number>;
  /** `downloads.onChanged`: a blob URL is released once its download has ended (it must live until then). */
  onChanged(delta: { id: number; state?: { current?: string } }): void;
}

export function createBytesSaver(deps: SaveBytesDeps): BytesSaver {
  const objectUrls = typeof deps.objectUrls?.createObjectURL === 'function' ? deps.objectUrls : undefined;
  const pending = new Map<number, string>();
  return {
    async save(bytes, fileName, saveAs, mime = 'application/zip') {
      if (!objectUrls) return deps.download({ url: toDataUrl(bytes, mime), filename: fileName, saveAs, conflictAction: 'uniquify' });
      const url = objectUrls.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
      try {
        const id = await deps.download({ url, filename: fileName, saveAs, conflictAction: 'uniquify' });
        pending.set(id, url);
        return id;
      } catch (error) {
        objectUrls.revokeObjectURL(url);
        throw error;
      }
    },
    onChanged(delta) {
      const url = pending.get(delta.id);
      if (!url || (delta.state?.current !== 'complete' && delta.state?.current !== 'interrupted')) return;
      pending.delete(delta.id);
      objectUrls?.revokeObjectURL(url);
    },
  };
}
