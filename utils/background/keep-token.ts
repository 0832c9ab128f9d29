/**
 * From a captured token to a kept, encrypted record. Validates the token's format; when a secret
 * comes with it, checks sha256(secret) against the token's hash part. The token and the secret go into the vault
 * sealed; the record holds only masked values and the token's fingerprint. The same token seen again (network,
 * dialog, downloaded file) updates one record, never a second. A capture never replaces a different token under the
 * same client id, and a secret joins only the token it hashes to: anything else is kept apart as a conflict.
 */
import type { CapturedToken } from '../protocol/messages';
import { isSecret, maskToken, parseToken, sha256Hex, verifyTokenSecret } from '../token/token';
import { decideTokenMerge, tokenFingerprint, type TokenMergeDecision } from '../token/token-identity';
import { getToken } from '../store/queries';
import { isRoleId } from '../token/find-role-names';
import { keepTokenConflict } from './token-conflicts';
import { type CompanionDb } from '../store/schema';
import type { Vault } from '../vault/vault';
import type { TokenRecord } from '../token/types';
import { updateToken } from '../store/writes';

export interface KeepTokenDeps {
  db: CompanionDb;
  vault: Vault;
  now: () => number;
  /** Token APIs name roles by id; the console shows (and its CSV holds) the name, learned from its responses. */
  roleName?: (id: string) => Promise<string | undefined>;
}

export interface SealedToken {
  token: string;
  secret?: string;
}

const cleanText = (value: unknown, max = 100): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max && !/[\u0000-\u001f]/.test(value) ? value : undefined;

export interface KeepTokensResult {
  accepted: number;
  dropped: number;
  /** Captures that disagreed with a kept token: kept apart and shown as a warning (see token-conflicts.ts). */
  conflicts: number;
  records: TokenRecord[];
}

export async function keepTokens(
  deps: KeepTokenDeps,
  captures: CapturedToken[],
  page: string,
  source: string,
): Promise<KeepTokensResult> {
  const result: KeepTokensResult = { accepted: 0, dropped: 0, conflicts: 0, records: [] };
  for (const capture of captures.slice(0, 20)) {
    const parsed = parseToken(capture.token);
    if (!parsed.ok || (capture.clientId && capture.clientId !== parsed.value.clientId)) {
      result.dropped++;
      continue;
    }
    const secret = isSecret(capture.secret) ? capture.secret : undefined;
    const secretCheck = secret ? await verifyTokenSecret(parsed.value.token, secret) : 'no-secret';
    const outcome = await keepOne(deps, parsed.value.token, parsed.value.clientId, secret, secretCheck, capture, page, source);
    if (outcome === null) result.dropped++;
    if (outcome?.conflict) result.conflicts++;
    if (outcome?.record) {
      result.accepted++;
      result.records.push(outcome.record);
    }
  }
  return result;
}

/** The kept record's fingerprint; an old record without one is fingerprinted when the vault can open it. */
async function fingerprintOf(deps: KeepTokenDeps, current: TokenRecord | undefined): Promise<string | undefined> {
  if (!current) return undefined;
  if (current.tokenSha256) return current.tokenSha256;
  const opened = await deps.vault.open<SealedToken>(current.sealed);
  return opened.ok && typeof opened.value.token === 'string' ? tokenFingerprint(opened.value.token) : undefined;
}

async function keepOne(
  deps: KeepTokenDeps,
  token: string,
  clientId: string,
  secret: string | undefined,
  secretCheck: TokenRecord['secretCheck'],
  capture: CapturedToken,
  page: string,
  source: string,
): Promise<{ record?: TokenRecord; conflict?: boolean } | null> {
  // Seal before the transaction: IndexedDB transactions close while awaiting WebCrypto.
  const sealedWithSecret = secret ? await deps.vault.seal({ token, secret } satisfies SealedToken) : null;
  const sealedTokenOnly = await deps.vault.seal({ token } satisfies SealedToken);
  if (!sealedTokenOnly.ok || (sealedWithSecret && !sealedWithSecret.ok)) return null;
  const tokenSha256 = await tokenFingerprint(token);
  const given = cleanText(capture.role) ?? (Array.isArray(capture.roles) ? capture.roles.map((r) => cleanText(r)).find(Boolean) : undefined);
  const role = given && deps.roleName ? ((await deps.roleName(given.toLowerCase())) ?? given) : given;
  const now = deps.now();
  const currentSha256 = await fingerprintOf(deps, await getToken(deps.db, clientId));
  let decision: TokenMergeDecision = { record: 'keep' };
  const record = await updateToken(deps.db, clientId, (current) => {
    // Decided again inside the transaction: another capture may have landed since the read above.
    decision = decideTokenMerge(current, current?.tokenSha256 ?? currentSha256, { tokenSha256, secretCheck });
    if (current && decision.conflict && decision.record === 'keep') return current;
    // Only a secret that hashes to this very token is kept with it.
    const withSecret = decision.record !== 'keep' && secretCheck === 'match' && sealedWithSecret?.ok;
    return {
      id: clientId,
      clientId,
      sealed: withSecret ? sealedWithSecret.value : (current?.sealed ?? sealedTokenOnly.value),
      maskedToken: maskToken(token),
      tokenSha256,
      hasSecret: withSecret ? true : (current?.hasSecret ?? false),
      secretCheck: withSecret ? 'match' : (current?.secretCheck ?? 'no-secret'),
      // A known name stays; a bare role id (no name learned yet) gives way to a name, e.g. the one picked in the dialog.
      role: current?.role !== undefined && !(isRoleId(current.role) && role !== undefined && !isRoleId(role)) ? current.role : role,
      orgId: current?.orgId ?? cleanText(capture.orgId, 64),
      generatedOn: current?.generatedOn ?? cleanText(capture.generatedOn, 64),
      capturedAt: current?.capturedAt ?? now,
      page: current?.page ?? page.slice(0, 2048),
      source: !current ? source : current.source.split('+').includes(source) ? current.source : `${current.source}+${source}`,
      label: current?.label,
    };
  });
  const reason = (decision as TokenMergeDecision).conflict;
  if (!reason) return { record };
  await keepTokenConflict(deps.db, {
    clientId,
    captureSha256: await sha256Hex(`${token}\n${secret ?? ''}`),
    reason,
    maskedToken: maskToken(token),
    sealed: (sealedWithSecret?.ok ? sealedWithSecret.value : sealedTokenOnly.value),
    seenAt: now,
    source,
    page: page.slice(0, 2048),
  });
  // A new record (its mismatched secret kept apart) is still a capture the tab may show; a refused one is not.
  return decision.record === 'add' ? { record, conflict: true } : { conflict: true };
}
