/**
 * The backup format, shared by export and import: the entries of the zip, the shapes of manifest.json,
 * bundles.json and the token files, canonical JSON, safe paths, and the README that travels with an export.
 *   manifest.json      format, format version, extension version, counts, time, how tokens were written
 *   bundles.json       every bundle record (no passwords) and, for a kept copy, its path, SHA-256 and size
 *   bundles/<database>/<region>/secure-connect-<db>.zip   each kept bundle, byte for byte
 *   tokens.encrypted.json (default) the vault's passphrase format around the console CSV and per-token metadata
 *   tokens.csv + tokens.json (a deliberate choice) the console's CSV layout in the clear, metadata beside it
 *   README.txt         what the files are, and how to decrypt the tokens without the extension
 */
import type { BundleRecord } from '../bundle/types';
import type { TokenRecord } from '../token/types';
import type { TokenExportMode } from './types';
import { isToken } from '../token/token';

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
