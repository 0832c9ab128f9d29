/**
 * The databases' states learned from the console's responses: one kv entry, a map from database id to its last
 * seen status. Bounded: at most MAX_DATABASE_STATUSES ids, the oldest sightings dropped first. Read here (the
 * popup may read), written only by the background (writes-database-status.ts).
 */
import type { DatabaseStatus, SeenDatabaseStatus } from '../astra/database-status';
import type { CompanionDb } from './schema';

export const DATABASE_STATUS_KEY = 'database-status';
export const MAX_DATABASE_STATUSES = 2_000;

export interface KeptDatabaseStatus {
  status: DatabaseStatus;
  name?: string;
  seenAt: number;
}

export type DatabaseStatusMap = Record<string, KeptDatabaseStatus>;

export async function readDatabaseStatuses(db: CompanionDb): Promise<DatabaseStatusMap> {
  const value = await db.get('kv', DATABASE_STATUS_KEY);
  return value && typeof value === 'object' ? (value as DatabaseStatusMap) : {};
}

/**
 * The map after a sighting: newest wins, and only a change of status or name counts as a change (a console that
 * polls every few seconds must not make the background write and announce every time).
 */
export function mergeDatabaseStatuses(
  current: DatabaseStatusMap,
  seen: SeenDatabaseStatus[],
  now: number,
  max = MAX_DATABASE_STATUSES,
): { next: DatabaseStatusMap; changed: boolean } {
  const next: DatabaseStatusMap = { ...current };
  let changed = false;
  for (const sighting of seen) {
    const before = next[sighting.dbId];
    if (before && before.seenAt > now) continue;
    const name = sighting.name ?? before?.name;
    if (!before || before.status !== sighting.status || before.name !== name) changed = true;
    next[sighting.dbId] = { status: sighting.status, ...(name ? { name } : {}), seenAt: now };
  }
  const ids = Object.keys(next);
  if (ids.length > max) {
    ids.sort((a, b) => next[a]!.seenAt - next[b]!.seenAt);
    for (const id of ids.slice(0, ids.length - max)) delete next[id];
    changed = true;
  }
  return { next, changed };
}
