/**
 * Tells a good secure connect bundle from every kind of bad one: says whether a driver will accept the bytes and,
 * if not, exactly why and what to do. Runs in the MV3 service worker, the popup and Node (WebCrypto, no Node APIs).
 * Never throws: every input gets a verdict.
 */
import { DATABASE_HOST_SUFFIX } from '../astra/hosts';
import pako from 'pako';
import {
  isIssuedBy,
  keyMatchesCertificate,
  parseCertificatePem,
  parsePrivateKeyPem,
  type CertificateFacts,
  type ParsedCertificate,
} from './certificates';
import { explainErrorDocument, readErrorDocument, type ErrorService } from './storage-error';
import { crc32, findEndRecord, readZipDirectory, startsLikeZip, type ZipEntryRecord } from '../zip/zip-directory';

export type BundleProblemCode =
  | 'not-a-zip'
  | 'storage-error'
  | 'truncated'
  | 'corrupt'
  | 'missing-entry'
  | 'bad-config'
  | 'bad-certificate'
  | 'certificate-expired'
  | 'certificate-untrusted'
  | 'unusual-host'
  | 'certificate-expiring'
  | 'key-mismatch'
  | 'nested-folder'
  | 'unsafe-entry'
  | 'too-large';

export interface BundleProblem {
  code: BundleProblemCode;
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

export interface BundleEntryFacts {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  /** CRC-32 from the central directory, 8 lowercase hex digits. */
  crc32: string;
}

export interface BundleConfigFacts {
  host?: string;
  port?: number;
  cql_port?: number;
  keyspace?: string;
  localDC?: string;
  /** Derived from host `<dbId>-<region>.db.astra...`. */
  dbId?: string;
  region?: string;
}

export interface BundleFacts {
  name?: string;
  size: number;
  /** Lowercase hex; absent for files too large to be a bundle. */
  sha256?: string;
  kind: 'empty' | 'zip' | 'error-document' | 'html' | 'other';
  entries: BundleEntryFacts[];
  /** The folder the entries sit under, when the bundle was unpacked and zipped again. */
  folder?: string;
  config?: BundleConfigFacts;
  certificates: { ca?: CertificateFacts; cert?: CertificateFacts };
  /** What storage said instead of a bundle, with its parsed verdict on the link (expired, not yet valid, altered). */
  errorDocument?: { service: ErrorService; code: string; message: string; expired: boolean; notYetValid: boolean; altered: boolean };
  /** The `<title>` of an HTML page saved in place of the bundle. */
  htmlTitle?: string;
}

export interface BundleVerdict {
  ok: boolean;
  problems: BundleProblem[];
  facts: BundleFacts;
}

export interface CheckBundleOptions {
  /** The file name, to word messages and hints. */
  name?: string;
  /** Where the bytes came from; helps name the storage service of an error document. */
  url?: string;
  now?: Date;
}

/** A real bundle is ~12 KB; these are far beyond any bundle, and checked before anything is inflated. */
export const BUNDLE_LIMITS = {
  fileBytes: 1024 * 1024,
  entries: 64,
  entryBytes: 1024 * 1024,
  totalBytes: 4 * 1024 * 1024,
};

/** The most a bundle fetch or an import reads: one byte more than a bundle may be, so an oversized one is told apart. */
export const MAX_BUNDLE_DOWNLOAD = BUNDLE_LIMITS.fileBytes + 1;

export const REQUIRED_ENTRIES = ['config.json', 'ca.crt', 'cert', 'key', 'identity.jks', 'trustStore.jks'] as const;
export const OPTIONAL_ENTRIES = ['cqlshrc', 'cert.pfx'] as const;
const KNOWN_ENTRIES: readonly string[] = [...REQUIRED_ENTRIES, ...OPTIONAL_ENTRIES];
const EXPIRING_WITHIN_MS = 30 * 24 * 3600 * 1000;

const GET_BUNDLE_AGAIN =
  "Download the bundle again from the database's Connect tab in the Astra console (Get Bundle), and use the .zip as it is.";

export async function checkBundle(
  input: Uint8Array | ArrayBuffer,
  options: CheckBundleOptions = {},
): Promise<BundleVerdict> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    // WebCrypto refuses views of a SharedArrayBuffer: copy those.
    bytes =
      input instanceof Uint8Array
        ? input.buffer instanceof ArrayBuffer
          ? (input as Uint8Array<ArrayBuffer>)
          : new Uint8Array(input)
        : new Uint8Array(input);
  } catch {
    bytes = new Uint8Array(0);
  }
  const verdict = new VerdictBuilder(bytes.length, options.name);
  try {
    await inspect(bytes, options, verdict);
  } catch {
    verdict.add('corrupt', 'This file could not be read as a bundle.', GET_BUNDLE_AGAIN);
  }
  return verdict.result();
}

