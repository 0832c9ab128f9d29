/**
 * Reads a secure connect bundle link: where it points, what bundle it names and when its signature dies.
 * Refuses anything that is not a well-formed signed `secure-connect-*.zip` link on a storage host we trust.
 * Facts: /work/shared/ASTRA.md sections 1 and 2.
 */
import { STORAGE_HOSTS } from '../astra/hosts';
import { fail, ok, type Result } from '../shared/result';
import type { BundleKind, LinkContext, SigningScheme, StorageService } from './types';

export type BundleLinkProblem =
  | 'not-https'
  | 'untrusted-host'
  | 'not-a-bundle'
  | 'bad-signature'
  | 'no-expiry'
  | 'malformed';

export interface BundleLink {
  /** Normalized: exactly what to fetch (no fragment, HTML/JSON escaping undone). */
  url: string;
  host: string;
  service: StorageService;
  scheme: SigningScheme;
  /** `secure-connect-orders.zip`, decoded. */
  fileName: string;
  /** From the file name, without the kind prefix and without a trailing region suffix when the region is known. */
  dbName: string;
  kind: BundleKind;
  /** `<dbId>-1`, `<dbId>-2`, ... or a bare `<dbId>` for older databases. */
  datacenterId?: string;
  dbId?: string;
  region?: string;
  /** Epoch ms, from the link's own signing time (not the page clock). */
  signedAt?: number;
  expiresAt?: number;
  lifetimeSeconds?: number;
}

export interface ParseBundleLinkOptions {
  /** Exact host names (lowercase) a link may point at. Defaults to STORAGE_HOSTS. */
  trustedHosts?: readonly string[];
  /** What the API said around the link (findBundleLinks): region, kind, datacenter. */
  context?: LinkContext;
}

/** Every real bundle link from 2020 to 2026 points at this bucket (ASTRA.md section 2). */

/** Real links are 500 to 1,500 characters; anything far longer is not one. */
export const MAX_LINK_LENGTH = 8192;

/** S3 and GCS refuse pre-signed lifetimes over 7 days. */
const MAX_SIGNED_LIFETIME_SECONDS = 604_800;

const FILE_PREFIX = 'secure-connect-';
const FILE_SUFFIX = '.zip';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const DATACENTER_ID = new RegExp(`^(${UUID})(?:-(\\d{1,4}))?$`);
const KIND_PREFIXES: ReadonlyArray<readonly [string, BundleKind]> = [
  ['proxy-internal-', 'migration-proxy-internal'],
  ['proxy-', 'migration-proxy'],
  ['internal-', 'internal'],
];
const AWS_REGION = /-((?:us|eu|ap|ca|sa|me|af|il|mx|cn)(?:-gov|-iso[a-z]?)?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2})$/;
const GCP_REGION = /-((?:us|europe|asia|northamerica|southamerica|australia|me|africa)-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)\d{1,2})$/;
const AZURE_REGIONS = [
  'eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northcentralus', 'southcentralus',
  'westcentralus', 'canadacentral', 'canadaeast', 'brazilsouth', 'northeurope', 'westeurope', 'uksouth',
  'ukwest', 'francecentral', 'germanywestcentral', 'switzerlandnorth', 'norwayeast', 'swedencentral',
  'polandcentral', 'italynorth', 'spaincentral', 'australiaeast', 'australiasoutheast', 'centralindia',
  'southindia', 'westindia', 'japaneast', 'japanwest', 'koreacentral', 'southeastasia', 'eastasia',
  'uaenorth', 'southafricanorth', 'qatarcentral', 'israelcentral', 'mexicocentral',
];
const AZURE_REGION = new RegExp(`-(${AZURE_REGIONS.join('|')})$`);
const REGION_TEXT = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** A database name: letters and digits of any script, `_`, `-`, `.` inside; no quotes, spaces, controls or shell syntax. */
const DB_NAME_TEXT = /^[\p{L}\p{N}](?:[\p{L}\p{N}_.-]{0,198}[\p{L}\p{N}_])?$/u;
const PATH_SEGMENT = /^[A-Za-z0-9._~-]{1,200}$/;

