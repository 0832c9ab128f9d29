/**
 * Judges a finished bundle download from what the browser's download manager says about it, without reading the
 * user's file (extensions cannot): expired link, error document saved as a zip, short or wrong-sized file,
 * interrupted transfer, or a zip the browser opened or unpacked. Each finding says what happened and the fix.
 * Pure: the watcher (watch-downloads.ts) gathers the facts and acts on the findings.
 */
import { isLinkAlive } from '../bundle/bundle-link';
import type { BundleProblem } from '../bundle/check-bundle';
import type { BundleRecord } from '../bundle/types';

/** What `chrome.downloads` (or Firefox's `browser.downloads`) reports about one download. */
export interface DownloadFacts {
  id?: number;
  url: string;
  finalUrl?: string;
  /** Absolute path on disk; '' until the browser picked it (Chromium: first onChanged). */
  filename?: string;
  mime?: string;
  /** Bytes on disk once complete; -1 when unknown. */
  fileSize?: number;
  /** Bytes the server announced; -1 when unknown. */
  totalBytes?: number;
  bytesReceived?: number;
  state?: 'in_progress' | 'complete' | 'interrupted';
  /** The interrupt reason: SERVER_FORBIDDEN, NETWORK_FAILED, USER_CANCELED, ... */
  error?: string;
  /** False once the file is gone from where it was saved (Chromium checks on `downloads.search`). */
  exists?: boolean;
  danger?: string;
  /** ISO time (Chromium, Firefox) or epoch ms. */
  startTime?: string | number;
  endTime?: string | number;
  /** Set where a browser reports that it opened the file itself. */
  opened?: boolean;
}

export type FindingCode =
  | 'link-expired'
  | 'error-document'
  | 'size-mismatch'
  | 'too-small'
  | 'interrupted'
  | 'opened-by-browser'
  | 'not-a-bundle'
  | 'ok';

/** `retry-download`: the same link again, offered only while it is valid (it works many times until then). */
export type FixAction = 'retry-download' | 'save-copy' | 'fresh-link' | 'browser-setting';

export interface DownloadFinding {
  code: FindingCode;
  message: string;
  hint: string;
  actions: FixAction[];
  /** With `retry-download`: when the link stops working, so views can swap it for "Get a fresh link" then. */
  linkExpiresAt?: number;
}

/** What re-fetching the link and checking the bytes said (a `BundleVerdict` from bundle-check.ts fits). */
export interface BundleVerdictLike {
  ok: boolean;
  problems: Array<Pick<BundleProblem, 'code' | 'message' | 'hint'> & { severity?: string }>;
  facts?: { size?: number; kind?: string; errorDocument?: { code: string; message: string; expired?: boolean } };
}

export type BrowserKind = 'chrome' | 'edge' | 'firefox' | 'safari' | 'other';

export interface JudgeContext {
  /** The kept record for this bundle, when the download is one Astra Companion knows. */
  bundle?: BundleRecord;
  now: number;
  /** The verdict on a fresh fetch of the same link, when it was still alive. */
  recheck?: BundleVerdictLike;
  /** The link's own signing times; defaults to the bundle record's when the download used its link. */
  link?: { signedAt?: number; expiresAt?: number };
  /** The download is Astra Companion saving its kept copy: no link to judge, only the file. */
  ownSave?: boolean;
  browser?: BrowserKind;
  /** For tests and for people in another zone than the machine's; defaults to the local zone. */
  timeZone?: string;
}

/** Real bundles are 12,048 to 12,375 bytes; error documents a few hundred. Below this it cannot be a bundle. */
export const TOO_SMALL_BYTES = 6_000;

/** Error documents are small; a larger XML/HTML body is still called wrong, but not an error document. */
const ERROR_DOCUMENT_MAX_BYTES = 64_000;

const SAVE_AS_IS = 'Save the zip as it is; do not let the browser open it.';