class VerdictBuilder {
  readonly problems: BundleProblem[] = [];
  readonly facts: BundleFacts;

  constructor(size: number, name?: string) {
    this.facts = { ...(name !== undefined ? { name } : {}), size, kind: 'other', entries: [], certificates: {} };
  }

  add(code: BundleProblemCode, message: string, hint: string, severity: 'error' | 'warning' = 'error') {
    this.problems.push({ code, severity, message, hint });
  }

  has(severity: 'error'): boolean {
    return this.problems.some((p) => p.severity === severity);
  }

  result(): BundleVerdict {
    const problems = [
      ...this.problems.filter((p) => p.severity === 'error'),
      ...this.problems.filter((p) => p.severity === 'warning'),
    ];
    return { ok: !problems.some((p) => p.severity === 'error'), problems, facts: this.facts };
  }
}

async function inspect(bytes: Uint8Array<ArrayBuffer>, options: CheckBundleOptions, v: VerdictBuilder): Promise<void> {
  if (bytes.length === 0) {
    v.facts.kind = 'empty';
    v.add('not-a-zip', 'The file is empty (0 bytes): the download did not save anything.', GET_BUNDLE_AGAIN);
    return;
  }
  if (bytes.length > BUNDLE_LIMITS.fileBytes) {
    addTooLargeFile(bytes.length, v);
    return;
  }
  // Hashed while the zip is read (WebCrypto runs off this thread); the key keeps its place in the facts.
  v.facts.sha256 = '';
  const hashing = sha256Hex(bytes);
  try {
    if (!startsLikeZip(bytes) && findEndRecord(bytes) < 0) {
      describeNonZip(bytes, options, v);
      return;
    }
    v.facts.kind = 'zip';
    await inspectZip(bytes, options, v);
  } finally {
    v.facts.sha256 = await hashing;
  }
}

function addTooLargeFile(size: number, v: VerdictBuilder): void {
  v.add('too-large', `The file is ${formatBytes(size)}; a secure connect bundle is about 12 KB, so this is not one.`, GET_BUNDLE_AGAIN);
}

/** The verdict on a file known only by its size, for callers that should not read a huge file at all. */
export function checkBundleSize(size: number, options: Pick<CheckBundleOptions, 'name'> = {}): BundleVerdict | undefined {
  if (size <= BUNDLE_LIMITS.fileBytes) return undefined;
  const verdict = new VerdictBuilder(size, options.name);
  addTooLargeFile(size, verdict);
  return verdict.result();
}

function describeNonZip(bytes: Uint8Array, options: CheckBundleOptions, v: VerdictBuilder): void {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, 64 * 1024));
  const doc = readErrorDocument(text, options.url);
  if (doc) {
    v.facts.kind = 'error-document';
    v.facts.errorDocument = { service: doc.service, code: doc.code, message: doc.message, expired: doc.expired, notYetValid: doc.notYetValid, altered: doc.altered };
    const { message, hint } = explainErrorDocument(doc);
    v.add('storage-error', message, hint);
    return;
  }
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 512).toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title)[\s>]/.test(head)) {
    v.facts.kind = 'html';
    const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(text)?.[1]?.trim();
    if (title) v.facts.htmlTitle = title;
    v.add(
      'not-a-zip',
      `This file is a web page${title ? ` ("${title}")` : ''}, not a bundle: the link led to a page instead of the download.`,
      "Sign in to the Astra console, open the database's Connect tab and click Get Bundle; save the file it downloads, not the page.",
    );
    return;
  }
  const looksLike = formatName(bytes);
  v.add(
    'not-a-zip',
    looksLike ? `This file is ${looksLike}, not a zip archive, so it cannot be a bundle.` : 'This file is not a zip archive, so it cannot be a bundle.',
    GET_BUNDLE_AGAIN,
  );
}

