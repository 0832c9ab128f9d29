/**
 * Captures that disagree with a kept token are kept apart, sealed, and shown as one warning per client id: never
 * merged into the record, never dropped without a word. A page can forge these, so both are bounded.
 */
import type { CompanionDb } from '../store/schema';
import { putWarningIn } from '../store/writes';
import type { TokenConflictReason } from '../token/token-identity';
import type { WarningRecord } from '../downloads/types';

export const TOKEN_CONFLICTS_KEY = 'token-conflicts';
/** Enough to show a user what happened; a page forging more only bumps the counts. */
export const MAX_KEPT_CONFLICTS = 50;

export interface TokenConflict {
  clientId: string;
  /** Fingerprint of what the capture brought (token, and secret when there was one): repeats are counted once. */
  captureSha256: string;
  reason: TokenConflictReason;
  maskedToken: string;
  /** The capture, sealed by the vault like any token. */
  sealed: unknown;
  seenAt: number;
  source: string;
  page: string;
}

const WORDS: Record<TokenConflictReason, (masked: string) => { message: string; hint: string }> = {
  'different-token': (masked) => ({
    message: `A different token was reported for the client id of ${masked}. The kept token was not replaced.`,
    hint: 'The console never issues two tokens for one client id: if you did not just do something unusual, a script on the console page may be forging captures. The report is kept apart, sealed like your tokens.',
  }),
  'secret-mismatch': (masked) => ({
    message: `A client secret was reported for ${masked} that does not belong to it. It was not saved with the token.`,
    hint: 'A token holds the SHA-256 of its secret, and this one does not match: it was probably mis-read or forged. Copy the secret from the console again if you need it.',
  }),
  unverifiable: (masked) => ({
    message: `A token was reported for the client id of ${masked}, which was kept before Astra Companion recorded token fingerprints. It was kept apart.`,
    hint: 'Unlock the vault and the next sighting of the same token is recognised. Nothing kept was changed.',
  }),
};

export function conflictWarningId(clientId: string): string {
  return `token-conflict:${clientId}`;
}

/** Returns true when the conflict is new (not a repeat of one already kept). */
export async function keepTokenConflict(db: CompanionDb, conflict: TokenConflict): Promise<boolean> {
  const tx = db.transaction(['kv', 'warnings', 'counts'], 'readwrite');
  const kv = tx.objectStore('kv');
  const kept = ((await kv.get(TOKEN_CONFLICTS_KEY)) as TokenConflict[] | undefined) ?? [];
  const repeat = kept.some((c) => c.clientId === conflict.clientId && c.captureSha256 === conflict.captureSha256);
  if (!repeat) {
    const next = [...kept, conflict].slice(-MAX_KEPT_CONFLICTS);
    await kv.put(next, TOKEN_CONFLICTS_KEY);
    const count = next.filter((c) => c.clientId === conflict.clientId).length;
    const words = WORDS[conflict.reason](conflict.maskedToken);
    const warning: WarningRecord = {
      id: conflictWarningId(conflict.clientId),
      createdAt: conflict.seenAt,
      code: `token-${conflict.reason}`,
      message: count > 1 ? `${words.message} (${count} such reports.)` : words.message,
      hint: words.hint,
      actions: [],
    };
    await putWarningIn(tx, warning);
  }
  await tx.done;
  return !repeat;
}

export async function listTokenConflicts(db: CompanionDb): Promise<TokenConflict[]> {
  return ((await db.get('kv', TOKEN_CONFLICTS_KEY)) as TokenConflict[] | undefined) ?? [];
}
