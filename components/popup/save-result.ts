/**
 * "Saving…" must end in a result the person can see: follow the download the background starts for a save
 * (the first one created after the request) to "Saved" or to why it failed.
 */
export interface DownloadsEvents {
  onCreated: { addListener(fn: (item: { id: number }) => void): void; removeListener(fn: (item: { id: number }) => void): void };
  onChanged: {
    addListener(fn: (delta: DownloadDelta) => void): void;
    removeListener(fn: (delta: DownloadDelta) => void): void;
  };
}

interface DownloadDelta {
  id: number;
  state?: { current?: string };
  error?: { current?: string };
  filename?: { current?: string };
}

export type SaveOutcome = { state: 'saved'; fileName: string } | { state: 'failed'; reason: string } | { state: 'started' };

/** Runs `start` and resolves once the download it caused completed or failed (or `timeoutMs` passed). */
export function followSave(downloads: DownloadsEvents | undefined, start: () => Promise<boolean>, fallbackName: string, timeoutMs = 20_000): Promise<SaveOutcome | null> {
  if (!downloads) return start().then((ok) => (ok ? { state: 'started' } : null));
  return new Promise((resolve) => {
    let id: number | undefined;
    let name = fallbackName;
    const finish = (outcome: SaveOutcome | null) => {
      downloads.onCreated.removeListener(created);
      downloads.onChanged.removeListener(changed);
      clearTimeout(timer);
      resolve(outcome);
    };
    const created = (item: { id: number }) => {
      id ??= item.id;
    };
    const changed = (delta: DownloadDelta) => {
      if (delta.id !== id) return;
      if (delta.filename?.current) name = delta.filename.current.split(/[\\/]/).pop() || name;
      if (delta.state?.current === 'complete') finish({ state: 'saved', fileName: name });
      if (delta.state?.current === 'interrupted') finish({ state: 'failed', reason: delta.error?.current ?? 'interrupted' });
    };
    const timer = setTimeout(() => finish({ state: 'started' }), timeoutMs);
    downloads.onCreated.addListener(created);
    downloads.onChanged.addListener(changed);
    start().then(
      (ok) => ok || finish(null),
      () => finish(null),
    );
  });
}

export function describeSave(outcome: SaveOutcome): string {
  if (outcome.state === 'saved') return `Saved ${outcome.fileName} to your downloads.`;
  if (outcome.state === 'failed') return outcome.reason === 'USER_CANCELED' ? 'Saving was cancelled.' : `Saving failed (${outcome.reason}): try again.`;
  return 'Saving started: see the browser\u2019s downloads.';
}