function formatName(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x1f, 0x8b)) return 'a gzip file';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF document';
  if (starts(0x52, 0x61, 0x72, 0x21)) return 'a RAR archive';
  if (starts(0x37, 0x7a, 0xbc, 0xaf)) return 'a 7-Zip archive';
  if (starts(0xfe, 0xed, 0xfe, 0xed)) return 'a Java keystore (one file from inside a bundle)';
  if (starts(0x2d, 0x2d, 0x2d, 0x2d, 0x2d)) return 'a PEM file (one file from inside a bundle)';
  return undefined;
}

async function inspectZip(bytes: Uint8Array, options: CheckBundleOptions, v: VerdictBuilder): Promise<void> {
  const read = readZipDirectory(bytes, { maxEntries: BUNDLE_LIMITS.entries });
  if (!read.ok) {
    const f = read.failure;
    if (f.kind === 'too-many-entries') {
      v.add(
        'too-large',
        `The archive lists ${f.count.toLocaleString('en-US')} entries; a bundle has 8, so this is not one.`,
        GET_BUNDLE_AGAIN,
      );
    } else if (f.kind === 'truncated') {
      v.add(
        'truncated',
        `The zip is cut short (${f.detail}): the download stopped before the end.`,
        "Download the bundle again from the database's Connect tab and wait until the download has finished.",
      );
    } else if (f.kind === 'corrupt') {
      v.add('corrupt', `The zip is damaged (${f.detail}).`, GET_BUNDLE_AGAIN);
    } else {
      v.add('not-a-zip', 'This file is not a zip archive, so it cannot be a bundle.', GET_BUNDLE_AGAIN);
    }
    return;
  }
  const records = read.directory.entries;
  v.facts.entries = records.map((r) => ({
    name: r.name,
    compressedSize: r.compressedSize,
    uncompressedSize: r.uncompressedSize,
    crc32: r.crc32.toString(16).padStart(8, '0'),
  }));

  if (!entriesAreSafe(records, v)) return;
  if (!sizesArePlausible(records, v)) return;

  const layout = findLayout(records);
  if (layout.folder !== '') {
    v.facts.folder = printable(layout.folder.slice(0, -1));
    const original = options.name && !options.name.endsWith('/') ? options.name : 'secure-connect-<database>.zip';
    v.add(
      'nested-folder',
      `The bundle's files sit inside a folder "${v.facts.folder}"${layout.macosx ? ' (with __MACOSX/ copies)' : ''}: the bundle was unpacked and zipped again, and drivers look for them at the top of the zip.`,
      `Use the original ${original} as downloaded, without unpacking it; if your browser unpacks downloads (Safari: "Open safe files after downloading"), download it again from the Connect tab, or zip the files themselves, not their folder.`,
    );
  }

  const present = new Map<string, ZipEntryRecord>();
  for (const r of records) {
    if (r.isDirectory || !r.name.startsWith(layout.folder)) continue;
    const inner = r.name.slice(layout.folder.length);
    if (KNOWN_ENTRIES.includes(inner)) present.set(inner, r);
  }
  reportMissing(records, present, v);

  for (const [name, r] of present) {
    // No encoder expands data by more than 1/8 (fixed Huffman); more compressed bytes than that means lying sizes.
    const maxStored = r.method === 0 ? r.uncompressedSize : r.uncompressedSize * 1.125 + 1024;
    if (r.compressedSize > maxStored) {
      v.add(
        'corrupt',
        `The zip is damaged: ${name} holds more data than the zip declares (a damaged file or a zip bomb); it was not unpacked.`,
        GET_BUNDLE_AGAIN,
      );
      return;
    }
    if (r.flags & 0x01) {
      v.add('corrupt', `${name} is encrypted (the zip has a password); drivers cannot read it.`, GET_BUNDLE_AGAIN);
      return;
    }
    if (r.method !== 0 && r.method !== 8) {
      v.add('corrupt', `${name} is compressed with method ${r.method}, which drivers cannot read.`, GET_BUNDLE_AGAIN);
      return;
    }
  }

  const contents = await inflate(bytes, present, v);
  if (!contents) return;
  await inspectContents(contents, options.now ?? new Date(), v);
}

