/**
 * Writes tokens the way the Astra console's "Download Token Details" does, so other tools read our files as theirs.
 *
 * `GeneratedToken.csv` layout: header `"Client Id","Client Secret","Role","Token"`, every field quoted, `"` doubled,
 * rows separated by LF (`\n`), no line end after the last row, no BOM. The console's exact line ends are not public;
 * LF is our stated convention and the e2e replica writes its file the same way.
 *
 * Formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (papaparse's
 * `escapeFormulae` with a RegExp: its boolean form misses `=HYPERLINK(..)\nfoo`, TOOLCHAIN.md). A valid client
 * secret is exempt: secrets may start with `-` or `+`, and a `'` would break every tool that reads the file as data.
 * The exemption is safe because a secret is 128 chars of `[A-Za-z0-9._,+-]` only: no `(`, `!`, `|`, quote, space,
 * tab or line break, so a spreadsheet can at worst evaluate it as arithmetic on cell names (showing #NAME?), never
 * call a function, open a link or reach DDE. Tokens and client ids never start with those characters. Everything
 * else (role, and any credential that fails validation) is neutralized.
 */
import Papa from 'papaparse';
import type { TokenDetails } from './token-file';
import { clientIdOf } from './token';

export const CONSOLE_CSV_HEADER = ['Client Id', 'Client Secret', 'Role', 'Token'] as const;
export const CONSOLE_CSV_FILE_NAME = 'GeneratedToken.csv';

/** Formula-like start, unless the whole cell is a well-formed client secret. */
const FORMULA_UNLESS_SECRET = /^(?![A-Za-z0-9._,+-]{128}$)[=+\-@\t\r]/;

/** A token to write; a captured token may lack its secret (the GraphQL answer has none): that cell stays empty. */
export interface ExportableToken {
  token: string;
  clientId?: string;
  secret?: string;
  role?: string;
}

export function tokensToConsoleCsv(tokens: readonly ExportableToken[]): string {
  const rows = tokens.map((t) => [t.clientId ?? clientIdOf(t.token) ?? '', t.secret ?? '', t.role ?? '', t.token]);
  // Rows as plain arrays: papaparse would turn an empty `data` into one empty row.
  return Papa.unparse([[...CONSOLE_CSV_HEADER], ...rows], {
    quotes: true,
    quoteChar: '"',
    delimiter: ',',
    newline: '\n',
    escapeFormulae: FORMULA_UNLESS_SECRET,
  });
}

/**
 * One token as the 2023 console's `<org name>-token.json` (`{clientID, clientSecret, token}`, 2-space indent),
 * or, with `shape: 'database'`, as the Connect tab's `{clientId, secret, token}`.
 */
export function tokenToJson(token: TokenDetails, shape: 'organization' | 'database' = 'organization'): string {
  const body =
    shape === 'organization'
      ? { clientID: token.clientId, clientSecret: token.secret, token: token.token }
      : { clientId: token.clientId, secret: token.secret, token: token.token };
  return JSON.stringify(body, null, 2);
}