type Failure = { ok: false; error: { code: BundleLinkProblem; message: string; hint: string } };

const HINT_GET_NEW = 'Get a fresh link from the Astra console (Connect > Get Bundle) and use it as it is.';

const problem = {
  malformed: (message: string): Failure => fail('malformed', message, HINT_GET_NEW),
  notHttps: (scheme: string): Failure =>
    fail('not-https', `Bundle links are https; this one is ${scheme}.`, 'Only https links from Astra can be trusted; get the link from the Astra console.'),
  untrusted: (message: string): Failure =>
    fail('untrusted-host', message, 'Bundles are only fetched from the storage Astra uses. Get the link from the Astra console.'),
  notBundle: (message: string): Failure =>
    fail('not-a-bundle', message, 'A bundle link ends in /secure-connect-<database>.zip; check you copied the bundle link.'),
  badSignature: (message: string): Failure =>
    fail('bad-signature', message, `The link is damaged or incomplete, so storage would refuse it. ${HINT_GET_NEW}`),
  noExpiry: (message: string): Failure => fail('no-expiry', message, HINT_GET_NEW),
};

/** Parses a bundle link. Never throws: hostile input (10 MB, controls, quotes, shell syntax) comes back as a Problem. */
export function parseBundleLink(url: string, opts: ParseBundleLinkOptions = {}): Result<BundleLink, BundleLinkProblem> {
  try {
    return parse(url, opts);
  } catch {
    // Defensive: the checks above are meant to catch everything; a thrown error must never cross layers.
    return problem.malformed('This is not a link that can be read.');
  }
}

