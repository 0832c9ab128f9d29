import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { listBundles, listTokens, listWarnings, type BundleRecord, type CompanionDb, type TokenRecord, type WarningRecord } from '@/utils/store';

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
  tokens: TokenRecord[];
  warnings: WarningRecord[];
  db: CompanionDb | null;
  refresh(): Promise<void>;
}

/** Loads the store, and reloads it whenever the background says something changed. */
export function useStoreData(openDb: () => Promise<CompanionDb>, runtime: RuntimeLike): StoreData {
  const [state, setState] = useState({ loading: true, bundles: [] as BundleRecord[], tokens: [] as TokenRecord[], warnings: [] as WarningRecord[] });
  const dbRef = useRef<CompanionDb | null>(null);

  const refresh = useCallback(async () => {
    const db = (dbRef.current ??= await openDb());
    const [bundles, tokens, warnings] = await Promise.all([listBundles(db), listTokens(db), listWarnings(db)]);
    setState({ loading: false, bundles, tokens, warnings });
  }, [openDb]);

  useEffect(() => {
    void refresh();
    const onMessage = (message: unknown) => {
      if ((message as { type?: string } | null)?.type === 'store-changed') void refresh();
    };
    runtime.onMessage.addListener(onMessage);
    return () => runtime.onMessage.removeListener(onMessage);
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
