import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCommands, commandUrl, quoteCmd, quotePosix, quotePowerShell, safeBundleFileName } from './download-commands';

const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const HAS = { sh: has('sh'), bash: has('bash'), curl: has('curl'), wget: has('wget'), pwsh: has('pwsh') };

/** Inputs meant to break out of quoting, run code, or reach the terminal. Running any of them creates ./MARKER. */
const HOSTILE: ReadonlyArray<readonly [string, string]> = [
  ['a plain file name', 'secure-connect-orders.zip'],
  ['a single quote', "it's"],
  ['a quote escape attempt', "'; touch MARKER; '"],
  ["'\\'' itself", "a'\\''b"],
  ['double quotes', '"; touch MARKER; "'],
  ['command substitution', '$(touch MARKER)'],
  ['backticks', '`touch MARKER`'],
  ['variables', '$HOME ${PATH} $0 $$ $? ${IFS}'],
  ['a newline', 'a\ntouch MARKER\n'],
  ['a carriage return hiding text', 'visible\rtouch MARKER'],
  ['a tab', 'a\tb'],
  ['spaces', '  two  spaces  '],
  ['history expansion', '!! !-1 !$ !touch'],
  ['backslashes', 'a\\b\\\\c\\'],
  ['a backslash before a quote', 'a\\\'b\\"c'],
  ['globs', '* ? [a-z] {a,b} ~ ~root'],
  ['operators', '; touch MARKER & touch MARKER | touch MARKER && touch MARKER || touch MARKER'],
  ['redirections', '> MARKER < /etc/passwd 2>&1 >> MARKER'],
  ['a comment', '# touch MARKER'],
  ['cmd.exe variables', '%PATH% %path% a%USERNAME%b %% %^PATH% %~dp0 !PATH!'],
  ['cmd.exe carets and operators', '^& ^| ^^ ^"&calc&" (x) ^'],
  ['a leading dash', '-o /etc/passwd'],
  ['a leading double dash', '--config=/etc/passwd'],
  ['empty', ''],
  ['unicode', 'données δ 数据库 😀'],
  ['smart quotes', '‘’‚‛“”„ it’s'],
  ['a right-to-left override', 'x\u202Epiz.exe'],
  ['a zero-width space', 'a\u200Bb'],
  ['terminal escape sequences', '\u001B]0;title\u0007\u001B[2J\u001B[201~'],
  ['DEL and C1 controls', '\u007F\u0085\u009B'],
  ['a no-break space', 'a\u00A0b'],
  ['a control then hex digits', '\u0001ff'],
  ['a lone surrogate', 'a\uD800b'],
  ['a NUL (dropped: no program can receive it)', 'a\u0000b'],
  ['a URL', "https://h/p?a=1&b=$(id)&c=`id`&d='x'&e=%2F"],
];

/** Bytes a program receives for `s` in its argv: UTF-8, and NUL cannot be carried at all. */
const argvBytes = (s: string) => Buffer.from(s.replace(/\0/g, ''), 'utf8');

const CONTROL_OR_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u00A0]/u;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'shell-test-'));
}

/** An environment without proxies or rc files, so only the command under test decides what happens. */
function cleanEnv(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', HISTFILE: '/dev/null', ...extra };
}

