/**
 * From a captured link to a kept, verified bundle: validate the link, fetch it while it is alive,
 * run the bundle checker, and store the record (and the bytes when they are good).
 * A dead link or a rejected body is recorded with its verdict, never silently dropped. A verified record (or one
 * with a kept copy) changes only when the new link's bundle passes the checker: a failed or forged link leaves it
 * as it was and is recorded apart, as a warning.
 */
import { isLinkAlive, parseBundleLink, type BundleLink } from '../bundle/bundle-link';
import { checkBundle, type BundleVerdict } from '../bundle/check-bundle';
import type { CapturedLink } from '../protocol/messages';
import { bundleIdOf, type CompanionDb } from '../store/schema';
import type { CaptureSource } from '../astra/types';
import type { BundleProblemRecord, BundleRecord } from '../bundle/types';
import { MAX_BUNDLE_DOWNLOAD } from '../bundle/check-bundle';
import { findBundleByLink } from '../store/queries';
import { getBundle } from '../store/queries';
import { putWarning, updateBundle } from '../store/writes';
import { recordRefusedWrite } from './store-refused';
import { fetchFailureProblem, type FetchFailure } from '../downloads/fetch-failure-text';
import type { BundleSummary } from '../bundle/types';

/** Read one byte past the checker's limit, so a body too large to be a bundle is called that, not downloaded whole. */

const FETCH_TIMEOUT_MS = 30_000;

export interface KeepBundleDeps {
  db: CompanionDb;
  fetch: typeof fetch;
  now: () => number;
  trustedHosts?: readonly string[];
  /** Called after each stored change, so open views can show "checking" and then the verdict. */
  onChange?: () => void;
  /** Called with the accepted links (as stored: normalized) before any is fetched. */
  onAccepted?: (urls: string[]) => void;
  /** Called after a warning was stored (a refused link for a verified bundle), so the badge follows. */
  onWarning?: () => void;
  /** How many of `n` accepted links may be fetched now (capture-limits.ts); all when absent. */
  admitFetches?: (n: number) => Promise<number>;
}

/** Merges the link's own facts with the context found next to it (the link wins: it is signed). */
export function describeLink(link: BundleLink, captured: CapturedLink) {
  const context = captured.context;
  const region = link.region ?? cleanText(context.region);
  const datacenterId = link.datacenterId ?? cleanText(context.datacenterId);
  return {
    dbId: link.dbId ?? cleanText(context.dbId),
    dbName: link.dbName || cleanText(context.dbName) || 'database',
    region,
    datacenterId,
    kind: link.kind,
  };
}

function cleanText(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return /^[\w .:-]{1,100}$/.test(trimmed) ? trimmed : undefined;
}

/** Reads a response body up to `limit` bytes; longer bodies are cut (the checker then calls them too large). */
async function readBody(response: Response, limit: number, progress: { received: number }): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    progress.received = total;
    if (total > limit) {
      void reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export type FetchOutcome =
  | { kind: 'body'; status: number; bytes: Uint8Array; contentType: string }
  | ({ kind: 'network-error' } & FetchFailure)
  | { kind: 'redirected'; location: string };

export async function fetchBundle(fetchFn: typeof fetch, url: string): Promise<FetchOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  let response: Response | undefined;
  const progress = { received: 0 };
  try {
    // No cookies, no cache: the pre-signed link is the whole authorization.
    // Pre-signed links never redirect: a redirect is refused, never followed to wherever it points.
    response = await fetchFn(url, { method: 'GET', credentials: 'omit', cache: 'no-store', redirect: 'manual', signal: controller.signal });
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      void response.body?.cancel().catch(() => {});
      return { kind: 'redirected', location: response.headers.get('location') ?? '' };
    }
    const bytes = await readBody(response, MAX_BUNDLE_DOWNLOAD, progress);
    return { kind: 'body', status: response.status, bytes, contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    const message = error instanceof Error ? error.name : 'error';
    if (!response) return { kind: 'network-error', message };
    // Storage answered, then the body stopped short: a cut download, not a connection problem.
    const announced = Number(response.headers.get('content-length'));
    return { kind: 'network-error', message, cut: { received: progress.received, ...(announced > 0 ? { announced } : {}) } };
  } finally {
    clearTimeout(timer);
  }
}

/** "Link expired" only when storage says so AND the link's own signing time agrees; else it is another problem. */
function statusOf(verdict: BundleVerdict, link: BundleLink, now: number): BundleRecord['status'] {
  if (verdict.ok) return 'verified';
  const saysExpired = verdict.facts.errorDocument?.expired === true;
  return saysExpired && !isLinkAlive(link, now) ? 'link-expired' : 'problem';
}

