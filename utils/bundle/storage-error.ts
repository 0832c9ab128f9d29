/**
 * Recognizes the error bodies that storage services (S3, GCS, Azure) and the Astra DevOps API send instead of a
 * bundle, the "few-hundred-byte .zip" that curl saves after a link expires, and says what happened in plain words.
 * Reads them with regular expressions: no DOMParser in a service worker.
 */

export type ErrorService = 's3' | 'gcs' | 'azure' | 'astra-api' | 'unknown';

export interface ErrorDocument {
  service: ErrorService;
  format: 'xml' | 'json';
  code: string;
  message: string;
  /** GCS `<Details>` or Azure `<AuthenticationErrorDetail>`, when present. */
  detail?: string;
  /** The link's validity had ended when it was used. */
  expired: boolean;
  /** The link was used before its validity started: a wrong clock. */
  notYetValid: boolean;
  /** The signature did not match: the link was changed when copied. */
  altered: boolean;
}

const SERVICE_NAMES: Record<ErrorService, string> = {
  s3: 'Amazon S3',
  gcs: 'Google Cloud Storage',
  azure: 'Azure Blob Storage',
  'astra-api': 'the Astra DevOps API',
  unknown: 'the storage service',
};

export const EXPIRED_LINK_HINT =
  "Open the database's Connect tab in the Astra console and click Get Bundle again, and download within 5 minutes. " +
  'If Astra Companion kept a verified copy of this bundle, saving that works too.';

/** The error document in `text`, or undefined when the text is not one. `url` helps name the service. */
export function readErrorDocument(text: string, url?: string): ErrorDocument | undefined {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('<')) return readXmlError(body, text.startsWith('\uFEFF'), url);
  if (body.startsWith('{')) return readJsonError(body, url);
  return undefined;
}

function readXmlError(body: string, bom: boolean, url?: string): ErrorDocument | undefined {
  if (!/<Error(\s[^>]*)?>/.test(body)) return undefined;
  const code = element(body, 'Code');
  if (code === undefined) return undefined;
  const rawMessage = element(body, 'Message') ?? '';
  // Azure appends "RequestId:...\nTime:..." lines to its message; only the first line is for people.
  const message = rawMessage.split(/\r?\n/)[0]!.trim();
  const azureDetail = element(body, 'AuthenticationErrorDetail');
  const gcsDetail = element(body, 'Details');
  const service = xmlService(body, code, rawMessage, bom, azureDetail !== undefined, gcsDetail !== undefined, url);
  const detail = (azureDetail ?? gcsDetail)?.trim();
  const all = `${message} ${detail ?? ''}`;
  const window = azureDetail ? azureTimeWindow(azureDetail) : undefined;
  const notYetValid =
    (code === 'AccessDenied' && /not yet valid/i.test(all)) || (window !== undefined && window === 'before');
  const expired =
    !notYetValid &&
    ((code === 'AccessDenied' && /request has expired/i.test(all)) ||
      code === 'ExpiredToken' ||
      /signature expired/i.test(all) ||
      (code === 'AuthenticationFailed' && /specified time frame/i.test(all)));
  const altered =
    code === 'SignatureDoesNotMatch' ||
    code === 'AuthorizationQueryParametersError' ||
    (code === 'AuthenticationFailed' && /signature did not match|not well formed/i.test(all));
  return { service, format: 'xml', code, message, ...(detail ? { detail } : {}), expired, notYetValid, altered };
}

function xmlService(
  body: string,
  code: string,
  rawMessage: string,
  bom: boolean,
  azureDetail: boolean,
  gcsDetail: boolean,
  url?: string,
): ErrorService {
  const host = hostOf(url);
  if (azureDetail || /\nRequestId:[0-9a-f-]{36}/i.test(rawMessage) || host.endsWith('.blob.core.windows.net')) return 'azure';
  if (/<(RequestId|HostId|X-Amz-Expires|AWSAccessKeyId|BucketName)>/.test(body) || /(^|\.)amazonaws\.com$/.test(host)) {
    return 's3';
  }
  if (gcsDetail || host === 'storage.googleapis.com' || host.endsWith('.storage.googleapis.com')) return 'gcs';
  if (bom || /^(BlobNotFound|ContainerNotFound|AuthenticationFailed|AuthorizationPermissionMismatch)$/.test(code)) {
    return 'azure';
  }
  return 'unknown';
}

