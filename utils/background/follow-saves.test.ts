import { describe, expect, it, vi } from 'vitest';
import { describeSave } from '../downloads/save-outcome-text';
import { createSaveFollower, saveAndFollow } from './follow-saves';
import type { DownloadItemLike } from './watch-downloads';

const nothingYet = { searchDownloads: async (): Promise<DownloadItemLike[]> => [] };

describe('following a save to its end', () => {
  it('answers "saved" with the name the browser gave the file, not the path', async () => {
    const saves = createSaveFollower(nothingYet);
    const outcome = saves.outcomeOf(7, 'secure-connect-orders.zip');
    saves.onChanged({ id: 7, filename: { current: 'C:\\Users\\ada\\Downloads\\secure-connect-orders (1).zip' } });
    saves.onChanged({ id: 8, state: { current: 'complete' } });
    saves.onChanged({ id: 7, state: { current: 'complete', previous: 'in_progress' } });
    expect(await outcome).toEqual({ state: 'saved', fileName: 'secure-connect-orders (1).zip' });
    expect(describeSave(await outcome)).toBe('Saved secure-connect-orders (1).zip to your downloads.');
  });

  it('knows a small file that finished before anyone asked', async () => {
    const saves = createSaveFollower(nothingYet);
    saves.onChanged({ id: 3, state: { current: 'complete' } });
    expect(await saves.outcomeOf(3, 'token.json')).toEqual({ state: 'saved', fileName: 'token.json' });
  });

  it('says a cancelled Save As was cancelled, and other failures with their reason', async () => {
    const saves = createSaveFollower(nothingYet);
    const cancelled = saves.outcomeOf(1, 'a.zip');
    const failed = saves.outcomeOf(2, 'b.zip');
    saves.onChanged({ id: 1, state: { current: 'interrupted' }, error: { current: 'USER_CANCELED' } });
    saves.onChanged({ id: 2, state: { current: 'interrupted' }, error: { current: 'FILE_NO_SPACE' } });
    expect(describeSave(await cancelled)).toBe('Saving was cancelled.');
    expect(describeSave(await failed)).toBe('Saving failed (FILE_NO_SPACE): try again.');
  });

  it('reads back an ending it did not hear (the worker slept through it)', async () => {
    const saves = createSaveFollower({ searchDownloads: async ({ id }) => [{ id, url: 'blob:x', state: 'complete', filename: '/home/ada/Downloads/kit.zip' }] });
    expect(await saves.outcomeOf(9, 'fallback.zip')).toEqual({ state: 'saved', fileName: 'kit.zip' });
  });

  it('stops waiting after the timeout and says the save started', async () => {
    vi.useFakeTimers();
    try {
      const saves = createSaveFollower({ searchDownloads: async ({ id }) => [{ id, url: 'blob:x', state: 'in_progress' }] });
      const outcome = saves.outcomeOf(4, 'a.zip', 1000);
      await vi.advanceTimersByTimeAsync(1001);
      expect(describeSave(await outcome)).toBe('Saving started: see the browser\u2019s downloads.');
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a start the browser refuses into words, not an exception (a Save As cancelled before the download exists)', async () => {
    const saves = createSaveFollower(nothingYet);
    const cancelled = await saveAndFollow(() => Promise.reject(new Error('Download canceled')), saves, 'a.zip');
    expect(describeSave(cancelled)).toBe('Saving was cancelled.');
    const refused = await saveAndFollow(() => Promise.reject(new Error('Invalid filename')), saves, 'a.zip');
    expect(describeSave(refused)).toBe('Saving failed (the browser refused to start the download): try again.');
    const noted: number[] = [];
    const started = saveAndFollow(async () => 5, saves, 'a.zip', async (id) => void noted.push(id));
    saves.onChanged({ id: 5, state: { current: 'complete' } });
    expect(await started).toEqual({ state: 'saved', fileName: 'a.zip' });
    expect(noted).toEqual([5]);
  });
});