function entriesAreSafe(records: ZipEntryRecord[], v: VerdictBuilder): boolean {
  const seen = new Set<string>();
  for (const r of records) {
    const name = r.name;
    const parts = name.split(/[/\\]/);
    if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name) || parts.includes('..') || name.includes('\0')) {
      v.add(
        'unsafe-entry',
        `The archive holds an entry named "${printable(name)}" that would be written outside the folder it is unpacked in; Astra never makes such a file.`,
        "Do not unpack this file. Download the bundle from the database's Connect tab in the Astra console.",
      );
      return false;
    }
    if (seen.has(name)) {
      v.add(
        'unsafe-entry',
        `The archive holds "${printable(name)}" twice, so different tools would read different files; Astra never makes such a file.`,
        "Do not use this file. Download the bundle from the database's Connect tab in the Astra console.",
      );
      return false;
    }
    seen.add(name);
  }
  return true;
}

function sizesArePlausible(records: ZipEntryRecord[], v: VerdictBuilder): boolean {
  let total = 0;
  for (const r of records) {
    total += r.uncompressedSize;
    if (r.uncompressedSize > BUNDLE_LIMITS.entryBytes || total > BUNDLE_LIMITS.totalBytes) {
      const what =
        r.uncompressedSize > BUNDLE_LIMITS.entryBytes
          ? `"${printable(r.name)}" would unpack to ${formatBytes(r.uncompressedSize)}`
          : `its files would unpack to more than ${formatBytes(BUNDLE_LIMITS.totalBytes)}`;
      v.add(
        'too-large',
        `The archive is far larger than any bundle: ${what} (a bundle unpacks to about 12 KB). It was not unpacked.`,
        GET_BUNDLE_AGAIN,
      );
      return false;
    }
  }
  return true;
}

/** Where the bundle's files sit: at the root, or under the shallowest folder that holds config.json (or cert/key). */
function findLayout(records: ZipEntryRecord[]): { folder: string; macosx: boolean } {
  const macosx = records.some((r) => r.name.startsWith('__MACOSX/'));
  const names = records.filter((r) => !r.isDirectory && !r.name.startsWith('__MACOSX/')).map((r) => r.name);
  if (names.some((n) => KNOWN_ENTRIES.includes(n))) return { folder: '', macosx };
  let best: string | undefined;
  for (const anchor of ['config.json', 'cert', 'key', 'ca.crt']) {
    for (const n of names) {
      if (!n.endsWith(`/${anchor}`)) continue;
      const folder = n.slice(0, n.length - anchor.length);
      if (best === undefined || folder.length < best.length) best = folder;
    }
    if (best !== undefined) break;
  }
  return { folder: best ?? '', macosx };
}

function reportMissing(records: ZipEntryRecord[], present: Map<string, ZipEntryRecord>, v: VerdictBuilder): void {
  const missing = REQUIRED_ENTRIES.filter((n) => !present.has(n));
  if (missing.length > 0) {
    const innerZip = records.find((r) => /\.zip$/i.test(r.name));
    const java = missing.filter((n) => n === 'config.json' || n.endsWith('.jks'));
    const others = missing.filter((n) => ['config.json', 'ca.crt', 'cert', 'key'].includes(n));
    const who =
      java.length && others.length ? 'no driver can use it' : java.length ? 'the Java driver cannot use it' : 'the Python, Node.js, C++ and Go drivers cannot use it';
    v.add(
      'missing-entry',
      `The bundle lacks ${listOf(missing)}, so ${who}.`,
      innerZip
        ? `This zip holds another zip, "${printable(innerZip.name)}": use that one as the bundle.`
        : "Download the original bundle again from the database's Connect tab, and do not edit or repack it.",
    );
  }
  const optional = OPTIONAL_ENTRIES.filter((n) => !present.has(n));
  if (optional.length > 0 && present.size > 0) {
    v.add(
      'missing-entry',
      `The bundle lacks ${listOf(optional)} (older bundles do); drivers do not need ${optional.length > 1 ? 'them' : 'it'}, but cqlsh and .NET tools do.`,
      "If you use cqlsh or a .NET driver, download a current bundle from the database's Connect tab.",
      'warning',
    );
  }
}

