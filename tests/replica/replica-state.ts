/** What one running replica knows: its data, fault knobs, signer and the record of what it handed out. */
import type { IncomingMessage } from 'node:http';
import { signBundleLinks, type BundleLinks } from './bundle-links';
import type { Database, Org, Role } from './fixtures';
import { mintToken, type IssuedToken } from './mint-token';
import type { StorageSigner } from './sign-storage-link';

export interface Faults {
  /** X-Amz-Expires of new links (real Astra: 300). */
  linkLifetimeSeconds: number;
  /** Storage advertises the full length, sends this many bytes, then closes the connection. */
  truncateBodyAt: number | null;
  /** Delay between 1 KiB body chunks. */
  slowBodyMs: number;
  /** Storage serves the zip as text/html. */
  wrongContentType: boolean;
  /** Storage answers 200 (with the usual zip content-type) but the body is an S3 XML error document. */
  errorDocumentWith200: boolean;
  /** Shifts X-Amz-Date of new links: positive = signed "in the future" (storage: "Request is not yet valid"). */
  linkDateOffsetSeconds: number;
  /** Storage answers a good link with 302 to this URL (real pre-signed links never redirect). */
  redirectTo: string | null;
}

export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze({
  linkLifetimeSeconds: 300,
  truncateBodyAt: null,
  slowBodyMs: 0,
  wrongContentType: false,
  errorDocumentWith200: false,
  linkDateOffsetSeconds: 0,
  redirectTo: null,
});

export interface StoredObject {
  bytes: Uint8Array;
  etag: string;
  lastModified: Date;
}

export interface ReplicaState {
  org: Org;
  databases: Database[];
  roles: Role[];
  faults: Faults;
  signer: StorageSigner;
  /** Bucket contents by object key (`<dcId>/secure-connect-<db>.zip`). */
  objects: Map<string, StoredObject>;
  issuedTokens: IssuedToken[];
  revokedClientIds: Set<string>;
  issuedLinks: string[];
  sessions: Set<string>;
  /** A bearer token the DevOps API accepts, for tests that call it directly. */
  apiToken: string;
}

export function signLinks(state: ReplicaState, db: Database, dcIndex: number): BundleLinks {
  const date = new Date(Date.now() + state.faults.linkDateOffsetSeconds * 1000);
  const links = signBundleLinks(state.signer, db, dcIndex, date, state.faults.linkLifetimeSeconds);
  state.issuedLinks.push(...Object.values(links));
  return links;
}

export function issueToken(state: ReplicaState, role: Role, description = ''): IssuedToken {
  const token = mintToken(state.issuedTokens.length, state.org.id, role, description);
  state.issuedTokens.push(token);
  return token;
}

export const SESSION_COOKIE = 'astra_session';

export function sessionOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The console's session cookie, or `Authorization: Bearer <an issued, unrevoked token>`. */
export function isAuthorized(state: ReplicaState, req: IncomingMessage): boolean {
  const session = sessionOf(req);
  if (session && state.sessions.has(session)) return true;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer) return false;
  if (bearer === state.apiToken) return true;
  return state.issuedTokens.some((t) => t.token === bearer && !state.revokedClientIds.has(t.clientId));
}

/** Checks a fault update from the wire; a string is the reason it is refused. */
export function checkFaults(input: unknown): Partial<Faults> | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'expected a JSON object';
  const out: Partial<Faults> = {};
  for (const [name, value] of Object.entries(input)) {
    switch (name) {
      case 'linkLifetimeSeconds':
        if (!Number.isInteger(value) || (value as number) < 1) return `${name} must be a positive integer`;
        out[name] = value as number;
        break;
      case 'slowBodyMs':
      case 'linkDateOffsetSeconds':
        if (!Number.isInteger(value) || (name === 'slowBodyMs' && (value as number) < 0)) {
          return `${name} must be an integer${name === 'slowBodyMs' ? ' >= 0' : ''}`;
        }
        out[name] = value as number;
        break;
      case 'truncateBodyAt':
        if (value !== null && (!Number.isInteger(value) || (value as number) < 0)) {
          return `${name} must be null or an integer >= 0`;
        }
        out[name] = value as number | null;
        break;
      case 'redirectTo':
        if (value !== null && (typeof value !== 'string' || !/^https:\/\//.test(value))) return `${name} must be null or an https URL`;
        out[name] = value as string | null;
        break;
      case 'wrongContentType':
      case 'errorDocumentWith200':
        if (typeof value !== 'boolean') return `${name} must be true or false`;
        out[name] = value;
        break;
      default:
        return `unknown fault "${name}"`;
    }
  }
  return out;
}
