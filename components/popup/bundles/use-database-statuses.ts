import { useEffect, useState } from 'preact/hooks';
import { readDatabaseStatuses, type DatabaseStatusMap } from '@/utils/store/database-statuses';
import type { CompanionDb } from '@/utils/store/schema';

/** The databases' states the background learned, read again whenever the store changed (`version`). */
export function useDatabaseStatuses(db: CompanionDb | null, version: number): DatabaseStatusMap {
  const [statuses, setStatuses] = useState<DatabaseStatusMap>({});
  useEffect(() => {
    if (!db) return;
    let current = true;
    void readDatabaseStatuses(db)
      .then((next) => current && setStatuses(next))
      .catch(() => {});
    return () => {
      current = false;
    };
  }, [db, version]);
  return statuses;
}