function certNotAfterOf(verdict: BundleVerdict): string | undefined {
  return verdict.facts.certificates.cert?.notAfter;
}

export interface KeepResult {
  accepted: number;
  dropped: number;
  records: BundleRecord[];
}

/** Links already being fetched by this worker; a second capture of the same link waits for the first. */
const inFlight = new Map<string, Promise<BundleRecord>>();

export async function keepBundles(
  deps: KeepBundleDeps,
  links: CapturedLink[],
  page: string,
  source: CaptureSource,
): Promise<KeepResult> {
  const result: KeepResult = { accepted: 0, dropped: 0, records: [] };
  const accepted: Array<{ link: BundleLink; captured: CapturedLink }> = [];
  for (const captured of links.slice(0, 50)) {
    const parsed = parseBundleLink(captured.url, deps.trustedHosts ? { trustedHosts: deps.trustedHosts } : undefined);
    if (!parsed.ok) {
      result.dropped++;
      continue;
    }
    result.accepted++;
    accepted.push({ link: parsed.value, captured });
  }
  if (deps.admitFetches && accepted.length) {
    // The bundles people download (external) first, when not all of them may be fetched.
    accepted.sort((a, b) => Number(a.link.kind !== 'external') - Number(b.link.kind !== 'external'));
    const allowed = await deps.admitFetches(accepted.length);
    result.accepted -= accepted.length - allowed;
    result.dropped += accepted.length - allowed;
    accepted.splice(allowed);
  }
  if (accepted.length) deps.onAccepted?.(accepted.map((a) => a.link.url));
  const start = ({ link, captured }: (typeof accepted)[number]) => {
    const running = inFlight.get(link.url);
    if (running) return running.then((record) => withRegion(deps, record, link, captured));
    const job = keepOne(deps, link, captured, page, source).finally(() => inFlight.delete(link.url));
    inFlight.set(link.url, job);
    return job;
  };
  // The bundles people download (external) at once, side by side; the VPC and migration-proxy kinds after,
  // one at a time: the links live 300 s, and the console page should not feel the work.
  const jobs = accepted.filter((a) => a.link.kind === 'external').map(start);
  const external = await Promise.all(jobs);
  const others: BundleRecord[] = [];
  for (const item of accepted.filter((a) => a.link.kind !== 'external')) others.push(await start(item));
  result.records = [...external, ...others];
  return result;
}

/** A second capture of a known link may name its region (the API response does, the dialog's text does not). */
async function withRegion(deps: KeepBundleDeps, record: BundleRecord, link: BundleLink, captured: CapturedLink): Promise<BundleRecord> {
  const region = describeLink(link, captured).region;
  if (record.region !== undefined || region === undefined) return record;
  return updateBundle(deps.db, record.id, (current) => ({ ...(current ?? record), region }));
}

async function keepOne(
  deps: KeepBundleDeps,
  link: BundleLink,
  captured: CapturedLink,
  page: string,
  source: CaptureSource,
): Promise<BundleRecord> {
  const known = await findBundleByLink(deps.db, link.url);
  if (known && known.status !== 'checking') return withRegion(deps, known, link, captured);

  const described = describeLink(link, captured);
  const id = bundleIdOf(described);
  const capturedAt = deps.now();
  const base = (current: BundleRecord | undefined): BundleRecord => ({
    ...(current ?? { problems: [], hasCopy: false }),
    id,
    ...described,
    fileName: link.fileName,
    link: link.url,
    signedAt: link.signedAt,
    expiresAt: link.expiresAt,
    capturedAt,
    updatedAt: capturedAt,
    page: page.slice(0, 2048),
    source,
    status: 'checking',
  });
  // A verified record is not touched until the new link has proved itself: no "checking" over it, no new name.
  if (!isProtected(await getBundle(deps.db, id))) {
    await updateBundle(deps.db, id, base);
    deps.onChange?.();
  }

  const outcome = await fetchBundle(deps.fetch, link.url);
  try {
    const refused: { by?: BundleRecord; problem?: BundleProblemRecord } = {};
    // A refused final write (full disk) is recorded, never left at "checking" (store-refused.ts).
    const stored = await storeOutcome(deps, id, base, link, outcome, refused).catch((error: unknown) => recordRefusedWrite(deps.db, id, base, error, deps.now));
    if (refused.by && refused.problem) await recordRefusedLink(deps, refused.by, link, refused.problem);
    return stored;
  } finally {
    deps.onChange?.();
  }
}

/** What the user acts on (link, file name, database name, kept bytes, status) of these records is kept from downgrades. */
function isProtected(record: BundleRecord | undefined): record is BundleRecord {
  return record !== undefined && (record.hasCopy || record.status === 'verified');
}

