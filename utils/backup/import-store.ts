/**
 * Reads an `exportStore` zip back into the store. Everything is checked before anything is written: the zip's
 * directory (sizes, entry count, paths) before any inflation, then the manifest, the JSON shapes, every kept
 * bundle's SHA-256, and the tokens (decrypted with the export's passphrase). Then one IndexedDB transaction merges:
 * a new id is added; for a known id the newer record wins (bundles: `updatedAt`, tokens: `capturedAt`) and an
 * identical one is skipped; a kept copy or a matching secret is never traded for none. A damaged, foreign or
 * hostile zip is a Problem and changes nothing.
 */
import Papa from 'papaparse';
import { BUNDLE_FOLDER, BUNDLES_PATH, canonicalJson, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, exportableRecord, MANIFEST_PATH, README_PATH, sha256Bytes, TOKENS_CSV_PATH, TOKENS_ENCRYPTED_PATH, TOKENS_METADATA_PATH, TOKENS_PAYLOAD_FORMAT, tokenMetadata, type ExportedTokenMetadata, type OpenedToken } from './export-store';
import { fail, ok, type Problem, type Result } from '../shared/result';
import type { BundleFile, CompanionDb } from '../store/schema';
import { CONSOLE_CSV_HEADER } from '../token/token-csv';
import { clientIdOf, isClientId, isSecret, isToken, maskToken, verifyTokenSecret } from '../token/token';
import type { Vault } from '../vault/vault';
import { crc32, readZipDirectory, type ZipEntryRecord } from '../zip/zip-directory';
import type { ImportProblemCode, ImportReport, TokenExportMode } from './types';
import { MAX_BUNDLE_DOWNLOAD } from '../bundle/check-bundle';
import type { BundleProblemRecord, BundleRecord } from '../bundle/types';
import type { TokenRecord } from '../token/types';

export interface ImportLimits {
  /** The zip file itself. */
  maxBytes: number;
  maxEntries: number;
  /** All entries inflated, as their directory declares them (checked before inflating anything). */
  maxTotalSize: number;
  maxJsonSize: number;
  maxBundleSize: number;
  maxRecords: number;
}

export const IMPORT_LIMITS: ImportLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxEntries: 20_000,
  maxTotalSize: 512 * 1024 * 1024,
  maxJsonSize: 64 * 1024 * 1024,
  maxBundleSize: MAX_BUNDLE_DOWNLOAD,
  maxRecords: 10_000,
};

/** A record dated further ahead than this would win every later merge: refused as a wrong clock. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

export type ImportVault = Pick<Vault, 'seal' | 'importEncrypted'>;

export interface ImportStoreOptions {
  db: CompanionDb;
  vault: ImportVault;
  bytes: Uint8Array;
  /** The passphrase the export was made with; needed when it holds encrypted tokens. */
  passphrase?: string;
  /** Import the bundles and leave the tokens out (no passphrase at hand). */
  skipTokens?: boolean;
  now: () => number;
  limits?: Partial<ImportLimits>;
}

type Failure = { ok: false; error: Problem<ImportProblemCode> };

const PICK_EXPORT_HINT = 'Choose a zip saved with "Export everything" in Astra Companion, as it was saved.';
const DAMAGED_HINT = 'The file was changed or damaged after it was exported: export again from the original browser, or use another copy. Nothing was imported.';

const damaged = (why: string): Failure => fail('damaged', `This export is damaged: ${why}.`, DAMAGED_HINT);

export interface IncomingBundle {
  record: BundleRecord;
  file?: BundleFile;
}

interface IncomingToken {
  record: TokenRecord;
}

interface ImportPlan {
  bundles: IncomingBundle[];
  tokens: IncomingToken[];
  refused: ImportReport['refused'];
  mode: TokenExportMode;
}

export async function importStore(options: ImportStoreOptions): Promise<Result<ImportReport, ImportProblemCode>> {
  const limits = { ...IMPORT_LIMITS, ...options.limits };
  let plan: Result<ImportPlan, ImportProblemCode>;
  try {
    plan = await planImport(options, limits);
  } catch {
    plan = damaged('it could not be read');
  }
  if (!plan.ok) return plan;
  return applyPlan(options.db, plan.value);
}

