/**
 * Astra application tokens and client secrets (ASTRA.md section 5).
 * Token: `AstraCS:` + client id (24 ASCII letters/digits) + `:` + sha256(secret) in lowercase hex, 97 chars.
 * Secret: exactly 128 chars from `[A-Za-z0-9._,+-]`. We are strict on length: every public sample has 128,
 * a looser rule lets page junk through, and the token's hash settles any doubt (`verifyTokenSecret`).
 * Masks never show more than the client id's first 4 and the hash's (or secret's) last 4 characters.
 */
import { fail, ok, type Result } from '../shared/result';

const TOKEN_PATTERN = /^AstraCS:([A-Za-z0-9]{24}):([0-9a-f]{64})$/;
const CLIENT_ID_PATTERN = /^[A-Za-z0-9]{24}$/;
const SECRET_PATTERN = /^[A-Za-z0-9._,+-]{128}$/;

export interface ParsedToken {
  token: string;
  clientId: string;
  /** sha256(secret), lowercase hex. */
  secretHash: string;
}

export type TokenProblemCode = 'not-a-token';

export function parseToken(s: unknown): Result<ParsedToken, TokenProblemCode> {
  const match = typeof s === 'string' ? TOKEN_PATTERN.exec(s) : null;
  if (!match) {
    return fail(
      'not-a-token',
      'This is not an Astra application token.',
      'A token starts with "AstraCS:", then a 24-character client id, ":" and 64 lowercase hex characters (97 in all).',
    );
  }
  return ok({ token: match[0], clientId: match[1]!, secretHash: match[2]! });
}

export function isToken(s: unknown): s is string {
  return typeof s === 'string' && TOKEN_PATTERN.test(s);
}

export function isClientId(s: unknown): s is string {
  return typeof s === 'string' && CLIENT_ID_PATTERN.test(s);
}

export function isSecret(s: unknown): s is string {
  return typeof s === 'string' && SECRET_PATTERN.test(s);
}

/** The client id inside a token, or undefined when it is not a token. */
export function clientIdOf(token: string): string | undefined {
  return TOKEN_PATTERN.exec(token)?.[1];
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A token carries sha256(secret): this tells whether a secret belongs to a token. Junk is a mismatch. */
export async function verifyTokenSecret(token: string, secret: string): Promise<'match' | 'mismatch'> {
  const parsed = parseToken(token);
  if (!parsed.ok || !isSecret(secret)) return 'mismatch';
  return (await sha256Hex(secret)) === parsed.value.secretHash ? 'match' : 'mismatch';
}

/** `AstraCS:abcd…:…1f2e`: enough to tell tokens apart, useless to an attacker. */
export function maskToken(token: string): string {
  const parsed = parseToken(token);
  if (!parsed.ok) return 'AstraCS:…';
  return `AstraCS:${parsed.value.clientId.slice(0, 4)}…:…${parsed.value.secretHash.slice(-4)}`;
}
