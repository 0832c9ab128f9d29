/**
 * Follows a download the extension started to its end, so every "Save" ends in a result the person can see
 * ("Saved secure-connect-x.zip", "Saving was cancelled"), in the popup and in console panels alike. Fed by
 * `downloads.onChanged`; a download that ended before anyone asked (small files finish at once) is remembered
 * briefly, and one that ended while the worker slept is read back with `downloads.search`.
 */
import type { SaveOutcome } from '../downloads/types';
import type { DownloadDelta, DownloadItemLike } from './watch-downloads';

/** How long a save is followed before the answer is "started: see the browser's downloads". */
export const FOLLOW_SAVE_MS = 20_000;
const REMEMBERED_ENDINGS = 50;

export interface SaveFollower {
  onChanged(delta: DownloadDelta): void;
  /** Resolves once download `id` completed or failed, or with "started" after `timeoutMs`. */
  outcomeOf(id: number, fallbackName: string, timeoutMs?: number): Promise<SaveOutcome>;
}

type Ending = { state: 'complete' | 'interrupted'; error?: string; filename?: string };

const baseName = (path: string | undefined, fallback: string) => path?.split(/[\\/]/).pop() || fallback;

function outcomeOfEnding(ending: Ending, fallbackName: string): SaveOutcome {
  return ending.state === 'complete' ? { state: 'saved', fileName: baseName(ending.filename, fallbackName) } : { state: 'failed', reason: ending.error || 'interrupted' };
}

export function createSaveFollower(deps: { searchDownloads(query: { id: number }): Promise<DownloadItemLike[]> }): SaveFollower {
  const waiting = new Map<number, Array<(ending: Ending) => void>>();
  const ended = new Map<number, Ending>();
  const names = new Map<number, string>();

  function end(id: number, ending: Ending) {
    ended.set(id, ending);
    if (ended.size > REMEMBERED_ENDINGS) ended.delete(ended.keys().next().value as number);
    for (const resolve of waiting.get(id) ?? []) resolve(ending);
    waiting.delete(id);
    names.delete(id);
  }

  return {
    onChanged(delta) {
      if (delta.filename?.current) names.set(delta.id, delta.filename.current);
      const state = delta.state?.current;
      if (state === 'complete' || state === 'interrupted') end(delta.id, { state, error: delta.error?.current, filename: names.get(delta.id) });
    },
    outcomeOf(id, fallbackName, timeoutMs = FOLLOW_SAVE_MS) {
      const known = ended.get(id);
      if (known) return Promise.resolve(outcomeOfEnding(known, fallbackName));
      return new Promise<SaveOutcome>((resolve) => {
        let settled = false;
        const settle = (outcome: SaveOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(outcome);
        };
        const timer = setTimeout(() => settle({ state: 'started' }), timeoutMs);
        waiting.set(id, [...(waiting.get(id) ?? []), (ending) => settle(outcomeOfEnding(ending, fallbackName))]);
        // An ending that came before this listener (or while the worker slept) is in the download manager.
        void deps.searchDownloads({ id }).then(
          ([item]) => {
            if (item?.state === 'complete' || item?.state === 'interrupted') settle(outcomeOfEnding({ state: item.state, error: item.error, filename: item.filename }, fallbackName));
          },
          () => undefined,
        );
      });
    },
  };
}

/**
 * Starts a save and follows it: how it ended. A start the browser refuses is an outcome too (a Save As dialog
 * cancelled before the download exists rejects in some browsers), never an exception for the caller.
 */
export async function saveAndFollow(
  start: () => Promise<number>,
  follower: Pick<SaveFollower, 'outcomeOf'>,
  fileName: string,
  onStarted?: (downloadId: number) => Promise<unknown>,
): Promise<SaveOutcome> {
  let id: number;
  try {
    id = await start();
  } catch (error) {
    return /cancel/i.test(String((error as Error | undefined)?.message ?? error)) ? { state: 'failed', reason: 'USER_CANCELED' } : { state: 'failed', reason: 'the browser refused to start the download' };
  }
  await onStarted?.(id).catch(() => undefined);
  return follower.outcomeOf(id, fileName);
}
