/**
 * Is this token the one we kept? A record keeps SHA-256 of its whole token (not secret: the token's own hash part
 * already stands for the secret), so the question is answered while the vault is locked. The console never issues
 * two tokens for one client id, so a different token under a known client id is a conflict, never a replacement,
 * and a secret joins a record only when it hashes to that very token.
 */
import { sha256Hex } from './token';
import type { TokenRecord } from './types';

export async function tokenFingerprint(token: string): Promise<string> {
  return sha256Hex(token);
}

export type TokenConflictReason = 'different-token' | 'secret-mismatch' | 'unverifiable';

export interface TokenMergeDecision {
  /** 'add': no record yet; 'join-secret': the record gains the matching secret; 'keep': the record stays as it is. */
  record: 'add' | 'join-secret' | 'keep';
  /** Set when the capture brought something that must be kept apart and shown. */
  conflict?: TokenConflictReason;
}

export interface IncomingToken {
  tokenSha256: string;
  secretCheck: TokenRecord['secretCheck'];
}

/** `currentSha256` is the kept record's fingerprint, or undefined when it could not be learned (an old record, locked vault). */
export function decideTokenMerge(current: Pick<TokenRecord, 'secretCheck'> | undefined, currentSha256: string | undefined, incoming: IncomingToken): TokenMergeDecision {
  const mismatch = incoming.secretCheck === 'mismatch' ? { conflict: 'secret-mismatch' as const } : {};
  if (!current) return { record: 'add', ...mismatch };
  if (currentSha256 === undefined) return { record: 'keep', conflict: 'unverifiable' };
  if (currentSha256 !== incoming.tokenSha256) return { record: 'keep', conflict: 'different-token' };
  if (incoming.secretCheck === 'match' && current.secretCheck !== 'match') return { record: 'join-secret' };
  return { record: 'keep', ...mismatch };
}
