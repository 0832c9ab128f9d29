/**
 * Copies a secret, then clears the clipboard after a while, but only if it still holds what we copied:
 * something the user copied since is never wiped.
 */

/** How long a copied token or secret stays on the clipboard. */
export const CLIPBOARD_CLEAR_MS = 30_000;

export interface ClearableClipboard {
  writeText(text: string): Promise<void>;
  /** Optional: reading needs a permission the browser may refuse; without it we fall back to counting copies. */
  readText?(): Promise<string>;
}

export interface CopyThenClearOptions {
  delayMs?: number;
  setTimeout?: (callback: () => void, ms: number) => unknown;
}

// Copies made through this module: only the newest may clear, and without readText it is all we know.
let copies = 0;

/** Writes `text`; resolves once it is on the clipboard (rejects if writing fails, and then schedules nothing). */
export async function copyThenClear(
  clipboard: ClearableClipboard,
  text: string,
  { delayMs = CLIPBOARD_CLEAR_MS, setTimeout: schedule = globalThis.setTimeout }: CopyThenClearOptions = {},
): Promise<void> {
  await clipboard.writeText(text);
  const copy = ++copies;
  if (text === '') return;
  schedule(() => void clearIfStillOurs(clipboard, text, copy), delayMs);
}

async function clearIfStillOurs(clipboard: ClearableClipboard, text: string, copy: number): Promise<void> {
  // A newer copy through here has its own timer: it clears later, so this one's full delay is kept too.
  if (copy !== copies) return;
  try {
    if (clipboard.readText && (await clipboard.readText()) !== text) return;
  } catch {
    // Unreadable (no permission, no focus): no newer copy happened through here, so it is most likely still ours.
  }
  try {
    await clipboard.writeText('');
  } catch {
    // The page may have lost focus (a closed popup cannot write); nothing more can be done from here.
  }
}
