/**
 * Real AWS SigV4 query-string signing and checking for the bundle bucket, with a secret only the replica knows.
 * The links look exactly like Astra's (ASTRA.md section 2) and storage rejects altered, early and late ones.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { STORAGE_HOST } from './hosts';

const BUCKET_REGION = 'us-east-2';
const SERVICE = 's3';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_EXPIRES_SECONDS = 604_800;
const SIGNED_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
] as const;

/** One S3 error document: the status and the child elements of `<Error>`, Code and Message first. */
export interface StorageRefusal {
  ok: false;
  status: number;
  fields: Array<[string, string]>;
}

export interface StorageGrant {
  ok: true;
  /** The object key: the URL path without its leading slash, decoded. */
  key: string;
}

export interface StorageSigner {
  accessKeyId: string;
  /** A pre-signed GET link for `key` (e.g. `<dcId>/secure-connect-orders.zip`) valid from `date` for `expiresSeconds`. */
  presign(key: string, date: Date, expiresSeconds: number): string;
  /** What S3 would say about a request: `path` and `query` raw, as they arrived on the wire. */
  check(request: { method: string; host: string; path: string; query: string; now: Date }): StorageGrant | StorageRefusal;
}

/** `20240131T235959Z`, the form of X-Amz-Date. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** S3's time format in error documents: `2024-01-31T23:59:59Z`. */
function s3Time(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3986 encoding, as SigV4 canonicalizes query names and values. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function canonicalQuery(params: Array<[string, string]>): string {
  return params
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function bytesText(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function parseQuery(raw: string): Array<[string, string]> | undefined {
  if (raw === '') return [];
  const params: Array<[string, string]> = [];
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      params.push([decodeURIComponent(name), decodeURIComponent(value)]);
    } catch {
      return undefined;
    }
  }
  return params;
}

function refuse(status: number, code: string, message: string, extra: Array<[string, string]> = []): StorageRefusal {
  return { ok: false, status, fields: [['Code', code], ['Message', message], ...extra] };
}

const SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

export function createStorageSigner(
  secretAccessKey = randomBytes(30).toString('base64'),
  accessKeyId = 'AKIAQ3EGRJ7VZB2MXN4P',
): StorageSigner {
  function signingKey(day: string): Buffer {
    const kDate = hmac(`AWS4${secretAccessKey}`, day);
    return hmac(hmac(hmac(kDate, BUCKET_REGION), SERVICE), 'aws4_request');
  }

  function stringToSign(method: string, host: string, path: string, params: Array<[string, string]>, date: string) {
    const canonicalRequest = [method, path, canonicalQuery(params), `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join(
      '\n',
    );
    const scope = `${date.slice(0, 8)}/${BUCKET_REGION}/${SERVICE}/aws4_request`;
    return { canonicalRequest, stringToSign: [ALGORITHM, date, scope, sha256Hex(canonicalRequest)].join('\n') };
  }

  function presign(key: string, date: Date, expiresSeconds: number): string {
    const path = `/${key.split('/').map(uriEncode).join('/')}`;
    const when = amzDate(date);
    const params: Array<[string, string]> = [
      ['X-Amz-Algorithm', ALGORITHM],
      ['X-Amz-Credential', `${accessKeyId}/${when.slice(0, 8)}/${BUCKET_REGION}/${SERVICE}/aws4_request`],
      ['X-Amz-Date', when],
      ['X-Amz-Expires', String(expiresSeconds)],
      ['X-Amz-SignedHeaders', 'host'],
    ];
    const { stringToSign: toSign } = stringToSign('GET', STORAGE_HOST, path, params, when);
    const signature = hmac(signingKey(when.slice(0, 8)), toSign).toString('hex');
    const query = [...params, ['X-Amz-Signature', signature]].map(([n, v]) => `${n}=${uriEncode(v!)}`).join('&');
    return `https://${STORAGE_HOST}${path}?${query}`;
  }

  function check({ method, host, path, query, now }: Parameters<StorageSigner['check']>[0]): StorageGrant | StorageRefusal {
    const params = parseQuery(query);
    const signatureMismatch = (canonicalRequest = '', toSign = '', provided = '') =>
      refuse(403, 'SignatureDoesNotMatch', SIGNATURE_MESSAGE, [
        ['AWSAccessKeyId', accessKeyId],
        ['StringToSign', toSign],
        ['SignatureProvided', provided],
        ['StringToSignBytes', bytesText(toSign)],
        ['CanonicalRequest', canonicalRequest],
        ['CanonicalRequestBytes', bytesText(canonicalRequest)],
      ]);
    if (!params) return signatureMismatch();
    const value = (name: string) => params.filter(([n]) => n === name).map(([, v]) => v);
    if (SIGNED_PARAMS.every((name) => value(name).length === 0)) return refuse(403, 'AccessDenied', 'Access Denied');
    // A link copied with `&amp;` or cut short loses parameters: ASTRA.md says S3 then answers SignatureDoesNotMatch.
    if (SIGNED_PARAMS.some((name) => value(name).length !== 1)) return signatureMismatch();
    const [algorithm, credential, dateText, expiresText, signedHeaders, provided] = SIGNED_PARAMS.map(
      (name) => value(name)[0]!,
    ) as [string, string, string, string, string, string];

    const credentialParts = credential.split('/');
    if (credentialParts.length !== 5) {
      return refuse(400, 'AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter.');
    }
    if (credentialParts[0] !== accessKeyId) {
      return refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', [
        ['AWSAccessKeyId', credentialParts[0]!],
      ]);
    }
    if (credentialParts[2] !== BUCKET_REGION) {
      return refuse(
        400,
        'AuthorizationQueryParametersError',
        `Error parsing the X-Amz-Credential parameter; the region '${credentialParts[2]}' is wrong; expecting '${BUCKET_REGION}'`,
        [['Region', BUCKET_REGION]],
      );
    }
    const date = parseAmzDate(dateText);
    if (!date) {
      return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
    }
    if (!/^\d+$/.test(expiresText)) {
      return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires should be a number');
    }
    const expires = Number(expiresText);
    if (expires > MAX_EXPIRES_SECONDS) {
      return refuse(
        400,
        'AuthorizationQueryParametersError',
        `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`,
      );
    }

    const { canonicalRequest, stringToSign: toSign } = stringToSign(method, host, path, params, dateText);
    const expected = hmac(signingKey(credentialParts[1]!), toSign);
    const given = /^[0-9a-f]{64}$/.test(provided) ? Buffer.from(provided, 'hex') : Buffer.alloc(0);
    const signedRight =
      algorithm === ALGORITHM &&
      signedHeaders === 'host' &&
      credentialParts[1] === dateText.slice(0, 8) &&
      credentialParts[3] === SERVICE &&
      credentialParts[4] === 'aws4_request' &&
      given.length === expected.length &&
      timingSafeEqual(given, expected);
    if (!signedRight) return signatureMismatch(canonicalRequest, toSign, provided);

    const nowSeconds = Math.floor(now.getTime() / 1000);
    const fromSeconds = date.getTime() / 1000;
    if (nowSeconds < fromSeconds) {
      return refuse(403, 'AccessDenied', 'Request is not yet valid', [
        ['X-Amz-Date', dateText],
        ['ServerTime', s3Time(now)],
      ]);
    }
    if (nowSeconds > fromSeconds + expires) {
      return refuse(403, 'AccessDenied', 'Request has expired', [
        ['X-Amz-Expires', expiresText],
        ['Expires', s3Time(new Date((fromSeconds + expires) * 1000))],
        ['ServerTime', s3Time(now)],
      ]);
    }
    let key: string;
    try {
      key = decodeURIComponent(path.replace(/^\//, ''));
    } catch {
      return signatureMismatch(canonicalRequest, toSign, provided);
    }
    return { ok: true, key };
  }

  return { accessKeyId, presign, check };
}