/** Azure: "Start [..] - Expiry [..] - Current [..]" tells expired from not-yet-valid. */
function azureTimeWindow(detail: string): 'before' | 'after' | undefined {
  const start = /Start \[([^\]]+)\]/.exec(detail)?.[1];
  const current = /Current \[([^\]]+)\]/.exec(detail)?.[1];
  if (!start || !current) return undefined;
  return Date.parse(current) < Date.parse(start) ? 'before' : 'after';
}

function readJsonError(body: string, url?: string): ErrorDocument | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const none = { expired: false, notYetValid: false, altered: false };
  // DevOps API: {"errors":[{"ID":340002,"message":"..."}]}
  if (Array.isArray(value.errors) && isRecord(value.errors[0])) {
    const first = value.errors[0];
    return {
      service: 'astra-api',
      format: 'json',
      code: String(first.ID ?? first.id ?? first.code ?? 'error'),
      message: String(first.message ?? ''),
      ...none,
    };
  }
  // GCS JSON API: {"error":{"code":403,"message":"...","errors":[{"reason":"forbidden"}]}}
  if (isRecord(value.error)) {
    const error = value.error;
    const reason = Array.isArray(error.errors) && isRecord(error.errors[0]) ? error.errors[0].reason : undefined;
    const host = hostOf(url);
    return {
      service: host.includes('googleapis.com') || reason !== undefined ? 'gcs' : 'unknown',
      format: 'json',
      code: String(reason ?? error.code ?? error.status ?? 'error'),
      message: String(error.message ?? ''),
      ...none,
      expired: /expired/i.test(String(error.message ?? '')),
    };
  }
  if (typeof value.error === 'string' || (typeof value.code !== 'undefined' && typeof value.message === 'string')) {
    return {
      service: 'unknown',
      format: 'json',
      code: String(value.code ?? value.error),
      message: String(value.message ?? value.error_description ?? value.error ?? ''),
      ...none,
    };
  }
  return undefined;
}

/** What to tell the person who has this file instead of a bundle. */
export function explainErrorDocument(doc: ErrorDocument): { message: string; hint: string } {
  const from = SERVICE_NAMES[doc.service];
  const said = doc.message ? `${doc.code}: ${doc.message}` : doc.code;
  if (doc.service === 'astra-api') {
    return {
      message: `This file is not a bundle: it holds an error from ${from} (${said}).`,
      hint: 'Check in the Astra console that the database is active (not hibernated, parked or terminated), then get the bundle again from its Connect tab.',
    };
  }
  if (doc.expired) {
    return {
      message: `This file is not a bundle: it holds the error ${from} sends because the download link had expired (${said}).`,
      hint: EXPIRED_LINK_HINT,
    };
  }
  if (doc.notYetValid) {
    return {
      message: `This file is not a bundle: ${from} refused the download link as not yet valid (${said}); your computer's clock is probably wrong.`,
      hint: "Set your computer's clock to the right time (automatic time), then click Get Bundle again in the database's Connect tab.",
    };
  }
  if (doc.altered) {
    return {
      message: `This file is not a bundle: ${from} refused the download link because it was altered when copied (${said}).`,
      hint: "Click Get Bundle again and copy the link with the dialog's copy icon, or use its cURL command exactly as shown: an '&amp;' in place of '&', a cut or a line break breaks the link.",
    };
  }
  if (/^(NoSuchKey|NoSuchBucket|BlobNotFound|ContainerNotFound|NotFound)$/.test(doc.code)) {
    return {
      message: `This file is not a bundle: ${from} says there is no file at that address (${said}).`,
      hint: "Get a fresh link with Get Bundle in the database's Connect tab; if this persists the database may have been terminated.",
    };
  }
  return {
    message: `This file is not a bundle: it holds an error from ${from} (${said}).`,
    hint: "Click Get Bundle again in the database's Connect tab and download within 5 minutes; if this persists, tell DataStax support this error code.",
  };
}

function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? decodeXmlText(match[1]!) : undefined;
}

function decodeXmlText(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
      const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
      if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
      const point = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : '';
    });
}

function hostOf(url?: string): string {
  if (!url) return '';
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
