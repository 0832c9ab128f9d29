import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DB_NAMES,
  T0,
  bundleRecord,
  dbIdFor,
  filledStore,
  freshStore,
  newVault,
  putBundle,
  realBundle,
  type FilledStore,
} from '../../tests/unit/fixtures/filled-store';
import {
  DECRYPT_SCRIPT,
  bundlePathFor,
  exportDatabase,
  exportFileName,
  exportStore,
  safeSegment,
  type ExportManifest,
  type BundlesDocument,
  type TokensPayload,
} from './export-store';
import { importStore, isSafeEntryPath } from './import-store';
import { CONSOLE_CSV_HEADER, tokensToConsoleCsv } from '../token/token-csv';
import { listTokens } from '../store/queries';

const PASSPHRASE = 'correct horse battery staple';
const VERSION = '0.1.0';

async function entries(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const out = new Map<string, Uint8Array>();
  for (const file of Object.values(zip.files)) if (!file.dir) out.set(file.name, await file.async('uint8array'));
  return out;
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const json = <T>(bytes: Uint8Array | undefined) => JSON.parse(text(bytes)) as T;

function contains(haystack: Uint8Array, needle: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle, 'utf8'));
}

/** The console CSV the store's tokens should come out as (sorted by client id, as the export sorts them). */
async function expectedCsv(filled: FilledStore): Promise<string> {
  const records = (await listTokens(filled.db)).sort((a, b) => (a.id < b.id ? -1 : 1));
  return tokensToConsoleCsv(
    records.map((r) => {
      const plain = filled.tokens.find((t) => t.clientId === r.clientId)!;
      return { token: plain.token, clientId: r.clientId, secret: plain.secret, role: r.role };
    }),
  );
}

