/**
 * Exports the whole store to one zip that `importStore` reads back:
 *   manifest.json      format, format version, extension version, counts, time, how tokens were written
 *   bundles.json       every bundle record (no passwords) and, for a kept copy, its path, SHA-256 and size
 *   bundles/<database>/<region>/secure-connect-<db>.zip   each kept bundle, byte for byte
 *   tokens.encrypted.json (default) the vault's passphrase format around the console CSV and per-token metadata
 *   tokens.csv + tokens.json (a deliberate choice) the console's CSV layout in the clear, metadata beside it
 *   README.txt         what the files are, and how to decrypt the tokens without the extension
 * Deterministic: records sorted by id, fixed entry dates, canonical JSON; two exports of one store differ only
 * in the manifest's time (and in the encrypted file's random salt and IV).
 * Also `exportDatabase`: one database's connection kit (its kept bundles, a .env and ready snippets).
 */
import JSZip from 'jszip';
import { connectionKitFiles, zipConnectionKit } from '../bundle/connection-kit';
import { isKeyspaceName } from '../bundle/driver-snippets';
import { fail, ok, type Result } from '../shared/result';
import type { BundleFile, CompanionDb } from '../store/schema';
import { tokensToConsoleCsv } from '../token/token-csv';
import { isToken } from '../token/token';
import type { Vault } from '../vault/vault';
import type { BundleRecord } from '../bundle/types';
import type { TokenRecord } from '../token/types';
import type { TokenExportChoice, TokenExportMode } from './types';

export const EXPORT_FORMAT = 'astra-companion-export';
export const EXPORT_FORMAT_VERSION = 1;
export const TOKENS_PAYLOAD_FORMAT = 'astra-companion-tokens';
export const MANIFEST_PATH = 'manifest.json';
export const BUNDLES_PATH = 'bundles.json';
export const README_PATH = 'README.txt';
export const TOKENS_ENCRYPTED_PATH = 'tokens.encrypted.json';
export const TOKENS_CSV_PATH = 'tokens.csv';
export const TOKENS_METADATA_PATH = 'tokens.json';
export const BUNDLE_FOLDER = 'bundles/';
/** Every entry carries this date, so the same store always zips to the same bytes. */
export const ZIP_ENTRY_DATE = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  formatVersion: number;
  extensionVersion: string;
  exportedAt: string;
  counts: { bundles: number; bundleFiles: number; tokens: number };
  tokens: { mode: TokenExportMode; files: string[] };
}

export interface ExportedBundleFile {
  path: string;
  sha256: string;
  size: number;
  savedAt: number;
}

export interface ExportedBundle {
  record: BundleRecord;
  file: ExportedBundleFile | null;
}

export interface BundlesDocument {
  formatVersion: number;
  bundles: ExportedBundle[];
}

/** A token's record without its sealed box: what travels next to the CSV. */
export type ExportedTokenMetadata = Omit<TokenRecord, 'sealed'>;

export interface TokensPayload {
  format: typeof TOKENS_PAYLOAD_FORMAT;
  version: number;
  /** The console's "Download Token Details" layout (tokensToConsoleCsv): Client Id, Client Secret, Role, Token. */
  csv: string;
  tokens: ExportedTokenMetadata[];
}

/** What the vault gives a token's sealed box back as (keep-token's SealedToken). */
export interface OpenedToken {
  token: string;
  secret?: string;
}

export type ExportVault = Pick<Vault, 'openMany' | 'isLockedNow' | 'exportEncrypted'>;

export type ExportProblemCode = 'locked' | 'unreadable-token' | 'weak-passphrase' | 'store-failed' | 'zip-failed';

export interface ExportStoreOptions {
  db: CompanionDb;
  vault: ExportVault;
  extensionVersion: string;
  now: () => number;
  tokens: TokenExportChoice;
  /** Told how far the export is, for a progress bar. */
  onProgress?: (progress: ExportProgress) => void;
}

export interface ExportProgress {
  phase: 'tokens' | 'zip';
  done: number;
  total: number;
}

export async function exportStore(options: ExportStoreOptions): Promise<Result<Uint8Array, ExportProblemCode>> {
  try {
    return await writeExport(options);
  } catch {
    return fail('zip-failed', 'The export file could not be written.', 'Try again; if it keeps failing, export without tokens to narrow it down.');
  }
}

