import { useEffect, useState } from 'preact/hooks';
import type { CompanionDb } from '@/utils/store/schema';

/**
 * The Bundles tab counts the cards it shows: regular (external) bundles. VPC-peering and migration-proxy bundles are
 * folded under "N more", so they are not counted. Read from the keys alone (an id ends with its kind), no record.
 */
export async function countShownBundles(db: CompanionDb): Promise<number> {
  // One request for every key: a cursor would be one round trip per record (10,000 of them in a long history).
  return (await db.getAllKeys('bundles')).filter((key) => String(key).endsWith('|external')).length;
}

export function useShownBundleCount(db: CompanionDb | null, version: number, fallback: number): number {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!db) return;
    let current = true;
    void countShownBundles(db).then((n) => current && setCount(n), () => undefined);
    return () => {
      current = false;
    };
  }, [db, version]);
  return count ?? fallback;
}
