/**
 * One-time ids for handing an import file to the background (utils/protocol/file-handover.ts). Issued only to the
 * extension's own pages ('import-begin' is routed from 'extension' only), each good for one 'import-store', for a
 * minute: a file on the channel is taken only under an id this worker issued.
 */
const LIFETIME_MS = 60_000;
/** More waiting ids than this means pages that never finished: the oldest go. */
const MAX_WAITING = 8;

const issued = new Map<string, number>();

export function issueHandoverId(now: number): string {
  for (const [id, expires] of issued) if (expires <= now || issued.size >= MAX_WAITING) issued.delete(id);
  const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  issued.set(id, now + LIFETIME_MS);
  return id;
}

/** True once for an id issued less than a minute ago; the id is gone after. */
export function takeHandoverId(id: unknown, now: number): id is string {
  if (typeof id !== 'string') return false;
  const expires = issued.get(id);
  issued.delete(id);
  return expires !== undefined && expires > now;
}