describe('exportStore', () => {
  let filled: FilledStore;
  beforeAll(async () => {
    filled = await filledStore({ bundles: 16, tokens: 6 });
  }, 120_000);

  const exportWith = (tokens: Parameters<typeof exportStore>[0]['tokens'], now = T0) =>
    exportStore({ db: filled.db, vault: filled.vault, extensionVersion: VERSION, now: () => now, tokens });

  it('writes the manifest, every record, each kept bundle byte for byte, and the tokens encrypted', async () => {
    const result = await exportWith({ mode: 'encrypted', passphrase: PASSPHRASE });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const files = await entries(result.value);

    const manifest = json<ExportManifest>(files.get('manifest.json'));
    expect(manifest).toEqual({
      format: 'astra-companion-export',
      formatVersion: 1,
      extensionVersion: VERSION,
      exportedAt: new Date(T0).toISOString(),
      counts: { bundles: 16, bundleFiles: 14, tokens: 6 },
      tokens: { mode: 'encrypted', files: ['tokens.encrypted.json'] },
    });

    const document = json<BundlesDocument>(files.get('bundles.json'));
    expect(document.bundles.map((b) => b.record.id)).toEqual([...document.bundles.map((b) => b.record.id)].sort());
    const kept = document.bundles.filter((b) => b.file);
    expect(kept).toHaveLength(14);
    for (const { record, file } of kept) {
      const original = filled.bundles.find((b) => b.sha256 === record.copySha256)!;
      expect(file!.sha256).toBe(original.sha256);
      expect(files.get(file!.path)).toEqual(original.bytes);
      expect(isSafeEntryPath(file!.path)).toBe(true);
      expect(file!.path).toMatch(/^bundles\/[^/]+\/[^/]+\/secure-connect-[^/]+\.zip$/);
    }
    expect([...files.keys()].filter((n) => n.startsWith('bundles/'))).toHaveLength(14);

    // No keystore password, token or secret in the clear anywhere outside the bundles themselves.
    const outside = [...files].filter(([name]) => !name.startsWith('bundles/'));
    for (const bundle of filled.bundles) {
      const config = json<{ keyStorePassword: string; trustStorePassword: string; pfxCertPassword?: string }>(
        (await entries(bundle.bytes)).get('config.json'),
      );
      for (const [, bytes] of outside) {
        expect(contains(bytes, config.keyStorePassword)).toBe(false);
        expect(contains(bytes, config.trustStorePassword)).toBe(false);
      }
    }
    for (const token of filled.tokens) {
      for (const [, bytes] of outside) {
        expect(contains(bytes, token.token)).toBe(false);
        if (token.secret) expect(contains(bytes, token.secret)).toBe(false);
      }
    }

    const encrypted = json<Record<string, unknown>>(files.get('tokens.encrypted.json'));
    expect(encrypted).toMatchObject({ format: 'astra-companion-encrypted', kdf: 'PBKDF2-SHA-256', cipher: 'AES-256-GCM', iterations: 600_000 });
    const opened = await filled.vault.importEncrypted<TokensPayload>(encrypted, PASSPHRASE);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.csv).toBe(await expectedCsv(filled));
    expect(opened.value.csv.split('\n')[0]).toBe(CONSOLE_CSV_HEADER.map((h) => `"${h}"`).join(','));
    expect(opened.value.tokens).toHaveLength(6);
    expect(opened.value.tokens[0]).not.toHaveProperty('sealed');
    expect(opened.value.tokens.map((t) => t.label).filter(Boolean)).toEqual(['CI token 0 — Größe', 'CI token 3 — Größe']);

    const readme = text(files.get('README.txt'));
    expect(readme).toContain('PBKDF2-SHA-256');
    expect(readme).toContain('AES-256-GCM');
    expect(readme).toContain('(600000)');
    expect(readme).not.toContain(PASSPHRASE);
  });

  it('names folders from database and region names safely: no slashes, no dot segments, NFC, unique ignoring case', async () => {
    expect(safeSegment('a/../b', 'x')).toBe('a_.._b');
    expect(safeSegment('..', 'database')).toBe('database');
    expect(safeSegment(' .hidden. ', 'x')).toBe('hidden');
    expect(safeSegment('CON', 'x')).toBe('_CON');
    expect(safeSegment('Cafe\u0301', 'x')).toBe('Caf\u00e9');
    expect(safeSegment('x\u202Egnp.exe', 'x')).toBe('x_gnp.exe');
    expect(safeSegment('C:\\Windows', 'x')).toBe('C__Windows');
    expect(safeSegment('日本語データベース', 'x')).toBe('日本語データベース');
    expect(safeSegment('a'.repeat(200), 'x')).toHaveLength(64);
    expect(bundlePathFor({ dbName: '../../etc', region: 'us-east1/..', kind: 'external' })).toBe('bundles/_.._etc/us-east1_/secure-connect-_.._etc.zip');
    expect(bundlePathFor({ dbName: 'orders', datacenterId: 'dc-1', kind: 'internal' })).toBe('bundles/orders/dc-1/secure-connect-orders-internal.zip');

    const result = await exportWith({ mode: 'none' });
    if (!result.ok) throw new Error(result.error.message);
    const names = [...(await entries(result.value)).keys()];
    for (const name of names) {
      expect(isSafeEntryPath(name)).toBe(true);
      expect(name.split('/')).not.toContain('..');
    }
    const lower = names.map((n) => n.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
    expect(names).toContain('bundles/orders/us-east1/secure-connect-orders.zip');
    expect(names).toContain('bundles/Orders/us-east1/secure-connect-Orders-2.zip');
    expect(names.some((n) => n.startsWith('bundles/Caf\u00e9/'))).toBe(true);
    expect(DB_NAMES).toContain('Orders');
  });

  it('exports the same store to the same bytes, except the time in the manifest', async () => {
    const first = await exportWith({ mode: 'plain-csv' }, T0);
    const again = await exportWith({ mode: 'plain-csv' }, T0);
    const later = await exportWith({ mode: 'plain-csv' }, T0 + 86_400_000);
    if (!first.ok || !again.ok || !later.ok) throw new Error('export failed');
    expect(Buffer.from(again.value).equals(Buffer.from(first.value))).toBe(true);
    const a = await entries(first.value);
    const b = await entries(later.value);
    expect([...b.keys()]).toEqual([...a.keys()]);
    const differing = [...a.keys()].filter((name) => !Buffer.from(a.get(name)!).equals(Buffer.from(b.get(name)!)));
    expect(differing).toEqual(['manifest.json']);
    expect({ ...json<ExportManifest>(b.get('manifest.json')), exportedAt: '' }).toEqual({ ...json<ExportManifest>(a.get('manifest.json')), exportedAt: '' });
  });

  it('writes plain tokens only when asked: the console CSV, metadata beside it, and a warning', async () => {
    const result = await exportWith({ mode: 'plain-csv' });
    if (!result.ok) throw new Error(result.error.message);
    const files = await entries(result.value);
    expect(files.has('tokens.encrypted.json')).toBe(false);
    expect(text(files.get('tokens.csv'))).toBe(await expectedCsv(filled));
    // The role '=cmd|calc' is neutralized the way the console layout writer does it.
    expect(text(files.get('tokens.csv'))).toContain(`"'=cmd|calc"`);
    const metadata = json<{ tokens: Array<Record<string, unknown>> }>(files.get('tokens.json'));
    expect(metadata.tokens).toHaveLength(6);
    expect(JSON.stringify(metadata)).not.toContain('AstraCS:' + filled.tokens[0]!.clientId);
    expect(text(files.get('README.txt'))).toContain('IN THE CLEAR');

    const none = await exportWith({ mode: 'none' });
    if (!none.ok) throw new Error(none.error.message);
    const noTokens = await entries(none.value);
    expect([...noTokens.keys()].filter((n) => n.startsWith('tokens'))).toEqual([]);
    expect(json<ExportManifest>(noTokens.get('manifest.json')).counts.tokens).toBe(0);
  });

  it('needs the vault unlocked to export tokens, and never to export bundles only', async () => {
    const vault = newVault();
    const locked = await filledStore({ bundles: 2, tokens: 2, vault });
    expect((await vault.setPassphrase(null, PASSPHRASE)).ok).toBe(true);
    await vault.lock();
    for (const tokens of [{ mode: 'encrypted', passphrase: PASSPHRASE }, { mode: 'plain-csv' }] as const) {
      const result = await exportStore({ db: locked.db, vault, extensionVersion: VERSION, now: () => T0, tokens });
      expect(result).toMatchObject({ ok: false, error: { code: 'locked' } });
      if (!result.ok) expect(result.error.hint).toMatch(/unlock/i);
    }
    expect((await exportStore({ db: locked.db, vault, extensionVersion: VERSION, now: () => T0, tokens: { mode: 'none' } })).ok).toBe(true);
    await vault.unlock(PASSPHRASE);
    expect((await exportStore({ db: locked.db, vault, extensionVersion: VERSION, now: () => T0, tokens: { mode: 'plain-csv' } })).ok).toBe(true);
  });

  it('exports an inconsistent store so that it imports back: a missing copy, an orphan file, a stale hash', async () => {
    const db = await freshStore();
    const bundle = await realBundle(dbIdFor(900), 'orders', 'us-east1');
    const claims = bundleRecord(bundle, { id: 'claims|copy|external', dbName: 'claims' });
    const orphan = bundleRecord(bundle, { id: 'orphan|file|external', dbName: 'orphan', hasCopy: false });
    const stale = bundleRecord(bundle, { id: 'stale|hash|external', dbName: 'stale', copySha256: '0'.repeat(64) });
    await putBundle(db, claims);
    await putBundle(db, orphan, bundle.bytes);
    await putBundle(db, stale, bundle.bytes);
    const result = await exportStore({ db, vault: newVault(), extensionVersion: VERSION, now: () => T0, tokens: { mode: 'none' } });
    if (!result.ok) throw new Error(result.error.message);
    const document = json<BundlesDocument>((await entries(result.value)).get('bundles.json'));
    const byId = new Map(document.bundles.map((b) => [b.record.id, b]));
    expect(byId.get(claims.id)).toMatchObject({ record: { hasCopy: false }, file: null });
    expect(byId.get(claims.id)!.record).not.toHaveProperty('copySha256');
    expect(byId.get(orphan.id)).toMatchObject({ record: { hasCopy: false }, file: null });
    expect(byId.get(stale.id)).toMatchObject({ record: { hasCopy: true, copySha256: bundle.sha256 }, file: { sha256: bundle.sha256 } });
    const imported = await importStore({ db: await freshStore(), vault: newVault(), bytes: result.value, now: () => T0 });
    expect(imported.ok && imported.value.added.bundles).toBe(3);
  });

  it('refuses a short export passphrase', async () => {
    const result = await exportWith({ mode: 'encrypted', passphrase: 'short' });
    expect(result).toMatchObject({ ok: false, error: { code: 'weak-passphrase' } });
  });

  it('refuses to export a token the vault cannot open, naming it only by its mask', async () => {
    const other = await filledStore({ bundles: 0, tokens: 1 });
    // Sealed by another installation's vault: this vault cannot open it.
    const result = await exportStore({ db: other.db, vault: newVault(), extensionVersion: VERSION, now: () => T0, tokens: { mode: 'plain-csv' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'unreadable-token' } });
    if (!result.ok) expect(JSON.stringify(result.error)).not.toContain(other.tokens[0]!.token);
  });

  it('has a README recipe that decrypts the tokens with nothing but Node and WebCrypto', async () => {
    const result = await exportWith({ mode: 'encrypted', passphrase: PASSPHRASE });
    if (!result.ok) throw new Error(result.error.message);
    const files = await entries(result.value);
    expect(text(files.get('README.txt'))).toContain(DECRYPT_SCRIPT.split('\n').map((l) => `    ${l}`).join('\n'));
    const dir = mkdtempSync(join(tmpdir(), 'decrypt-recipe-'));
    writeFileSync(join(dir, 'tokens.encrypted.json'), files.get('tokens.encrypted.json')!);
    writeFileSync(join(dir, 'decrypt-tokens.mjs'), DECRYPT_SCRIPT);
    const run = spawnSync('node', ['decrypt-tokens.mjs', 'tokens.encrypted.json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, EXPORT_PASSPHRASE: PASSPHRASE },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(await expectedCsv(filled));
  }, 30_000);

  it('names the download after the day', () => {
    expect(exportFileName(T0)).toBe('astra-companion-export-2026-11-20.zip');
  });
});

describe('exportDatabase', () => {
  it('zips the connection kit: every region\'s kept bundle byte for byte, the .env, a README and ready snippets', async () => {
    const db = await freshStore();
    const east = await realBundle(dbIdFor(900), 'orders', 'us-east1');
    const europe = await realBundle(dbIdFor(900), 'orders', 'europe-west1');
    const record = bundleRecord(east);
    await putBundle(db, bundleRecord(europe), europe.bytes);
    await putBundle(db, record, east.bytes);
    const result = await exportDatabase({ db, bundleId: record.id });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.fileName).toBe('orders-connect.zip');
    const files = await entries(result.value.bytes);
    expect([...files.keys()]).toEqual([
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
    expect(files.get('secure-connect-orders.zip')).toEqual(east.bytes);
    expect(files.get('secure-connect-orders-europe-west1.zip')).toEqual(europe.bytes);
    const readme = text(files.get('README.md'));
    expect(readme).toContain('cqlsh -b ./secure-connect-orders.zip -u token -p "$ASTRA_DB_APPLICATION_TOKEN" -k shop');
    expect(text(files.get('connect.py'))).toContain("cluster.connect('shop')");
    expect(text(files.get('Connect.java'))).toContain('.withKeyspace("shop")');
    const env = dotenvParse(text(files.get('.env')));
    expect(env).toMatchObject({ ASTRA_DB_ID: dbIdFor(900), ASTRA_DB_REGION: 'us-east1', ASTRA_DB_KEYSPACE: 'shop', ASTRA_DB_SECURE_BUNDLE_PATH: 'secure-connect-orders.zip' });
    expect(env.ASTRA_DB_API_ENDPOINT).toBe(`https://${dbIdFor(900)}-us-east1.apps.astra.datastax.com`);
    for (const [name, bytes] of files) {
      expect(contains(bytes, 'X-Amz-')).toBe(false);
      if (!name.endsWith('.zip')) expect(contains(bytes, 'AstraCS:')).toBe(name === '.env' ? contains(bytes, "# ASTRA_DB_APPLICATION_TOKEN='AstraCS:...'") : false);
    }
  });

  it('writes the token it is given into the kit\'s .env, and nowhere else', async () => {
    const db = await freshStore();
    const bundle = await realBundle(dbIdFor(900), 'orders', 'us-east1');
    const record = bundleRecord(bundle);
    await putBundle(db, record, bundle.bytes);
    const token = `AstraCS:${'QwErTyUiOpAsDfGhJkLzXcVb'}:${'89abcdef01234567'.repeat(4)}`;
    const result = await exportDatabase({ db, bundleId: record.id, token });
    if (!result.ok) throw new Error(result.error.message);
    const files = await entries(result.value.bytes);
    expect(dotenvParse(text(files.get('.env'))).ASTRA_DB_APPLICATION_TOKEN).toBe(token);
    for (const [name, bytes] of files) if (name !== '.env') expect(contains(bytes, token)).toBe(false);
  });

  it('says so when the bundle is unknown or has no kept copy', async () => {
    const db = await freshStore();
    const bundle = await realBundle(dbIdFor(900), 'orders', 'us-east1');
    const record = bundleRecord(bundle, { hasCopy: false, copySha256: undefined });
    await putBundle(db, record);
    expect(await exportDatabase({ db, bundleId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await exportDatabase({ db, bundleId: record.id })).toMatchObject({ ok: false, error: { code: 'no-copy' } });
  });
});