/** Reads and checks everything; writes nothing. */
async function planImport(options: ImportStoreOptions, limits: ImportLimits): Promise<Result<ImportPlan, ImportProblemCode>> {
  const { bytes } = options;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    return fail('not-a-zip', 'This file is empty or not a zip.', PICK_EXPORT_HINT);
  }
  if (bytes.length > limits.maxBytes) {
    return fail('too-large', `This file is larger than an export can be (${megabytes(limits.maxBytes)} MB at most).`, PICK_EXPORT_HINT);
  }

  const entries = readEntries(bytes, limits);
  if (!entries.ok) return entries;
  const files = entries.value;
  const read = (name: string, limit: number) => readEntry(bytes, files.get(name)!, limit);

  if (!files.has(MANIFEST_PATH)) {
    const looksLikeBundle = files.has('config.json') || [...files.keys()].some((n) => n.endsWith('/config.json'));
    return fail(
      'not-an-export',
      looksLikeBundle ? 'This is a secure connect bundle, not an Astra Companion export.' : 'This zip is not an Astra Companion export (it has no manifest.json).',
      PICK_EXPORT_HINT,
    );
  }
  const manifest = parseJsonEntry(await read(MANIFEST_PATH, 1024 * 1024), MANIFEST_PATH);
  if (!manifest.ok) return manifest;
  const checkedManifest = checkManifest(manifest.value);
  if (!checkedManifest.ok) return checkedManifest;
  const { counts, mode } = checkedManifest.value;

  if (!files.has(BUNDLES_PATH)) return damaged(`${BUNDLES_PATH} is missing`);
  const document = parseJsonEntry(await read(BUNDLES_PATH, limits.maxJsonSize), BUNDLES_PATH);
  if (!document.ok) return document;
  const listed = checkBundlesDocument(document.value, limits);
  if (!listed.ok) return listed;
  const withFiles = listed.value.filter((b) => b.file !== null).length;
  if (listed.value.length !== counts.bundles || withFiles !== counts.bundleFiles) {
    return damaged(`${BUNDLES_PATH} lists ${listed.value.length} bundles (${withFiles} kept), the manifest ${counts.bundles} (${counts.bundleFiles})`);
  }

  const expected = new Set([MANIFEST_PATH, BUNDLES_PATH, README_PATH]);
  const bundles: IncomingBundle[] = [];
  for (const { record, file } of listed.value) {
    if (!file) {
      bundles.push({ record });
      continue;
    }
    expected.add(file.path);
    const entry = files.get(file.path);
    if (!entry) return damaged(`${file.path} is missing`);
    if (entry.uncompressedSize !== file.size) return damaged(`${file.path} is not the size ${BUNDLES_PATH} records`);
    const data = await readEntry(bytes, entry, limits.maxBundleSize);
    if (!(data instanceof Uint8Array)) return damaged(`${file.path} ${data}`);
    if ((await sha256Bytes(data)) !== file.sha256) return damaged(`${file.path} does not match the SHA-256 recorded in ${BUNDLES_PATH}`);
    if (record.copySha256 !== undefined && record.copySha256 !== file.sha256) {
      return damaged(`${file.path} is not the copy its record describes`);
    }
    bundles.push({ record, file: { id: record.id, bytes: data, sha256: file.sha256, savedAt: file.savedAt } });
  }

  const refused: ImportReport['refused'] = [];
  const tokenFiles = mode === 'encrypted' ? [TOKENS_ENCRYPTED_PATH] : mode === 'plain-csv' ? [TOKENS_CSV_PATH, TOKENS_METADATA_PATH] : [];
  for (const path of tokenFiles) {
    expected.add(path);
    if (!files.has(path)) return damaged(`${path} is missing`);
  }
  let tokens: IncomingToken[] = [];
  // An export made while no tokens were kept has nothing to decrypt: no passphrase needed.
  if (tokenFiles.length > 0 && counts.tokens === 0) {
    tokens = [];
  } else if (tokenFiles.length > 0 && options.skipTokens) {
    refused.push({ path: tokenFiles[0]!, reason: 'Tokens were left out, as asked.' });
  } else if (tokenFiles.length > 0) {
    const content = await readTokens(options, mode, (path) => read(path, limits.maxJsonSize));
    if (!content.ok) return content;
    if (content.value.metadata.length !== counts.tokens) {
      return damaged(`the tokens file holds ${content.value.metadata.length} tokens, the manifest ${counts.tokens}`);
    }
    const candidates = await tokenCandidates(content.value.csv, content.value.metadata, tokenFiles[0]!);
    if (!candidates.ok) return candidates;
    refused.push(...candidates.value.refused);
    const sealed = await sealTokens(options.vault, candidates.value.tokens);
    if (!sealed.ok) return sealed;
    tokens = sealed.value;
  }

  for (const name of files.keys()) {
    if (!expected.has(name)) refused.push({ path: name, reason: 'Not part of an Astra Companion export; left out.' });
  }

  const limit = options.now() + FUTURE_TOLERANCE_MS;
  const inFuture = 'Dated in the future (a wrong clock where it was exported?); left out so it cannot win every later merge.';
  const keptBundles = bundles.filter(({ record }) => {
    const future = record.updatedAt > limit || record.capturedAt > limit;
    if (future) refused.push({ path: `${BUNDLES_PATH}#${record.id}`, reason: inFuture });
    return !future;
  });
  const keptTokens = tokens.filter(({ record }) => {
    const future = record.capturedAt > limit;
    if (future) refused.push({ path: `${tokenFiles[0]}#${record.id}`, reason: inFuture });
    return !future;
  });
  return ok({ bundles: keptBundles, tokens: keptTokens, refused, mode });
}