function parse(input: unknown, opts: ParseBundleLinkOptions): Result<BundleLink, BundleLinkProblem> {
  if (typeof input !== 'string') return problem.malformed('The link is not text.');
  if (input.length > MAX_LINK_LENGTH * 4) return problem.malformed('This text is far too long to be a bundle link.');
  let text = undoTextEscaping(input.trim());
  if (text.length === 0) return problem.malformed('The link is empty.');
  if (text.length > MAX_LINK_LENGTH) return problem.malformed('This text is far too long to be a bundle link.');

  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]{0,30}):/.exec(text);
  if (!schemeMatch) return problem.malformed('This is not a link (it does not start with https://).');
  const scheme = schemeMatch[1]!.toLowerCase();
  if (scheme !== 'https') return problem.notHttps(scheme);
  if (!/^https:\/\//i.test(text)) return problem.malformed('The link does not start with https://.');
  // The URL parser would silently drop tabs and line breaks and turn `\` into `/`: refuse rather than guess.
  // Quotes, backticks, brackets and the like are never raw in a signed link; they are shell or HTML syntax.
  if (/[^\x21-\x7e]|["'`<>\\{}|^]/.test(text)) {
    return problem.malformed('The link contains spaces, line breaks, quotes or other characters a signed link never has.');
  }

  const authority = /^https:\/\/([^/?#]*)/i.exec(text)![1]!;
  if (authority.includes('@')) {
    return problem.untrusted('The link carries a user name before the host, a trick to disguise where it points.');
  }
  const portMatch = /:([^:\]]*)$/.exec(authority);
  if (portMatch && portMatch[1] !== '443') return problem.untrusted('The link names an unusual port on the storage host.');

  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return problem.malformed('This is not a valid link.');
  }
  if (parsed.protocol !== 'https:') return problem.notHttps(parsed.protocol.replace(/:$/, ''));
  if (parsed.username !== '' || parsed.password !== '') {
    return problem.untrusted('The link carries a user name before the host, a trick to disguise where it points.');
  }
  if (parsed.port !== '') return problem.untrusted('The link names an unusual port on the storage host.');
  const host = parsed.hostname.toLowerCase();
  const trusted = (opts.trustedHosts ?? STORAGE_HOSTS).map((h) => String(h).toLowerCase());
  if (!trusted.includes(host)) {
    return problem.untrusted(`Bundles are not fetched from ${host.slice(0, 120)}.`);
  }
  parsed.hash = '';
  text = parsed.href;

  const path = readPath(parsed.pathname);
  if (!path.ok) return path;
  const query = readQuery(parsed.search);
  if (!query.ok) return query;

  const signature = readSignature(query.value, host);
  if (!signature.ok) return signature;

  const { fileName, datacenterId } = path.value;
  const context = opts.context ?? {};
  const described = describeFileName(fileName, context);
  if (!described) return problem.notBundle('The file name does not hold a usable database name.');

  const dcMatch = datacenterId ? DATACENTER_ID.exec(datacenterId) : null;
  const contextDc = typeof context.datacenterId === 'string' ? DATACENTER_ID.exec(context.datacenterId) : null;
  const link: BundleLink = {
    url: text,
    host,
    service: signature.value.service,
    scheme: signature.value.scheme,
    fileName,
    dbName: described.dbName,
    kind: described.kind,
    ...(dcMatch ? { datacenterId: datacenterId!, dbId: dcMatch[1]!.toLowerCase() } : {}),
    ...(!dcMatch && contextDc ? { datacenterId: contextDc[0], dbId: contextDc[1]!.toLowerCase() } : {}),
    ...(described.region ? { region: described.region } : {}),
    ...signature.value.times,
  };
  if (!link.dbId && typeof context.dbId === 'string' && new RegExp(`^${UUID}$`).test(context.dbId)) {
    link.dbId = context.dbId.toLowerCase();
  }
  return ok(link);
}

/** Undoes the escaping a link picks up inside JSON (`\u0026`, `\/`) and HTML (`&amp;`): a link copied that way fails at S3. */
function undoTextEscaping(text: string): string {
  let out = text;
  for (let i = 0; i < 4; i++) {
    const next = out
      .replace(/\\u0026/gi, '&')
      .replace(/\\\//g, '/')
      .replace(/&(?:amp|#0*38|#x0*26);/gi, '&');
    if (next === out) break;
    out = next;
  }
  return out;
}

function readPath(pathname: string): Result<{ fileName: string; datacenterId?: string }, BundleLinkProblem> {
  const raw = pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const part of raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return problem.malformed('The link path has broken %-escapes.');
    }
    segments.push(decoded);
  }
  const fileName = segments[segments.length - 1] ?? '';
  if (!fileName.startsWith(FILE_PREFIX) || !fileName.endsWith(FILE_SUFFIX) || fileName.length <= FILE_PREFIX.length + FILE_SUFFIX.length) {
    return problem.notBundle('The link does not point at a secure-connect-*.zip file.');
  }
  const folders = segments.slice(0, -1);
  if (folders.some((segment) => !PATH_SEGMENT.test(segment) || segment === '.' || segment === '..')) {
    return problem.notBundle('The folder part of the link has characters a bundle link never has.');
  }
  const datacenterId = folders[folders.length - 1];
  return ok(datacenterId && DATACENTER_ID.test(datacenterId) ? { fileName, datacenterId } : { fileName });
}

/** Query parameters, decoded without turning `+` into a space (S3 signatures are base64 and may hold `+`). */
function readQuery(search: string): Result<Map<string, string>, BundleLinkProblem> {
  const params = new Map<string, string>();
  const raw = search.startsWith('?') ? search.slice(1) : search;
  if (raw === '') return ok(params);
  const parts = raw.split('&');
  if (parts.length > 64) return problem.malformed('The link has far too many parameters.');
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1));
    } catch {
      return problem.malformed('The link parameters have broken %-escapes.');
    }
    // Two values for one signed parameter would make the link mean different things to different readers.
    if (params.has(name)) return problem.malformed(`The link has the parameter ${name.slice(0, 40)} twice.`);
    params.set(name, value);
  }
  return ok(params);
}

interface SignatureFacts {
  service: StorageService;
  scheme: SigningScheme;
  times: Pick<BundleLink, 'signedAt' | 'expiresAt' | 'lifetimeSeconds'>;
}

