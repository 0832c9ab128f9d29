/** The background's one write of database states: read, merge and put in one transaction (tabs report at once). */
import type { SeenDatabaseStatus } from '../astra/database-status';
import { DATABASE_STATUS_KEY, mergeDatabaseStatuses, type DatabaseStatusMap } from './database-statuses';
import type { CompanionDb } from './schema';

/** True when a status or name changed, so the caller announces it. */
export async function keepDatabaseStatuses(db: CompanionDb, seen: SeenDatabaseStatus[], now: number): Promise<boolean> {
  if (seen.length === 0) return false;
  const tx = db.transaction('kv', 'readwrite');
  const stored = await tx.store.get(DATABASE_STATUS_KEY);
  const { next, changed } = mergeDatabaseStatuses(stored && typeof stored === 'object' ? (stored as DatabaseStatusMap) : {}, seen, now);
  if (changed) await tx.store.put(next, DATABASE_STATUS_KEY);
  await tx.done;
  return changed;
}
