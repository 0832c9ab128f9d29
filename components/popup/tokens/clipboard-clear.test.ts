import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIPBOARD_CLEAR_MS, copyThenClear } from './clipboard-clear';

const TOKEN = `AstraCS:AbCdEfGhIjKlMnOpQrStUvWx:${'0123456789abcdef'.repeat(4)}`;
const SECRET = 'k9,Vd.Qa-x+_' + 'Z'.repeat(116);

/** The browser's clipboard, in memory: what it holds and every write, in order. */
function fakeClipboard(options: { readable?: boolean; readFails?: boolean; writeFails?: boolean } = {}) {
  const clipboard = {
    value: 'something the user copied earlier',
    writes: [] as string[],
    async writeText(text: string) {
      if (options.writeFails) throw new DOMException('Document is not focused.', 'NotAllowedError');
      clipboard.value = text;
      clipboard.writes.push(text);
    },
    ...(options.readable === false
      ? {}
      : {
          async readText() {
            if (options.readFails) throw new DOMException('Read permission denied.', 'NotAllowedError');
            return clipboard.value;
          },
        }),
  };
  return clipboard;
}

/** The user copying something else (in another app): not through our module. */
const userCopies = (clipboard: { value: string }, text: string) => {
  clipboard.value = text;
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('copyThenClear', () => {
  it('puts the text on the clipboard at once and clears it after 30 seconds', async () => {
    const clipboard = fakeClipboard();
    await copyThenClear(clipboard, TOKEN);
    expect(clipboard.value).toBe(TOKEN);

    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 1);
    expect(clipboard.value).toBe(TOKEN);

    await vi.advanceTimersByTimeAsync(1);
    expect(clipboard.value).toBe('');
    expect(clipboard.writes).toEqual([TOKEN, '']);
  });

  it('leaves the clipboard alone when the user copied something else meanwhile', async () => {
    const clipboard = fakeClipboard();
    await copyThenClear(clipboard, SECRET);
    userCopies(clipboard, 'SELECT * FROM users;');

    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    expect(clipboard.value).toBe('SELECT * FROM users;');
    expect(clipboard.writes).toEqual([SECRET]);
  });

  it('follows the delay it is given', async () => {
    const clipboard = fakeClipboard();
    await copyThenClear(clipboard, SECRET, { delayMs: 5_000 });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(clipboard.value).toBe(SECRET);
    await vi.advanceTimersByTimeAsync(1);
    expect(clipboard.value).toBe('');
  });

  it('uses the timer it is given', async () => {
    const clipboard = fakeClipboard();
    const scheduled: Array<{ callback: () => void; ms: number }> = [];
    await copyThenClear(clipboard, TOKEN, { setTimeout: (callback, ms) => scheduled.push({ callback, ms }) });
    expect(scheduled.map((s) => s.ms)).toEqual([CLIPBOARD_CLEAR_MS]);

    scheduled[0]!.callback();
    await vi.waitFor(() => expect(clipboard.value).toBe(''));
  });

  it('gives a second copy its full delay instead of clearing it early with the first copy\'s timer', async () => {
    const clipboard = fakeClipboard();
    await copyThenClear(clipboard, TOKEN);
    await vi.advanceTimersByTimeAsync(20_000);
    await copyThenClear(clipboard, TOKEN);

    await vi.advanceTimersByTimeAsync(10_000);
    expect(clipboard.value).toBe(TOKEN);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(clipboard.value).toBe('');
  });

  it('clears only the newest of two copies, once, at its own time', async () => {
    const clipboard = fakeClipboard();
    await copyThenClear(clipboard, TOKEN);
    await vi.advanceTimersByTimeAsync(10_000);
    await copyThenClear(clipboard, SECRET);

    await vi.advanceTimersByTimeAsync(20_000);
    expect(clipboard.value).toBe(SECRET);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(clipboard.value).toBe('');
    expect(clipboard.writes).toEqual([TOKEN, SECRET, '']);
  });

  describe('when the clipboard cannot be read', () => {
    it('clears when no other copy went through here since', async () => {
      const clipboard = fakeClipboard({ readable: false });
      await copyThenClear(clipboard, SECRET);
      await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
      expect(clipboard.value).toBe('');
    });

    it('treats a failing readText the same way', async () => {
      const clipboard = fakeClipboard({ readFails: true });
      await copyThenClear(clipboard, SECRET);
      await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
      expect(clipboard.value).toBe('');
    });

    it('does not let an older copy clear a newer one', async () => {
      const clipboard = fakeClipboard({ readable: false });
      await copyThenClear(clipboard, TOKEN);
      await vi.advanceTimersByTimeAsync(15_000);
      await copyThenClear(clipboard, SECRET);

      await vi.advanceTimersByTimeAsync(15_000);
      expect(clipboard.value).toBe(SECRET);
      await vi.advanceTimersByTimeAsync(15_000);
      expect(clipboard.value).toBe('');
    });
  });

  it('rejects when writing fails, and schedules no clearing', async () => {
    const clipboard = fakeClipboard({ writeFails: true });
    await expect(copyThenClear(clipboard, TOKEN)).rejects.toThrow('Document is not focused.');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a failed clearing write stays quiet (a closed popup cannot write)', async () => {
    const clipboard = fakeClipboard();
    await copyThenClear(clipboard, TOKEN);
    clipboard.writeText = async () => {
      throw new DOMException('Document is not focused.', 'NotAllowedError');
    };
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    expect(clipboard.value).toBe(TOKEN);
  });
});