async function writeExport(options: ExportStoreOptions): Promise<Result<Uint8Array, ExportProblemCode>> {
  const snapshot = await readSnapshot(options.db);
  if (!snapshot.ok) return snapshot;
  const { records, files, tokens } = snapshot.value;

  const bundles: ExportedBundle[] = [];
  const bundleEntries: Array<{ path: string; bytes: Uint8Array }> = [];
  const takenPaths = new Set<string>();
  // Hashed all at once: WebCrypto digests overlap instead of waiting on each other.
  const hashes = new Map(await Promise.all(records.map(async (r) => {
    const file = r.hasCopy ? files.get(r.id) : undefined;
    return [r.id, file ? await sha256Bytes(file.bytes) : ''] as const;
  })));
  for (const stored of records) {
    const file = stored.hasCopy ? files.get(stored.id) : undefined;
    if (!file) {
      // A record that claims a copy the store lacks is exported as what it is: without a copy.
      bundles.push({ record: exportableRecord(withoutCopy(stored)), file: null });
      continue;
    }
    const sha256 = hashes.get(stored.id)!;
    // The bytes are the truth about the copy: the record names their hash, so the import can check both.
    const record = exportableRecord(stored.copySha256 === undefined || stored.copySha256 === sha256 ? stored : { ...stored, copySha256: sha256 });
    const path = uniquePath(bundlePathFor(record), takenPaths);
    bundles.push({ record, file: { path, sha256, size: file.bytes.byteLength, savedAt: file.savedAt } });
    bundleEntries.push({ path, bytes: file.bytes });
  }

  const tokenFiles = await tokenEntries(options, tokens);
  if (!tokenFiles.ok) return tokenFiles;

  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    extensionVersion: options.extensionVersion,
    exportedAt: new Date(options.now()).toISOString(),
    counts: { bundles: bundles.length, bundleFiles: bundleEntries.length, tokens: tokenFiles.value.count },
    tokens: { mode: options.tokens.mode, files: tokenFiles.value.entries.map((e) => e.path) },
  };
  const document: BundlesDocument = { formatVersion: EXPORT_FORMAT_VERSION, bundles };

  const zip = new JSZip();
  const text = (path: string, content: string) => zip.file(path, content, { date: ZIP_ENTRY_DATE, createFolders: false, compression: 'DEFLATE' });
  text(MANIFEST_PATH, canonicalJson(manifest));
  text(BUNDLES_PATH, canonicalJson(document));
  for (const entry of tokenFiles.value.entries) text(entry.path, entry.content);
  text(README_PATH, exportReadme(options.tokens.mode, tokenFiles.value.iterations));
  bundleEntries.sort((a, b) => compareText(a.path, b.path));
  for (const entry of bundleEntries) {
    // Stored, not deflated again: bundles are zips already, and this keeps them byte for byte and fast.
    zip.file(entry.path, entry.bytes, { date: ZIP_ENTRY_DATE, createFolders: false, compression: 'STORE', binary: true });
  }
  const total = bundleEntries.length;
  return ok(
    await zip.generateAsync({ type: 'uint8array', platform: 'DOS', compressionOptions: { level: 6 } }, (meta) =>
      options.onProgress?.({ phase: 'zip', done: Math.round((meta.percent / 100) * total), total }),
    ),
  );
}

/** `astra-companion-export-2026-11-23.zip` */
export function exportFileName(now: number): string {
  return `astra-companion-export-${new Date(now).toISOString().slice(0, 10)}.zip`;
}

interface Snapshot {
  records: BundleRecord[];
  files: Map<string, BundleFile>;
  tokens: TokenRecord[];
}

/** One read-only transaction: records, bytes and tokens as they were at one moment. */
async function readSnapshot(db: CompanionDb): Promise<Result<Snapshot, 'store-failed'>> {
  try {
    const tx = db.transaction(['bundles', 'bundleFiles', 'tokens'], 'readonly');
    const [records, files, tokens] = await Promise.all([
      tx.objectStore('bundles').getAll(),
      tx.objectStore('bundleFiles').getAll(),
      tx.objectStore('tokens').getAll(),
    ]);
    await tx.done;
    return ok({
      records: records.sort((a, b) => compareText(a.id, b.id)),
      files: new Map(files.map((f) => [f.id, f])),
      tokens: tokens.sort((a, b) => compareText(a.id, b.id)),
    });
  } catch {
    return fail('store-failed', 'The extension could not read its store.', 'Close and reopen the popup, then export again.');
  }
}

