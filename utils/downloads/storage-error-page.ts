/**
 * The page a browser shows when a bundle link is opened after it died: storage's XML error document
 * ("AccessDenied / Request has expired"). Reads it (as text, or as the fields of the `<Error>` element) and says
 * in plain words what happened and when. The background's `storageErrorContext` (watch-downloads.ts) tells the
 * page what Astra Companion kept for that link. Recognizing the error itself is storage-error.ts's job.
 */
import type { StorageErrorContext } from './types';
import { describeExpiry, formatClock, formatSpan } from './judge-download';
import { explainErrorDocument, readErrorDocument, type ErrorService } from '../bundle/storage-error';
import { CONSOLE_HOST } from '../astra/hosts';

export type StorageErrorCode = 'link-expired' | 'link-not-yet-valid' | 'link-altered' | 'no-such-bundle' | 'storage-error';

export interface StorageErrorReport {
  code: StorageErrorCode;
  service: ErrorService;
  /** Storage's own words, e.g. `AccessDenied` / `Request has expired`. */
  storageCode: string;
  storageMessage: string;
  /** What happened, in plain words. */
  message: string;
  hint: string;
  expiredAt?: number;
  signedAt?: number;
  /** Storage's clock when it refused the link. */
  serverTime?: number;
}

export interface StorageErrorPageOptions {
  /** The link's own signing times (parseBundleLink), used when the body does not say. */
  link?: { signedAt?: number; expiresAt?: number };
  timeZone?: string;
}

/** Child elements of `<Error>` by name, as read from the DOM. */
export type ErrorFields = Record<string, string>;

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

function fieldsToXml(fields: ErrorFields): string {
  const body = Object.entries(fields)
    .filter(([name]) => /^[A-Za-z][\w.-]*$/.test(name))
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return `<Error>${body}</Error>`;
}

/** The XML from the page text: a serialized document, or the text of Chromium's XML tree view around it. */
function errorXmlOf(text: string): string | undefined {
  const clean = text.replace(/^\uFEFF/, '');
  const start = clean.search(/<\?xml|<Error[\s>]/);
  return start < 0 ? undefined : clean.slice(start);
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]?.trim();
}

function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  // S3's X-Amz-Date form: 20241021T102000Z.
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  const ms = compact ? Date.UTC(+compact[1]!, +compact[2]! - 1, +compact[3]!, +compact[4]!, +compact[5]!, +compact[6]!) : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

interface Times {
  expiredAt?: number;
  signedAt?: number;
  serverTime?: number;
}

/** Times the body itself states, per service. */
function timesInBody(xml: string, detail: string | undefined): Times {
  const times: Times = {};
  const expires = parseTime(tag(xml, 'Expires'));
  const lifetime = Number(tag(xml, 'X-Amz-Expires'));
  if (expires !== undefined) {
    times.expiredAt = expires;
    if (Number.isFinite(lifetime) && lifetime > 0) times.signedAt = expires - lifetime * 1000;
  }
  const signed = parseTime(tag(xml, 'X-Amz-Date'));
  if (signed !== undefined) times.signedAt = signed;
  times.serverTime = parseTime(tag(xml, 'ServerTime'));
  if (detail) {
    const gcs = /signature expired at:\s*([^\s<]+)/i.exec(detail)?.[1];
    if (gcs) times.expiredAt = parseTime(gcs);
    const window = /Start \[([^\]]+)\] - Expiry \[([^\]]+)\] - Current \[([^\]]+)\]/.exec(detail);
    if (window) {
      times.signedAt = parseTime(window[1]);
      times.expiredAt = parseTime(window[2]);
      times.serverTime = parseTime(window[3]);
    }
  }
  // Azure's message ends with "Time:<ISO>", its clock when it refused.
  times.serverTime ??= parseTime(/\bTime:(\S+)/.exec(tag(xml, 'Message') ?? '')?.[1]);
  return times;
}

const COPY_OR_FRESH = "Save the verified copy Astra Companion kept, or open the database's Connect tab and click Get Bundle again.";

/**
 * What an error page from storage says, or null when the page is not one (a bundle link's page that is
 * anything else: nothing to explain).
 */
