/**
 * Saves bytes the background made (a kept bundle, an export, a token file) through the browser's downloads, from a
 * `blob:` URL released when the download ends: the browser keeps every download's URL in its history, and a
 * `data:` URL there would keep the file itself (a token's secret) outside the vault. Firefox's background page
 * makes blob URLs itself; Chrome's service worker has no `URL.createObjectURL`, so its offscreen document makes them.
 * A `data:` URL is the last resort only, where neither exists.
 */
import { toDataUrl } from '../shared/bytes';

export interface SaveBytesDeps {
  download(options: { url: string; filename: string; saveAs: boolean; conflictAction: 'uniquify' }): Promise<number>;
  /** `URL` where the background has one with object URLs (Firefox's background page). */
  objectUrls?: { createObjectURL(blob: Blob): string; revokeObjectURL(url: string): void };
  /** Blob URLs made elsewhere (Chrome: the offscreen document, offscreen-document.ts). */
  remoteObjectUrls?: { create(bytes: Uint8Array, mime: string): Promise<string>; revoke(url: string): Promise<void> };
}

export interface BytesSaver {
  save(bytes: Uint8Array, fileName: string, saveAs: boolean, mime?: string): Promise<number>;
  /** `downloads.onChanged`: a blob URL is released once its download has ended (it must live until then). */
  onChanged(delta: { id: number; state?: { current?: string } }): void;
}

export function createBytesSaver(deps: SaveBytesDeps): BytesSaver {
  const local = typeof deps.objectUrls?.createObjectURL === 'function' ? deps.objectUrls : undefined;
  const urls = local
    ? { create: async (bytes: Uint8Array, mime: string) => local.createObjectURL(new Blob([bytes as BlobPart], { type: mime })), revoke: async (url: string) => local.revokeObjectURL(url) }
    : deps.remoteObjectUrls;
  const pending = new Map<number, string>();
  return {
    async save(bytes, fileName, saveAs, mime = 'application/zip') {
      if (!urls) return deps.download({ url: toDataUrl(bytes, mime), filename: fileName, saveAs, conflictAction: 'uniquify' });
      const url = await urls.create(bytes, mime);
      try {
        const id = await deps.download({ url, filename: fileName, saveAs, conflictAction: 'uniquify' });
        pending.set(id, url);
        return id;
      } catch (error) {
        await urls.revoke(url);
        throw error;
      }
    },
    onChanged(delta) {
      const url = pending.get(delta.id);
      if (!url || (delta.state?.current !== 'complete' && delta.state?.current !== 'interrupted')) return;
      pending.delete(delta.id);
      void urls?.revoke(url);
    },
  };
}