/** The zip's directory, checked before any entry is inflated: names, sizes, count, no tricks. */
function readEntries(bytes: Uint8Array, limits: ImportLimits): Result<Map<string, ZipEntryRecord>, ImportProblemCode> {
  const directory = readZipDirectory(bytes, { maxEntries: limits.maxEntries });
  if (!directory.ok) {
    const failure = directory.failure;
    if (failure.kind === 'not-a-zip') return fail('not-a-zip', 'This file is not a zip.', PICK_EXPORT_HINT);
    if (failure.kind === 'too-many-entries') {
      return fail('too-large', `This zip holds ${failure.count} entries, more than an export can (${limits.maxEntries}).`, PICK_EXPORT_HINT);
    }
    return damaged(failure.kind === 'truncated' ? `it is cut short (${failure.detail})` : failure.detail);
  }
  const files = new Map<string, ZipEntryRecord>();
  let total = 0;
  for (const entry of directory.directory.entries) {
    if (!isSafeEntryPath(entry.name)) {
      return fail('unsafe-path', `This zip holds an entry with an unsafe name (${printable(entry.name)}).`, 'It was not made by Astra Companion: nothing was imported.');
    }
    if (entry.flags & 1) return damaged(`${printable(entry.name)} is encrypted`);
    if (entry.isDirectory) continue;
    if (files.has(entry.name)) return damaged(`${printable(entry.name)} appears twice`);
    if (entry.method !== 0 && entry.method !== 8) return damaged(`${printable(entry.name)} uses a compression this reader does not know`);
    total += entry.uncompressedSize;
    if (total > limits.maxTotalSize) {
      return fail('too-large', `This zip unpacks to more than ${megabytes(limits.maxTotalSize)} MB, more than an export can hold.`, PICK_EXPORT_HINT);
    }
    files.set(entry.name, entry);
  }
  return ok(files);
}

/**
 * A relative path whose every segment is a plain name: no `..` or `.`, no empty segment, no leading `/`, no
 * backslash, colon (drive letters, NTFS streams), control or invisible format characters, and already in NFC.
 */
export function isSafeEntryPath(name: string): boolean {
  if (name.length === 0 || name.length > 512 || name !== name.normalize('NFC')) return false;
  const path = name.endsWith('/') ? name.slice(0, -1) : name;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\:*?"<>|]/u.test(segment));
}