export function readStorageErrorPage(
  source: string | ErrorFields,
  url: string,
  now: number,
  options: StorageErrorPageOptions = {},
): StorageErrorReport | null {
  const xml = typeof source === 'string' ? errorXmlOf(source) : fieldsToXml(source);
  if (!xml) return null;
  const doc = readErrorDocument(xml, url);
  if (!doc || doc.format !== 'xml') return null;

  const times = timesInBody(xml, doc.detail);
  const expiredAt = times.expiredAt ?? options.link?.expiresAt;
  const signedAt = times.signedAt ?? options.link?.signedAt;
  const base = {
    service: doc.service,
    storageCode: doc.code,
    storageMessage: doc.message,
    ...(expiredAt !== undefined ? { expiredAt } : {}),
    ...(signedAt !== undefined ? { signedAt } : {}),
    ...(times.serverTime !== undefined ? { serverTime: times.serverTime } : {}),
  };
  const tz = options.timeZone;

  if (doc.expired) {
    const lifetime = expiredAt !== undefined && signedAt !== undefined && signedAt < expiredAt ? formatSpan(expiredAt - signedAt) : '5 minutes';
    const when =
      expiredAt !== undefined
        ? `This bundle link ${describeExpiry({ signedAt, expiresAt: expiredAt }, tz)}${now > expiredAt ? `, ${formatSpan(now - expiredAt)} ago` : ''}.`
        : 'This bundle link has expired.';
    return {
      code: 'link-expired',
      ...base,
      message: `${when} Storage links from the Astra console only work for ${lifetime}, so instead of the bundle the browser shows storage's error message.`,
      hint: COPY_OR_FRESH,
    };
  }
  if (doc.notYetValid) {
    const clocks =
      signedAt !== undefined && times.serverTime !== undefined
        ? ` The link was signed for ${formatClock(signedAt, tz)}, but storage's clock said ${formatClock(times.serverTime, tz)}.`
        : '';
    return {
      code: 'link-not-yet-valid',
      ...base,
      message: `Storage refused this bundle link because it is not valid yet.${clocks}`,
      hint: `Wait a minute and reload this page. ${explainErrorDocument(doc).hint}`,
    };
  }
  if (doc.altered) {
    return {
      code: 'link-altered',
      ...base,
      message: "Storage refused this bundle link because it was changed on the way (a cut, a line break, or '&amp;' in place of '&'), so its signature no longer matches.",
      hint: COPY_OR_FRESH,
    };
  }
  if (/^(NoSuchKey|NoSuchBucket|BlobNotFound|ContainerNotFound|NotFound)$/.test(doc.code)) {
    return {
      code: 'no-such-bundle',
      ...base,
      message: 'Storage has no bundle at this address: the link points at a file that does not exist (any more).',
      hint: explainErrorDocument(doc).hint,
    };
  }
  return {
    code: 'storage-error',
    ...base,
    message: `Storage refused this bundle link (${doc.code}${doc.message ? `: ${doc.message}` : ''}).`,
    hint: COPY_OR_FRESH,
  };
}

// ---------------------------------------------------------------------------------------------
// What Astra Companion knows about a storage link opened in a tab (answered by storageErrorContext in
// watch-downloads.ts, which runs in the background: this file stays free of the store for the content script).
// ---------------------------------------------------------------------------------------------

/** Checks the background's answer before the page uses it (a reloaded extension answers `undefined`). */
export function readStorageErrorContext(value: unknown): StorageErrorContext | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.connectUrl !== 'string' || !v.connectUrl.startsWith(`https://${CONSOLE_HOST}/`)) return null;
  const text = (x: unknown) => (typeof x === 'string' && x.length <= 500 ? x : undefined);
  const time = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const context: StorageErrorContext = { hasCopy: v.hasCopy === true, connectUrl: v.connectUrl };
  const bundleId = text(v.bundleId);
  if (bundleId) context.bundleId = bundleId;
  const fileName = text(v.fileName);
  if (fileName) context.fileName = fileName;
  const dbName = text(v.dbName);
  if (dbName) context.dbName = dbName;
  const signedAt = time(v.signedAt);
  if (signedAt !== undefined) context.signedAt = signedAt;
  const expiresAt = time(v.expiresAt);
  if (expiresAt !== undefined) context.expiresAt = expiresAt;
  return context;
}
