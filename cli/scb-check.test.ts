import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundleParts, zipBundle } from '../tests/replica/make-bundle';
import { S3_EXPIRED } from '../tests/unit/fixtures/storage-errors';
import { checkBundle } from '../utils/bundle/check-bundle';
import { readZipDirectory } from '../utils/zip/zip-directory';
import { runScbCheck, type CliReport, type ScbCheckIo } from './scb-check';

const spec = { dbId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d', dbName: 'ledger', region: 'eu-west-1' };
let parts: Record<string, Uint8Array>;
let good: Uint8Array;
let passwords: string[];

beforeAll(async () => {
  parts = await makeBundleParts(spec);
  good = await zipBundle(parts);
  const config = JSON.parse(new TextDecoder().decode(parts['config.json']));
  passwords = [config.keyStorePassword, config.trustStorePassword, config.pfxCertPassword];
});

/** An in-memory file system: a path maps to bytes (a file) or to a list of names (a folder). */
function memoryIo(files: Record<string, Uint8Array | string[]>) {
  const out = { stdout: '', stderr: '' };
  const missing = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  const io: ScbCheckIo = {
    readFile: async (path) => {
      const f = files[path];
      if (!(f instanceof Uint8Array)) throw missing(path);
      return f;
    },
    stat: async (path) => {
      const f = files[path];
      if (f === undefined) throw missing(path);
      return { isDirectory: () => Array.isArray(f), isFile: () => f instanceof Uint8Array, size: f instanceof Uint8Array ? f.length : 0 };
    },
    readdir: async (path) => {
      const f = files[path];
      if (!Array.isArray(f)) throw missing(path);
      return f;
    },
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
  };
  return { io, out };
}

describe('runScbCheck', () => {
  it('prints one OK line per good bundle and exits 0', async () => {
    const { io, out } = memoryIo({ 'a.zip': good, 'b.zip': good });
    expect(await runScbCheck(['a.zip', 'b.zip'], io)).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^a\\.zip: OK \\(database ${spec.dbId}, region ${spec.region}, certificate valid until \\d{4}-\\d\\d-\\d\\d\\)$`),
    );
  });

  it('prints the problems with their hints and exits 1 when any bundle is bad', async () => {
    const { io, out } = memoryIo({ 'good.zip': good, 'secure-connect-ledger.zip': new TextEncoder().encode(S3_EXPIRED) });
    expect(await runScbCheck(['good.zip', 'secure-connect-ledger.zip'], io)).toBe(1);
    const bad = out.stdout.split('\n')[1]!;
    expect(bad).toMatch(/^secure-connect-ledger.zip: FAILED storage-error: .*expired.* Hint: Open the database's Connect tab/);
  });

  it('--json prints path, ok, problems and facts for each file, without passwords', async () => {
    const { io, out } = memoryIo({ 'good.zip': good, 'empty.zip': new Uint8Array(0) });
    expect(await runScbCheck(['--json', 'good.zip', 'empty.zip'], io)).toBe(1);
    const reports = JSON.parse(out.stdout) as CliReport[];
    expect(reports.map((r) => [r.path, r.ok, r.problems.map((p) => p.code)])).toEqual([
      ['good.zip', true, []],
      ['empty.zip', false, ['not-a-zip']],
    ]);
    expect(reports[0]!.facts?.config?.port).toBe(29080);
    for (const password of passwords) expect(out.stdout).not.toContain(password);
  });

  it('reports an unpacked bundle folder as extracted-folder', async () => {
    const { io, out } = memoryIo({ 'secure-connect-ledger': Object.keys(parts) });
    expect(await runScbCheck(['secure-connect-ledger'], io)).toBe(1);
    expect(out.stdout).toMatch(/^secure-connect-ledger: FAILED extracted-folder: .* Hint: Use the original secure-connect-<database>.zip/);
  });

  it('names the repair command for a re-zipped bundle, quoted for the shell', async () => {
    const { io, out } = memoryIo({ 'my downloads/ledger.zip': await zipBundle(parts, { folder: 'secure-connect-ledger' }) });
    expect(await runScbCheck(['my downloads/ledger.zip'], io)).toBe(1);
    expect(out.stdout).toMatch(/FAILED nested-folder: .* Or run: scb-check --repair 'my downloads\/ledger\.zip' -o repaired\.zip$/m);
  });

  it('exits 2 on an unreadable path, after checking the others', async () => {
    const { io, out } = memoryIo({ 'good.zip': good });
    expect(await runScbCheck(['good.zip', 'nowhere.zip'], io)).toBe(2);
    expect(out.stdout).toContain('good.zip: OK');
    expect(out.stdout).toContain('nowhere.zip: FAILED unreadable: Cannot read this path: there is no such file.');
  });

  it('exits 2 on usage errors: no path, an unknown option', async () => {
    for (const argv of [[], ['--jsn', 'a.zip']]) {
      const { io, out } = memoryIo({});
      expect(await runScbCheck(argv, io)).toBe(2);
      expect(out.stderr).toContain('Usage: scb-check');
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const { io, out } = memoryIo({});
    expect(await runScbCheck(['--help'], io)).toBe(0);
    expect(out.stdout).toContain('Exit status');
  });

  it('judges a huge file by its size without reading it', async () => {
    const { io, out } = memoryIo({});
    io.stat = async () => ({ isDirectory: () => false, isFile: () => true, size: 5e9 });
    io.readFile = async () => {
      throw new Error('read a 5 GB file');
    };
    expect(await runScbCheck(['huge.zip'], io)).toBe(1);
    expect(out.stdout).toMatch(/^huge.zip: FAILED too-large/);
  });

  it('asks for at most one byte past the bundle limit, so a file that grew after stat is still judged too large', async () => {
    const { io, out } = memoryIo({ 'grown.zip': good });
    const asked: number[] = [];
    io.readFile = async (_path, maxBytes) => {
      asked.push(maxBytes);
      return new Uint8Array(maxBytes);
    };
    expect(await runScbCheck(['grown.zip'], io)).toBe(1);
    expect(asked).toEqual([1024 * 1024 + 1]);
    expect(out.stdout).toMatch(/^grown.zip: FAILED too-large/);
  });
});

// Each run starts Node with tsx: seconds apiece on a busy machine.
describe('bin/scb-check.mjs on real files', { timeout: 120_000 }, () => {
  let dir: string;
  const bin = join(__dirname, '..', 'bin', 'scb-check.mjs');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  // Inputs that used to hang the tool get a short leash, so the old behaviour fails fast instead of eating memory.
  const runBriefly = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scb-check-'));
    writeFileSync(join(dir, 'secure-connect-ledger.zip'), good);
    writeFileSync(join(dir, 'expired.zip'), S3_EXPIRED);
    writeFileSync(join(dir, 'nested.zip'), await zipBundle(parts, { folder: 'secure-connect-ledger', macosx: true }));
    mkdirSync(join(dir, 'secure-connect-ledger'));
    for (const [name, data] of Object.entries(parts)) writeFileSync(join(dir, 'secure-connect-ledger', name), data);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and prints OK for a good bundle', () => {
    const r = run('secure-connect-ledger.zip');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^secure-connect-ledger.zip: OK \(/);
  });

  it('exits 1 with one line per file for bad ones, and the folder as extracted-folder', () => {
    const r = run('secure-connect-ledger.zip', 'expired.zip', 'nested.zip', 'secure-connect-ledger');
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => /^(\S+): (OK|FAILED(?: warning)? (\S+):)/.exec(l)?.slice(1).filter(Boolean))).toEqual([
      ['secure-connect-ledger.zip', 'OK'],
      ['expired.zip', 'FAILED storage-error:', 'storage-error'],
      ['nested.zip', 'FAILED nested-folder:', 'nested-folder'],
      ['secure-connect-ledger', 'FAILED extracted-folder:', 'extracted-folder'],
    ]);
  });

  it('--json prints a parseable array', () => {
    const r = run('--json', 'expired.zip');
    expect(r.status).toBe(1);
    const [report] = JSON.parse(r.stdout) as CliReport[];
    expect(report!.facts?.errorDocument).toMatchObject({ service: 's3', code: 'AccessDenied' });
  });

  it('exits 2 on a missing path', () => {
    const r = run('missing.zip');
    expect(r.status).toBe(2);
  });

  it('refuses a named pipe with exit 2 instead of waiting for a writer', () => {
    const fifo = join(dir, 'secure-connect-pipe.zip');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = runBriefly('secure-connect-pipe.zip', 'secure-connect-ledger.zip');
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('secure-connect-pipe.zip: FAILED not-a-file: This is a named pipe, not a file.');
    expect(r.stdout).toContain('secure-connect-ledger.zip: OK');
  });

  it('refuses /dev/zero with exit 2 instead of reading it without end', () => {
    const r = runBriefly('/dev/zero');
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('/dev/zero: FAILED not-a-file: This is a device, not a file.');
  });
});

describe('bin/scb-check.mjs --repair on real files and folders', { timeout: 120_000 }, () => {
  let dir: string;
  const bin = join(__dirname, '..', 'bin', 'scb-check.mjs');
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  const entryNames = (bytes: Uint8Array) => {
    const read = readZipDirectory(bytes, { maxEntries: 64 });
    return read.ok ? read.directory.entries.map((e) => e.name) : [];
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scb-repair-'));
    writeFileSync(join(dir, 'rezipped.zip'), await zipBundle(parts, { folder: 'secure-connect-ledger', macosx: true }));
    writeFileSync(join(dir, 'expired.zip'), S3_EXPIRED);
    // A folder as Finder leaves it: the files, a .DS_Store, and an AppleDouble folder beside them.
    const unpacked = join(dir, 'Downloads', 'secure-connect-ledger');
    mkdirSync(join(unpacked, '__MACOSX'), { recursive: true });
    for (const [name, data] of Object.entries(parts)) {
      writeFileSync(join(unpacked, name), data);
      writeFileSync(join(unpacked, '__MACOSX', `._${name}`), new Uint8Array(26));
    }
    writeFileSync(join(unpacked, '.DS_Store'), new Uint8Array([0, 0, 0, 1]));
    const keyless = join(dir, 'keyless');
    mkdirSync(keyless);
    for (const [name, data] of Object.entries(parts)) if (name !== 'key') writeFileSync(join(keyless, name), data);
    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'photos', 'beach.jpg'), new Uint8Array([0xff, 0xd8, 0xff]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('repairs a re-zipped bundle into a flat one in Astra order, checks it and exits 0', async () => {
    const r = run('--repair', 'rezipped.zip', '-o', 'repaired.zip');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [summary, verdict] = r.stdout.trimEnd().split('\n');
    expect(summary).toBe(
      'Repaired rezipped.zip -> repaired.zip: 8 entries from the files under "secure-connect-ledger", flat, in Astra\'s order; left out 8 other paths (8 in __MACOSX/).',
    );
    expect(verdict).toMatch(/^repaired.zip: OK \(database /);
    const repaired = new Uint8Array(readFileSync(join(dir, 'repaired.zip')));
    expect(entryNames(repaired)).toEqual(['ca.crt', 'key', 'cert', 'identity.jks', 'trustStore.jks', 'config.json', 'cqlshrc', 'cert.pfx']);
    expect((await checkBundle(repaired)).ok).toBe(true);
  });

  it('repairs an unpacked folder on disk, leaving .DS_Store and __MACOSX out', async () => {
    const r = run('--json', '--repair', join('Downloads', 'secure-connect-ledger'), '--output', 'from-folder.zip');
    expect(r.status).toBe(0);
    const [report] = JSON.parse(r.stdout) as CliReport[];
    expect(report!.ok).toBe(true);
    expect(report!.repair).toMatchObject({ folder: '', missing: [], entries: expect.arrayContaining(['key', 'cert']) });
    expect(report!.repair!.dropped).toEqual(expect.arrayContaining(['.DS_Store', '__MACOSX/._config.json']));
    for (const password of passwords) expect(r.stdout).not.toContain(password);
    expect(entryNames(new Uint8Array(readFileSync(join(dir, 'from-folder.zip'))))).toHaveLength(8);
  });

  it('writes what is there and reports a missing key as missing, exit 1', () => {
    const r = run('--repair', 'keyless', '-o', 'keyless.zip');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('missing, not made up: key.');
    expect(r.stdout).toMatch(/keyless.zip: FAILED missing-entry: The bundle lacks key/);
    expect(entryNames(new Uint8Array(readFileSync(join(dir, 'keyless.zip'))))).not.toContain('key');
  });

  it('refuses input that is not a bundle at all and writes nothing', () => {
    for (const input of ['expired.zip', 'photos']) {
      const r = run('--repair', input, '-o', `${input}-out.zip`);
      expect(r.status, input).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^${input}: NOT REPAIRED not-a-bundle: `));
      expect(existsSync(join(dir, `${input}-out.zip`))).toBe(false);
    }
  });

  it('exits 2 on a FIFO as INPUT, an OUTPUT that is a folder, or a missing -o', () => {
    const fifo = join(dir, 'pipe.zip');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const piped = spawnSync(process.execPath, [bin, '--repair', 'pipe.zip', '-o', 'x.zip'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(piped.status).toBe(2);
    expect(piped.stdout).toContain('pipe.zip: NOT REPAIRED not-a-file: This is a named pipe, not a file.');
    const intoFolder = run('--repair', 'rezipped.zip', '-o', 'photos');
    expect(intoFolder.status).toBe(2);
    expect(intoFolder.stdout).toContain('NOT REPAIRED unwritable');
    expect(run('--repair', 'rezipped.zip').status).toBe(2);
    expect(run('-o', 'x.zip', 'rezipped.zip').status).toBe(2);
  });
});