/** One warning per bundle, replaced by the latest refusal: a page sending many bad links makes one line, not many. */
async function recordRefusedLink(deps: KeepBundleDeps, kept: BundleRecord, link: BundleLink, problem: BundleProblemRecord): Promise<void> {
  const where = kept.region ? `${kept.dbName} (${kept.region})` : kept.dbName;
  await putWarning(deps.db, {
    id: `bundle-link-refused:${kept.id}`,
    createdAt: deps.now(),
    code: 'bundle-link-refused',
    message: `A new link for ${where} did not give a good bundle (${problem.message}) The verified copy and its link were kept.`,
    hint: 'If you just clicked Get Bundle, try again. If you did not, a script on the console page may be sending forged links; nothing kept was changed.',
    bundleId: kept.id,
    fileName: kept.fileName,
    actions: [],
  });
  deps.onWarning?.();
}

function fetchProblem(outcome: Exclude<FetchOutcome, { kind: 'body' }>): BundleProblemRecord {
  if (outcome.kind === 'redirected') {
    let host = '';
    try {
      host = new URL(outcome.location).hostname;
    } catch {
      // no usable Location: the host stays unnamed
    }
    return {
      code: 'fetch-redirected',
      severity: 'error',
      message: `The storage host answered with a redirect${host ? ` to ${host.slice(0, 100)}` : ''}, which a real bundle link never does; it was not followed.`,
      hint: 'Click Get Bundle again in the Astra console. If this keeps happening, something between you and the storage host is changing the answers.',
    };
  }
  return { ...fetchFailureProblem(outcome), severity: 'error' };
}

async function storeOutcome(
  deps: KeepBundleDeps,
  id: string,
  base: (current: BundleRecord | undefined) => BundleRecord,
  link: BundleLink,
  outcome: FetchOutcome,
  refused: { by?: BundleRecord; problem?: BundleProblemRecord },
): Promise<BundleRecord> {
  // Decided inside the write: whatever landed meanwhile, a verified record gives way only to a verified bundle.
  const keepIfProtected = (current: BundleRecord | undefined, problem: BundleProblemRecord | undefined, next: () => BundleRecord) => {
    if (problem && isProtected(current)) {
      refused.by = current;
      refused.problem = problem;
      return current;
    }
    return next();
  };

  if (outcome.kind !== 'body') {
    const problem = fetchProblem(outcome);
    return updateBundle(deps.db, id, (current) =>
      keepIfProtected(current, problem, () => ({ ...base(current), updatedAt: deps.now(), status: 'problem', problems: [problem] })),
    );
  }

  const verdict = await checkBundle(outcome.bytes, { name: link.fileName, url: link.url, now: new Date(deps.now()) });
  const facts = verdict.facts;
  const good = verdict.ok;
  const firstError = verdict.problems.find((p) => p.severity === 'error');
  return updateBundle(
    deps.db,
    id,
    (current) =>
      keepIfProtected(current, good ? undefined : firstError, () => ({
        ...base(current),
        updatedAt: deps.now(),
        status: statusOf(verdict, link, deps.now()),
        problems: verdict.problems,
        facts: verdict.facts,
        size: outcome.bytes.byteLength,
        sha256: facts.sha256,
        entryCount: good ? facts.entries.length : undefined,
        certNotAfter: good ? certNotAfterOf(verdict) : undefined,
        hasCopy: good,
        copySha256: good ? facts.sha256 : undefined,
      })),
    good ? { id, bytes: outcome.bytes, sha256: facts.sha256 ?? '', savedAt: deps.now() } : undefined,
  );
}

export function summarize(record: BundleRecord): BundleSummary {
  const firstError = record.problems.find((p) => p.severity === 'error') ?? record.problems[0];
  return {
    id: record.id,
    url: record.link,
    fileName: record.fileName,
    dbName: record.dbName,
    region: record.region,
    status: record.status,
    expiresAt: record.expiresAt,
    size: record.size,
    entryCount: record.entryCount,
    certNotAfter: record.certNotAfter,
    problem: firstError ? { code: firstError.code, message: firstError.message, hint: firstError.hint } : undefined,
    ...storageSaidOf(record),
    hasCopy: record.hasCopy,
  };
}

/** What storage's error document said ("AccessDenied: Request has expired"), for words that can weigh it. */
function storageSaidOf(record: BundleRecord): { storageSaid?: string } {
  const doc = (record.facts as { errorDocument?: { code?: unknown; message?: unknown } } | undefined)?.errorDocument;
  if (!doc || typeof doc.code !== 'string') return {};
  return { storageSaid: typeof doc.message === 'string' && doc.message ? `${doc.code}: ${doc.message}` : doc.code };
}
