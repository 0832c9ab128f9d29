/**
 * Role names by role id. Token APIs answer with role ids; the console (and its CSV) shows names, so the background
 * learns them, but only from the console's own roles responses, found by URL: the DevOps API's
 * `GET /v2/organizations/roles[/{id}]` (an array of roles, or one role) and the console's GraphQL answer with a
 * top-level `data.roles` list. A `roles` field anywhere else (a token, a forged body) teaches nothing.
 * The caller never lets a learned name replace a known one (see learnRoleNames), and both sides are capped.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[\p{L}\p{N} /&()._+-]{1,80}$/u;
export const MAX_ROLE_NAMES = 500;

const REST_ROLES = /^https:\/\/api\.astra\.datastax\.com\/v2\/organizations\/roles(?:\/[0-9a-f-]{36})?(?:[?#]|$)/i;
const CONSOLE_GRAPHQL = /^https:\/\/astra\.datastax\.com\/api\/v2\/graphql(?:[?#]|$)/i;

export function isRoleId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function mightContainRoleNames(url: string, text: string): boolean {
  return (REST_ROLES.test(url) || CONSOLE_GRAPHQL.test(url)) && text.includes('"name"');
}

export function findRoleNames(url: string, text: string): Record<string, string> {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return {};
  }
  let list: unknown;
  if (REST_ROLES.test(url)) list = Array.isArray(root) ? root : [root];
  else if (CONSOLE_GRAPHQL.test(url)) list = (root as { data?: { roles?: unknown } } | null)?.data?.roles;
  if (!Array.isArray(list)) return {};
  const names: Record<string, string> = {};
  for (const role of list.slice(0, MAX_ROLE_NAMES)) {
    const { id, name } = (role ?? {}) as { id?: unknown; name?: unknown };
    if (isRoleId(id) && typeof name === 'string' && NAME.test(name)) names[id.toLowerCase()] = name;
  }
  return names;
}