interface TokenEntries {
  entries: Array<{ path: string; content: string }>;
  count: number;
  iterations?: number;
}

async function tokenEntries(options: ExportStoreOptions, tokens: TokenRecord[]): Promise<Result<TokenEntries, ExportProblemCode>> {
  const choice = options.tokens;
  if (choice.mode === 'none') return ok({ entries: [], count: 0 });
  if (tokens.length > 0 && (await options.vault.isLockedNow())) return lockedProblem();

  // One read of the vault's key for every token, not one per token.
  const all = await options.vault.openMany<OpenedToken>(
    tokens.map((record) => record.sealed),
    (done) => options.onProgress?.({ phase: 'tokens', done, total: tokens.length }),
  );
  if (!all.ok) return all.error.code === 'locked' ? lockedProblem() : fail('unreadable-token', all.error.message, all.error.hint);
  const opened: Array<{ metadata: ExportedTokenMetadata; plain: OpenedToken }> = [];
  for (const [index, record] of tokens.entries()) {
    const result = all.value[index]!;
    if (!result.ok) {
      if (result.error.code === 'locked') return lockedProblem();
      return fail(
        'unreadable-token',
        `The token ${record.maskedToken} cannot be read from the vault (${result.error.message})`,
        'Delete that token or capture it again, or export without tokens.',
      );
    }
    const plain = result.value;
    if (!isOpenedToken(plain)) {
      return fail('unreadable-token', `The token ${record.maskedToken} is stored in a shape this version does not know.`, 'Delete that token or capture it again, or export without tokens.');
    }
    opened.push({ metadata: tokenMetadata(record), plain });
  }

  const csv = tokensToConsoleCsv(opened.map(({ metadata, plain }) => ({ token: plain.token, clientId: metadata.clientId, secret: plain.secret, role: metadata.role })));
  const metadata = opened.map((t) => t.metadata);
  if (choice.mode === 'plain-csv') {
    return ok({
      entries: [
        { path: TOKENS_CSV_PATH, content: csv },
        { path: TOKENS_METADATA_PATH, content: canonicalJson({ format: TOKENS_PAYLOAD_FORMAT, version: EXPORT_FORMAT_VERSION, tokens: metadata }) },
      ],
      count: opened.length,
    });
  }

  const payload: TokensPayload = { format: TOKENS_PAYLOAD_FORMAT, version: EXPORT_FORMAT_VERSION, csv, tokens: metadata };
  const sealed = await options.vault.exportEncrypted(payload, choice.passphrase);
  if (!sealed.ok) {
    const code = sealed.error.code === 'weak-passphrase' ? 'weak-passphrase' : 'zip-failed';
    return fail(code, sealed.error.message, sealed.error.hint);
  }
  return ok({ entries: [{ path: TOKENS_ENCRYPTED_PATH, content: canonicalJson(sealed.value) }], count: opened.length, iterations: sealed.value.iterations });
}

function lockedProblem() {
  return fail('locked' as const, 'The vault is locked, so tokens cannot be exported.', 'Unlock the vault with your passphrase, or export without tokens.');
}

export function isOpenedToken(value: unknown): value is OpenedToken {
  if (value === null || typeof value !== 'object') return false;
  const { token, secret } = value as Record<string, unknown>;
  return isToken(token) && (secret === undefined || typeof secret === 'string');
}

/** Everything of a token's record except the sealed box. */
export function tokenMetadata(record: TokenRecord): ExportedTokenMetadata {
  const { sealed: _sealed, ...rest } = record;
  return rest;
}


function withoutCopy(record: BundleRecord): BundleRecord {
  if (!record.hasCopy) return record;
  const { copySha256: _copy, ...rest } = record;
  return { ...rest, hasCopy: false };
}

/** The record as exported: passwords never leave, whatever a future checker puts into `facts`. */
export function exportableRecord(record: BundleRecord): BundleRecord {
  return record.facts === undefined ? record : { ...record, facts: withoutPasswords(record.facts) };
}

const PASSWORD_KEY = /pass(word|wd|phrase)|secret/i;

