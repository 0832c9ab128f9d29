import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { dbIdFor, realBundle, type RealBundle } from '../../tests/unit/fixtures/filled-store';
import { connectionEnv, connectionKitFiles, dataApiEndpoint, zipConnectionKit, type ConnectionKitInput, type KitFile } from './connection-kit';

const TOKEN = `AstraCS:${'AbCdEfGhIjKlMnOpQrStUvWx'}:${'0123456789abcdef'.repeat(4)}`;
const DB_ID = dbIdFor(0x6c1f2a9e);
const has = (tool: string, args: string[]) => !spawnSync(tool, args).error;

let east: RealBundle;
let europe: RealBundle;
beforeAll(async () => {
  [east, europe] = await Promise.all([realBundle(DB_ID, 'orders', 'us-east1'), realBundle(DB_ID, 'orders', 'europe-west1')]);
}, 60_000);

function twoRegions(extra: Partial<ConnectionKitInput> = {}): ConnectionKitInput {
  return {
    dbId: DB_ID,
    dbName: 'orders',
    // Astra names both regions' files alike in the store; the kit must keep both.
    bundles: [
      { fileName: 'secure-connect-orders.zip', region: 'us-east1', keyspace: 'shop', bytes: east.bytes },
      { fileName: 'secure-connect-orders.zip', region: 'europe-west1', keyspace: 'shop', bytes: europe.bytes },
    ],
    ...extra,
  };
}

const textOf = (file: KitFile) => (typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString('latin1'));
const byPath = (files: KitFile[], path: string) => files.find((f) => f.path === path)!;

