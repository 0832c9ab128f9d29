import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type CompanionDb } from '@/utils/store/schema';
import type { WarningRecord } from '@/utils/downloads/types';
import { listWarnings, readCounts, type StoreCounts } from '@/utils/store/queries';

export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(listener: (message: unknown) => void): void;
    removeListener(listener: (message: unknown) => void): void;
  };
}

export interface StoreData {
  loading: boolean;
  /** From the store's counters (one read, before the first frame); nothing is counted to draw. */
  bundleCount: number;
  tokenCount: number;
  counts: StoreCounts;
  /** Read after the first frame (the tabs' numbers come from the counters). */
  warnings: WarningRecord[];
  warningsLoaded: boolean;
  db: CompanionDb | null;
  /** Goes up each time the store changed: lists re-read their window. */
  version: number;
  refresh(): Promise<void>;
}

const NONE: StoreCounts = { bundles: 0, shownBundles: 0, tokens: 0, warnings: 0, openWarnings: 0 };

/** Counters and warnings; lists load their own window (use-list-window.ts). Reloads when the background says something changed. */
export function useStoreData(openDb: () => Promise<CompanionDb>, runtime: RuntimeLike): StoreData {
  const [state, setState] = useState(() => ({
    loading: true,
    counts: NONE,
    bundleCount: 0,
    tokenCount: 0,
    warnings: [] as WarningRecord[],
    warningsLoaded: false,
    version: 0,
    db: null as CompanionDb | null,
  }));
  const dbRef = useRef<CompanionDb | null>(null);

  const refresh = useCallback(async () => {
    const db = (dbRef.current ??= await openDb());
    const counts = await readCounts(db);
    setState((current) => ({ ...current, loading: false, counts, bundleCount: counts.bundles, tokenCount: counts.tokens, version: current.version + 1, db }));
    // The Warnings tab's list: not needed for the first frame, whose numbers come from the counters.
    const warnings = await listWarnings(db);
    setState((current) => ({ ...current, warnings, warningsLoaded: true }));
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