export function withoutPasswords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPasswords);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!PASSWORD_KEY.test(key)) out[key] = withoutPasswords(inner);
  }
  return out;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * One path segment from untrusted text: Unicode welcome (normalized to NFC), but no slashes, no control or
 * invisible format characters, nothing Windows refuses, no leading or trailing dots or spaces, at most 64 characters.
 */
export function safeSegment(name: string | undefined, fallback: string): string {
  const cleaned = Array.from(
    (name ?? '')
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}/\\:*?"<>|]/gu, '_')
      .replace(/^[\s.]+|[\s.]+$/gu, ''),
  )
    .slice(0, 64)
    .join('')
    .replace(/[\s.]+$/u, '');
  if (!cleaned) return fallback;
  return WINDOWS_RESERVED.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** `bundles/<database>/<region>/secure-connect-<db>.zip`; a kind other than external is named in the file. */
export function bundlePathFor(record: Pick<BundleRecord, 'dbName' | 'region' | 'datacenterId' | 'kind'>): string {
  const db = safeSegment(record.dbName, 'database');
  const region = safeSegment(record.region ?? record.datacenterId, 'unknown-region');
  const kind = record.kind === 'external' ? '' : `-${safeSegment(record.kind, 'kind')}`;
  return `${BUNDLE_FOLDER}${db}/${region}/secure-connect-${db}${kind}.zip`;
}

/** Adds `-2`, `-3`, ... before `.zip` until no other entry has the name (ignoring case, as Windows and macOS do). */
function uniquePath(path: string, taken: Set<string>): string {
  let candidate = path;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = path.replace(/\.zip$/, `-${n}.zip`);
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** JSON with keys sorted at every depth and `undefined` left out: equal data, equal text. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareText)) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== undefined) out[key] = sortKeys(inner);
  }
  return out;
}

