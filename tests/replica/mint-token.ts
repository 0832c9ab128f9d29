/** Application tokens shaped like Astra's: `AstraCS:<clientId>:<sha256 hex of the secret>` (ASTRA.md section 5). */
import { createHash, randomInt } from 'node:crypto';
import type { Role } from './fixtures';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_CHARS = `${ALNUM}._+-`;

export interface IssuedToken {
  clientId: string;
  secret: string;
  token: string;
  /** The role's name, as the console's CSV shows it. */
  role: string;
  roleId: string;
  orgId: string;
  generatedOn: string;
  description: string;
}

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** 128 characters from `[A-Za-z0-9._,+-]`; `withComma` forces at least one comma, otherwise none appears. */
export function makeSecret(withComma: boolean): string {
  const secret = pick(SECRET_CHARS, 128);
  if (!withComma) return secret;
  const at = randomInt(1, 127);
  return `${secret.slice(0, at)},${secret.slice(at + 1)}`;
}

export function tokenFor(clientId: string, secret: string): string {
  return `AstraCS:${clientId}:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** The n-th token of a replica (0-based): even ones carry a comma in the secret, so CSV quoting gets exercised. */
export function mintToken(n: number, orgId: string, role: Role, description = '', now = new Date()): IssuedToken {
  const clientId = pick(ALNUM, 24);
  const secret = makeSecret(n % 2 === 0);
  return {
    clientId,
    secret,
    token: tokenFor(clientId, secret),
    role: role.name,
    roleId: role.id,
    orgId,
    generatedOn: now.toISOString(),
    description,
  };
}
