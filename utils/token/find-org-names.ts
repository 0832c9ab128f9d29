/**
 * Organization names by organization id, so the Tokens tab can say "Acme Data" instead of a truncated id. Learned
 * only from the console's own answers about the current organization, found by URL: the DevOps API's
 * `GET /v2/currentOrg` (`{id, name}`) and the console's GraphQL answer with `data.currentOrg`. A name anywhere else
 * teaches nothing; the caller never lets a learned name replace a known one, and keeps a few only.
 */
import { CONSOLE_ORIGIN, DEVOPS_API_HOST } from '../astra/hosts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Printable names only: no control or bidi characters, at most 100. */
const NAME = /^[\p{L}\p{N}\p{Zs}&'()._,+@-]{1,100}$/u;
export const MAX_ORG_NAMES = 50;

function kindOf(url: string): 'rest' | 'graphql' | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  const path = parsed.pathname.replace(/\/+$/, '');
  if (parsed.hostname === DEVOPS_API_HOST && path === '/v2/currentOrg') return 'rest';
  if (parsed.origin === CONSOLE_ORIGIN && path === '/api/v2/graphql') return 'graphql';
  return undefined;
}

export function mightContainOrgNames(url: string, text: string): boolean {
  return kindOf(url) !== undefined && text.includes('"name"');
}

export function findOrgNames(url: string, text: string): Record<string, string> {
  const kind = kindOf(url);
  if (!kind) return {};
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return {};
  }
  const org = (kind === 'rest' ? root : (root as { data?: { currentOrg?: unknown } } | null)?.data?.currentOrg) as { id?: unknown; name?: unknown } | null | undefined;
  const id = org?.id;
  const name = typeof org?.name === 'string' ? org.name.trim() : undefined;
  return typeof id === 'string' && UUID.test(id) && name && NAME.test(name) ? { [id.toLowerCase()]: name } : {};
}