function printable(name: string): string {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  return shown.replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function megabytes(n: number): number {
  return Math.round(n / (1024 * 1024));
}

/** One entry's bytes, inflated no further than its declared size, and checked against its CRC-32. */
async function readEntry(bytes: Uint8Array, entry: ZipEntryRecord, limit: number): Promise<Uint8Array | string> {
  if (entry.uncompressedSize > limit) return 'is larger than an export ever holds';
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let data: Uint8Array | undefined;
  if (entry.method === 0) data = entry.compressedSize === entry.uncompressedSize ? raw.slice() : undefined;
  else data = await inflateRaw(raw, entry.uncompressedSize);
  if (!data) return 'cannot be unpacked';
  if (crc32(data) !== entry.crc32) return 'does not match its checksum';
  return data;
}

/** Raw deflate with the platform's DecompressionStream, stopped as soon as it outgrows `expected`. */
async function inflateRaw(input: Uint8Array, expected: number): Promise<Uint8Array | undefined> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  writer.write(input.slice()).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const out = new Uint8Array(expected);
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > expected) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      out.set(value, at);
      at += value.length;
    }
  } catch {
    return undefined;
  }
  return at === expected ? out : undefined;
}

function parseJsonEntry(data: Uint8Array | string, path: string): Result<unknown, ImportProblemCode> {
  if (typeof data === 'string') return damaged(`${path} ${data}`);
  try {
    return ok(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)));
  } catch {
    return damaged(`${path} is not valid JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isOptional = <T>(v: unknown, check: (v: unknown) => v is T): boolean => v === undefined || check(v);
const isSha256 = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

function checkManifest(value: unknown): Result<{ counts: { bundles: number; bundleFiles: number; tokens: number }; mode: TokenExportMode }, ImportProblemCode> {
  if (!isObject(value) || value.format !== EXPORT_FORMAT) {
    return fail('not-an-export', 'This zip is not an Astra Companion export (its manifest.json is not ours).', PICK_EXPORT_HINT);
  }
  if (typeof value.formatVersion === 'number' && Number.isInteger(value.formatVersion) && value.formatVersion > EXPORT_FORMAT_VERSION) {
    return fail('newer-format', 'This export was made by a newer version of Astra Companion.', 'Update the extension, then import again. Nothing was imported.');
  }
  if (value.formatVersion !== EXPORT_FORMAT_VERSION) return damaged('its manifest has no valid format version');
  const counts = value.counts;
  const tokens = value.tokens;
  if (
    !isText(value.extensionVersion, 64) ||
    !isText(value.exportedAt, 64) ||
    !isObject(counts) ||
    !isCount(counts.bundles) ||
    !isCount(counts.bundleFiles) ||
    !isCount(counts.tokens) ||
    !isObject(tokens) ||
    (tokens.mode !== 'encrypted' && tokens.mode !== 'plain-csv' && tokens.mode !== 'none')
  ) {
    return damaged('its manifest.json is incomplete');
  }
  return ok({ counts: { bundles: counts.bundles, bundleFiles: counts.bundleFiles, tokens: counts.tokens }, mode: tokens.mode });
}

interface ListedBundle {
  record: BundleRecord;
  file: { path: string; sha256: string; size: number; savedAt: number } | null;
}

function checkBundlesDocument(value: unknown, limits: ImportLimits): Result<ListedBundle[], ImportProblemCode> {
  if (!isObject(value) || value.formatVersion !== EXPORT_FORMAT_VERSION || !Array.isArray(value.bundles)) {
    return damaged(`${BUNDLES_PATH} is not a list of bundles`);
  }
  if (value.bundles.length > limits.maxRecords) {
    return fail('too-large', `This export lists ${value.bundles.length} bundles, more than can be imported at once (${limits.maxRecords}).`, PICK_EXPORT_HINT);
  }
  const ids = new Set<string>();
  const paths = new Set<string>();
  const listed: ListedBundle[] = [];
  for (const [index, item] of value.bundles.entries()) {
    const record = isObject(item) ? bundleRecordOf(item.record) : undefined;
    if (!isObject(item) || !record) return damaged(`${BUNDLES_PATH} entry ${index + 1} is not a bundle record`);
    if (ids.has(record.id)) return damaged(`${BUNDLES_PATH} lists one bundle twice`);
    ids.add(record.id);
    const file = item.file;
    if (file === null) {
      if (record.hasCopy) return damaged(`${BUNDLES_PATH} entry ${index + 1} claims a kept copy but names no file`);
      listed.push({ record, file: null });
      continue;
    }
    if (
      !isObject(file) ||
      typeof file.path !== 'string' ||
      !isSafeEntryPath(file.path) ||
      !file.path.startsWith(BUNDLE_FOLDER) ||
      !file.path.endsWith('.zip') ||
      !isSha256(file.sha256) ||
      !isCount(file.size) ||
      file.size > limits.maxBundleSize ||
      !isTime(file.savedAt)
    ) {
      return damaged(`${BUNDLES_PATH} entry ${index + 1} names its file wrongly`);
    }
    if (!record.hasCopy) return damaged(`${BUNDLES_PATH} entry ${index + 1} names a file but claims no kept copy`);
    if (paths.has(file.path)) return damaged(`${BUNDLES_PATH} names ${file.path} twice`);
    paths.add(file.path);
    listed.push({ record, file: { path: file.path, sha256: file.sha256, size: file.size, savedAt: file.savedAt } });
  }
  return ok(listed);
}

const BUNDLE_STATUSES: ReadonlySet<unknown> = new Set<BundleRecord['status']>(['checking', 'verified', 'problem', 'link-expired']);

/** A bundle record rebuilt from known fields only, or undefined when any field has the wrong shape. */
function bundleRecordOf(value: unknown): BundleRecord | undefined {
  if (!isObject(value)) return undefined;
  const v = value;
  const text = (max: number) => (x: unknown): x is string => isText(x, max);
  const problems = Array.isArray(v.problems) && v.problems.length <= 100 ? v.problems.map(problemOf) : undefined;
  const downloaded = v.downloaded;
  const downloadedOk =
    downloaded === undefined ||
    (isObject(downloaded) && isTime(downloaded.at) && typeof downloaded.ok === 'boolean' && isOptional(downloaded.note, text(1000)));
  if (
    !isText(v.id, 512) ||
    v.id === '' ||
    !isText(v.dbName, 256) ||
    !isText(v.kind, 64) ||
    !isText(v.fileName, 512) ||
    !isText(v.link, 16_384) ||
    !isText(v.page, 16_384) ||
    !isTime(v.capturedAt) ||
    !isTime(v.updatedAt) ||
    (v.source !== 'network' && v.source !== 'dom') ||
    !BUNDLE_STATUSES.has(v.status) ||
    typeof v.hasCopy !== 'boolean' ||
    !problems ||
    problems.some((p) => p === undefined) ||
    !isOptional(v.dbId, text(256)) ||
    !isOptional(v.region, text(256)) ||
    !isOptional(v.datacenterId, text(256)) ||
    !isOptional(v.signedAt, isTime) ||
    !isOptional(v.expiresAt, isTime) ||
    !isOptional(v.size, isCount) ||
    !isOptional(v.sha256, isSha256) ||
    !isOptional(v.copySha256, isSha256) ||
    !isOptional(v.entryCount, isCount) ||
    !isOptional(v.certNotAfter, text(64)) ||
    !downloadedOk
  ) {
    return undefined;
  }
  const record: BundleRecord = {
    id: v.id,
    dbId: v.dbId as string | undefined,
    dbName: v.dbName,
    region: v.region as string | undefined,
    datacenterId: v.datacenterId as string | undefined,
    kind: v.kind,
    fileName: v.fileName,
    link: v.link,
    signedAt: v.signedAt as number | undefined,
    expiresAt: v.expiresAt as number | undefined,
    capturedAt: v.capturedAt,
    updatedAt: v.updatedAt,
    page: v.page,
    source: v.source,
    status: v.status as BundleRecord['status'],
    problems: problems as BundleProblemRecord[],
    facts: v.facts,
    size: v.size as number | undefined,
    sha256: v.sha256 as string | undefined,
    entryCount: v.entryCount as number | undefined,
    certNotAfter: v.certNotAfter as string | undefined,
    hasCopy: v.hasCopy,
    copySha256: v.copySha256 as string | undefined,
    downloaded: isObject(downloaded)
      ? { at: downloaded.at as number, ok: downloaded.ok as boolean, ...(downloaded.note !== undefined ? { note: downloaded.note as string } : {}) }
      : undefined,
  };
  return exportableRecord(dropUndefined(record));
}

function problemOf(value: unknown): BundleProblemRecord | undefined {
  if (!isObject(value)) return undefined;
  const { code, message, hint, severity } = value;
  if (!isText(code, 100) || !isText(message, 2000) || !isText(hint, 2000) || (severity !== 'error' && severity !== 'warning')) return undefined;
  return { code, message, hint, severity };
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

interface TokenContent {
  csv: string;
  metadata: unknown[];
}

async function readTokens(
  options: ImportStoreOptions,
  mode: TokenExportMode,
  read: (path: string) => Promise<Uint8Array | string>,
): Promise<Result<TokenContent, ImportProblemCode>> {
  const text = async (path: string): Promise<Result<string, ImportProblemCode>> => {
    const data = await read(path);
    if (typeof data === 'string') return damaged(`${path} ${data}`);
    try {
      return ok(new TextDecoder('utf-8', { fatal: true }).decode(data));
    } catch {
      return damaged(`${path} is not text`);
    }
  };
  const payloadOf = (value: unknown, path: string, withCsv: boolean): Result<TokenContent, ImportProblemCode> => {
    if (!isObject(value) || value.format !== TOKENS_PAYLOAD_FORMAT || value.version !== EXPORT_FORMAT_VERSION || !Array.isArray(value.tokens)) {
      return damaged(`${path} does not hold tokens`);
    }
    if (withCsv && typeof value.csv !== 'string') return damaged(`${path} does not hold tokens`);
    return ok({ csv: withCsv ? (value.csv as string) : '', metadata: value.tokens });
  };

  if (mode === 'plain-csv') {
    const csv = await text(TOKENS_CSV_PATH);
    if (!csv.ok) return csv;
    const metadata = parseJsonEntry(await read(TOKENS_METADATA_PATH), TOKENS_METADATA_PATH);
    if (!metadata.ok) return metadata;
    const content = payloadOf(metadata.value, TOKENS_METADATA_PATH, false);
    return content.ok ? ok({ ...content.value, csv: csv.value }) : content;
  }

  if (typeof options.passphrase !== 'string' || options.passphrase === '') {
    return fail('passphrase-needed', 'This export holds tokens encrypted with a passphrase.', 'Type the passphrase used when exporting, or import the bundles only and leave the tokens out. Nothing was imported.');
  }
  const file = await text(TOKENS_ENCRYPTED_PATH);
  if (!file.ok) return file;
  const opened = await options.vault.importEncrypted(file.value, options.passphrase);
  if (!opened.ok) {
    const code = opened.error.code;
    if (code === 'wrong-passphrase') {
      return fail('wrong-passphrase', 'That passphrase does not open the tokens in this export.', 'Type the passphrase used when exporting (it is case-sensitive). Nothing was imported.');
    }
    if (code === 'unsupported-version') return fail('newer-format', opened.error.message, opened.error.hint);
    return damaged(`${TOKENS_ENCRYPTED_PATH} is not an encrypted token file`);
  }
  return payloadOf(opened.value, TOKENS_ENCRYPTED_PATH, true);
}

const SECRET_CHECKS: ReadonlySet<unknown> = new Set<TokenRecord['secretCheck']>(['match', 'mismatch', 'no-secret']);

/** A token's metadata rebuilt from known fields only; the mask and secret facts are recomputed later. */
function tokenMetadataOf(value: unknown): ExportedTokenMetadata | undefined {
  if (!isObject(value)) return undefined;
  const v = value;
  const text = (max: number) => (x: unknown): x is string => isText(x, max);
  if (
    !isClientId(v.clientId) ||
    v.id !== v.clientId ||
    !isText(v.maskedToken, 200) ||
    typeof v.hasSecret !== 'boolean' ||
    !SECRET_CHECKS.has(v.secretCheck) ||
    !isTime(v.capturedAt) ||
    !isText(v.page, 16_384) ||
    !isText(v.source, 200) ||
    !isOptional(v.role, text(200)) ||
    !isOptional(v.orgId, text(200)) ||
    !isOptional(v.generatedOn, text(200)) ||
    !isOptional(v.label, text(1000))
  ) {
    return undefined;
  }
  return dropUndefined({
    id: v.clientId,
    clientId: v.clientId,
    maskedToken: v.maskedToken,
    hasSecret: v.hasSecret,
    secretCheck: v.secretCheck as TokenRecord['secretCheck'],
    role: v.role as string | undefined,
    orgId: v.orgId as string | undefined,
    generatedOn: v.generatedOn as string | undefined,
    capturedAt: v.capturedAt,
    page: v.page,
    source: v.source,
    label: v.label as string | undefined,
  });
}

interface TokenCandidate {
  metadata: ExportedTokenMetadata;
  plain: OpenedToken;
}

/** Joins the console CSV (token, secret) with the metadata by client id; each token is checked on its own. */
async function tokenCandidates(
  csv: string,
  rawMetadata: unknown[],
  path: string,
): Promise<Result<{ tokens: TokenCandidate[]; refused: ImportReport['refused'] }, ImportProblemCode>> {
  const parsed = Papa.parse<string[]>(csv, { delimiter: ',', skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  if (parsed.errors.length > 0 || !header || header.join('\u0000') !== CONSOLE_CSV_HEADER.join('\u0000')) {
    return damaged(`the token CSV in ${path} is not in the console's layout`);
  }
  const byClientId = new Map<string, { token: string; secret: string }>();
  for (const row of rows) {
    const [clientId = '', secret = '', , token = ''] = row;
    if (byClientId.has(clientId)) return damaged(`the token CSV in ${path} lists one token twice`);
    byClientId.set(clientId, { token, secret });
  }

  const refused: ImportReport['refused'] = [];
  const tokens: TokenCandidate[] = [];
  const seen = new Set<string>();
  for (const [index, item] of rawMetadata.entries()) {
    const metadata = tokenMetadataOf(item);
    if (!metadata) return damaged(`token ${index + 1} in ${path} is not a token record`);
    if (seen.has(metadata.id)) return damaged(`${path} lists one token twice`);
    seen.add(metadata.id);
    const where = `${path}#${metadata.clientId.slice(0, 4)}…`;
    const row = byClientId.get(metadata.clientId);
    byClientId.delete(metadata.clientId);
    if (!row) {
      refused.push({ path: where, reason: 'The CSV has no row for this token.' });
      continue;
    }
    if (!isToken(row.token) || clientIdOf(row.token) !== metadata.clientId) {
      refused.push({ path: where, reason: 'The token is not a valid Astra token for its client id.' });
      continue;
    }
    if (row.secret !== '' && !isSecret(row.secret)) {
      refused.push({ path: where, reason: 'The client secret is not well formed.' });
      continue;
    }
    const secret = row.secret === '' ? undefined : row.secret;
    tokens.push({
      metadata: {
        ...metadata,
        maskedToken: maskToken(row.token),
        hasSecret: secret !== undefined,
        secretCheck: secret ? await verifyTokenSecret(row.token, secret) : 'no-secret',
      },
      plain: secret ? { token: row.token, secret } : { token: row.token },
    });
  }
  for (const clientId of byClientId.keys()) {
    refused.push({ path: `${path}#${clientId.slice(0, 4)}…`, reason: 'A CSV row without its token record; left out.' });
  }
  return ok({ tokens, refused });
}