function hostService(host: string): StorageService | undefined {
  if (host === 'amazonaws.com' || host.endsWith('.amazonaws.com')) return 's3';
  if (host === 'storage.googleapis.com' || host.endsWith('.storage.googleapis.com')) return 'gcs';
  if (host.endsWith('.blob.core.windows.net')) return 'azure';
  return undefined;
}

const SCHEME_SERVICE: Record<SigningScheme, StorageService> = {
  's3-sigv4': 's3',
  's3-legacy': 's3',
  'gcs-v4': 'gcs',
  'gcs-v2': 'gcs',
  'azure-sas': 'azure',
};

function detectScheme(params: Map<string, string>): SigningScheme | 'mixed' | undefined {
  const names = [...params.keys()];
  const found = new Set<SigningScheme>();
  if (names.some((n) => /^x-amz-/i.test(n))) found.add('s3-sigv4');
  if (names.some((n) => /^x-goog-/i.test(n))) found.add('gcs-v4');
  if (params.has('AWSAccessKeyId')) found.add('s3-legacy');
  if (params.has('GoogleAccessId')) found.add('gcs-v2');
  if (params.has('sig') || params.has('sv')) found.add('azure-sas');
  if (found.size > 1) return 'mixed';
  return [...found][0];
}

function readSignature(params: Map<string, string>, host: string): Result<SignatureFacts, BundleLinkProblem> {
  const scheme = detectScheme(params);
  if (scheme === 'mixed') return problem.badSignature('The link mixes signature parameters of different storage services.');
  if (!scheme) {
    if (params.has('Expires') || params.has('Signature')) return problem.badSignature('The link signature is incomplete.');
    return problem.badSignature('The link is not signed, so storage would refuse it.');
  }
  const service = hostService(host) ?? SCHEME_SERVICE[scheme];
  if (service !== SCHEME_SERVICE[scheme]) {
    return problem.badSignature(`The link is signed for another storage service than ${host}.`);
  }
  switch (scheme) {
    case 's3-sigv4':
      return readV4(params, host, { prefix: 'X-Amz-', algorithms: ['AWS4-HMAC-SHA256'], service: 's3', terminator: 'aws4_request' }, scheme);
    case 'gcs-v4':
      return readV4(params, host, { prefix: 'X-Goog-', algorithms: ['GOOG4-RSA-SHA256', 'GOOG4-HMAC-SHA256'], service: 'storage', terminator: 'goog4_request' }, scheme);
    case 's3-legacy':
    case 'gcs-v2':
      return readLegacy(params, scheme);
    case 'azure-sas':
      return readAzure(params);
  }
}

interface V4Flavour {
  prefix: 'X-Amz-' | 'X-Goog-';
  algorithms: readonly string[];
  service: string;
  terminator: string;
}