const BROWSER_SETTING_STEPS: Record<BrowserKind, string> = {
  chrome:
    'In Chrome open chrome://settings/downloads (Settings > Downloads) and click "Clear" next to "Open certain file types automatically after downloading".',
  edge: 'In Edge open edge://settings/downloads (Settings > Downloads) and click "Clear" next to "Open certain file types automatically".',
  firefox:
    'In Firefox open Settings > General > Files and Applications and set "ZIP archive" to "Always ask" or "Save File".',
  safari: 'In Safari open Safari > Settings > General and untick "Open \u201Csafe\u201D files after downloading".',
  other:
    'Turn off opening downloads automatically: Chrome: chrome://settings/downloads, "Clear" auto-open; Firefox: Settings > Files and Applications, ZIP archive: "Always ask"; Safari: Settings > General, untick "Open \u201Csafe\u201D files after downloading".',
};

export function browserSettingSteps(browser: BrowserKind = 'other'): string {
  return BROWSER_SETTING_STEPS[browser];
}

/** The settings page an extension may open for the auto-open setting; Firefox and Safari allow none. */
export function browserSettingUrl(browser: BrowserKind): string | undefined {
  if (browser === 'chrome') return 'chrome://settings/downloads';
  if (browser === 'edge') return 'edge://settings/downloads';
  return undefined;
}