/** Sealed before the transaction: IndexedDB transactions close while WebCrypto runs. */
async function sealTokens(vault: ImportVault, candidates: TokenCandidate[]): Promise<Result<IncomingToken[], ImportProblemCode>> {
  const sealed: IncomingToken[] = [];
  for (const candidate of candidates) {
    const box = await vault.seal(candidate.plain);
    if (!box.ok) return fail('vault-failed', 'The vault could not store the imported tokens.', `${box.error.hint} Nothing was imported.`);
    sealed.push({ record: { ...candidate.metadata, sealed: box.value } });
  }
  return ok(sealed);
}

/** One transaction: all of it lands, or none of it. */
async function applyPlan(db: CompanionDb, plan: ImportPlan): Promise<Result<ImportReport, ImportProblemCode>> {
  const report: ImportReport = {
    added: { bundles: 0, tokens: 0 },
    updated: { bundles: 0, tokens: 0 },
    skipped: { bundles: 0, tokens: 0 },
    refused: plan.refused,
    tokens: plan.mode,
  };
  let tx: { abort(): void } | undefined;
  try {
    const write = db.transaction(['bundles', 'bundleFiles', 'tokens'], 'readwrite');
    tx = write;
    // Observed at once: after an abort, `done` rejects whether or not we reach the `await` below.
    const done = write.done;
    done.catch(() => {});
    const bundleStore = write.objectStore('bundles');
    const fileStore = write.objectStore('bundleFiles');
    const tokenStore = write.objectStore('tokens');
    const writes: Array<Promise<unknown>> = [];
    const [bundleIds, tokenIds] = await Promise.all([bundleStore.getAllKeys(), tokenStore.getAllKeys()]);
    const knownBundles = new Set(bundleIds);
    const knownTokens = new Set(tokenIds);

    for (const incoming of plan.bundles) {
      const current = knownBundles.has(incoming.record.id) ? await bundleStore.get(incoming.record.id) : undefined;
      const outcome = current ? mergeBundle(current, incoming) : { record: incoming.record, file: incoming.file };
      if (!outcome) {
        report.skipped.bundles++;
        continue;
      }
      writes.push(bundleStore.put(outcome.record));
      if (outcome.file) writes.push(fileStore.put(outcome.file));
      if (current) report.updated.bundles++;
      else report.added.bundles++;
    }

    for (const incoming of plan.tokens) {
      const current = knownTokens.has(incoming.record.id) ? await tokenStore.get(incoming.record.id) : undefined;
      const merged = current ? mergeToken(current, incoming.record) : incoming.record;
      if (!merged) {
        report.skipped.tokens++;
        continue;
      }
      writes.push(tokenStore.put(merged));
      if (current) report.updated.tokens++;
      else report.added.tokens++;
    }
    await Promise.all(writes);
    await done;
    return ok(report);
  } catch {
    try {
      tx?.abort();
    } catch {
      // Already finished or aborted: nothing was committed either way.
    }
    return fail('store-failed', 'The extension could not save the imported data.', 'Nothing was imported. Close other extension pages, then try again.');
  }
}