function readV4(params: Map<string, string>, host: string, f: V4Flavour, scheme: SigningScheme): Result<SignatureFacts, BundleLinkProblem> {
  const get = (name: string) => params.get(f.prefix + name);
  const algorithm = get('Algorithm');
  const credential = get('Credential');
  const date = get('Date');
  const expires = get('Expires');
  const signedHeaders = get('SignedHeaders');
  const signature = get('Signature');
  if (algorithm === undefined || credential === undefined || date === undefined || signedHeaders === undefined || signature === undefined) {
    return problem.badSignature('The link is missing part of its signature (it may have been cut short).');
  }
  if (!f.algorithms.includes(algorithm)) return problem.badSignature('The link uses an unknown signing algorithm.');
  const scope = credential.split('/');
  if (scope.length !== 5) return problem.badSignature('The link credential is malformed.');
  const [keyId, day, region, service, terminator] = scope as [string, string, string, string, string];
  const keyIdOk = f.prefix === 'X-Amz-' ? /^[A-Z0-9]{16,128}$/.test(keyId) : /^[A-Za-z0-9._@+-]{1,256}$/.test(keyId);
  if (!keyIdOk || !/^\d{8}$/.test(day) || !/^[a-z0-9-]{1,40}$/.test(region) || service !== f.service || terminator !== f.terminator) {
    return problem.badSignature('The link credential is malformed.');
  }
  const signedAt = parseCompactTime(date);
  if (signedAt === undefined) return problem.badSignature('The link signing time is malformed.');
  if (date.slice(0, 8) !== day) return problem.badSignature('The link credential date does not match its signing time.');
  const hostRegion = /(?:^|\.)s3[.-]((?:[a-z]{2}(?:-gov)?)-[a-z]+-\d{1,2})\.amazonaws\.com$/.exec(host)?.[1];
  if (f.prefix === 'X-Amz-' && hostRegion && hostRegion !== region) {
    return problem.badSignature(`The link is signed for region ${region}, not the bucket's ${hostRegion}.`);
  }
  if (!/^[a-z0-9-]+(?:;[a-z0-9-]+)*$/.test(signedHeaders) || !signedHeaders.split(';').includes('host')) {
    return problem.badSignature('The link signed headers are malformed.');
  }
  const signatureOk = f.prefix === 'X-Amz-' ? /^[0-9a-f]{64}$/.test(signature) : /^(?:[0-9a-f]{2}){32,1024}$/.test(signature);
  if (!signatureOk) return problem.badSignature('The link signature is malformed (it may have been cut short).');
  if (expires === undefined) return problem.noExpiry('The link does not say how long it is valid.');
  if (!/^\d{1,6}$/.test(expires)) return problem.badSignature('The link lifetime is not a number of seconds.');
  const lifetimeSeconds = Number(expires);
  if (lifetimeSeconds < 1 || lifetimeSeconds > MAX_SIGNED_LIFETIME_SECONDS) {
    return problem.badSignature('The link lifetime is outside what storage accepts (1 second to 7 days).');
  }
  return ok({
    service: SCHEME_SERVICE[scheme],
    scheme,
    times: { signedAt, expiresAt: signedAt + lifetimeSeconds * 1000, lifetimeSeconds },
  });
}

function readLegacy(params: Map<string, string>, scheme: 's3-legacy' | 'gcs-v2'): Result<SignatureFacts, BundleLinkProblem> {
  const keyId = scheme === 's3-legacy' ? params.get('AWSAccessKeyId') : params.get('GoogleAccessId');
  const signature = params.get('Signature');
  const expires = params.get('Expires');
  const keyIdOk = scheme === 's3-legacy' ? /^[A-Z0-9]{16,128}$/.test(keyId ?? '') : /^[A-Za-z0-9._@+-]{1,256}$/.test(keyId ?? '');
  if (!keyIdOk) return problem.badSignature('The link credential is malformed.');
  if (signature === undefined || !isBase64(signature)) return problem.badSignature('The link signature is missing or malformed.');
  if (expires === undefined) return problem.noExpiry('The link does not say when it expires.');
  if (!/^\d{9,11}$/.test(expires)) return problem.badSignature('The link expiry time is malformed.');
  return ok({ service: SCHEME_SERVICE[scheme], scheme, times: { expiresAt: Number(expires) * 1000 } });
}

function readAzure(params: Map<string, string>): Result<SignatureFacts, BundleLinkProblem> {
  const version = params.get('sv');
  const signature = params.get('sig');
  const permissions = params.get('sp');
  if (version === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(version)) return problem.badSignature('The link SAS version is missing or malformed.');
  if (signature === undefined || !isBase64(signature)) return problem.badSignature('The link signature is missing or malformed.');
  if (permissions === undefined || !/^[a-z]{1,20}$/.test(permissions) || !permissions.includes('r')) {
    return problem.badSignature('The link does not grant reading.');
  }
  const end = params.get('se');
  if (end === undefined) return problem.noExpiry('The link does not say when it expires.');
  const expiresAt = parseIsoTime(end);
  if (expiresAt === undefined) return problem.badSignature('The link expiry time is malformed.');
  const start = params.get('st');
  const signedAt = start === undefined ? undefined : parseIsoTime(start);
  if (start !== undefined && signedAt === undefined) return problem.badSignature('The link start time is malformed.');
  const times: SignatureFacts['times'] = { expiresAt };
  if (signedAt !== undefined) {
    times.signedAt = signedAt;
    times.lifetimeSeconds = Math.round((expiresAt - signedAt) / 1000);
  }
  return ok({ service: 'azure', scheme: 'azure-sas', times });
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]{16,1024}={0,2}$/.test(text);
}

