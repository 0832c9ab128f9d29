/**
 * How a popup list loads (not how its rows look): the first page straight from the store's capture-time index,
 * more pages as the user scrolls, and search or another order through a small in-memory index of summaries
 * (id, sort keys, lower-case text) built in chunks after the first frame. A store of 10,000 records costs the
 * first frame one page.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CompanionDb } from '@/utils/store/schema';
import type { RecordSummary } from '@/utils/store/queries';

export type ListOrder = 'newest' | 'name' | 'expiry';

export interface ListSource<Row> {
  newest(db: CompanionDb, offset: number, limit: number): Promise<Row[]>;
  summaries(db: CompanionDb, after: string | undefined, limit: number): Promise<Array<RecordSummary<Row>>>;
}

export interface ListWindow<Row> {
  /** False until the first page is there. */
  ready: boolean;
  rows: Row[];
  /** Records in the store. */
  total: number;
  /** Records the query matches (the total without a query); null while the index is still being built. */
  matched: number | null;
  hasMore: boolean;
  loadMore(): void;
}

/** Records per chunk while building the index: small enough that each chunk stays well under a frame. */
const SUMMARY_CHUNK = 500;

/**
 * The summaries to show, in order, from summaries already newest first: a keystroke costs one filter over the
 * index (and, for another order, one sort of what matched).
 */
export function orderSummaries<S extends RecordSummary<unknown>>(newestFirst: readonly S[], query: string, order: ListOrder): S[] {
  const matching = query ? newestFirst.filter((s) => s.text.includes(query)) : [...newestFirst];
  if (order === 'name') matching.sort((a, b) => a.name.localeCompare(b.name) || b.capturedAt - a.capturedAt);
  else if (order === 'expiry') matching.sort((a, b) => (b.expiresAt ?? 0) - (a.expiresAt ?? 0) || b.capturedAt - a.capturedAt);
  return matching;
}

/** Every summary, read in chunks by id; each chunk yields to the page so input stays responsive. Newest first. */
async function readAllSummaries<Row>(db: CompanionDb, source: ListSource<Row>, stale: () => boolean): Promise<Array<RecordSummary<Row>> | null> {
  const all: Array<RecordSummary<Row>> = [];
  for (let after: string | undefined; ; ) {
    const chunk = await source.summaries(db, after, SUMMARY_CHUNK);
    if (stale()) return null;
    all.push(...chunk);
    if (chunk.length < SUMMARY_CHUNK) break;
    after = chunk[chunk.length - 1]!.id;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return all.sort((a, b) => b.capturedAt - a.capturedAt || (a.id < b.id ? 1 : -1));
}

/**
 * Runs `work` at once when the user needs the index, else a second after the first frame when the page is idle: a
 * popup opened to copy one link and closed again never reads the whole store.
 */
function whenWanted(now: boolean, work: () => void): () => void {
  if (now) {
    work();
    return () => {};
  }
  let handle: number | undefined;
  const idle = (globalThis as { requestIdleCallback?: (fn: () => void, options: { timeout: number }) => number }).requestIdleCallback;
  const timer = setTimeout(() => {
    if (idle) handle = idle(work, { timeout: 500 });
    else work();
  }, 1000);
  return () => {
    clearTimeout(timer);
    if (handle !== undefined) (globalThis as unknown as { cancelIdleCallback(h: number): void }).cancelIdleCallback(handle);
  };
}

/**
 * One list's window. `version` changes when the store changed (re-read), `query` is lower case and trimmed.
 * The first page comes from the store (`firstPage` rows: what one screen shows); once the index is built, every
 * page, search and order is drawn from memory, with no store round trip per keystroke. Inactive lists read nothing.
 */
export function useListWindow<Row>(
  source: ListSource<Row>,
  db: CompanionDb | null,
  options: { active: boolean; query: string; order: ListOrder; version: number; firstPage: number; pageSize: number; total: number },
): ListWindow<Row> {
  const { active, query, order, version, firstPage, pageSize } = options;
  const [shown, setShown] = useState(firstPage);
  const [page, setPage] = useState({ ready: false, rows: [] as Row[], version: -1 });
  const [index, setIndex] = useState<{ version: number; summaries: Array<RecordSummary<Row>> } | null>(null);
  const indexing = useRef<number | null>(null);
  const byIndex = query !== '' || order !== 'newest';
  const indexCurrent = index !== null && index.version === version;

  // A new query or order starts again at one screen.
  useEffect(() => setShown(firstPage), [query, order, firstPage]);

  // Until the index is current, the newest records come straight from the store's capture-time index. A layout
  // effect: the read starts as soon as the store is open, not a frame later (a plain effect waits for the paint).
  useLayoutEffect(() => {
    if (!db || !active || indexCurrent || byIndex) return;
    let stale = false;
    void source.newest(db, 0, shown).then((rows) => !stale && setPage({ ready: true, rows, version }));
    return () => void (stale = true);
  }, [db, active, indexCurrent, byIndex, shown, version, source]);

  // The index is built after the first page, at once when a search, another order or scrolling needs it, and again
  // after the store changed.
  const wanted = byIndex || shown > firstPage;
  useEffect(() => {
    if (!db || !active || !page.ready || indexing.current === version || indexCurrent) return;
    indexing.current = version;
    let started = false;
    const cancel = whenWanted(wanted, () => {
      started = true;
      void readAllSummaries(db, source, () => indexing.current !== version).then((summaries) => {
        if (!summaries) return;
        setIndex({ version, summaries });
        // The bench starts its keystroke timing here.
        performance.mark('list-index-ready');
      });
    });
    return () => {
      cancel();
      if (!started) indexing.current = null;
    };
  }, [db, active, page.ready, version, indexCurrent, source, wanted]);

  const ordered = useMemo(() => (index ? orderSummaries(index.summaries, query, order) : null), [index, query, order]);
  // A search or another order uses the index even while a newer one is built; plain scrolling waits for the new one.
  const fromIndex = ordered !== null && (byIndex || indexCurrent);
  const rows = useMemo(() => (fromIndex ? ordered!.slice(0, shown).map((s) => s.row) : page.rows), [fromIndex, ordered, shown, page.rows]);
  // The store's count comes after the first frame: until then a full page means there may be more.
  const total = indexCurrent ? index!.summaries.length : Math.max(options.total, page.rows.length + (page.rows.length >= shown ? 1 : 0));
  const matched = fromIndex ? ordered!.length : byIndex ? null : total;
  const hasMore = matched !== null && rows.length < matched;
  const loaded = useRef({ rows: 0, shown });
  loaded.current = { rows: rows.length, shown };
  // One page at a time: a sentinel that stays in view asks again only once the last page has come.
  const loadMore = useCallback(() => {
    if (loaded.current.rows >= loaded.current.shown) setShown(loaded.current.shown + pageSize);
  }, [pageSize]);
  return { ready: page.ready || index !== null, rows, total, matched, hasMore, loadMore };
}
