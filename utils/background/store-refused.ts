/**
 * When the store refuses a capture's final write (a full disk: QuotaExceededError), the record must not stay at
 * "Checking…" and nothing kept may be lost: a kept record stays as it was, a new one is written small (no bytes)
 * with the reason, and a warning says what to do.
 */
import type { BundleProblemRecord, BundleRecord } from '../bundle/types';
import type { CompanionDb } from '../store/schema';
import { putWarning, updateBundle } from '../store/writes';

export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name ?? '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

export function storeRefusedProblem(error: unknown): BundleProblemRecord {
  return isQuotaError(error)
    ? {
        code: 'store-full',
        severity: 'error',
        message: 'The bundle was checked, but the browser refused to store it: its storage for extensions is full.',
        hint: 'Free some disk space (or delete old bundles in the popup), then click Get Bundle again while the link is alive.',
      }
    : {
        code: 'store-failed',
        severity: 'error',
        message: 'The bundle was checked, but the browser refused to store it.',
        hint: 'Click Get Bundle again in the Astra console; if it keeps failing, restart the browser.',
      };
}

/**
 * Records a refused final write as well as the store still allows. Returns what the store holds afterwards (or,
 * when even the small write is refused, the record as it would have been).
 */
export async function recordRefusedWrite(
  db: CompanionDb,
  id: string,
  base: (current: BundleRecord | undefined) => BundleRecord,
  error: unknown,
  now: () => number,
): Promise<BundleRecord> {
  const problem = storeRefusedProblem(error);
  let fallback = base(undefined);
  try {
    const record = await updateBundle(db, id, (current) => {
      fallback = base(current);
      // A record with a kept copy or a verified bundle stays exactly as it was.
      if (current && (current.hasCopy || current.status === 'verified')) return current;
      return { ...fallback, updatedAt: now(), status: 'problem', problems: [problem], hasCopy: false, copySha256: undefined };
    });
    await putWarning(db, {
      id: `store-refused:${id}`,
      createdAt: now(),
      code: problem.code,
      message: `${record.dbName}${record.region ? ` (${record.region})` : ''}: ${problem.message}`,
      hint: problem.hint,
      bundleId: id,
      fileName: record.fileName,
      actions: ['fresh-link'],
    }).catch(() => undefined);
    return record;
  } catch {
    return { ...fallback, status: 'problem', problems: [problem], hasCopy: false };
  }
}