/** `20261123T101500Z` (X-Amz-Date, X-Goog-Date) to epoch ms; undefined unless a real calendar time. */
function parseCompactTime(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  return utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), 0);
}

/** Azure's `2026-11-23`, `2026-11-23T10:15Z`, `2026-11-23T10:15:00Z`, `2026-11-23T10:15:00.1234567Z`, UTC only. */
function parseIsoTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z)?$/.exec(text);
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  return utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined {
  if (y < 2000 || y > 2200 || h > 23 || mi > 59 || s > 59) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const back = new Date(t);
  // Date.UTC rolls 31 February over into March: a real date must come back unchanged.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t;
}

interface FileNameFacts {
  dbName: string;
  kind: BundleKind;
  region?: string;
}

/**
 * Reads `secure-connect-[internal-|proxy-|proxy-internal-]<db>[-<region>].zip`.
 * A database named `internal-x` looks like the internal bundle of `x`: the API's own field (context.kind) decides.
 */
function describeFileName(fileName: string, context: LinkContext): FileNameFacts | undefined {
  let rest = fileName.slice(FILE_PREFIX.length, -FILE_SUFFIX.length);
  let kind: BundleKind = 'external';
  const contextKind = isKind(context.kind) ? context.kind : undefined;
  if (contextKind !== 'external') {
    for (const [prefix, prefixKind] of KIND_PREFIXES) {
      if (rest.startsWith(prefix) && rest.length > prefix.length && (!contextKind || contextKind === prefixKind || contextKind === 'custom-domain')) {
        rest = rest.slice(prefix.length);
        kind = prefixKind;
        break;
      }
    }
  }
  if (contextKind) kind = contextKind;

  let region: string | undefined;
  const contextRegion = typeof context.region === 'string' && REGION_TEXT.test(context.region) ? context.region : undefined;
  if (contextRegion && rest.endsWith(`-${contextRegion}`) && rest.length > contextRegion.length + 1) {
    region = contextRegion;
    rest = rest.slice(0, -(contextRegion.length + 1));
  } else {
    const suffix = AWS_REGION.exec(rest) ?? GCP_REGION.exec(rest) ?? AZURE_REGION.exec(rest);
    if (suffix && suffix.index > 0) {
      region = suffix[1]!;
      rest = rest.slice(0, suffix.index);
    } else if (contextRegion) {
      region = contextRegion;
    }
  }
  if (!DB_NAME_TEXT.test(rest)) return undefined;
  return region ? { dbName: rest, kind, region } : { dbName: rest, kind };
}

function isKind(value: unknown): value is BundleKind {
  return value === 'external' || value === 'internal' || value === 'migration-proxy' || value === 'migration-proxy-internal' || value === 'custom-domain';
}

/**
 * Is this link alive? The one answer, for every part. Links die at their signed expiry (X-Amz-Date + X-Amz-Expires):
 * a link is counted dead this long before it, so a request started now still reaches storage in time, and a few
 * seconds between this computer's clock and storage's do not make a dead link look alive.
 */
export const LINK_SAFETY_MARGIN_MS = 5_000;

/** Milliseconds until the link's signed expiry (the countdown people see); negative once past, -Infinity when unknown. */
export function linkTimeLeft(link: Pick<BundleLink, 'expiresAt'>, now: number | Date): number {
  const at = typeof now === 'number' ? now : now.getTime();
  if (typeof link.expiresAt !== 'number' || !Number.isFinite(link.expiresAt) || !Number.isFinite(at)) {
    return Number.NEGATIVE_INFINITY;
  }
  return link.expiresAt - at;
}

/** True while storage will still accept the link by its own signing time, with LINK_SAFETY_MARGIN_MS to spare. */
export function isLinkAlive(link: Pick<BundleLink, 'expiresAt'>, now: number | Date): boolean {
  return linkTimeLeft(link, now) > LINK_SAFETY_MARGIN_MS;
}