const COPY_FIELDS = ['hasCopy', 'copySha256', 'facts', 'size', 'sha256', 'entryCount', 'certNotAfter'] as const;

function copyOf(record: BundleRecord): Partial<BundleRecord> {
  return Object.fromEntries(COPY_FIELDS.map((key) => [key, record[key]]));
}

/**
 * The newer record wins (by `updatedAt`; a tie keeps ours). A kept copy is never traded for none: when the winner
 * has no copy and the other has, the copy and its facts stay, as when a newer link turns out bad in keep-bundle.
 * Undefined means "identical: skip".
 */
export function mergeBundle(current: BundleRecord, incoming: IncomingBundle): { record: BundleRecord; file?: BundleFile } | undefined {
  const incomingNewer = incoming.record.updatedAt > current.updatedAt;
  let record = incomingNewer ? incoming.record : current;
  let file = incomingNewer ? incoming.file : undefined;
  if (incomingNewer && !incoming.record.hasCopy && current.hasCopy) {
    record = { ...record, ...copyOf(current) };
    file = undefined;
  } else if (!incomingNewer && !current.hasCopy && incoming.record.hasCopy) {
    record = { ...current, ...copyOf(incoming.record) };
    file = incoming.file;
  }
  if (canonicalJson(exportableRecord(record)) === canonicalJson(exportableRecord(current))) return undefined;
  return { record: dropUndefined(record), file };
}

