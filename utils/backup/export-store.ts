/**
 * Exports the whole store to one zip that `importStore` reads back (the format: backup-format.ts).
 * Deterministic: records sorted by id, fixed entry dates, canonical JSON; two exports of one store differ only
 * in the manifest's time (and in the encrypted file's random salt and IV).
 * One database's connection kit is database-kit.ts.
 */
import JSZip from 'jszip';
import { fail, ok, type Result } from '../shared/result';
import type { BundleFile, CompanionDb } from '../store/schema';
import { tokensWithBoxesIn } from '../store/queries';
import { tokensToConsoleCsv } from '../token/token-csv';
import type { Vault } from '../vault/vault';
import type { BundleRecord } from '../bundle/types';
import type { TokenRecord } from '../token/types';
import type { TokenExportChoice } from './types';
export * from './backup-format';
export { exportDatabase, type ExportDatabaseProblemCode } from './database-kit';
import { BUNDLES_PATH, canonicalJson, compareText, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, exportableRecord, exportReadme, isOpenedToken, MANIFEST_PATH, README_PATH, sha256Bytes, bundlePathFor, tokenMetadata, TOKENS_CSV_PATH, TOKENS_ENCRYPTED_PATH, TOKENS_METADATA_PATH, TOKENS_PAYLOAD_FORMAT, ZIP_ENTRY_DATE, type BundlesDocument, type ExportedBundle, type ExportedTokenMetadata, type ExportManifest, type OpenedToken, type TokensPayload } from './backup-format';

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
    const tx = db.transaction(['bundles', 'bundleFiles', 'tokens', 'tokenBoxes'], 'readonly');
    const [records, files, tokens] = await Promise.all([
      tx.objectStore('bundles').getAll(),
      tx.objectStore('bundleFiles').getAll(),
      tokensWithBoxesIn(tx),
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

function withoutCopy(record: BundleRecord): BundleRecord {
  if (!record.hasCopy) return record;
  const { copySha256: _copy, ...rest } = record;
  return { ...rest, hasCopy: false };
}

/** The record as exported: passwords never leave, whatever a future checker puts into `facts`. */
function uniquePath(path: string, taken: Set<string>): string {
  let candidate = path;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = path.replace(/\.zip$/, `-${n}.zip`);
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Code-unit order: the same everywhere, unlike localeCompare. */
