/**
 * Validating what an export says: the manifest, the bundle records and the token records are rebuilt from known
 * fields only, with the right shapes and sizes; anything else is a damaged file. What can be recomputed (a kept
 * copy's verdict and facts, a link's facts, masks and secret checks) is recomputed by the caller, never trusted.
 */
import Papa from 'papaparse';
import { BUNDLE_FOLDER, BUNDLES_PATH, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, TOKENS_CSV_PATH, TOKENS_ENCRYPTED_PATH, TOKENS_METADATA_PATH, TOKENS_PAYLOAD_FORMAT, type ExportedTokenMetadata, type OpenedToken } from './export-store';
import { fail, ok, type Result } from '../shared/result';
import { CONSOLE_CSV_HEADER } from '../token/token-csv';
import { clientIdOf, isClientId, isSecret, isToken, maskToken, verifyTokenSecret } from '../token/token';
import type { ImportProblemCode, ImportReport, TokenExportMode } from './types';
import type { BundleProblemRecord, BundleRecord } from '../bundle/types';
import type { TokenRecord } from '../token/types';
import { inLanes } from '../shared/lanes';
import type { Vault } from '../vault/vault';
import { tokenFingerprint } from '../token/token-identity';
import { damaged, isSafeEntryPath, parseJsonEntry, PICK_EXPORT_HINT, type ImportLimits } from './read-export-zip';

export type ImportVault = Pick<Vault, 'sealMany' | 'importEncrypted'>;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isOptional = <T>(v: unknown, check: (v: unknown) => v is T): boolean => v === undefined || check(v);
const isSha256 = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

export function checkManifest(value: unknown): Result<{ counts: { bundles: number; bundleFiles: number; tokens: number }; mode: TokenExportMode }, ImportProblemCode> {
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

export interface ListedBundle {
  record: BundleRecord;
  file: { path: string; sha256: string; size: number; savedAt: number } | null;
}

export function checkBundlesDocument(value: unknown, limits: ImportLimits): Result<ListedBundle[], ImportProblemCode> {
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
    // The file's facts are never kept: recheck-records.ts recomputes them from the copy, or drops them with it.
    facts: undefined,
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
  return dropUndefined(record);
}

export function problemOf(value: unknown): BundleProblemRecord | undefined {
  if (!isObject(value)) return undefined;
  const { code, message, hint, severity } = value;
  if (!isText(code, 100) || !isText(message, 2000) || !isText(hint, 2000) || (severity !== 'error' && severity !== 'warning')) return undefined;
  return { code, message, hint, severity };
}

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

interface TokenContent {
  csv: string;
  metadata: unknown[];
}

export async function readTokens(
  options: { passphrase?: string; vault: ImportVault },
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

export interface TokenCandidate {
  metadata: ExportedTokenMetadata;
  plain: OpenedToken;
}

/** Joins the console CSV (token, secret) with the metadata by client id; each token is checked on its own. */
export async function tokenCandidates(
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
  type Step = { refused: string; where: string } | { metadata: NonNullable<ReturnType<typeof tokenMetadataOf>>; row: { token: string; secret: string }; where: string };
  const steps: Step[] = [];
  for (const [index, item] of rawMetadata.entries()) {
    const metadata = tokenMetadataOf(item);
    if (!metadata) return damaged(`token ${index + 1} in ${path} is not a token record`);
    if (seen.has(metadata.id)) return damaged(`${path} lists one token twice`);
    seen.add(metadata.id);
    const where = `${path}#${metadata.clientId.slice(0, 4)}…`;
    const row = byClientId.get(metadata.clientId);
    byClientId.delete(metadata.clientId);
    if (!row) steps.push({ where, refused: 'The CSV has no row for this token.' });
    else if (!isToken(row.token) || clientIdOf(row.token) !== metadata.clientId) steps.push({ where, refused: 'The token is not a valid Astra token for its client id.' });
    else if (row.secret !== '' && !isSecret(row.secret)) steps.push({ where, refused: 'The client secret is not well formed.' });
    else steps.push({ metadata, row, where });
  }
  // The hashes of thousands of tokens, several in flight (WebCrypto), then the outcomes in the file's order.
  const hashed = await inLanes(steps, 8, async (step) => {
    if ('refused' in step) return undefined;
    const given = step.row.secret === '' ? undefined : step.row.secret;
    const [matches, tokenSha256] = await Promise.all([given !== undefined && verifyTokenSecret(step.row.token, given).then((v) => v === 'match'), tokenFingerprint(step.row.token)]);
    return { given, matches: matches === true, tokenSha256 };
  });
  for (const [i, step] of steps.entries()) {
    if ('refused' in step) {
      refused.push({ path: step.where, reason: step.refused });
      continue;
    }
    const { metadata, row, where } = step;
    const { given, matches, tokenSha256 } = hashed[i]!;
    // A secret joins its token only when it hashes to it: a mismatched one is left out, the token kept alone.
    if (given !== undefined && !matches) refused.push({ path: where, reason: 'The client secret does not belong to this token; the token was kept without it.' });
    const secret = matches ? given : undefined;
    tokens.push({
      metadata: {
        ...metadata,
        maskedToken: maskToken(row.token),
        tokenSha256,
        hasSecret: secret !== undefined,
        secretCheck: secret ? 'match' : 'no-secret',
      },
      plain: secret ? { token: row.token, secret } : { token: row.token },
    });
  }
  for (const clientId of byClientId.keys()) {
    refused.push({ path: `${path}#${clientId.slice(0, 4)}…`, reason: 'A CSV row without its token record; left out.' });
  }
  return ok({ tokens, refused });
}