const SECRET_RANK: Record<TokenRecord['secretCheck'], number> = { match: 2, mismatch: 1, 'no-secret': 0 };

/**
 * Same client id, so the same token. The newer capture (by `capturedAt`; a tie keeps ours) gives the metadata,
 * with empty fields filled from the other; the secret comes from whichever is better (a match beats a mismatch
 * beats none; a tie keeps ours). Undefined means "identical: skip".
 */
export function mergeToken(current: TokenRecord, incoming: TokenRecord): TokenRecord | undefined {
  const incomingNewer = incoming.capturedAt > current.capturedAt;
  const base = incomingNewer ? incoming : current;
  const other = incomingNewer ? current : incoming;
  const secretFrom = SECRET_RANK[incoming.secretCheck] > SECRET_RANK[current.secretCheck] ? incoming : current;
  const merged: TokenRecord = dropUndefined({
    ...base,
    role: base.role ?? other.role,
    orgId: base.orgId ?? other.orgId,
    generatedOn: base.generatedOn ?? other.generatedOn,
    label: base.label ?? other.label,
    sealed: secretFrom.sealed,
    hasSecret: secretFrom.hasSecret,
    secretCheck: secretFrom.secretCheck,
  });
  const same = secretFrom === current && canonicalJson(tokenMetadata(merged)) === canonicalJson(tokenMetadata(current));
  return same ? undefined : merged;
}