/** The commented alternative lines of `.env`, parsed as if uncommented. */
function commentedValues(env: string): Record<string, string> {
  return parseEnv(env.split('\n').filter((l) => /^# ASTRA_DB_[A-Z_]+='/.test(l)).map((l) => l.slice(2)).join('\n'));
}

describe('connection kit', () => {
  it('holds both regions\' bundles byte for byte, the .env and every snippet', () => {
    const files = connectionKitFiles(twoRegions());
    expect(files.map((f) => f.path)).toEqual([
      'secure-connect-orders.zip',
      'secure-connect-orders-europe-west1.zip',
      '.env',
      'README.md',
      'connect.sh',
      'connect.py',
      'Connect.java',
      'connect.js',
      'data_api.py',
      'data-api.mjs',
    ]);
    expect(files[0]!.content).toEqual(east.bytes);
    expect(files[1]!.content).toEqual(europe.bytes);
  });

  it('writes a .env that dotenv reads back: the first region as the default, the other as a commented line, no token', () => {
    const env = connectionEnv(twoRegions());
    expect(parseEnv(env)).toEqual({
      ASTRA_DB_ID: DB_ID,
      ASTRA_DB_KEYSPACE: 'shop',
      ASTRA_DB_REGION: 'us-east1',
      ASTRA_DB_API_ENDPOINT: `https://${DB_ID}-us-east1.apps.astra.datastax.com`,
      ASTRA_DB_SECURE_BUNDLE_PATH: 'secure-connect-orders.zip',
    });
    expect(commentedValues(env)).toEqual({
      ASTRA_DB_REGION: 'europe-west1',
      ASTRA_DB_API_ENDPOINT: `https://${DB_ID}-europe-west1.apps.astra.datastax.com`,
      ASTRA_DB_SECURE_BUNDLE_PATH: 'secure-connect-orders-europe-west1.zip',
      ASTRA_DB_APPLICATION_TOKEN: 'AstraCS:...',
    });
    expect(env).toContain('# Region europe-west1\n');
    expect(env).not.toMatch(/^ASTRA_DB_APPLICATION_TOKEN/m);
  });

  it('writes the chosen token, and only a well-formed one', () => {
    expect(parseEnv(connectionEnv(twoRegions({ token: TOKEN }))).ASTRA_DB_APPLICATION_TOKEN).toBe(TOKEN);
    const forged = connectionEnv(twoRegions({ token: `${TOKEN}'\nASTRA_DB_ID='x` }));
    expect(parseEnv(forged).ASTRA_DB_APPLICATION_TOKEN).toBeUndefined();
    expect(parseEnv(forged).ASTRA_DB_ID).toBe(DB_ID);
  });

  it('never writes an expiring link into any file, the zip included', async () => {
    const files = connectionKitFiles(twoRegions({ token: TOKEN }));
    for (const file of files) expect(textOf(file)).not.toContain('X-Amz-');
    const zip = await zipConnectionKit(files);
    expect(Buffer.from(zip).includes('X-Amz-')).toBe(false);
    const back = await JSZip.loadAsync(zip, { checkCRC32: true });
    expect(await back.file('secure-connect-orders-europe-west1.zip')!.async('uint8array')).toEqual(europe.bytes);
  });

  it('keeps hostile keyspace, file, region and database names out of .env and the snippets', () => {
    const hostile: ConnectionKitInput = {
      dbId: `${DB_ID}'\nASTRA_DB_REGION='evil`,
      dbName: "orders'\n# $(touch pwned)\nASTRA_DB_ID='evil",
      bundles: [
        { fileName: "a' $(touch pwned) \"`x`\n.zip", region: "us-east1'\nASTRA_DB_KEYSPACE='evil", keyspace: "shop'\nASTRA_DB_APPLICATION_TOKEN='evil", bytes: east.bytes },
        { fileName: 'b$HOME.zip', region: 'europe-west1', keyspace: 'x"); import os; os.system("touch pwned") #', bytes: europe.bytes },
      ],
    };
    const files = connectionKitFiles(hostile);
    const env = textOf(byPath(files, '.env'));
    // dotenv sees only the lines the kit meant, with only safe values.
    expect(parseEnv(env)).toEqual({ ASTRA_DB_SECURE_BUNDLE_PATH: 'a____touch_pwned____x__.zip' });
    for (const line of env.split('\n')) expect(line === '' || line.startsWith('#') || /^ASTRA_DB_[A-Z_]+='[\p{L}\p{N}._:/-]+'$/u.test(line)).toBe(true);
    expect(files.map((f) => f.path).slice(0, 2)).toEqual(['a____touch_pwned____x__.zip', 'b_HOME.zip']);
    for (const file of files.slice(2)) {
      // The names may show, defused (in comments, as `_`), never as a value or a command.
      expect(textOf(file)).not.toMatch(/'evil|evil'|\$\(touch|\n[A-Z_]+='evil/);
    }
  });

  it.skipIf(!has('bash', ['--version']))('a shell that sources the hostile .env runs nothing and sets what dotenv reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-env-'));
    const env = connectionEnv({
      dbId: DB_ID,
      dbName: 'x\n$(touch pwned)',
      bundles: [{ fileName: "it's $(touch pwned).zip", region: 'us-east1', keyspace: "k'$(touch pwned)'", bytes: east.bytes }],
      token: TOKEN,
    });
    writeFileSync(join(dir, '.env'), env);
    const run = spawnSync('bash', ['-c', 'set -a; . ./.env; set +a; env | grep ^ASTRA_DB_ | sort'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.status).toBe(0);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    const fromShell = Object.fromEntries(run.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(fromShell).toEqual(parseEnv(env));
    expect(fromShell.ASTRA_DB_APPLICATION_TOKEN).toBe(TOKEN);
  });

  it('builds the endpoint only from a well-formed id and region', () => {
    expect(dataApiEndpoint(DB_ID.toUpperCase(), 'us-east1')).toBe(`https://${DB_ID}-us-east1.apps.astra.datastax.com`);
    expect(dataApiEndpoint('not-an-id', 'us-east1')).toBeUndefined();
    expect(dataApiEndpoint(DB_ID, 'us east1')).toBeUndefined();
    expect(dataApiEndpoint(DB_ID, undefined)).toBeUndefined();
  });

  it('Data API snippets call astrapy and astra-db-ts as documented, with the keyspace', () => {
    const files = connectionKitFiles(twoRegions());
    expect(textOf(byPath(files, 'data_api.py'))).toContain("DataAPIClient(os.environ['ASTRA_DB_APPLICATION_TOKEN'])");
    expect(textOf(byPath(files, 'data_api.py'))).toContain("client.get_database(os.environ['ASTRA_DB_API_ENDPOINT'], keyspace='shop')");
    expect(textOf(byPath(files, 'data-api.mjs'))).toContain('new DataAPIClient(process.env.ASTRA_DB_APPLICATION_TOKEN)');
    expect(textOf(byPath(files, 'data-api.mjs'))).toContain("client.db(process.env.ASTRA_DB_API_ENDPOINT, { keyspace: 'shop' })");
  });

  describe.each([
    ['plain names', () => twoRegions({ token: TOKEN })],
    ['hostile names', () => ({ dbId: DB_ID, dbName: "o'\"\n*/ db", bundles: [{ fileName: "a'\"`$x\n.zip", region: 'us-east1', keyspace: "k'); drop", bytes: east.bytes }] })],
  ] as Array<[string, () => ConnectionKitInput]>)('every Python and JavaScript snippet parses (%s)', (_name, input) => {
    let files: KitFile[] = [];
    let readme = '';
    beforeAll(() => {
      files = connectionKitFiles(input());
      readme = textOf(byPath(files, 'README.md'));
    });
    const fenced = (lang: string) => [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

    it.skipIf(!has('python3', ['--version']))('python3 -m py_compile', () => {
      const dir = mkdtempSync(join(tmpdir(), 'kit-py-'));
      const sources = [textOf(byPath(files, 'connect.py')), textOf(byPath(files, 'data_api.py')), ...fenced('python')];
      expect(sources.length).toBe(4);
      sources.forEach((source, i) => writeFileSync(join(dir, `s${i}.py`), source));
      const result = spawnSync('python3', ['-m', 'py_compile', ...sources.map((_s, i) => join(dir, `s${i}.py`))], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('node --check', () => {
      const dir = mkdtempSync(join(tmpdir(), 'kit-js-'));
      const sources: Array<[string, string]> = [
        ['connect.cjs', textOf(byPath(files, 'connect.js'))],
        ['data-api.mjs', textOf(byPath(files, 'data-api.mjs'))],
        ...fenced('js').map((s, i): [string, string] => [s.includes('import ') ? `r${i}.mjs` : `r${i}.cjs`, s]),
      ];
      expect(sources.length).toBe(4);
      for (const [name, source] of sources) {
        writeFileSync(join(dir, name), source);
        const result = spawnSync(process.execPath, ['--check', join(dir, name)], { encoding: 'utf8' });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
      }
    });
  });
});
