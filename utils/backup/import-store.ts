/**
 * Reads an `exportStore` zip back into the store. Everything is checked before anything is written: the zip
 * (read-export-zip.ts), the manifest and the records' shapes (validate-records.ts), every kept bundle's SHA-256 and
 * then the bundle checker, every link parsed again (recheck-records.ts), and the tokens (decrypted with the export's
 * passphrase, each secret checked against its token). Then one IndexedDB transaction merges (merge-rules.ts).
 * Whatever is left out is listed in the report with the reason. A damaged, foreign or hostile zip is a Problem and
 * changes nothing.
 */
import { BUNDLES_PATH, MANIFEST_PATH, README_PATH, sha256Bytes, TOKENS_CSV_PATH, TOKENS_ENCRYPTED_PATH, TOKENS_METADATA_PATH } from './export-store';
import { fail, ok, type Result } from '../shared/result';
import type { CompanionDb } from '../store/schema';
import { CountChanges, IMPORT_SCOPE, putBundleIn, putTokenIn, readTokenIn, saveCountChanges } from '../store/writes';
import type { ImportProblemCode, ImportReport, TokenExportMode } from './types';
import type { TokenRecord } from '../token/types';
import { decideTokenMerge } from '../token/token-identity';
import { damaged, IMPORT_LIMITS, megabytes, parseJsonEntry, PICK_EXPORT_HINT, readEntries, readEntry, type ImportLimits } from './read-export-zip';
import { checkBundlesDocument, checkManifest, readTokens, tokenCandidates, type ImportVault, type TokenCandidate } from './validate-records';
import { mergeBundle, mergeToken, type IncomingBundle } from './merge-rules';
import { recheckBundle, type VerdictCache } from './recheck-records';
import { inLanes } from '../shared/lanes';

export { isSafeEntryPath, IMPORT_LIMITS, type ImportLimits } from './read-export-zip';
export { mergeBundle, mergeToken, type IncomingBundle } from './merge-rules';
export type { ImportVault } from './validate-records';

/** Bundles checked at once, and tokens fingerprinted at once: enough to keep WebCrypto's thread busy. */
const CHECK_LANES = 16;

type Failure = Extract<Result<never, ImportProblemCode>, { ok: false }>;

/** A record dated further ahead than this would win every later merge: refused as a wrong clock. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

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
  /** Told how far the import is, for a progress bar. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'check' | 'seal' | 'save';
  done: number;
  total: number;
}

interface IncomingToken {
  record: TokenRecord;
  /** The export entry it came from, for the report. */
  path: string;
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
  // The bar says 'Saving' while the one transaction runs, and goes once it ends.
  options.onProgress?.({ phase: 'save', done: 0, total: 1 });
  const report = await applyPlan(options.db, plan.value);
  options.onProgress?.({ phase: 'save', done: 1, total: 1 });
  return report;
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
  const refused: ImportReport['refused'] = [];
  const bundles: IncomingBundle[] = [];
  const verdicts: VerdictCache = new Map();
  type Checked = { failure: Failure } | { path: string; outcome: Awaited<ReturnType<typeof recheckBundle>> };
  for (const { file } of listed.value) if (file) expected.add(file.path);
  let checkedCount = 0;
  // Several bundles in flight: their SHA-256 and the checker's WebCrypto steps overlap instead of queueing.
  const checked = await inLanes(
    listed.value,
    CHECK_LANES,
    async ({ record, file }): Promise<Checked> => {
      const done = (result: Checked) => {
        options.onProgress?.({ phase: 'check', done: ++checkedCount, total: listed.value.length });
        return result;
      };
      if (!file) return done({ path: `${BUNDLES_PATH}#${record.id}`, outcome: await recheckBundle(record, undefined, options.now(), verdicts) });
      const entry = files.get(file.path);
      if (!entry) return { failure: damaged(`${file.path} is missing`) };
      if (entry.uncompressedSize !== file.size) return { failure: damaged(`${file.path} is not the size ${BUNDLES_PATH} records`) };
      const data = await readEntry(bytes, entry, limits.maxBundleSize);
      if (!(data instanceof Uint8Array)) return { failure: damaged(`${file.path} ${data}`) };
      if ((await sha256Bytes(data)) !== file.sha256) return { failure: damaged(`${file.path} does not match the SHA-256 recorded in ${BUNDLES_PATH}`) };
      if (record.copySha256 !== undefined && record.copySha256 !== file.sha256) {
        return { failure: damaged(`${file.path} is not the copy its record describes`) };
      }
      const copy = { id: record.id, bytes: data, sha256: file.sha256, savedAt: file.savedAt };
      return done({ path: file.path, outcome: await recheckBundle(record, copy, options.now(), verdicts) });
    },
    (result) => 'failure' in result,
  );
  const failed = checked.find((result) => result !== undefined && 'failure' in result);
  if (failed && 'failure' in failed) return failed.failure;
  for (const result of checked) {
    if ('failure' in result) continue;
    const { path, outcome } = result;
    if (!outcome.ok) {
      refused.push({ path, reason: outcome.reason });
      continue;
    }
    if (outcome.note) refused.push({ path, reason: outcome.note });
    bundles.push({ record: outcome.record, file: outcome.file });
  }

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
    const sealed = await sealTokens(options.vault, candidates.value.tokens, tokenFiles[0]!, options.onProgress);
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

