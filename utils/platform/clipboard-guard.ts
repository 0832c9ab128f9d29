/**
 * Clears a copied secret from the clipboard 30 s later, after the popup has closed, and only if the clipboard
 * still holds it (so nothing the user copied since is lost). Runs where a document is: Chrome's offscreen
 * document, or Firefox's background page. Needs the optional `clipboardRead` permission to compare; the
 * text itself never leaves the popup: only its SHA-256 travels.
 */
import { sha256Hex } from '../token/token';

export const CLIPBOARD_CLEAR_DELAY_MS = 30_000;


/** The clipboard's text through a paste into a scratch field (offscreen documents have no focus for the async API). */
export function readClipboard(doc: Document): string | null {
  const field = doc.createElement('textarea');
  doc.body.append(field);
  field.focus();
  const pasted = doc.execCommand('paste');
  const text = field.value;
  field.remove();
  return pasted ? text : null;
}

/** Replaces the clipboard's content with an empty string. */
export function emptyClipboard(doc: Document): boolean {
  const onCopy = (event: ClipboardEvent) => {
    event.clipboardData?.setData('text/plain', '');
    event.preventDefault();
  };
  doc.addEventListener('copy', onCopy);
  try {
    return doc.execCommand('copy');
  } finally {
    doc.removeEventListener('copy', onCopy);
  }
}

export type ClearOutcome = 'cleared' | 'changed' | 'unreadable';

export async function clearIfStillHolds(doc: Document, hash: string): Promise<ClearOutcome> {
  const text = readClipboard(doc);
  if (text === null) return 'unreadable';
  if ((await sha256Hex(text)) !== hash) return 'changed';
  return emptyClipboard(doc) ? 'cleared' : 'unreadable';
}
