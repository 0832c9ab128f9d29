/**
 * The background's half of clearing copied secrets: remember the hash of what the popup copied, wake up
 * 30 s later (an alarm: the service worker may sleep meanwhile) and ask a document to clear the clipboard
 * if it still holds that. Extension APIs are passed in.
 */
import { CLIPBOARD_CLEAR_DELAY_MS } from '../platform/clipboard-guard';

export const CLIPBOARD_ALARM = 'clear-clipboard';
const SESSION_KEY = 'clipboard-clear';

export interface ClipboardScheduleDeps {
  mayReadClipboard(): Promise<boolean>;
  session: { get(key: string): Promise<unknown>; set(key: string, value: unknown): Promise<void> };
  createAlarm(name: string, when: number): void;
  now(): number;
  /** Clears the clipboard if it still holds text with this hash (offscreen document or background page). */
  clearIfStillHolds(hash: string): Promise<string>;
}

export async function scheduleClipboardClear(deps: ClipboardScheduleDeps, hash: unknown): Promise<{ scheduled: boolean }> {
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash) || !(await deps.mayReadClipboard())) return { scheduled: false };
  await deps.session.set(SESSION_KEY, { hash, at: deps.now() });
  deps.createAlarm(CLIPBOARD_ALARM, deps.now() + CLIPBOARD_CLEAR_DELAY_MS);
  return { scheduled: true };
}

export async function onClipboardAlarm(deps: ClipboardScheduleDeps): Promise<string> {
  const pending = (await deps.session.get(SESSION_KEY)) as { hash?: string } | undefined;
  await deps.session.set(SESSION_KEY, null);
  if (!pending?.hash) return 'nothing';
  return deps.clearIfStillHolds(pending.hash);
}
