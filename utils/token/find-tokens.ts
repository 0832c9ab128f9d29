/**
 * Finds Astra application tokens (and the secret, org and roles next to them) in any response or page text:
 * the DevOps API's `POST /v2/clientIdSecrets` answer, the console's GraphQL `generateToken`, the console's
 * JSON blocks `{clientID, clientSecret, token}` / `{clientId, secret, token}`, or plain text.
 * Bundled into a content script that runs on every console page: small, no imports, never throws.
 * The token pattern is the source of truth; field names only attach context. A secret is attached only when
 * it sits in the same object as its token and any client id there agrees with the token's; the caller still
 * checks it against the token's hash (`verifyTokenSecret` in ./token), which settles it.
 * The patterns repeat those of ./token on purpose (no imports here); a test keeps them in step.
 */

export interface TokenCapture {
  token: string;
  clientId: string;
  secret?: string;
  orgId?: string;
  roles?: string[];
  role?: string;
  generatedOn?: string;
  source: 'rest' | 'graphql' | 'text';
}

const MAX_TEXT_LENGTH = 5 * 1024 * 1024;
const MAX_CAPTURES = 100;
const MAX_NODES = 200_000;
const MAX_DEPTH = 64;

const TOKEN = /^AstraCS:([A-Za-z0-9]{24}):[0-9a-f]{64}$/;
const TOKEN_IN_TEXT = /AstraCS:([A-Za-z0-9]{24}):[0-9a-f]{64}(?![A-Za-z0-9])/g;
const SECRET = /^[A-Za-z0-9._,+-]{128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Between a label and its value: spaces, quotes (also JSON-escaped or HTML-escaped), `:` or `=`.
const SEP = `(?:[\\s"':=]|\\\\"|&quot;){0,12}`;
const SECRET_IN_TEXT = new RegExp(`(?:client[ _]?)?secret${SEP}([A-Za-z0-9._,+-]{128})(?![A-Za-z0-9._,+-])`, 'gi');
const CLIENT_ID_IN_TEXT = new RegExp(`client[ _]?id${SEP}([A-Za-z0-9]{24})(?![A-Za-z0-9])`, 'gi');

/** Cheap test before any parsing: most responses are dropped here. */
export function mightContainTokens(text: unknown): boolean {
  return typeof text === 'string' && text.includes('AstraCS:');
}

export function findTokens(text: unknown): TokenCapture[] {
  if (typeof text !== 'string' || text.length > MAX_TEXT_LENGTH || !mightContainTokens(text)) return [];
  const found = new Map<string, TokenCapture>();
  try {
    findInJson(text, found);
    findInText(text, found);
  } catch {
    // Whatever was found before the surprise is still good.
  }
  return [...found.values()];
}

function add(found: Map<string, TokenCapture>, capture: TokenCapture): void {
  const existing = found.get(capture.token);
  if (!existing) {
    if (found.size < MAX_CAPTURES) found.set(capture.token, capture);
    return;
  }
  // The first sighting wins; a later one only fills in what is missing.
  for (const key of ['secret', 'orgId', 'roles', 'role', 'generatedOn'] as const) {
    if (existing[key] === undefined && capture[key] !== undefined) (existing as unknown as Record<string, unknown>)[key] = capture[key];
  }
}

function findInJson(text: string, found: Map<string, TokenCapture>): void {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return;
  }
  const source = isGraphql(root) ? 'graphql' : 'rest';
  let budget = MAX_NODES;
  const walk = (node: unknown, depth: number): void => {
    if (budget-- <= 0 || depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    const fields = node as Record<string, unknown>;
    for (const value of Object.values(fields)) {
      if (typeof value === 'string' && TOKEN.test(value)) add(found, captureFromObject(value, fields, source));
      else walk(value, depth + 1);
    }
  };
  walk(root, 0);
}

function isGraphql(root: unknown): boolean {
  const first = Array.isArray(root) ? root[0] : root;
  return isObject(first) && isObject(first.data);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Field names compared without case or underscores: clientId, clientID and client_id are one name. */
function field(fields: Record<string, unknown>, ...names: string[]): unknown {
  for (const [key, value] of Object.entries(fields)) {
    if (names.includes(key.toLowerCase().replace(/_/g, ''))) return value;
  }
  return undefined;
}

function captureFromObject(token: string, fields: Record<string, unknown>, source: TokenCapture['source']): TokenCapture {
  const clientId = TOKEN.exec(token)![1]!;
  const capture: TokenCapture = { token, clientId, source };
  const statedId = field(fields, 'clientid');
  // An object that names another client is not this token's: keep the token, trust nothing else in it.
  if (statedId !== undefined && statedId !== clientId) return capture;
  const secret = field(fields, 'secret', 'clientsecret');
  if (typeof secret === 'string' && SECRET.test(secret)) capture.secret = secret;
  const orgId = field(fields, 'orgid', 'organizationid');
  if (typeof orgId === 'string' && UUID.test(orgId)) capture.orgId = orgId;
  const roles = field(fields, 'roles');
  if (Array.isArray(roles)) {
    const clean = roles.filter(isLabel).slice(0, 20);
    if (clean.length > 0) capture.roles = clean;
  }
  const role = field(fields, 'role');
  if (isLabel(role)) capture.role = role;
  const generatedOn = field(fields, 'generatedon');
  if (typeof generatedOn === 'string' && generatedOn.length <= 64 && !Number.isNaN(Date.parse(generatedOn))) {
    capture.generatedOn = generatedOn;
  }
  return capture;
}

/** A role name or id: short, printable, no markup. */
function isLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 && !/[\u0000-\u001f\u007f<>]/.test(value);
}

function findInText(text: string, found: Map<string, TokenCapture>): void {
  const hits = [...text.matchAll(TOKEN_IN_TEXT)].slice(0, MAX_CAPTURES);
  for (const hit of hits) {
    const token = hit[0];
    const clientId = hit[1]!;
    const capture: TokenCapture = { token, clientId, source: 'text' };
    const block = blockAround(text, hit.index, token.length, hits.length === 1);
    if (block !== undefined && countTokens(block) === 1) {
      const secrets = distinct(block, SECRET_IN_TEXT);
      const stated = distinct(block, CLIENT_ID_IN_TEXT);
      const idAgrees = stated.length === 0 || (stated.length === 1 && stated[0] === clientId);
      if (secrets.length === 1 && idAgrees) capture.secret = secrets[0];
    }
    add(found, capture);
  }
}

/**
 * The `{...}` that holds the token (a console JSON block), or, when the text has a single token and no braces
 * around it, a window of text around it (labelled fields on a page).
 */
function blockAround(text: string, index: number, length: number, onlyToken: boolean): string | undefined {
  const reach = 2000;
  const before = text.slice(Math.max(0, index - reach), index);
  const after = text.slice(index + length, index + length + reach);
  const open = before.lastIndexOf('{');
  const close = after.indexOf('}');
  if (open >= 0 && close >= 0 && before.lastIndexOf('}') < open && !after.slice(0, close).includes('{')) {
    return before.slice(open) + text.slice(index, index + length) + after.slice(0, close + 1);
  }
  if (!onlyToken) return undefined;
  return text.slice(Math.max(0, index - 600), index + length + 600);
}

function countTokens(block: string): number {
  return block.split('AstraCS:').length - 1;
}

function distinct(block: string, pattern: RegExp): string[] {
  return [...new Set(Array.from(block.matchAll(pattern), (m) => m[1]!))];
}
