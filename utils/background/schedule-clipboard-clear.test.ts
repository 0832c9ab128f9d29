import { describe, expect, it } from 'vitest';
import { CLIPBOARD_CLEAR_DELAY_MS } from '../platform/clipboard-guard';
import { sha256Hex } from '../token/token';
import { CLIPBOARD_ALARM, onClipboardAlarm, scheduleClipboardClear, type ClipboardScheduleDeps } from './schedule-clipboard-clear';

function deps(options: { mayRead: boolean }) {
  const session = new Map<string, unknown>();
  const alarms: Array<{ name: string; when: number }> = [];
  const cleared: string[] = [];
  const value: ClipboardScheduleDeps = {
    mayReadClipboard: async () => options.mayRead,
    session: { get: async (key) => session.get(key), set: async (key, v) => void session.set(key, v) },
    createAlarm: (name, when) => void alarms.push({ name, when }),
    now: () => 1_000,
    clearIfStillHolds: async (hash) => {
      cleared.push(hash);
      return 'cleared';
    },
  };
  return { value, session, alarms, cleared };
}

describe('clearing a copied secret later', () => {
  it('keeps only the hash of what was copied and wakes up 30 s later to clear it once', async () => {
    const d = deps({ mayRead: true });
    const hash = await sha256Hex('a client secret, never stored');
    expect(await scheduleClipboardClear(d.value, hash)).toEqual({ scheduled: true });
    expect(d.alarms).toEqual([{ name: CLIPBOARD_ALARM, when: 1_000 + CLIPBOARD_CLEAR_DELAY_MS }]);
    expect(JSON.stringify([...d.session.values()])).not.toContain('a client secret');
    expect(await onClipboardAlarm(d.value)).toBe('cleared');
    expect(d.cleared).toEqual([hash]);
    expect(await onClipboardAlarm(d.value)).toBe('nothing');
  });

  it('does nothing without the permission to check the clipboard, or for anything but a hash', async () => {
    const denied = deps({ mayRead: false });
    expect(await scheduleClipboardClear(denied.value, await sha256Hex('x'))).toEqual({ scheduled: false });
    const granted = deps({ mayRead: true });
    expect(await scheduleClipboardClear(granted.value, 'AstraCS:not-a-hash')).toEqual({ scheduled: false });
    expect([...denied.alarms, ...granted.alarms]).toEqual([]);
  });
});
