import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type CompanionDb } from '@/utils/store/schema';
import type { WarningRecord } from '@/utils/downloads/types';
import { countBundles, countTokens, listWarnings } from '@/utils/store/queries';

export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(listener: (message: unknown) => void): void;
    removeListener(listener: (message: unknown) => void): void;
  };
}

export interface StoreData {
  loading: boolean;
  /** Counted by the store after the first frame (a count walks every entry); until then the last counts seen. */
  bundleCount: number;
  tokenCount: number;
  warnings: WarningRecord[];
  db: CompanionDb | null;
  /** Goes up each time the store changed: lists re-read their window. */
  version: number;
  refresh(): Promise<void>;
}

/** Counts and warnings; lists load their own window (use-list-window.ts). Reloads when the background says something changed. */
export function useStoreData(openDb: () => Promise<CompanionDb>, runtime: RuntimeLike): StoreData {
  const [state, setState] = useState(() => ({ loading: true, ...lastCounts(), warnings: [] as WarningRecord[], version: 0, db: null as CompanionDb | null }));
  const dbRef = useRef<CompanionDb | null>(null);

  const refresh = useCallback(async () => {
    const db = (dbRef.current ??= await openDb());
    const warnings = await listWarnings(db);
    setState((current) => ({ ...current, loading: false, warnings, version: current.version + 1, db }));
    // Counting 10,000 records takes the browser a while: the first frame does not wait for it.
    const [bundleCount, tokenCount] = await Promise.all([countBundles(db), countTokens(db)]);
    setState((current) => ({ ...current, bundleCount, tokenCount }));
    rememberCounts({ bundleCount, tokenCount });
  }, [openDb]);

  // A layout effect: the reads start right after the first render, not a frame later.
  useLayoutEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    // A capture changes the store many times in a burst (each bundle: checking, then verified): one reload per burst.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onMessage = (message: unknown) => {
      if ((message as { type?: string } | null)?.type !== 'store-changed') return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 50);
    };
    runtime.onMessage.addListener(onMessage);
    return () => {
      clearTimeout(timer);
      runtime.onMessage.removeListener(onMessage);
    };
  }, [refresh, runtime]);

  return { ...state, refresh };
}

const COUNTS_KEY = 'astra-companion-counts';

/** The counts the popup showed last time (page-local, no secret): the tabs show them at once, corrected a moment later. */
function lastCounts(): { bundleCount: number; tokenCount: number } {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(COUNTS_KEY) ?? 'null') as { bundleCount?: unknown; tokenCount?: unknown } | null;
    if (typeof saved?.bundleCount === 'number' && typeof saved.tokenCount === 'number') return { bundleCount: saved.bundleCount, tokenCount: saved.tokenCount };
  } catch {
    // no storage, or something else in it: start from zero
  }
  return { bundleCount: 0, tokenCount: 0 };
}

function rememberCounts(counts: { bundleCount: number; tokenCount: number }): void {
  try {
    globalThis.localStorage?.setItem(COUNTS_KEY, JSON.stringify(counts));
  } catch {
    // the counts are only a head start
  }
}

/** The current time, ticking every second while `active`; countdowns need nothing more. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
