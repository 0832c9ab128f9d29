/**
 * Shell-correct download commands for a bundle link, modelled on Chrome DevTools "Copy as cURL".
 * Whatever the URL or file name holds, the program receives it byte for byte and the shell runs nothing else.
 */
import { fail, ok, type Result } from '../shared/result';

/** Controls, invisible format characters (bidi overrides, zero-width), line/paragraph separators, odd spaces, lone surrogates. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;
const NON_PRINTABLE_ONE = new RegExp(NON_PRINTABLE.source, 'gu');

const utf8 = new TextEncoder();

function hexBytes(text: string, prefix: string): string {
  return [...utf8.encode(text)].map((b) => prefix + b.toString(16).padStart(2, '0').toUpperCase()).join('');
}

/**
 * POSIX sh: `'...'` with `'` as `'\''`, which every sh (dash, bash, zsh, ksh, busybox) reads the same.
 * A string holding a control or invisible character becomes ANSI-C `$'...'` so no raw control byte ever reaches a
 * terminal (a pasted `\r` or ESC can hide or rewrite what the user sees). `$'...'` is bash/zsh/ksh/busybox and
 * POSIX.1-2024, not dash 0.5.12. NUL cannot be part of any argument and is dropped.
 */
export function quotePosix(s: string): string {
  const text = String(s).replace(/\0/g, '');
  if (!NON_PRINTABLE.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    // Always two hex digits, so a following hex character is not swallowed into the escape.
    else if (NON_PRINTABLE.test(ch)) out += hexBytes(ch, '\\x');
    else out += ch;
  }
  return `$'${out}'`;
}

/** Every character PowerShell reads as a single quote (its tokenizer's IsSingleQuote). */
const PS_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;

/**
 * PowerShell (5.1 and 7): `'...'` with each quote character doubled, smart quotes included, since PowerShell ends a
 * single-quoted string at any of ' ‘ ’ ‚ ‛. Control or invisible characters are spliced in as `[char]0xHH` in a
 * parenthesized concatenation, so no raw control character is pasted.
 */
export function quotePowerShell(s: string): string {
  const text = String(s);
  const literal = (part: string) => `'${part.replace(PS_SINGLE_QUOTES, '$&$&')}'`;
  if (!NON_PRINTABLE.test(text)) return literal(text);
  const pieces: string[] = [];
  let last = 0;
  for (const m of text.matchAll(NON_PRINTABLE_ONE)) {
    if (m.index > last) pieces.push(literal(text.slice(last, m.index)));
    for (let i = 0; i < m[0].length; i++) pieces.push(`[char]0x${m[0].charCodeAt(i).toString(16).toUpperCase().padStart(2, '0')}`);
    last = m.index + m[0].length;
  }
  if (last < text.length) pieces.push(literal(text.slice(last)));
  // Start with a string so `+` concatenates instead of adding char codes.
  if (!pieces[0]!.startsWith("'")) pieces.unshift("''");
  return `(${pieces.join('+')})`;
}

export type QuoteCmdProblem = 'cmd-cannot-express';

/**
 * cmd.exe, for a program that reads its arguments with the Microsoft C runtime rules (curl.exe does).
 * As DevTools does: the C-runtime quoting `"...\"..."` is built first, then every character cmd.exe could act on is
 * caret-escaped, the quotes included (`^"`), so cmd.exe never enters its quoted mode and strips every caret itself.
 * `%` cannot be caret-escaped: a `^` after every `%` breaks any `%NAME%` into an undefined `%^NAME%`, which an
 * interactive cmd.exe leaves alone. Refuses control characters (cmd.exe ends the command at a line break) and
 * non-ASCII (it depends on the console code page). Assumes delayed expansion is off, the cmd.exe default.
 */
export function quoteCmd(s: string): Result<string, QuoteCmdProblem> {
  const text = String(s);
  if (/[^\x20-\x7e]/.test(text)) {
    return fail(
      'cmd-cannot-express',
      'This text has line breaks, control or non-ASCII characters that cmd.exe cannot pass on safely.',
      'Use the PowerShell command instead.',
    );
  }
  // C runtime: backslashes are literal except before a quote, where they must be doubled; `"` becomes `\"`.
  const crt = `"${text.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
  let out = '';
  for (let i = 0; i < crt.length; i++) {
    const ch = crt[i]!;
    const previous = crt[i - 1];
    if (/[A-Za-z0-9_\-.:/=+~,;@#$*?'`{}[\]\\ ]/.test(ch) && previous !== '%') out += ch;
    else out += `^${ch}`;
  }
  return ok(out);
}

