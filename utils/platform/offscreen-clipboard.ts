/**
 * Clearing a copied secret after the popup closed needs a document: Chrome's offscreen document (reason
 * CLIPBOARD), or Firefox's background page, which is one. entrypoints/offscreen/ answers the message below.
 */
import { browser } from 'wxt/browser';
import { clearIfStillHolds } from './clipboard-guard';
import { chromeOffscreen, holdOffscreenDocument } from './offscreen-document';

export const OFFSCREEN_CLEAR_CLIPBOARD = 'offscreen-clear-clipboard';

export async function clearClipboardIfStillHolds(hash: string): Promise<string> {
  const offscreen = chromeOffscreen();
  if (!offscreen) return typeof document === 'undefined' ? 'unreadable' : clearIfStillHolds(document, hash);
  const release = await holdOffscreenDocument(offscreen);
  try {
    return String(await browser.runtime.sendMessage({ type: OFFSCREEN_CLEAR_CLIPBOARD, hash }));
  } finally {
    await release();
  }
}
