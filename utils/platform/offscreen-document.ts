/**
 * Chrome's one offscreen document (entrypoints/offscreen/), shared by whoever needs a document the service worker
 * lacks: the clipboard (clearing a copied secret) and blob URLs (saving files without a `data:` URL, which the
 * browser would keep in its download history, secret and all). It stays open while anyone holds it.
 */
import { browser } from 'wxt/browser';

interface ChromeOffscreen {
  hasDocument?(): Promise<boolean>;
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}

export function chromeOffscreen(): ChromeOffscreen | undefined {
  return (globalThis as { chrome?: { offscreen?: ChromeOffscreen } }).chrome?.offscreen;
}

let holders = 0;
let opening: Promise<void> | undefined;

/** Opens the document if needed and holds it until `release` runs. */
export async function holdOffscreenDocument(offscreen: ChromeOffscreen): Promise<() => Promise<void>> {
  holders++;
  try {
    opening ??= (async () => {
      if (!(await offscreen.hasDocument?.())) {
        await offscreen.createDocument({
          url: 'offscreen.html',
          reasons: ['CLIPBOARD', 'BLOBS'],
          justification: 'Clear a copied client secret from the clipboard; save files from blob URLs so no secret stays in the download history',
        });
      }
    })().finally(() => (opening = undefined));
    await opening;
  } catch (error) {
    holders--;
    throw error;
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    if (--holders === 0) await offscreen.closeDocument().catch(() => {});
  };
}

export const OFFSCREEN_OBJECT_URL = 'offscreen-object-url';
export const OFFSCREEN_REVOKE_URL = 'offscreen-revoke-url';

/** Blob URLs made in the offscreen document, for `downloads.download` from the service worker. */
export function offscreenObjectUrls(offscreen: ChromeOffscreen, toBase64: (bytes: Uint8Array) => string) {
  const releases = new Map<string, () => Promise<void>>();
  return {
    async create(bytes: Uint8Array, mime: string): Promise<string> {
      const release = await holdOffscreenDocument(offscreen);
      const url = await browser.runtime.sendMessage({ type: OFFSCREEN_OBJECT_URL, base64: toBase64(bytes), mime }).catch(() => undefined);
      if (typeof url !== 'string' || !url.startsWith('blob:')) {
        await release();
        throw new Error('The offscreen document made no blob URL.');
      }
      releases.set(url, release);
      return url;
    },
    async revoke(url: string): Promise<void> {
      await browser.runtime.sendMessage({ type: OFFSCREEN_REVOKE_URL, url }).catch(() => {});
      await releases.get(url)?.();
      releases.delete(url);
    },
  };
}