/** Runs `command` with `shell -c` in a fresh folder; returns the NUL-separated words printf received. */
function runPrintf(shell: string, quoted: string[]): { words: Buffer; marker: boolean; status: number | null } {
  const dir = scratch();
  try {
    const result = spawnSync(shell, ['-c', `printf '%s\\0' ${quoted.join(' ')}`], { cwd: dir, env: cleanEnv(dir) });
    return { words: result.stdout, marker: existsSync(join(dir, 'MARKER')), status: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const nulJoined = (values: string[]) => Buffer.concat(values.map((v) => Buffer.concat([argvBytes(v), Buffer.from([0])])));

describe('quotePosix: every hostile string arrives byte for byte, and nothing runs', () => {
  it.skipIf(!HAS.bash).each(HOSTILE)('bash -c: %s', (_, s) => {
    const { words, marker, status } = runPrintf('bash', [quotePosix(s)]);
    expect(status).toBe(0);
    expect(words).toEqual(nulJoined([s]));
    expect(marker).toBe(false);
  });

  const portable = HOSTILE.filter(([, s]) => !CONTROL_OR_INVISIBLE.test(s.replace(/\0/g, '')));
  it.skipIf(!HAS.sh).each(portable)('sh -c (dash here): %s', (_, s) => {
    const { words, marker, status } = runPrintf('sh', [quotePosix(s)]);
    expect(status).toBe(0);
    expect(words).toEqual(nulJoined([s]));
    expect(marker).toBe(false);
  });

  it('uses plain single quotes, which every sh reads, unless a control or invisible character is there', () => {
    for (const [, s] of HOSTILE) {
      const quoted = quotePosix(s);
      if (CONTROL_OR_INVISIBLE.test(s.replace(/\0/g, ''))) expect(quoted.startsWith("$'")).toBe(true);
      else expect(quoted.startsWith("'")).toBe(true);
    }
    expect(quotePosix("it's")).toBe(`'it'\\''s'`);
    expect(quotePosix('')).toBe(`''`);
  });

  it('never lets a raw control or invisible character reach the terminal', () => {
    for (const [, s] of HOSTILE) expect(quotePosix(s)).not.toMatch(CONTROL_OR_INVISIBLE);
    expect(quotePosix('a\nb\r\u001B[2J\u202E')).toBe(`$'a\\nb\\r\\x1B[2J\\xE2\\x80\\xAE'`);
  });

  it.skipIf(!HAS.bash)('keeps many arguments apart', () => {
    const values = HOSTILE.map(([, s]) => s);
    expect(runPrintf('bash', values.map(quotePosix)).words).toEqual(nulJoined(values));
  });

  it.skipIf(!HAS.bash)('is safe from history expansion in an interactive bash (where an unquoted !! does expand)', () => {
    const dir = scratch();
    const interactive = (line: string) =>
      spawnSync('bash', ['--norc', '--noprofile', '-i'], {
        cwd: dir,
        env: cleanEnv(dir, { PS1: '' }),
        input: `set -o histexpand\necho warm-up\n${line}\nexit\n`,
      }).stdout.toString('utf8');
    try {
      // The harness really expands: an unquoted !! becomes the previous command.
      expect(interactive('echo a!!b')).toContain('aecho warm-upb');
      for (const s of ['!! !-1 !$ !touch', 'x!!y\nz', "it's !!"]) {
        expect(interactive(`printf '%s\\0' ${quotePosix(s)}`)).toBe(`warm-up\n${s}\0`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------- PowerShell, by its own tokenizer rules

/** PowerShell's IsSingleQuote: ' ‘ ’ ‚ ‛. */
const PS_QUOTES = "'\u2018\u2019\u201A\u201B";

/**
 * The arguments PowerShell hands a native program for the syntax our commands use (bare words, single-quoted strings,
 * a parenthesized `'..'+[char]0xHH` concatenation), following its tokenizer: in a single-quoted string any of the five
 * quote characters ends it, unless the next character is one of them too, which is then taken literally.
 * Throws on anything PowerShell would interpret (variables, subexpressions, splatting, operators).
 */
function powershellArgs(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  const readString = (): string => {
    i++;
    let out = '';
    for (;;) {
      if (i >= line.length) throw new Error('unterminated string');
      const c = line[i]!;
      if (PS_QUOTES.includes(c)) {
        if (i + 1 < line.length && PS_QUOTES.includes(line[i + 1]!)) {
          out += line[i + 1];
          i += 2;
          continue;
        }
        i++;
        return out;
      }
      out += c;
      i++;
    }
  };
  while (i < line.length) {
    while (line[i] === ' ') i++;
    if (i >= line.length) break;
    let arg = '';
    if (PS_QUOTES.includes(line[i]!)) arg = readString();
    else if (line[i] === '(') {
      i++;
      for (;;) {
        if (PS_QUOTES.includes(line[i]!)) arg += readString();
        else {
          const m = /^\[char\]0x([0-9A-F]{2,4})/.exec(line.slice(i));
          if (!m) throw new Error(`unexpected expression at ${line.slice(i, i + 10)}`);
          arg += String.fromCharCode(parseInt(m[1]!, 16));
          i += m[0].length;
        }
        if (line[i] === '+') i++;
        else if (line[i] === ')') {
          i++;
          break;
        } else throw new Error('unexpected character in expression');
      }
    } else {
      arg = /^[^ ]+/.exec(line.slice(i))![0];
      i += arg.length;
      if (/[$`'"\u2018-\u201E(){}@;|&<>,#\s]/.test(arg)) throw new Error(`PowerShell would interpret the bare word ${arg}`);
    }
    // `'a'b` would be one argument in PowerShell: every argument must end at a space.
    if (i < line.length && line[i] !== ' ') throw new Error('argument glued to the next token');
    args.push(arg);
  }
  return args;
}

describe('quotePowerShell: read back by PowerShell tokenizer rules (pwsh is not on this machine)', () => {
  it.each(HOSTILE)('%s', (_, s) => {
    const quoted = quotePowerShell(s);
    expect(powershellArgs(`curl.exe ${quoted}`)).toEqual(['curl.exe', s]);
    expect(quoted).not.toMatch(CONTROL_OR_INVISIBLE);
  });

  it('doubles the smart quotes too; doubling only the ASCII quote would end the string early', () => {
    expect(quotePowerShell('it’s')).toBe("'it’’s'");
    const naive = (s: string) => `'${s.replace(/'/g, "''")}'`;
    expect(() => powershellArgs(`curl.exe ${naive("it’s; calc")}`)).toThrow();
  });

  it('splices control and invisible characters in as [char] codes, starting from a string', () => {
    expect(quotePowerShell('a\nb')).toBe("('a'+[char]0x0A+'b')");
    expect(quotePowerShell('\u202Ex')).toBe("(''+[char]0x202E+'x')");
  });

  it.skipIf(!HAS.pwsh)('pwsh: hostile strings arrive intact', () => {
    for (const [, s] of HOSTILE) {
      if (s.includes('\0') || /[\uD800-\uDFFF]/.test(s)) continue;
      const result = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command', `[Console]::Out.Write(${quotePowerShell(s)})`]);
      expect(result.stdout.toString('utf8')).toBe(s);
    }
  });
});

// ---------------------------------------------------------------- cmd.exe, by its parsing phases

/**
 * What a program started from an interactive cmd.exe receives, following cmd's phases and the C runtime:
 * 1. %NAME% expands when NAME is defined; otherwise it stays and scanning resumes at its closing `%`
 *    (`resume: 'next'` is the more pessimistic model that retries at every `%`).
 * 2. Outside quotes `^` escapes the next character, `"` toggles quoting, and an unescaped & | < > would run or
 *    redirect something else: that throws.
 * 3. The Microsoft C runtime splits the line into argv (backslashes count only before a quote).
 */
function cmdArgs(line: string, env: Record<string, string>, resume: 'closing' | 'next' = 'closing'): string[] {
  let expanded = '';
  for (let i = 0; i < line.length; ) {
    if (line[i] !== '%') {
      expanded += line[i++];
      continue;
    }
    const close = line.indexOf('%', i + 1);
    if (close < 0) {
      expanded += line.slice(i);
      break;
    }
    const name = line.slice(i + 1, close);
    const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
    if (name !== '' && key !== undefined) {
      expanded += env[key];
      i = close + 1;
    } else if (resume === 'closing') {
      expanded += line.slice(i, close);
      i = close;
    } else {
      expanded += '%';
      i++;
    }
  }
  let stripped = '';
  let quoted = false;
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i]!;
    if (c === '\n' || c === '\r') throw new Error('cmd.exe ends the command at a line break');
    if (quoted) {
      if (c === '"') quoted = false;
      stripped += c;
    } else if (c === '^') {
      if (i + 1 >= expanded.length) throw new Error('a trailing caret continues the line');
      stripped += expanded[++i];
    } else if (c === '"') {
      quoted = true;
      stripped += c;
    } else if ('&|<>'.includes(c)) {
      throw new Error(`cmd.exe would act on ${c}`);
    } else stripped += c;
  }
  return crtArgs(stripped);
}

function crtArgs(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) return args;
    let arg = '';
    let quoted = false;
    while (i < line.length) {
      const c = line[i]!;
      if (!quoted && (c === ' ' || c === '\t')) break;
      if (c === '\\') {
        let k = 0;
        while (line[i + k] === '\\') k++;
        if (line[i + k] === '"') {
          arg += '\\'.repeat(k >> 1);
          i += k;
          if (k % 2 === 1) {
            arg += '"';
            i++;
          }
        } else {
          arg += '\\'.repeat(k);
          i += k;
        }
      } else if (c === '"') {
        if (quoted && line[i + 1] === '"') {
          arg += '"';
          i += 2;
        } else {
          quoted = !quoted;
          i++;
        }
      } else {
        arg += c;
        i++;
      }
    }
    args.push(arg);
  }
}

const WINDOWS_ENV = { PATH: 'C:\\Windows\\system32;C:\\Windows', USERNAME: 'victim', '~dp0': 'C:\\', TEMP: 'C:\\Temp' };

describe('quoteCmd: read back by cmd.exe and C runtime rules', () => {
  const expressible = HOSTILE.filter(([, s]) => /^[\x20-\x7E]*$/.test(s));
  it.each(expressible)('%s', (_, s) => {
    const quoted = quoteCmd(s);
    expect(quoted.ok).toBe(true);
    if (!quoted.ok) return;
    expect(cmdArgs(`curl.exe ${quoted.value}`, WINDOWS_ENV)).toEqual(['curl.exe', s]);
    expect(cmdArgs(`curl.exe ${quoted.value}`, WINDOWS_ENV, 'next')).toEqual(['curl.exe', s]);
  });

  it('refuses what cmd.exe cannot carry: line breaks, controls, non-ASCII', () => {
    for (const [, s] of HOSTILE.filter(([, s]) => !/^[\x20-\x7E]*$/.test(s))) {
      const quoted = quoteCmd(s);
      expect(quoted.ok).toBe(false);
      if (!quoted.ok) expect(quoted.error.code).toBe('cmd-cannot-express');
    }
  });

  it('the model catches what plain double quotes get wrong', () => {
    const naive = (s: string) => `"${s}"`;
    expect(cmdArgs(`curl.exe ${naive('%PATH%')}`, WINDOWS_ENV)).not.toEqual(['curl.exe', '%PATH%']);
    expect(() => cmdArgs(`curl.exe ${naive('a"&calc&"b')}`, WINDOWS_ENV)).toThrow();
  });
});

describe('safeBundleFileName: a base name safe in every shell and file system', () => {
  it.each([
    ['secure-connect-orders.zip', 'secure-connect-orders.zip'],
    ['secure-connect-proxy-internal-events-archive-europe-west1.zip', 'secure-connect-proxy-internal-events-archive-europe-west1.zip'],
    ['secure-connect-orders', 'secure-connect-orders.zip'],
    ['../../.ssh/authorized_keys', 'authorized_keys.zip'],
    ['C:\\Users\\me\\secure-connect-x.zip', 'secure-connect-x.zip'],
    ['-rf.zip', 'rf.zip'],
    ['--output=x.zip', 'output_x.zip'],
    ['secure-connect-$(id).zip', 'secure-connect-__id_.zip'],
    ["secure-connect-'`;|&.zip", 'secure-connect-_____.zip'],
    ['secure-connect-a..b.zip', 'secure-connect-a.b.zip'],
    ['secure-connect-données.zip', 'secure-connect-donn_es.zip'],
    ['a\nb.zip', 'a_b.zip'],
    ['..', 'secure-connect.zip'],
    ['', 'secure-connect.zip'],
    ['/', 'secure-connect.zip'],
    ['---', 'secure-connect.zip'],
    ['con.zip', 'secure-connect.zip'],
    ['NUL', 'secure-connect.zip'],
    ['LPT1.zip', 'secure-connect.zip'],
  ])('%j -> %s', (input, expected) => {
    expect(safeBundleFileName(input)).toBe(expected);
  });

  it('caps the length and keeps .zip', () => {
    const name = safeBundleFileName(`secure-connect-${'a'.repeat(500)}.zip`);
    expect(name.length).toBe(120);
    expect(name.endsWith('.zip')).toBe(true);
  });

  it('always gives a plain name for any hostile input', () => {
    for (const [, s] of HOSTILE) expect(safeBundleFileName(s)).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*\.zip$/);
  });
});

// ---------------------------------------------------------------- bundleCommands

const DC1 = '7b1d8e0a-3c2f-4e55-9a77-0c6f1d2e3b4a-1';
const SIGNATURE = 'a3c1f0e9b8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1';
const QUERY =
  'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA2SBDS4Y3EXAMPLE%2F20261123%2Fus-east-2%2Fs3%2Faws4_request' +
  `&X-Amz-Date=20261123T101500Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIGNATURE}`;
const ORDERS = `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/${DC1}/secure-connect-orders.zip?${QUERY}`;

/** What a browser puts on the wire for a raw URL: controls, space, `"`, DEL and non-ASCII as %XX of their UTF-8. */
const onTheWire = (url: string) =>
  [...Buffer.from(url, 'utf8')]
    .map((b) => (b <= 0x20 || b === 0x22 || b >= 0x7f ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b)))
    .join('');

describe('bundleCommands: the commands for a real link', () => {
  it('reads as the console would write them, with -f so an S3 error is never saved as the zip', () => {
    expect(bundleCommands(ORDERS, 'secure-connect-orders.zip')).toEqual({
      curl: `curl -fSL -o 'secure-connect-orders.zip' '${ORDERS}'`,
      wget: `wget -O 'secure-connect-orders.zip' '${ORDERS}' || { rm -f 'secure-connect-orders.zip'; false; }`,
      powershell: `curl.exe -fSL -o 'secure-connect-orders.zip' '${ORDERS}'`,
      cmd: `curl.exe -fSL -o ^"secure-connect-orders.zip^" ^"${ORDERS.replace(/&/g, '^&').replace(/%/g, '^%^')}^"`,
    });
  });

  it('adds --globoff when the URL has [ ] { }', () => {
    const commands = bundleCommands(`${ORDERS}&x={a,b}[1-2]`, 'secure-connect-orders.zip');
    expect(commands.curl).toMatch(/^curl -fSL --globoff -o /);
    expect(commands.powershell).toMatch(/^curl\.exe -fSL --globoff -o /);
    expect(commands.cmd).toMatch(/^curl\.exe -fSL --globoff -o /);
    expect(bundleCommands(ORDERS, 'x.zip').curl).not.toContain('--globoff');
  });

  it('keeps a URL starting with - from being read as an option', () => {
    const commands = bundleCommands('-K/etc/passwd', 'secure-connect-orders.zip');
    expect(commands.curl).toBe(`curl -fSL -o 'secure-connect-orders.zip' --url '-K/etc/passwd'`);
    expect(commands.wget).toContain(`wget -O 'secure-connect-orders.zip' -- '-K/etc/passwd'`);
  });

  it('passes every real-link character through unchanged and encodes only what can never be raw on the wire', () => {
    expect(commandUrl(ORDERS)).toBe(ORDERS);
    expect(commandUrl('https://h/a b"c\nd\u00e9\ud800')).toBe('https://h/a%20b%22c%0Ad%C3%A9%EF%BF%BD');
    for (const [, s] of HOSTILE) expect(commandUrl(s)).toBe(onTheWire(s));
  });
});

/** A folder on PATH with `curl`, `wget` and `curl.exe` stand-ins that write the argv they get, NUL-separated. */
function argvRecorder(dir: string): string {
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  for (const name of ['curl', 'wget', 'curl.exe']) {
    const file = join(bin, name);
    writeFileSync(file, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > "$ARGV_OUT"\n`);
    chmodSync(file, 0o755);
  }
  return bin;
}

function recordArgv(shell: string, command: string): { argv: Buffer; marker: boolean; status: number | null } {
  const dir = scratch();
  try {
    const bin = argvRecorder(dir);
    const out = join(dir, 'argv');
    const result = spawnSync(shell, ['-c', command], {
      cwd: dir,
      env: cleanEnv(dir, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, ARGV_OUT: out }),
    });
    return { argv: existsSync(out) ? readFileSync(out) : Buffer.alloc(0), marker: existsSync(join(dir, 'MARKER')), status: result.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bundleCommands in real shells: curl and wget get exactly the URL and file name, and nothing runs', () => {
  const cases = HOSTILE.flatMap(([label, s]) => [
    [`${label} in the query`, `${ORDERS}&note=${s}`, `secure-connect-${s}.zip`] as const,
    [`${label} as the whole URL`, s, s] as const,
  ]);
  const shells = (['sh', 'bash'] as const).filter((shell) => HAS[shell]);

  it.each(cases)('%s', (_, url, fileName) => {
    const commands = bundleCommands(url, fileName);
    const file = safeBundleFileName(fileName);
    const wire = onTheWire(url);
    const glob = /[[\]{}]/.test(wire) ? ['--globoff'] : [];
    const dashed = wire.startsWith('-');
    for (const shell of shells) {
      const curl = recordArgv(shell, commands.curl);
      expect(curl.status).toBe(0);
      expect(curl.marker).toBe(false);
      expect(curl.argv).toEqual(nulJoined(['-fSL', ...glob, '-o', file, ...(dashed ? ['--url'] : []), wire]));
      const wget = recordArgv(shell, commands.wget);
      expect(wget.status).toBe(0);
      expect(wget.marker).toBe(false);
      expect(wget.argv).toEqual(nulJoined(['-O', file, ...(dashed ? ['--'] : []), wire]));
    }
    expect(powershellArgs(commands.powershell)).toEqual(['curl.exe', '-fSL', ...glob, '-o', file, ...(dashed ? ['--url'] : []), wire]);
    expect(cmdArgs(commands.cmd!, WINDOWS_ENV)).toEqual(['curl.exe', '-fSL', ...glob, '-o', file, ...(dashed ? ['--url'] : []), wire]);
  });

  it('gives Windows PowerShell 5.1 nothing to mangle: no argument with a quote, a space or an empty value', () => {
    for (const [, url, fileName] of cases) {
      for (const arg of powershellArgs(bundleCommands(url, fileName).powershell).slice(1)) {
        if (arg === '') expect(url).toBe('');
        else expect(arg).not.toMatch(/["\s]/);
      }
    }
  });
});

// ---------------------------------------------------------------- real downloads from a local storage stand-in

const BUNDLE = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), randomBytes(12_044)]);
const EXPIRED_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message>' +
  '<X-Amz-Expires>300</X-Amz-Expires><Expires>2026-11-23T10:20:00Z</Expires><ServerTime>2026-11-23T10:31:07Z</ServerTime>' +
  '<RequestId>4ZQ3N8V1B2C3D4E5</RequestId><HostId>aGVsbG8gd29ybGQ=</HostId></Error>';

describe('bundleCommands: real downloads with curl and wget', () => {
  let server: http.Server;
  let base = '';
  const requests: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://storage');
      if (req.method !== 'GET' || url.pathname !== `/${DC1}/secure-connect-orders.zip`) {
        res.writeHead(404).end();
      } else if (url.searchParams.get('X-Amz-Signature') === SIGNATURE) {
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': BUNDLE.length }).end(BUNDLE);
      } else if (url.searchParams.get('X-Amz-Signature') === 'cut') {
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': BUNDLE.length });
        res.write(BUNDLE.subarray(0, 1000), () => res.destroy());
      } else {
        res.writeHead(403, { 'content-type': 'application/xml' }).end(EXPIRED_XML);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const link = (query = QUERY) => `${base}/${DC1}/secure-connect-orders.zip?${query}`;

  /** The server runs in this process, so the command must run asynchronously. */
  function run(command: string, dir: string): Promise<number | null> {
    return new Promise((resolve) => {
      const child = spawn('sh', ['-c', command], { cwd: dir, env: cleanEnv(dir), stdio: 'ignore' });
      child.on('close', (code) => resolve(code));
    });
  }

  async function download(which: 'curl' | 'wget', url: string, existing?: Buffer) {
    const dir = scratch();
    try {
      if (existing) writeFileSync(join(dir, 'secure-connect-orders.zip'), existing);
      const status = await run(bundleCommands(url, 'secure-connect-orders.zip')[which], dir);
      const file = join(dir, 'secure-connect-orders.zip');
      return { status, files: readdirSync(dir).filter((f) => f !== '.wget-hsts'), bytes: existsSync(file) ? readFileSync(file) : undefined };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.skipIf(!HAS.curl)('curl saves exactly the bundle bytes', async () => {
    requests.length = 0;
    const result = await download('curl', link());
    expect(result.status).toBe(0);
    expect(result.bytes).toEqual(BUNDLE);
    expect(requests).toEqual([`/${DC1}/secure-connect-orders.zip?${QUERY}`]);
  });

  it.skipIf(!HAS.wget)('wget saves exactly the bundle bytes', async () => {
    requests.length = 0;
    const result = await download('wget', link());
    expect(result.status).toBe(0);
    expect(result.bytes).toEqual(BUNDLE);
    expect(requests).toEqual([`/${DC1}/secure-connect-orders.zip?${QUERY}`]);
  });

  it.skipIf(!HAS.curl)('curl sends a hostile query exactly as given (--globoff keeps { } literal), and nothing runs', async () => {
    requests.length = 0;
    const hostile = `${QUERY}&note='$(touch%20MARKER)'\`id\`{a,b}[1]!`;
    const dir = scratch();
    try {
      await run(bundleCommands(link(hostile), 'secure-connect-orders.zip').curl, dir);
      expect(existsSync(join(dir, 'MARKER'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(requests).toEqual([`/${DC1}/secure-connect-orders.zip?${hostile}`]);
  });

  it.skipIf(!HAS.curl)('curl -f: an expired link (403, S3 XML) exits non-zero and leaves no file', async () => {
    const result = await download('curl', link(QUERY.replace(SIGNATURE, 'expired')));
    expect(result.status).toBe(22);
    expect(result.files).toEqual([]);
  });

  it.skipIf(!HAS.curl)('curl -f: on a 403 an older bundle of the same name is left as it was', async () => {
    const older = Buffer.from('PK older bundle');
    const result = await download('curl', link(QUERY.replace(SIGNATURE, 'expired')), older);
    expect(result.status).toBe(22);
    expect(result.bytes).toEqual(older);
  });

  it.skipIf(!HAS.wget)('wget: an expired link exits non-zero and the empty file wget -O creates is removed', async () => {
    const result = await download('wget', link(QUERY.replace(SIGNATURE, 'expired')));
    expect(result.status).not.toBe(0);
    expect(result.files).toEqual([]);
  });

  it.skipIf(!HAS.wget)('wget alone would leave that empty file (why the command removes it)', async () => {
    const dir = scratch();
    try {
      const status = await run(`wget -O 'secure-connect-orders.zip' ${quotePosix(link(QUERY.replace(SIGNATURE, 'expired')))}`, dir);
      expect(status).not.toBe(0);
      expect(readFileSync(join(dir, 'secure-connect-orders.zip')).length).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!HAS.curl)('curl: a transfer cut short exits non-zero (the partial file stays; checkBundle flags it)', async () => {
    const result = await download('curl', link(QUERY.replace(SIGNATURE, 'cut')));
    expect(result.status).toBe(18);
    expect(result.bytes?.length ?? 0).toBeLessThan(BUNDLE.length);
  });
});
