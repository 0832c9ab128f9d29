/**
 * How an imported record meets a kept one. Bundles: a verified record (or one with a kept copy) gives way only to a
 * newer record whose copy passed the checker here; otherwise the newer record wins. Tokens: the same client id with
 * a different token is never merged (the caller refuses it); the same token takes the newer metadata and the better
 * secret (only a matching secret is ever kept).
 */
import { canonicalJson, exportableRecord, tokenMetadata } from './export-store';
import type { BundleFile } from '../store/schema';
import type { BundleRecord } from '../bundle/types';
import type { TokenRecord } from '../token/types';
import { dropUndefined } from './validate-records';

export interface IncomingBundle {
  record: BundleRecord;
  file?: BundleFile;
}

const COPY_FIELDS = ['hasCopy', 'copySha256', 'facts', 'size', 'sha256', 'entryCount', 'certNotAfter'] as const;

function copyOf(record: BundleRecord): Partial<BundleRecord> {
  return Object.fromEntries(COPY_FIELDS.map((key) => [key, record[key]]));
}

/**
 * A verified record (or one with a kept copy) is left as it is unless the incoming one brings a copy that passed the
 * checker here. Otherwise the newer record wins (by `updatedAt`; a tie keeps ours), and a kept copy is never traded
 * for none: when the winner has no copy and the other has, the copy and its facts stay. Undefined means "skip".
 */
export function mergeBundle(current: BundleRecord, incoming: IncomingBundle): { record: BundleRecord; file?: BundleFile } | undefined {
  // What the user acts on in a verified record changes only for a copy that passed the checker here.
  const currentProtected = current.hasCopy || current.status === 'verified';
  const incomingVerified = incoming.record.status === 'verified' && incoming.record.hasCopy && incoming.file !== undefined;
  if (currentProtected && !incomingVerified) return undefined;
  const incomingNewer = incoming.record.updatedAt > current.updatedAt;
  let record = incomingNewer ? incoming.record : current;
  let file = incomingNewer ? incoming.file : undefined;
  if (incomingNewer && !incoming.record.hasCopy && current.hasCopy) {
    record = { ...record, ...copyOf(current) };
    file = undefined;
  } else if (!incomingNewer && !current.hasCopy && incoming.record.hasCopy) {
    record = { ...current, ...copyOf(incoming.record) };
    file = incoming.file;
  }
  if (canonicalJson(exportableRecord(record)) === canonicalJson(exportableRecord(current))) return undefined;
  return { record: dropUndefined(record), file };
}

const SECRET_RANK: Record<TokenRecord['secretCheck'], number> = { match: 2, mismatch: 1, 'no-secret': 0 };

/**
 * Same client id, so the same token. The newer capture (by `capturedAt`; a tie keeps ours) gives the metadata,
 * with empty fields filled from the other; the secret comes from whichever is better (a match beats a mismatch
 * beats none; a tie keeps ours). Undefined means "identical: skip".
 */
export function mergeToken(current: TokenRecord, incoming: TokenRecord): TokenRecord | undefined {
  const incomingNewer = incoming.capturedAt > current.capturedAt;
  const base = incomingNewer ? incoming : current;
  const other = incomingNewer ? current : incoming;
  const secretFrom = SECRET_RANK[incoming.secretCheck] > SECRET_RANK[current.secretCheck] ? incoming : current;
  const merged: TokenRecord = dropUndefined({
    ...base,
    role: base.role ?? other.role,
    orgId: base.orgId ?? other.orgId,
    generatedOn: base.generatedOn ?? other.generatedOn,
    label: base.label ?? other.label,
    sealed: secretFrom.sealed,
    hasSecret: secretFrom.hasSecret,
    secretCheck: secretFrom.secretCheck,
  });
  const same = secretFrom === current && canonicalJson(tokenMetadata(merged)) === canonicalJson(tokenMetadata(current));
  return same ? undefined : merged;
}
