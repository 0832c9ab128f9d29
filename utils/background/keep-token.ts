/**
 * From a captured token to a kept, encrypted record. Validates the token's format; when a secret
 * comes with it, checks sha256(secret) against the token's hash part (a mismatch is kept flagged, never
 * as good). The token and the secret go into the vault sealed; the record holds only masked values.
 * The same token seen again (network, dialog, downloaded file) updates one record, never a second.
 */
import type { CapturedToken } from '../protocol/messages';
import { isSecret, maskToken, parseToken, verifyTokenSecret } from '../token/token';
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

export async function keepTokens(
  deps: KeepTokenDeps,
  captures: CapturedToken[],
  page: string,
  source: string,
): Promise<{ accepted: number; dropped: number; records: TokenRecord[] }> {
  const result = { accepted: 0, dropped: 0, records: [] as TokenRecord[] };
  for (const capture of captures.slice(0, 20)) {
    const parsed = parseToken(capture.token);
    if (!parsed.ok || (capture.clientId && capture.clientId !== parsed.value.clientId)) {
      result.dropped++;
      continue;
    }
    const secret = isSecret(capture.secret) ? capture.secret : undefined;
    const secretCheck = secret ? await verifyTokenSecret(parsed.value.token, secret) : 'no-secret';
    const record = await keepOne(deps, parsed.value.token, parsed.value.clientId, secret, secretCheck, capture, page, source);
    if (record) {
      result.accepted++;
      result.records.push(record);
    } else {
      result.dropped++;
    }
  }
  return result;
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
): Promise<TokenRecord | null> {
  // Seal before the transaction: IndexedDB transactions close while awaiting WebCrypto.
  const sealedWithSecret = secret ? await deps.vault.seal({ token, secret } satisfies SealedToken) : null;
  const sealedTokenOnly = await deps.vault.seal({ token } satisfies SealedToken);
  if (!sealedTokenOnly.ok || (sealedWithSecret && !sealedWithSecret.ok)) return null;
  const given = cleanText(capture.role) ?? (Array.isArray(capture.roles) ? capture.roles.map((r) => cleanText(r)).find(Boolean) : undefined);
  const role = given && deps.roleName ? ((await deps.roleName(given.toLowerCase())) ?? given) : given;
  const now = deps.now();
  return updateToken(deps.db, clientId, (current) => {
    // Nothing stored is lost: a record changes only when the capture brings a secret, and a secret that
    // matches the token never gives way to one that does not.
    const useNew = !current || (secret !== undefined && !(current.secretCheck === 'match' && secretCheck !== 'match'));
    const sealed = useNew ? (sealedWithSecret?.ok ? sealedWithSecret.value : sealedTokenOnly.value) : current.sealed;
    return {
      id: clientId,
      clientId,
      sealed,
      maskedToken: maskToken(token),
      hasSecret: useNew ? Boolean(secret) : current.hasSecret,
      secretCheck: useNew ? secretCheck : current.secretCheck,
      role: current?.role ?? role,
      orgId: current?.orgId ?? cleanText(capture.orgId, 64),
      generatedOn: current?.generatedOn ?? cleanText(capture.generatedOn, 64),
      capturedAt: current?.capturedAt ?? now,
      page: current?.page ?? page.slice(0, 2048),
      source: !current ? source : current.source.split('+').includes(source) ? current.source : `${current.source}+${source}`,
      label: current?.label,
    };
  });
}