interface InflateOutcome {
  data?: Uint8Array;
  failure?: 'larger-than-declared' | 'crc' | 'undecodable';
}

async function inflate(
  bytes: Uint8Array,
  present: Map<string, ZipEntryRecord>,
  v: VerdictBuilder,
): Promise<Map<string, Uint8Array> | undefined> {
  const contents = new Map<string, Uint8Array>();
  for (const [name, record] of present) {
    const outcome = inflateEntry(bytes, record);
    if (outcome.data) {
      contents.set(name, outcome.data);
      continue;
    }
    const why =
      outcome.failure === 'larger-than-declared'
        ? `${name} holds more data than the zip declares (a damaged file or a zip bomb); it was not unpacked further`
        : outcome.failure === 'crc'
          ? `${name} does not match its checksum`
          : `${name} cannot be decompressed`;
    v.add('corrupt', `The zip is damaged: ${why}.`, GET_BUNDLE_AGAIN);
    return undefined;
  }
  return contents;
}

/** Compressed bytes fed per step: no step inflates more than about 1 MB (deflate's ratio is at most 1032:1). */
const INFLATE_STEP = 1024;

class Outgrown extends Error {}

/**
 * One entry from where the directory (read first, by zip-directory.ts) says its data is: stored bytes as they are,
 * deflated ones inflated with pako a step at a time, stopped the moment they outgrow the declared size; then the CRC.
 */
function inflateEntry(bytes: Uint8Array, record: ZipEntryRecord): InflateOutcome {
  const raw = bytes.subarray(record.dataOffset, record.dataOffset + record.compressedSize);
  let data: Uint8Array;
  if (record.method === 0) {
    if (raw.length !== record.uncompressedSize) return { failure: raw.length > record.uncompressedSize ? 'larger-than-declared' : 'undecodable' };
    data = raw.slice();
  } else {
    data = new Uint8Array(record.uncompressedSize);
    let total = 0;
    const inflator = new pako.Inflate({ raw: true, chunkSize: 16 * 1024 });
    inflator.onData = (chunk: Uint8Array) => {
      if (total + chunk.length > record.uncompressedSize) throw new Outgrown();
      data.set(chunk, total);
      total += chunk.length;
    };
    inflator.onEnd = () => {};
    try {
      for (let at = 0; at < raw.length && !inflator.ended; at += INFLATE_STEP) {
        const last = at + INFLATE_STEP >= raw.length;
        inflator.push(raw.subarray(at, at + INFLATE_STEP), last);
        if (inflator.err) return { failure: 'undecodable' };
      }
    } catch (error) {
      return { failure: error instanceof Outgrown ? 'larger-than-declared' : 'undecodable' };
    }
    if (!inflator.ended || total !== record.uncompressedSize) return { failure: 'undecodable' };
  }
  if (crc32(data) !== record.crc32) return { failure: 'crc' };
  return { data };
}

