/**
 * Clearing a copied secret after the popup closed needs a document: Chrome's offscreen document (reason
 * CLIPBOARD), or Firefox's background page, which is one. entrypoints/offscreen/ answers the message below.
 */
import { browser } from 'wxt/browser';
import { clearIfStillHolds } from './clipboard-guard';

export const OFFSCREEN_CLEAR_CLIPBOARD = 'offscreen-clear-clipboard';

interface ChromeOffscreen {
  hasDocument?(): Promise<boolean>;
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}

export async function clearClipboardIfStillHolds(hash: string): Promise<string> {
  const offscreen = (globalThis as { chrome?: { offscreen?: ChromeOffscreen } }).chrome?.offscreen;
  if (!offscreen) return typeof document === 'undefined' ? 'unreadable' : clearIfStillHolds(document, hash);
  if (!(await offscreen.hasDocument?.())) {
    await offscreen.createDocument({ url: 'offscreen.html', reasons: ['CLIPBOARD'], justification: 'Clear a copied client secret from the clipboard' });
  }
  try {
    return String(await browser.runtime.sendMessage({ type: OFFSCREEN_CLEAR_CLIPBOARD, hash }));
  } finally {
    await offscreen.closeDocument().catch(() => {});
  }
}
