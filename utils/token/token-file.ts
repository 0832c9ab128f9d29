/**
 * Reads the console's "Download Token Details" files (ASTRA.md section 5):
 * `GeneratedToken.csv` (all fields quoted; columns Client Id, Client Secret, Role, Token in either known order),
 * `<org>-token.json` `{clientID, clientSecret, token}` and `<db>-token.json` `{clientId, secret, token}`.
 * Every row is validated (token shape, secret shape, client id = the token's); problems name the row, never a value.
 * Whether a secret belongs to its token is the caller's next step: `verifyTokenSecret` in ./token.
 */
import Papa from 'papaparse';
import { fail, ok, type Result } from '../shared/result';
import { clientIdOf, isClientId, isSecret, isToken } from './token';

export interface TokenDetails {
  clientId: string;
  secret: string;
  token: string;
  role?: string;
}

export type TokenFileProblemCode =
  | 'empty-file'
  | 'too-large'
  | 'unknown-format'
  | 'invalid-json'
  | 'invalid-csv'
  | 'no-tokens'
  | 'too-many-tokens'
  | 'invalid-token'
  | 'invalid-secret'
  | 'client-id-mismatch';

const MAX_FILE_CHARS = 1024 * 1024;
const MAX_TOKENS = 1000;
/** What a spreadsheet or our own export put before a formula-like cell; taken off again on reading. */
const NEUTRALIZED = /^'(?=[=+\-@\t\r])/;

const KNOWN_FORMATS_HINT =
  'Use the file the Astra console saved with "Download Token Details": GeneratedToken.csv (columns Client Id, ' +
  'Client Secret, Role, Token) or a token .json file with clientId/clientID, secret/clientSecret and token.';

export function parseTokenFile(text: string, fileName = ''): Result<TokenDetails[], TokenFileProblemCode> {
  if (typeof text !== 'string' || text.trim() === '') {
    return fail('empty-file', `${describe(fileName)} is empty.`, KNOWN_FORMATS_HINT);
  }
  if (text.length > MAX_FILE_CHARS) {
    return fail('too-large', `${describe(fileName)} is too large to be a token file.`, KNOWN_FORMATS_HINT);
  }
  const body = text.replace(/^\uFEFF/, '').trim();
  return body.startsWith('{') || body.startsWith('[') ? parseJson(body, fileName) : parseCsv(body, fileName);
}

function describe(fileName: string): string {
  return fileName ? `The file "${fileName}"` : 'The file';
}

function parseJson(body: string, fileName: string): Result<TokenDetails[], TokenFileProblemCode> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return fail('invalid-json', `${describe(fileName)} looks like JSON but cannot be read as JSON.`, 'Save the token details again from the console; the file may be cut short.');
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) return fail('no-tokens', `${describe(fileName)} holds no tokens.`, KNOWN_FORMATS_HINT);
  if (items.length > MAX_TOKENS) return tooMany(fileName);
  const rows: Row[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return unknownFormat(fileName);
    const fields = item as Record<string, unknown>;
    const token = field(fields, 'token');
    const secret = field(fields, 'clientsecret', 'secret');
    const clientId = field(fields, 'clientid');
    const role = field(fields, 'role');
    if (typeof token !== 'string' || typeof secret !== 'string' || (clientId !== undefined && typeof clientId !== 'string')) {
      return unknownFormat(fileName);
    }
    rows.push({ token, secret, clientId, role: typeof role === 'string' ? role : undefined });
  }
  return validate(rows, fileName, 'entry');
}

/** Names compared without case, spaces or underscores: clientID, clientId, client_id and "Client Id" are one. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_]/g, '');
}

function field(fields: Record<string, unknown>, ...names: string[]): unknown {
  for (const [key, value] of Object.entries(fields)) if (names.includes(normalize(key))) return value;
  return undefined;
}

function parseCsv(body: string, fileName: string): Result<TokenDetails[], TokenFileProblemCode> {
  const parsed = Papa.parse<string[]>(body, { header: false, skipEmptyLines: 'greedy', delimiter: ',' });
  if (parsed.errors.length > 0) {
    const row = parsed.errors[0]?.row;
    return fail(
      'invalid-csv',
      `${describe(fileName)} is not well-formed CSV${row === undefined ? '' : ` (row ${row + 1})`}.`,
      'Save the token details again from the console; a spreadsheet may have changed the file.',
    );
  }
  const [header, ...records] = parsed.data;
  const columns = (header ?? []).map((name) => normalize(name));
  const at = {
    clientId: columns.indexOf('clientid'),
    secret: columns.indexOf('clientsecret'),
    token: columns.indexOf('token'),
    role: columns.indexOf('role'),
  };
  if (at.clientId < 0 || at.secret < 0 || at.token < 0) return unknownFormat(fileName);
  if (records.length === 0) return fail('no-tokens', `${describe(fileName)} has a header but no tokens.`, KNOWN_FORMATS_HINT);
  if (records.length > MAX_TOKENS) return tooMany(fileName);
  const rows = records.map((cells) => ({
    clientId: cells[at.clientId] ?? '',
    secret: cells[at.secret] ?? '',
    token: cells[at.token] ?? '',
    role: at.role < 0 ? undefined : cells[at.role],
  }));
  return validate(rows, fileName, 'row');
}

interface Row {
  token: string;
  secret: string;
  clientId?: string;
  role?: string;
}

function validate(rows: Row[], fileName: string, unit: 'row' | 'entry'): Result<TokenDetails[], TokenFileProblemCode> {
  const details: TokenDetails[] = [];
  for (const [index, row] of rows.entries()) {
    const where = `${describe(fileName)}, ${unit} ${index + 1}`;
    const token = row.token.trim();
    if (!isToken(token)) {
      return fail('invalid-token', `${where}: the token is not an Astra token.`, 'A token starts with "AstraCS:" and is 97 characters long. Was the file edited?');
    }
    const secret = row.secret.trim().replace(NEUTRALIZED, '');
    if (!isSecret(secret)) {
      return fail('invalid-secret', `${where}: the client secret is not an Astra client secret.`, 'A client secret is 128 characters of letters, digits and . _ , + -. Was the file edited?');
    }
    const clientId = row.clientId?.trim() || clientIdOf(token)!;
    if (!isClientId(clientId) || clientId !== clientIdOf(token)) {
      return fail('client-id-mismatch', `${where}: the client id does not match the token.`, 'The token contains its client id; the file pairs them wrongly. Was the file edited?');
    }
    const role = row.role?.trim().replace(NEUTRALIZED, '').slice(0, 200);
    details.push(role ? { clientId, secret, token, role } : { clientId, secret, token });
  }
  return ok(details);
}

function unknownFormat(fileName: string) {
  return fail('unknown-format' as const, `${describe(fileName)} is not a token details file.`, KNOWN_FORMATS_HINT);
}

function tooMany(fileName: string) {
  return fail('too-many-tokens' as const, `${describe(fileName)} holds more than ${MAX_TOKENS} tokens.`, 'Split the file, or import the tokens you need.');
}