async function inspectContents(contents: Map<string, Uint8Array>, now: Date, v: VerdictBuilder): Promise<void> {
  const text = (name: string) => {
    const data = contents.get(name);
    return data ? new TextDecoder('utf-8').decode(data) : undefined;
  };

  const config = inspectConfig(text('config.json'), v);

  const ca = inspectCertificate('ca.crt', 'CA certificate', text('ca.crt'), now, v);
  if (ca) v.facts.certificates.ca = ca.facts;
  const cert = inspectCertificate('cert', 'client certificate', text('cert'), now, v);
  if (cert) v.facts.certificates.cert = cert.facts;
  // The signature check and the two keystore digests wait on WebCrypto together; their problems keep this order.
  const later: Array<Parameters<VerdictBuilder['add']>> = [];
  const trust = ca && cert ? trustProblem(ca, cert) : undefined;
  const keystores = Promise.all([
    keystoreProblem('identity.jks', 'keyStorePassword', contents.get('identity.jks'), config),
    keystoreProblem('trustStore.jks', 'trustStorePassword', contents.get('trustStore.jks'), config),
  ]);

  const keyText = text('key');
  if (keyText !== undefined) {
    const key = parsePrivateKeyPem(keyText);
    if (!key.ok) {
      later.push(['bad-certificate', `The private key (key) is not usable: ${key.error.message}.`, GET_BUNDLE_AGAIN]);
    } else if (cert && keyMatchesCertificate(key.value, cert) === false) {
      later.push([
        'key-mismatch',
        'The private key (key) does not belong to the client certificate (cert): the files come from different bundles.',
        "Use one bundle as downloaded, without mixing files from others; download it again from the database's Connect tab if unsure.",
      ]);
    }
  }
  const [trusted, stores] = await Promise.all([trust, keystores]);
  for (const problem of [trusted, ...later, ...stores]) if (problem) v.add(...problem);
  const pfx = contents.get('cert.pfx');
  if (pfx && !(pfx[0] === 0x30 && pfx.length > 2)) {
    v.add('bad-certificate', 'cert.pfx is not a PKCS#12 file.', GET_BUNDLE_AGAIN, 'warning');
  }
}

/** Drivers trust only ca.crt: a client cert it did not issue, or a ca.crt that may not issue, fails mutual TLS. */
async function trustProblem(ca: ParsedCertificate, cert: ParsedCertificate): Promise<Parameters<VerdictBuilder['add']> | undefined> {
  const hint = "Use the bundle exactly as Astra made it: download it again from the database's Connect tab (Get Bundle).";
  if (!ca.isCa) {
    return ['certificate-untrusted', 'The CA certificate (ca.crt) is not a certificate authority, so it cannot vouch for the client certificate.', hint];
  }
  if (!(await isIssuedBy(cert, ca))) {
    return ['certificate-untrusted', 'The client certificate (cert) was not issued by the bundle\'s CA certificate (ca.crt): the files do not belong together.', hint];
  }
  return undefined;
}

/** Every Astra database host: `<dbId>-<region>.db.astra.datastax.com`. */
const ASTRA_DATABASE_HOST = new RegExp(`^[a-z0-9-]+${DATABASE_HOST_SUFFIX.replaceAll('.', '\\.')}$`, 'i');

const HOST_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-([a-z0-9-]+?)\.db\./i;

function inspectConfig(text: string | undefined, v: VerdictBuilder): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    v.add('bad-config', 'config.json is not valid JSON, so no driver can read it.', GET_BUNDLE_AGAIN);
    return undefined;
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    v.add('bad-config', 'config.json does not hold a JSON object, so no driver can read it.', GET_BUNDLE_AGAIN);
    return undefined;
  }
  const c = config as Record<string, unknown>;
  const facts: BundleConfigFacts = {};
  if (typeof c.host === 'string') facts.host = c.host;
  if (typeof c.port === 'number') facts.port = c.port;
  if (typeof c.cql_port === 'number') facts.cql_port = c.cql_port;
  if (typeof c.keyspace === 'string') facts.keyspace = c.keyspace;
  if (typeof c.localDC === 'string') facts.localDC = c.localDC;
  const match = typeof c.host === 'string' ? HOST_PATTERN.exec(c.host) : null;
  if (match) {
    facts.dbId = match[1]!.toLowerCase();
    facts.region = match[2]!;
  }
  v.facts.config = facts;

  const wrong: string[] = [];
  if (c.host === undefined) wrong.push('it has no "host"');
  else if (typeof c.host !== 'string' || c.host.trim() === '') wrong.push('"host" is not a host name');
  if (c.port === undefined) wrong.push('it has no "port"');
  else if (!isPort(c.port)) wrong.push('"port" is not a whole number');
  if (c.cql_port !== undefined && !isPort(c.cql_port)) wrong.push('"cql_port" is not a whole number');
  if (wrong.length > 0) {
    v.add('bad-config', `config.json is not usable: ${wrong.join(', ')}.`, GET_BUNDLE_AGAIN);
  } else if (!ASTRA_DATABASE_HOST.test(c.host as string)) {
    v.add(
      'unusual-host',
      `config.json sends drivers to ${printable(String(c.host).slice(0, 120))}, which is not an Astra database host (*${DATABASE_HOST_SUFFIX}).`,
      'A custom-domain bundle names your own domain here: if you set one up, this is expected. Otherwise do not use this bundle; download it again from the Astra console.',
      'warning',
    );
  }
  const noPassword = ['keyStorePassword', 'trustStorePassword'].filter((f) => typeof c[f] !== 'string' || c[f] === '');
  if (noPassword.length > 0) {
    v.add(
      'bad-config',
      `config.json lacks ${listOf(noPassword)}, so the Java driver cannot open the keystores.`,
      GET_BUNDLE_AGAIN,
    );
  }
  return c;
}