export async function sha256Bytes(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The recipe to read `tokens.encrypted.json` without the extension: WebCrypto only (Node 20+, Deno or a browser). */
export const DECRYPT_SCRIPT = [
  '// decrypt-tokens.mjs: reads the passphrase from EXPORT_PASSPHRASE, writes the CSV to standard output.',
  "import { readFileSync } from 'node:fs';",
  'const file = JSON.parse(readFileSync(process.argv[2], "utf8"));',
  'const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));',
  'const secret = new TextEncoder().encode(process.env.EXPORT_PASSPHRASE);',
  "const base = await crypto.subtle.importKey('raw', secret, 'PBKDF2', false, ['deriveKey']);",
  'const key = await crypto.subtle.deriveKey(',
  "  { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(file.salt), iterations: file.iterations },",
  "  base, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);",
  "const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(file.iv) }, key, bytes(file.data));",
  'const payload = JSON.parse(new TextDecoder().decode(plain));',
  'process.stdout.write(payload.csv);',
].join('\n');

export function exportReadme(mode: TokenExportMode, iterations?: number): string {
  const lines = [
    'Astra Companion export',
    '======================',
    '',
    'manifest.json   what this file holds: format version, extension version, counts, time of export.',
    'bundles.json    every bundle record the extension kept (no keystore passwords), with the SHA-256 of each kept bundle.',
    'bundles/        each kept secure connect bundle, byte for byte as Astra served it:',
    '                bundles/<database>/<region>/secure-connect-<database>.zip',
    '                A bundle holds a client certificate and its key: keep this file private.',
    '',
  ];
  if (mode === 'encrypted') {
    lines.push(
      'tokens.encrypted.json   your application tokens and client secrets, encrypted with the passphrase you chose',
      '                        when exporting. The passphrase is not stored anywhere: without it the tokens are lost.',
      '',
      'To read the tokens back:',
      '- In Astra Companion: Export / import > Import, choose this zip and type the passphrase.',
      '- Without the extension: the file is JSON {format, version, kdf, iterations, salt, iv, cipher, data}.',
      `  Key = PBKDF2-SHA-256(passphrase as UTF-8, salt = base64-decoded "salt", iterations = "iterations"${iterations ? ` (${iterations})` : ''}, 32 bytes).`,
      '  Plaintext = AES-256-GCM-decrypt(key, iv = base64-decoded "iv", ciphertext and 16-byte tag = base64-decoded "data").',
      '  The plaintext is JSON: "csv" holds the tokens in the Astra console\'s GeneratedToken.csv layout',
      '  (Client Id, Client Secret, Role, Token), "tokens" holds each token\'s label, role, org, and dates.',
      '  With Node.js 20 or newer, save these lines as decrypt-tokens.mjs and run',
      '  EXPORT_PASSPHRASE=\'your passphrase\' node decrypt-tokens.mjs tokens.encrypted.json > GeneratedToken.csv',
      '',
      ...DECRYPT_SCRIPT.split('\n').map((line) => `    ${line}`),
      '',
    );
  } else if (mode === 'plain-csv') {
    lines.push(
      'tokens.csv      your application tokens and client secrets IN THE CLEAR, in the Astra console\'s',
      '                GeneratedToken.csv layout (Client Id, Client Secret, Role, Token). Anyone with this file can use',
      '                them: keep it private, and delete it when you no longer need it.',
      'tokens.json     each token\'s label, role, org and dates (no secrets), for importing back.',
      '',
    );
  } else {
    lines.push('Tokens were left out of this export.', '');
  }
  return lines.join('\n');
}

export type ExportDatabaseProblemCode = 'not-found' | 'no-copy' | 'store-failed' | 'zip-failed';

/**
 * One database's connection kit (utils/bundle/connection-kit.ts): every kept bundle of its kind, one per region,
 * the `.env` and the snippets. `token` is already opened by the background, and only when the user chose one.
 */
export async function exportDatabase(options: {
  db: CompanionDb;
  bundleId: string;
  token?: string;
}): Promise<Result<{ bytes: Uint8Array; fileName: string }, ExportDatabaseProblemCode>> {
  let record: BundleRecord | undefined;
  let kept: Array<{ record: BundleRecord; file: BundleFile }> = [];
  try {
    const tx = options.db.transaction(['bundles', 'bundleFiles'], 'readonly');
    record = await tx.objectStore('bundles').get(options.bundleId);
    const siblings = record?.dbId ? (await tx.objectStore('bundles').getAll()).filter((r) => r.dbId === record!.dbId && r.kind === record!.kind && r.hasCopy) : record ? [record] : [];
    // The chosen card's region first: it is the kit's default.
    siblings.sort((a, b) => (a.id === options.bundleId ? -1 : b.id === options.bundleId ? 1 : compareText(a.region ?? '', b.region ?? '')));
    const files = await Promise.all(siblings.map((r) => tx.objectStore('bundleFiles').get(r.id)));
    await tx.done;
    kept = siblings.flatMap((r, i) => (files[i] ? [{ record: r, file: files[i]! }] : []));
  } catch {
    return fail('store-failed', 'The extension could not read its store.', 'Close and reopen the popup, then try again.');
  }
  if (!record) return fail('not-found', 'That bundle is no longer in the extension.', 'Click Get Bundle again in the Astra console.');
  if (kept[0]?.record.id !== record.id) {
    return fail('no-copy', `No verified copy of the ${record.dbName} bundle is kept.`, 'Click Get Bundle in the Astra console while the extension runs; it keeps a verified copy.');
  }

  const bundles = await Promise.all(
    kept.map(async ({ record: r, file }) => ({ fileName: r.fileName, region: r.region, keyspace: await keyspaceOf(r, file.bytes), bytes: file.bytes })),
  );
  const files = connectionKitFiles({ dbId: record.dbId, dbName: record.dbName, bundles, token: options.token });
  const db = safeSegment(record.dbName, 'database');
  const fileName = `${db}${record.kind === 'external' ? '' : `-${safeSegment(record.kind, 'kind')}`}-connect.zip`;
  try {
    return ok({ bytes: await zipConnectionKit(files), fileName });
  } catch {
    return fail('zip-failed', 'The file could not be written.', 'Try again.');
  }
}

/** The keyspace from the checker's facts, else from the kept bundle's own config.json. */
async function keyspaceOf(record: BundleRecord, bytes: Uint8Array): Promise<string | undefined> {
  const fromFacts = (record.facts as { config?: { keyspace?: unknown } } | undefined)?.config?.keyspace;
  if (isKeyspaceName(fromFacts)) return fromFacts;
  try {
    const zip = await JSZip.loadAsync(bytes);
    const config = JSON.parse((await zip.file('config.json')?.async('string')) ?? '{}') as { keyspace?: unknown };
    return isKeyspaceName(config.keyspace) ? config.keyspace : undefined;
  } catch {
    return undefined;
  }
}