/** Sealed before the transaction (IndexedDB transactions close while WebCrypto runs), many boxes in flight. */
async function sealTokens(vault: ImportVault, candidates: TokenCandidate[], path: string, onProgress?: (progress: ImportProgress) => void): Promise<Result<IncomingToken[], ImportProblemCode>> {
  const total = candidates.length;
  const boxes = await vault.sealMany(
    candidates.map((candidate) => candidate.plain),
    (done) => onProgress?.({ phase: 'seal', done, total }),
  );
  if (!boxes.ok) return fail('vault-failed', 'The vault could not store the imported tokens.', `${boxes.error.hint} Nothing was imported.`);
  onProgress?.({ phase: 'seal', done: total, total });
  return ok(candidates.map((candidate, i) => ({ record: { ...candidate.metadata, sealed: boxes.value[i]! }, path })));
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
    const write = db.transaction(IMPORT_SCOPE, 'readwrite');
    tx = write;
    // Observed at once: after an abort, `done` rejects whether or not we reach the `await` below.
    const done = write.done;
    done.catch(() => {});
    const bundleStore = write.objectStore('bundles');
    const tokenStore = write.objectStore('tokens');
    const writes: Array<Promise<unknown>> = [];
    const counted = new CountChanges();
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
      writes.push(...putBundleIn(write, outcome.record, outcome.file, current !== undefined, counted));
      if (current) report.updated.bundles++;
      else report.added.bundles++;
    }

    for (const incoming of plan.tokens) {
      const current = knownTokens.has(incoming.record.id) ? await readTokenIn(write, incoming.record.id) : undefined;
      // A token never replaces a different one under the same client id (and one kept without a fingerprint cannot be compared).
      const decision = current ? decideTokenMerge(current, current.tokenSha256, { tokenSha256: incoming.record.tokenSha256 ?? '', secretCheck: incoming.record.secretCheck }) : undefined;
      if (decision?.conflict === 'different-token' || decision?.conflict === 'unverifiable') {
        report.refused.push({ path: `${incoming.path}#${incoming.record.clientId.slice(0, 4)}…`, reason: 'A different token is already kept for this client id; it was not replaced, and this one was left out.' });
        report.skipped.tokens++;
        continue;
      }
      const merged = current ? mergeToken(current, incoming.record) : incoming.record;
      if (!merged) {
        report.skipped.tokens++;
        continue;
      }
      writes.push(...putTokenIn(write, merged, current !== undefined, counted));
      if (current) report.updated.tokens++;
      else report.added.tokens++;
    }
    writes.push(saveCountChanges(write, counted));
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