function isPort(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
}

function inspectCertificate(
  entry: string,
  label: string,
  text: string | undefined,
  now: Date,
  v: VerdictBuilder,
): ParsedCertificate | undefined {
  if (text === undefined) return undefined;
  const parsed = parseCertificatePem(text);
  if (!parsed.ok) {
    v.add('bad-certificate', `The ${label} (${entry}) is not usable: ${parsed.error.message}.`, GET_BUNDLE_AGAIN);
    return undefined;
  }
  const cert = parsed.value;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (now.getTime() > cert.notAfter.getTime()) {
    v.add(
      'certificate-expired',
      `The ${label} (${entry}) expired on ${day(cert.notAfter)}, so drivers cannot connect with this bundle.`,
      "Download the bundle again from the database's Connect tab; if the new one has expired too, ask DataStax support to renew the database's certificates.",
    );
  } else if (now.getTime() < cert.notBefore.getTime()) {
    v.add(
      'certificate-expired',
      `The ${label} (${entry}) is not valid before ${day(cert.notBefore)}; this computer's clock may be wrong.`,
      "Check that this computer's date and time are right, then try again.",
    );
  } else if (cert.notAfter.getTime() - now.getTime() < EXPIRING_WITHIN_MS) {
    v.add(
      'certificate-expiring',
      `The ${label} (${entry}) expires on ${day(cert.notAfter)}, within 30 days.`,
      "Download a fresh bundle from the database's Connect tab before then; if it expires on the same day, ask DataStax support to renew the certificates.",
      'warning',
    );
  }
  return cert;
}

/** A JKS keystore carries a SHA-1 over its password and contents: checking it tells Java's "password was incorrect" early. */
async function keystoreProblem(
  entry: string,
  passwordField: string,
  data: Uint8Array | undefined,
  config: Record<string, unknown> | undefined,
): Promise<Parameters<VerdictBuilder['add']> | undefined> {
  if (!data) return undefined;
  const jks = data.length > 24 && data[0] === 0xfe && data[1] === 0xed && data[2] === 0xfe && data[3] === 0xed;
  const pkcs12 = data.length > 2 && data[0] === 0x30;
  if (!jks && !pkcs12) return ['bad-certificate', `${entry} is not a Java keystore, so the Java driver cannot use this bundle.`, GET_BUNDLE_AGAIN];
  const password = config?.[passwordField];
  if (!jks || typeof password !== 'string' || password === '') return undefined;
  const passwordBytes = new Uint8Array(password.length * 2);
  for (let i = 0; i < password.length; i++) {
    passwordBytes[i * 2] = password.charCodeAt(i) >> 8;
    passwordBytes[i * 2 + 1] = password.charCodeAt(i) & 0xff;
  }
  const salt = new TextEncoder().encode('Mighty Aphrodite');
  const body = data.subarray(0, data.length - 20);
  const input = new Uint8Array(passwordBytes.length + salt.length + body.length);
  input.set(passwordBytes);
  input.set(salt, passwordBytes.length);
  input.set(body, passwordBytes.length + salt.length);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', input));
  const stored = data.subarray(data.length - 20);
  if (digest.every((b, i) => b === stored[i])) return undefined;
  return ['bad-config', `${passwordField} in config.json does not open ${entry} (Java fails with "Keystore was tampered with, or password was incorrect").`, GET_BUNDLE_AGAIN];
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** Entry names come from untrusted files: keep them short and free of control characters in messages. */
function printable(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
