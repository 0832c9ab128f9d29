import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type CompanionDb } from '@/utils/store/schema';
import type { BundleRecord } from '@/utils/bundle/types';
import type { TokenRecord } from '@/utils/token/types';
import type { WarningRecord } from '@/utils/downloads/types';
import { listBundles, listTokens, listWarnings } from '@/utils/store/queries';

export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
  onMessage: {
    addListener(listener: (message: unknown) => void): void;
    removeListener(listener: (message: unknown) => void): void;
  };
}

export interface StoreData {
  loading: boolean;
  bundles: BundleRecord[];
  /** Loaded only with `withTokens`; `tokenCount` is always there. */
  tokens: TokenRecord[];
  tokenCount: number;
  warnings: WarningRecord[];
  db: CompanionDb | null;
  refresh(): Promise<void>;
}

/** Loads the store, and reloads it whenever the background says something changed. */
export function useStoreData(openDb: () => Promise<CompanionDb>, runtime: RuntimeLike, options: { withTokens: boolean }): StoreData {
  const [state, setState] = useState({ loading: true, bundles: [] as BundleRecord[], tokens: [] as TokenRecord[], tokenCount: 0, warnings: [] as WarningRecord[] });
  const dbRef = useRef<CompanionDb | null>(null);

  // Token records are read only once a view needs them; the first frame needs just their count.
  const refresh = useCallback(async () => {
    const db = (dbRef.current ??= await openDb());
    const [bundles, tokens, tokenCount, warnings] = await Promise.all([
      listBundles(db),
      options.withTokens ? listTokens(db) : Promise.resolve([]),
      db.count('tokens'),
      listWarnings(db),
    ]);
    // Every list comes in one state update: one render, no layout jump between lists.
    setState({ loading: false, bundles, tokens, tokenCount, warnings });
  }, [openDb, options.withTokens]);

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

  return { ...state, db: dbRef.current, refresh };
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
