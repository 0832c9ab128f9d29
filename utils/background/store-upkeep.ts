/**
 * What the background tidies when it starts: outbox files an export left that the popup never saved (it closed, or
 * the save failed), at once; then, once the worker is idle, the counters the popup draws compared with real counts
 * (at most once a day: counting walks every entry), repaired and announced if they had drifted.
 */
import type { StoreArea } from '../protocol/messages';
import type { StoreCounts } from '../store/counts';
import type { CompanionDb } from '../store/schema';
import { deleteStaleOutboxFiles, reconcileCounts } from '../store/writes';

/** An export is saved seconds after it is made; one older than this was never saved. */
export const OUTBOX_STALE_MS = 5 * 60_000;
/** Long enough after a start that the popup that woke the worker has drawn. */
export const UPKEEP_IDLE_MS = 10_000;
export const COUNTS_CHECK_EVERY_MS = 24 * 3600_000;

export interface UpkeepDeps {
  db(): Promise<CompanionDb>;
  now(): number;
  wait(ms: number): Promise<void>;
  announce(what: StoreArea): void;
}

export async function upkeepAtStart(deps: UpkeepDeps): Promise<{ staleOutbox: string[]; repairedCounts?: StoreCounts }> {
  const db = await deps.db();
  const staleOutbox = await deleteStaleOutboxFiles(db, deps.now() - OUTBOX_STALE_MS).catch(() => []);
  await deps.wait(UPKEEP_IDLE_MS);
  const repairedCounts = await reconcileCounts(db, deps.now(), COUNTS_CHECK_EVERY_MS);
  if (repairedCounts) deps.announce('bundles');
  return { staleOutbox, ...(repairedCounts ? { repairedCounts } : {}) };
}