/** Windows device names that cannot be file names whatever the extension. */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(?:\.|$)/i;
const FALLBACK_FILE_NAME = 'secure-connect.zip';

/**
 * A plain base name that is safe in every shell and file system: `[A-Za-z0-9._-]` only, no path, no leading `-` or
 * `.`, no `..`, ends in `.zip`, at most 120 characters; `secure-connect.zip` when nothing usable is left.
 */
export function safeBundleFileName(fileName: string): string {
  const base = String(fileName).split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+/, '');
  if (!/\.zip$/i.test(name)) name = `${name.replace(/\.+$/, '')}.zip`;
  if (name.length > 120) name = `${name.slice(0, 116)}.zip`;
  const stem = name.slice(0, -4);
  if (!/[A-Za-z0-9]/.test(stem) || WINDOWS_RESERVED.test(name)) return FALLBACK_FILE_NAME;
  return name;
}

/**
 * Percent-encodes what can never travel raw in a request line (controls, space, `"`, non-ASCII), as a browser does.
 * Every real link is already free of these, so it is passed through unchanged; a damaged one still fetches what a
 * browser would fetch, and Windows PowerShell 5.1 (which mangles `"` and spaces in native arguments) gets it right.
 */
export function commandUrl(url: string): string {
  return String(url).replace(/[\x00-\x20"\x7f]|[^\x00-\x7f]+/g, (chars) => hexBytes(chars, '%'));
}

export interface BundleCommands {
  /** POSIX shells. `-f`: an S3 error (403 XML) fails instead of being saved as the ".zip"; no file is written then. */
  curl: string;
  /** POSIX shells. wget -O creates (truncates) the file before the answer: on failure the empty file is removed. */
  wget: string;
  /** Windows PowerShell 5.1 and PowerShell 7: `curl.exe`, since 5.1 aliases `curl` to Invoke-WebRequest. */
  powershell: string;
  /** cmd.exe; absent when the URL cannot be expressed there (never for a real link). */
  cmd?: string;
}

/**
 * Download commands for a bundle link: `curl -fSL -o '<file>' '<url>'` and friends.
 * `--globoff` is added when the URL holds `[ ] { }` (curl would read them as a glob); a URL that starts with `-` goes
 * after `--url` (curl) or `--` (wget) so it cannot be read as an option. No `--remove-on-error`: it needs curl 7.83 (2022), and with
 * `-f` curl writes no file on an HTTP error anyway; only a transfer cut short leaves a partial file (curl exits non-zero).
 */
export function bundleCommands(url: string, fileName: string): BundleCommands {
  const target = commandUrl(url);
  const file = safeBundleFileName(fileName);
  const glob = /[[\]{}]/.test(target) ? ' --globoff' : '';
  // PowerShell may swallow a bare `--` meant for a native program; curl's own `--url` has no such trouble.
  const dashed = target.startsWith('-');
  const urlFlag = dashed ? ' --url' : '';

  const curlArgs = (quote: (s: string) => string) => `-fSL${glob} -o ${quote(file)}${urlFlag} ${quote(target)}`;
  const posixFile = quotePosix(file);
  const commands: BundleCommands = {
    curl: `curl ${curlArgs(quotePosix)}`,
    wget: `wget -O ${posixFile}${dashed ? ' --' : ''} ${quotePosix(target)} || { rm -f ${posixFile}; false; }`,
    powershell: `curl.exe ${curlArgs(quotePowerShell)}`,
  };
  const cmdFile = quoteCmd(file);
  const cmdUrl = quoteCmd(target);
  if (cmdFile.ok && cmdUrl.ok) commands.cmd = `curl.exe -fSL${glob} -o ${cmdFile.value}${urlFlag} ${cmdUrl.value}`;
  return commands;
}