/** Which browser's words to use, from `navigator.userAgent`. */
export function browserKindOf(userAgent: string): BrowserKind {
  if (/\bEdg(?:e|A|iOS)?\//.test(userAgent)) return 'edge';
  if (/\bFirefox\//.test(userAgent)) return 'firefox';
  if (/\b(?:Chrome|Chromium)\//.test(userAgent)) return 'chrome';
  if (/\bSafari\//.test(userAgent) && /\bVersion\//.test(userAgent)) return 'safari';
  return 'other';
}

/** `10:20:00`, in the given zone (the machine's by default). */
export function formatClock(ms: number, timeZone?: string): string {
  const format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(timeZone ? { timeZone } : {}) });
  return format.format(new Date(ms));
}

/** "5 minutes", "90 seconds", "1 minute". */
export function formatSpan(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 120 && seconds % 60 !== 0) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** "expired at 10:20:00 (5 minutes after it was made)". */
export function describeExpiry(link: { signedAt?: number; expiresAt: number }, timeZone?: string): string {
  const made = link.signedAt !== undefined && link.signedAt < link.expiresAt ? ` (${formatSpan(link.expiresAt - link.signedAt)} after it was made)` : '';
  return `expired at ${formatClock(link.expiresAt, timeZone)}${made}`;
}

export function baseName(path: string | undefined): string {
  if (!path) return '';
  return path.split(/[\\/]/).pop() ?? '';
}

function timeOf(value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function sizeOf(facts: DownloadFacts): number | undefined {
  if (typeof facts.fileSize === 'number' && facts.fileSize >= 0) return facts.fileSize;
  if (typeof facts.bytesReceived === 'number' && facts.bytesReceived >= 0 && facts.state === 'complete') return facts.bytesReceived;
  return undefined;
}

const MARKUP_MIME = /^(?:application|text)\/(?:[\w.+-]*\+)?(?:xml|html|xhtml)\b/i;

function isMarkupMime(mime: string | undefined): boolean {
  return typeof mime === 'string' && MARKUP_MIME.test(mime.trim());
}

/**
 * Where browsers put files they open straight away: Windows' temp folder, macOS' per-user temp folder,
 * Firefox's "Open with" folder on Linux. Plain /tmp is left out: people (and test runs) save there on purpose.
 */
const TEMP_FOLDERS = [
  /[\\/]AppData[\\/]Local[\\/]Temp[\\/]/i,
  /^(?:\/private)?\/var\/folders\/[^/]+\/[^/]+\/T\//,
  /^\/tmp\/mozilla_[^/]+\//,
];

export function isTemporaryPath(path: string | undefined): boolean {
  return typeof path === 'string' && TEMP_FOLDERS.some((pattern) => pattern.test(path));
}

const INTERRUPT_WORDS: Record<string, string> = {
  SERVER_FORBIDDEN: 'storage refused the link',
  SERVER_UNAUTHORIZED: 'storage refused the link',
  SERVER_BAD_CONTENT: 'storage did not send the file',
  SERVER_FAILED: 'storage failed to answer',
  SERVER_NO_RANGE: 'storage could not resume the download',
  SERVER_CERT_PROBLEM: "storage's certificate was not trusted",
  SERVER_UNREACHABLE: 'storage could not be reached',
  SERVER_CONTENT_LENGTH_MISMATCH: 'storage sent fewer bytes than it announced',
  SERVER_CROSS_ORIGIN_REDIRECT: 'storage redirected the download elsewhere',
  NETWORK_FAILED: 'the connection dropped',
  NETWORK_TIMEOUT: 'the connection timed out',
  NETWORK_DISCONNECTED: 'the computer went offline',
  NETWORK_SERVER_DOWN: 'storage could not be reached',
  NETWORK_INVALID_REQUEST: 'the link was refused as invalid',
  FILE_TOO_SHORT: 'the file came out shorter than announced',
  FILE_NO_SPACE: 'the disk is full',
  FILE_ACCESS_DENIED: 'the browser may not write to the download folder',
  FILE_NAME_TOO_LONG: 'the file name is too long for the download folder',
  FILE_TOO_LARGE: 'the file is too large for the download folder',
  FILE_VIRUS_INFECTED: 'a virus scanner blocked the file',
  FILE_BLOCKED: 'the browser or a policy blocked the file',
  FILE_SECURITY_CHECK_FAILED: 'a security check failed',
  FILE_TRANSIENT_ERROR: 'the file could not be written',
  FILE_HASH_MISMATCH: 'the file changed while being saved',
  FILE_SAME_AS_SOURCE: 'the file would overwrite itself',
  FILE_FAILED: 'the file could not be saved',
  USER_SHUTDOWN: 'the browser was closed',
  CRASH: 'the browser crashed',
};

/** Interruptions that are the user's own choice: nothing to warn about. */
const NOT_A_PROBLEM = new Set(['USER_CANCELED']);

const REFUSED = new Set(['SERVER_FORBIDDEN', 'SERVER_UNAUTHORIZED', 'NETWORK_INVALID_REQUEST']);

interface Situation {
  facts: DownloadFacts;
  ctx: JudgeContext;
  name: string;
  size?: number;
  startedAt?: number;
  link?: { signedAt?: number; expiresAt?: number };
  hasCopy: boolean;
}

function withFixes(s: Situation, ...wanted: FixAction[]): FixAction[] {
  return wanted.filter((action) => action !== 'save-copy' || s.hasCopy);
}

function copyOrFresh(s: Situation): string {
  return s.hasCopy
    ? 'Save the verified copy Astra Companion kept (one click), or get a fresh link from the database\'s Connect tab.'
    : "Get a fresh link: open the database's Connect tab, click Get Bundle, and download within 5 minutes.";
}

function linkAlive(s: Situation): boolean {
  return !s.ctx.ownSave && s.link !== undefined && isLinkAlive(s.link, s.ctx.now);
}

/** While the link is valid: download it again (or the kept copy); after: the kept copy or a fresh link. */
function againOrCopy(s: Situation): Pick<DownloadFinding, 'hint' | 'actions' | 'linkExpiresAt'> {
  if (!linkAlive(s)) return { hint: copyOrFresh(s), actions: withFixes(s, 'save-copy', 'fresh-link') };
  const until = formatClock(s.link!.expiresAt!, s.ctx.timeZone);
  return {
    hint: `The link is still valid until ${until}: download it again${s.hasCopy ? ', or save the verified copy Astra Companion kept' : ''}.`,
    actions: withFixes(s, 'retry-download', 'save-copy'),
    linkExpiresAt: s.link!.expiresAt!,
  };
}

/** Interruptions where storage's bytes stopped coming: the file is cut, the link may well be fine. */
const CUT_OFF = new Set(['SERVER_CONTENT_LENGTH_MISMATCH', 'NETWORK_FAILED', 'NETWORK_TIMEOUT', 'NETWORK_DISCONNECTED', 'FILE_TOO_SHORT', 'SERVER_NO_RANGE']);

function expiredAtStart(s: Situation): boolean {
  const link = s.link;
  return link?.expiresAt !== undefined && !isLinkAlive(link, s.startedAt ?? s.ctx.now);
}

function expiryWords(s: Situation): string {
  const expiresAt = s.link?.expiresAt;
  if (expiresAt === undefined) return 'had most likely expired';
  return describeExpiry({ signedAt: s.link?.signedAt, expiresAt }, s.ctx.timeZone).replace(/^expired/, 'had expired');
}

function linkExpired(s: Situation, saved: boolean): DownloadFinding {
  const what = saved
    ? `what was saved as ${s.name || 'the zip'}${s.size !== undefined ? ` (${s.size} bytes)` : ''} is storage's error message, not the bundle`
    : 'storage refused it and nothing was saved';
  return {
    code: 'link-expired',
    message: `The bundle link ${expiryWords(s)} when the download started: ${what}. Links from the Astra console only work for 5 minutes.`,
    hint: copyOrFresh(s),
    actions: withFixes(s, 'save-copy', 'fresh-link'),
  };
}

function storageProblem(verdict: BundleVerdictLike | undefined) {
  return verdict?.problems.find((p) => p.code === 'storage-error');
}

function judgeInterrupted(s: Situation): DownloadFinding[] {
  const reason = s.facts.error ?? '';
  if (NOT_A_PROBLEM.has(reason)) return [];
  const refused = REFUSED.has(reason);
  const expiresAt = s.link?.expiresAt;
  if (!s.ctx.ownSave && (expiredAtStart(s) || (refused && expiresAt === undefined))) return [linkExpired(s, false)];
  if (!s.ctx.ownSave && refused) {
    return [
      {
        code: 'interrupted',
        message: `The download failed: storage refused the link although it had not expired (${reason}). The link was probably changed when it was copied.`,
        hint: s.hasCopy
          ? 'Save the verified copy Astra Companion kept (one click), or click Get Bundle again and use the link exactly as shown.'
          : "Click Get Bundle again in the database's Connect tab and use the link exactly as shown.",
        actions: withFixes(s, 'save-copy', 'fresh-link'),
      },
    ];
  }
  const words = INTERRUPT_WORDS[reason] ?? 'it was interrupted';
  const name = s.name || 'the bundle';
  if (s.ctx.ownSave) {
    return [
      {
        code: 'interrupted',
        message: `Saving ${name} did not finish: ${words}${reason ? ` (${reason})` : ''}. Whatever part was saved is not a usable bundle.`,
        hint: 'Save the verified copy again.',
        actions: withFixes(s, 'save-copy'),
      },
    ];
  }
  const received = typeof s.facts.bytesReceived === 'number' && s.facts.bytesReceived >= 0 ? s.facts.bytesReceived : undefined;
  const total = typeof s.facts.totalBytes === 'number' && s.facts.totalBytes > 0 ? s.facts.totalBytes : s.hasCopy ? s.ctx.bundle?.size : undefined;
  const amount =
    received !== undefined && total !== undefined && received < total
      ? `${received.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} bytes arrived, then `
      : '';
  const message = CUT_OFF.has(reason)
    ? `The download of ${name} was cut off: ${amount}${words} (${reason}). The part that was saved is not a usable bundle: delete it.`
    : `The download of ${name} did not finish: ${words}${reason ? ` (${reason})` : ''}. Whatever part was saved is not a usable bundle.`;
  return [{ code: 'interrupted', message, ...againOrCopy(s) }];
}

/** At most one finding about what is in the file; none when it looks (or was confirmed) right. */
function judgeContent(s: Situation): DownloadFinding | undefined {
  const { facts, ctx, size } = s;
  const recheck = ctx.ownSave ? undefined : ctx.recheck;
  const reference = recheck?.ok && typeof recheck.facts?.size === 'number' ? recheck.facts.size : s.hasCopy ? ctx.bundle?.size : undefined;
  const markup = isMarkupMime(facts.mime);
  const total = typeof facts.totalBytes === 'number' && facts.totalBytes > 0 ? facts.totalBytes : undefined;

  // The same size as bytes that were checked is the strongest evidence there is.
  if (reference !== undefined && size === reference && (total === undefined || total === size)) return undefined;

  const small = size !== undefined && size < TOO_SMALL_BYTES;
  const storageError = storageProblem(recheck);
  if (!ctx.ownSave && expiredAtStart(s) && (size === undefined || small || markup)) return linkExpired(s, true);
  const errorBody = storageError !== undefined && (size === undefined || small || markup);
  // Storage saying "expired" about a link whose own signing time says alive is an error body, not an expiry.
  if (errorBody && recheck?.facts?.errorDocument?.expired === true && s.link?.expiresAt === undefined) return linkExpired(s, true);

  if (errorBody || (markup && (size === undefined || size < ERROR_DOCUMENT_MAX_BYTES))) {
    const sent = markup ? `a web page or an error message (${facts.mime})` : 'an error message';
    const said = recheck?.facts?.errorDocument;
    const words = said ? ` Storage said: ${said.code}${said.message ? `: ${said.message}` : ''}.` : storageError ? ` ${storageError.message}` : '';
    // Storage's words may say "expired"; the link's own signature says otherwise: tell both, offer the link again.
    const alive = linkAlive(s) ? ' The link itself has not expired.' : '';
    const next = againOrCopy(s);
    return {
      code: 'error-document',
      message: `${s.name || 'The download'} is not a bundle: storage sent ${sent} and the browser saved it as the zip.${words}${alive}`,
      ...next,
      hint: `Delete that file. ${next.hint}`,
    };
  }
  if (small) {
    return {
      code: 'too-small',
      message: `${s.name || 'The download'} is only ${size} bytes; a bundle is about 12 KB. It is most likely an error message from storage saved as a zip.`,
      hint: `Delete that file. ${copyOrFresh(s)}`,
      actions: withFixes(s, 'save-copy', 'fresh-link'),
    };
  }
  if (size !== undefined && total !== undefined && size < total) {
    return {
      code: 'size-mismatch',
      message: `${s.name || 'The download'} is cut short: ${size} of ${total} bytes arrived. A cut bundle fails in every driver.`,
      hint: `Delete that file. ${copyOrFresh(s)}`,
      actions: withFixes(s, 'save-copy', 'fresh-link'),
    };
  }
  if (size !== undefined && reference !== undefined && size !== reference) {
    return {
      code: 'size-mismatch',
      message: `${s.name || 'The download'} is ${size} bytes but the verified bundle is ${reference} bytes: the file is damaged or is not this bundle.`,
      hint: `Delete that file. ${copyOrFresh(s)}`,
      actions: withFixes(s, 'save-copy', 'fresh-link'),
    };
  }
  if (recheck && !recheck.ok && !s.ctx.ownSave) {
    const first = recheck.problems.find((p) => p.severity !== 'warning') ?? recheck.problems[0];
    return {
      code: 'not-a-bundle',
      message: `Astra Companion fetched the same link again and it does not give a usable bundle${first ? `: ${first.message}` : '.'}`,
      hint: first?.hint ?? copyOrFresh(s),
      actions: withFixes(s, 'save-copy', 'fresh-link'),
    };
  }
  if (markup) {
    return {
      code: 'error-document',
      message: `${s.name || 'The download'} was sent as ${facts.mime}, not as a zip: it is probably a web page, not the bundle.`,
      hint: `Check the file. ${copyOrFresh(s)}`,
      actions: withFixes(s, 'save-copy', 'fresh-link'),
    };
  }
  return undefined;
}

function judgeOpened(s: Situation): DownloadFinding | undefined {
  const { facts } = s;
  const gone = facts.exists === false;
  const temporary = isTemporaryPath(facts.filename);
  if (!gone && !temporary && facts.opened !== true) return undefined;
  const what = gone
    ? `${s.name || 'The zip'} is no longer where it was saved: the browser opened or unpacked it right after the download (or it was moved).`
    : temporary
      ? `${s.name || 'The zip'} was saved in a temporary folder to be opened at once, not kept: the browser opened it.`
      : `The browser opened ${s.name || 'the zip'} right after the download.`;
  const steps = browserSettingSteps(s.ctx.browser);
  return {
    code: 'opened-by-browser',
    message: `${what} An unpacked bundle, or one zipped again by hand, fails in the drivers.`,
    hint: `${SAVE_AS_IS} ${steps}${s.hasCopy ? ' Then save the verified copy again.' : ''}`,
    actions: withFixes(s, 'save-copy', 'browser-setting'),
  };
}

/** Everything wrong with one finished download, or a single `ok` finding. In-progress downloads get none. */
export function judgeDownload(facts: DownloadFacts, ctx: JudgeContext): DownloadFinding[] {
  if (facts.state !== 'complete' && facts.state !== 'interrupted') return [];
  const bundle = ctx.bundle;
  const usedBundleLink = bundle !== undefined && (bundle.link === facts.url || bundle.link === facts.finalUrl);
  const s: Situation = {
    facts,
    ctx,
    name: baseName(facts.filename) || bundle?.fileName || '',
    size: sizeOf(facts),
    startedAt: timeOf(facts.startTime),
    link: ctx.ownSave ? undefined : ctx.link ?? (usedBundleLink ? { signedAt: bundle.signedAt, expiresAt: bundle.expiresAt } : undefined),
    hasCopy: bundle?.hasCopy === true,
  };
  if (facts.state === 'interrupted') return judgeInterrupted(s);

  const content = judgeContent(s);
  // A wrong file is wrong wherever it went; where it went only matters for a good one.
  const opened = content ? undefined : judgeOpened(s);
  const findings = [content, opened].filter((f): f is DownloadFinding => f !== undefined);
  if (findings.length) return findings;
  const confirmed = ctx.recheck?.ok || (s.hasCopy && s.size === bundle?.size);
  return [
    {
      code: 'ok',
      message: `${s.name || 'The bundle'} downloaded${s.size !== undefined ? ` (${s.size} bytes)` : ''}${confirmed ? ' and matches the verified bundle' : ''}.`,
      hint: '',
      actions: [],
    },
  ];
}

/** True when the findings call for no warning. */
export function isGoodDownload(findings: DownloadFinding[]): boolean {
  return findings.every((finding) => finding.code === 'ok');
}

const BUNDLE_ENTRY_NAMES = ['config.json', 'ca.crt', 'cert', 'key', 'identity.jks', 'trustStore.jks', 'cqlshrc', 'cert.pfx'];

/**
 * A dropped folder (paths relative to it, `/`-separated): is it an unpacked bundle? Returns what to tell the
 * person, or undefined when the folder holds no bundle files.
 */
export function recognizeUnpackedBundle(paths: string[]): DownloadFinding | undefined {
  const names = new Set(paths.map((path) => baseName(path)));
  const found = BUNDLE_ENTRY_NAMES.filter((name) => names.has(name));
  if (!names.has('config.json') || !found.some((name) => name === 'cert' || name === 'key' || name === 'ca.crt' || name.endsWith('.jks'))) {
    return undefined;
  }
  return {
    code: 'opened-by-browser',
    message: `This is an extracted folder (${found.join(', ')}): the browser or the system unpacked the bundle. Drivers need the original zip, and zipping the folder again puts the files in a subfolder they cannot read.`,
    hint: `Use the original secure-connect-*.zip, or save the verified copy Astra Companion kept. ${SAVE_AS_IS}`,
    actions: ['save-copy', 'browser-setting'],
  };
}
