/**
 * What the popup counts, kept as counters next to the records: counting an IndexedDB store walks every entry
 * (Chromium, 10,000 records: 0.06 to 2 s), reading one counter is one get. Every write that adds or removes a
 * bundle, token or warning changes the counters in its own transaction (writes.ts); the background compares them
 * with real counts when idle (reconcileCounts), and `writes-counts.test.ts` drives every write path against `count`.
 */
import type { IDBPTransaction } from 'idb';
import type { WarningRecord } from '../downloads/types';

export interface StoreCounts {
  bundles: number;
  /** Regular (external) bundles: the cards the Bundles tab shows; the other kinds fold under "N more". */
  shownBundles: number;
  tokens: number;
  warnings: number;
  /** Warnings not dismissed: the Warnings tab's number. */
  openWarnings: number;
}

/** The counters' key in the `counts` object store. */
export const COUNTS_KEY = 'all';
/** When the background last compared the counters with real counts (a number, same store). */
export const CHECKED_KEY = 'checked-at';

export const NO_COUNTS: StoreCounts = { bundles: 0, shownBundles: 0, tokens: 0, warnings: 0, openWarnings: 0 };

/** A bundle's id ends with its kind (schema's bundleIdOf): the key alone says whether it is shown. */
export function isShownBundleId(id: IDBValidKey): boolean {
  return String(id).endsWith('|external');
}

/** What a change adds to the counters (negative when it removes), one record at a time. */
export class CountChanges {
  readonly delta: StoreCounts = { ...NO_COUNTS };

  bundle(id: IDBValidKey, existed: boolean, exists: boolean): this {
    const by = Number(exists) - Number(existed);
    this.delta.bundles += by;
    if (isShownBundleId(id)) this.delta.shownBundles += by;
    return this;
  }

  token(existed: boolean, exists: boolean): this {
    this.delta.tokens += Number(exists) - Number(existed);
    return this;
  }

  warning(before: WarningRecord | undefined, after: WarningRecord | undefined): this {
    this.delta.warnings += Number(after !== undefined) - Number(before !== undefined);
    this.delta.openWarnings += Number(after !== undefined && !after.dismissed) - Number(before !== undefined && !before.dismissed);
    return this;
  }

  get changed(): boolean {
    return Object.values(this.delta).some((n) => n !== 0);
  }
}

export function addCounts(a: StoreCounts, b: StoreCounts): StoreCounts {
  return {
    bundles: a.bundles + b.bundles,
    shownBundles: a.shownBundles + b.shownBundles,
    tokens: a.tokens + b.tokens,
    warnings: a.warnings + b.warnings,
    openWarnings: a.openWarnings + b.openWarnings,
  };
}

/** A stored value as counters: anything else (missing, damaged) counts as none, and reconcileCounts repairs it. */
export function asCounts(value: unknown): StoreCounts | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(NO_COUNTS) as Array<keyof StoreCounts>;
  return keys.every((k) => typeof v[k] === 'number' && Number.isInteger(v[k]) && (v[k] as number) >= 0)
    ? (Object.fromEntries(keys.map((k) => [k, v[k]])) as unknown as StoreCounts)
    : undefined;
}

/** A transaction over at least the stores counted (bundles, tokens, warnings); loosely typed so any scope fits. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CountingTx = IDBPTransaction<any, any, IDBTransactionMode>;

/**
 * The real counts, in the transaction given: walks every entry (keys only for bundles, warnings in full: few, and
 * which are open is in the record). For the upgrade and the background's idle check, never for drawing.
 */
export async function countEverything(tx: CountingTx): Promise<StoreCounts> {
  const [bundleKeys, tokens, warnings] = await Promise.all([
    tx.objectStore('bundles').getAllKeys() as Promise<IDBValidKey[]>,
    tx.objectStore('tokens').count() as Promise<number>,
    tx.objectStore('warnings').getAll() as Promise<WarningRecord[]>,
  ]);
  return {
    bundles: bundleKeys.length,
    shownBundles: bundleKeys.filter(isShownBundleId).length,
    tokens,
    warnings: warnings.length,
    openWarnings: warnings.filter((w) => !w.dismissed).length,
  };
}
