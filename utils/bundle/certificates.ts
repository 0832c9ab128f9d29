/**
 * Reads the PEM certificates and private key of a bundle and tells whether the key belongs to the certificate.
 * Pure TypeScript (no Node APIs): runs in the service worker, the popup and Node.
 *
 * Why a DER walk of our own and not the library's parse: measured on a real bundle, asn1js's generic parse costs
 * 0.42 ms a certificate and @peculiar's schemas double it (1.1 ms; the checker then ran 4.6-5.9x its budget's
 * baseline, against < 3). So the TLV structure, validity, serial, key and basicConstraints are read here (a few
 * dozen lines, below), the names (string types, escaping: the hard part) through @peculiar/x509, and signatures by
 * WebCrypto. certificates-der.test.ts holds the reader to the library: the same facts and verdicts for RSA, ECDSA and
 * RSA-PSS certificates, a flipped bit and trailing bytes.
 */
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it (tsyringe checks at load).
import 'reflect-metadata';
import { Name, X509Certificate } from '@peculiar/x509';
import { fail, ok, type Result } from '../shared/result';

export interface CertificateFacts {
  /** RFC 4514 order, most specific first, as Java and OpenSSL's RFC 2253 mode print it: `CN=..., OU=Cloud, O=DataStax`. */
  subject: string;
  issuer: string;
  /** ISO 8601 */
  notBefore: string;
  /** ISO 8601 */
  notAfter: string;
  serialNumber: string;
}

export type PublicKeyMaterial =
  | { kind: 'rsa'; n: bigint; e: bigint }
  | { kind: 'other'; algorithm: string; key: Uint8Array };

export interface ParsedCertificate {
  facts: CertificateFacts;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyMaterial;
  /** True only when the certificate says it may sign others (basicConstraints cA). */
  isCa: boolean;
  /** The certificate as it came, and the parts a signature check needs (see `isIssuedBy`). */
  der: Uint8Array<ArrayBuffer>;
  signed: { tbs: Uint8Array; algorithm: string; signature: Uint8Array; spki: Uint8Array };
}

export type ParsedPrivateKey =
  | { kind: 'rsa'; format: 'pkcs1' | 'pkcs8'; n: bigint; e: bigint }
  | { kind: 'ec'; format: 'sec1' | 'pkcs8'; publicKey?: Uint8Array }
  | { kind: 'other'; format: 'pkcs8'; algorithm: string };

type ParseCode = 'not-pem' | 'not-certificate' | 'not-private-key' | 'encrypted-key' | 'damaged-key';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';

export function parseCertificatePem(text: string): Result<ParsedCertificate, ParseCode> {
  const block = firstPemBlock(text);
  if (!block) return fail('not-pem', 'it holds no PEM block', '');
  if (block.label !== 'CERTIFICATE' && block.label !== 'X509 CERTIFICATE' && block.label !== 'TRUSTED CERTIFICATE') {
    return fail('not-certificate', `it holds a PEM "${block.label}" block, not a certificate`, '');
  }
  try {
    // Read once, from the DER: only the two names go through the library (its whole-certificate parse and its
    // getters re-encode and re-parse the key and every extension, most of a check's time).
    const parts = certificateParts(block.der);
    const publicKey = readSubjectPublicKeyInfo(parts.spki);
    const { notBefore, notAfter } = parts;
    if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
      return fail('not-certificate', 'its validity dates are unreadable', '');
    }
    return ok({
      facts: {
        subject: distinguishedName(new Name(parts.subject as Uint8Array<ArrayBuffer>).toJSON()),
        issuer: distinguishedName(new Name(parts.issuer as Uint8Array<ArrayBuffer>).toJSON()),
        notBefore: notBefore.toISOString(),
        notAfter: notAfter.toISOString(),
        serialNumber: parts.serialNumber,
      },
      notBefore,
      notAfter,
      publicKey,
      isCa: parts.isCa,
      der: block.der,
      signed: { tbs: parts.tbs, algorithm: parts.signatureAlgorithm, signature: parts.signature, spki: parts.spki },
    });
  } catch {
    return fail('not-certificate', 'it is not a readable X.509 certificate', '');
  }
}

export function parsePrivateKeyPem(text: string): Result<ParsedPrivateKey, ParseCode> {
  const block = firstPemBlock(text);
  if (!block) return fail('not-pem', 'it holds no PEM block', '');
  if (block.label === 'ENCRYPTED PRIVATE KEY' || block.encrypted) {
    return fail('encrypted-key', 'it is encrypted with a passphrase, which drivers cannot open', '');
  }
  try {
    if (block.label === 'RSA PRIVATE KEY') return rsaPrivateKey(block.der, 'pkcs1');
    if (block.label === 'EC PRIVATE KEY') return ok(ecPrivateKey(block.der, 'sec1'));
    if (block.label === 'PRIVATE KEY') return pkcs8PrivateKey(block.der);
    return fail('not-private-key', `it holds a PEM "${block.label}" block, not a private key`, '');
  } catch {
    return fail('not-private-key', 'it is not a readable private key', '');
  }
}

/**
 * Whether `issuer` signed `cert`: the issuer's name is the cert's issuer name and its key verifies the signature.
 * Says nothing about `issuer` being a CA: ask `isCa` for that.
 */
export async function isIssuedBy(cert: ParsedCertificate, issuer: ParsedCertificate): Promise<boolean> {
  if (cert.facts.issuer !== issuer.facts.subject) return false;
  try {
    const direct = await verifyWithWebCrypto(cert.signed, issuer.signed.spki);
    if (direct !== undefined) return direct;
    // Any other signature algorithm (RSA-PSS, Ed25519, ...): the library's full check.
    return await new X509Certificate(cert.der).verify({ publicKey: new X509Certificate(issuer.der).publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

const RSA_SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};
const ECDSA_SIGNATURES: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
};
const CURVES: Record<string, { name: string; size: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32 },
  '1.3.132.0.34': { name: 'P-384', size: 48 },
  '1.3.132.0.35': { name: 'P-521', size: 66 },
};

/**
 * The signature over the TBSCertificate checked with the issuer's key, for RSA PKCS#1 v1.5 and ECDSA (what CAs use);
 * undefined for another algorithm. A key of the wrong kind for the signature verifies nothing: false.
 */
async function verifyWithWebCrypto(signed: ParsedCertificate['signed'], issuerSpki: Uint8Array): Promise<boolean | undefined> {
  const rsaHash = RSA_SIGNATURES[signed.algorithm];
  const ecHash = ECDSA_SIGNATURES[signed.algorithm];
  if (!rsaHash && !ecHash) return undefined;
  const spki = children(issuerSpki, readTlv(issuerSpki, 0, issuerSpki.length, SEQUENCE));
  const algorithm = children(issuerSpki, spki[0]!);
  const keyOid = readOid(issuerSpki.subarray(algorithm[0]!.start, algorithm[0]!.end));
  const key = new Uint8Array(issuerSpki) as Uint8Array<ArrayBuffer>;
  const data = new Uint8Array(signed.tbs) as Uint8Array<ArrayBuffer>;
  if (rsaHash) {
    if (keyOid !== RSA_ENCRYPTION) return false;
    const params = { name: 'RSASSA-PKCS1-v1_5', hash: rsaHash };
    const publicKey = await crypto.subtle.importKey('spki', key, params, false, ['verify']);
    return crypto.subtle.verify(params, publicKey, new Uint8Array(signed.signature) as Uint8Array<ArrayBuffer>, data);
  }
  const curveTlv = algorithm[1];
  const curve = keyOid === EC_PUBLIC_KEY && curveTlv?.tag === OID ? CURVES[readOid(issuerSpki.subarray(curveTlv.start, curveTlv.end))] : undefined;
  if (!curve) return false;
  // X.509 carries ECDSA signatures as DER SEQUENCE { r, s }; WebCrypto wants r || s, each the curve's size.
  const sig = signed.signature;
  const [r, s2] = children(sig, readTlv(sig, 0, sig.length, SEQUENCE));
  if (!r || !s2 || r.tag !== INTEGER || s2.tag !== INTEGER) return false;
  const raw = new Uint8Array(curve.size * 2);
  for (const [i, part] of [r, s2].entries()) {
    let bytes = sig.subarray(part.start, part.end);
    while (bytes.length > curve.size && bytes[0] === 0) bytes = bytes.subarray(1);
    if (bytes.length > curve.size) return false;
    raw.set(bytes, (i + 1) * curve.size - bytes.length);
  }
  const params = { name: 'ECDSA', namedCurve: curve.name };
  const publicKey = await crypto.subtle.importKey('spki', key, params, false, ['verify']);
  return crypto.subtle.verify({ name: 'ECDSA', hash: ecHash }, publicKey, raw, data);
}

/** true or false when the key's public half can be compared with the certificate's; undefined when it cannot. */
export function keyMatchesCertificate(key: ParsedPrivateKey, cert: ParsedCertificate): boolean | undefined {
  const pub = cert.publicKey;
  if (key.kind === 'rsa') return pub.kind === 'rsa' && pub.n === key.n && pub.e === key.e;
  if (key.kind === 'ec') {
    if (pub.kind !== 'other' || pub.algorithm !== EC_PUBLIC_KEY) return false;
    return key.publicKey ? equalBytes(key.publicKey, pub.key) : undefined;
  }
  return undefined;
}

function rsaPrivateKey(der: Uint8Array, format: 'pkcs1' | 'pkcs8'): Result<ParsedPrivateKey, ParseCode> {
  const seq = children(der, readTlv(der, 0, der.length, SEQUENCE));
  const [n, e, d, p, q] = [1, 2, 3, 4, 5].map((i) => integer(der, seq[i]));
  if (n === undefined || e === undefined || d === undefined || p === undefined || q === undefined) {
    return fail('not-private-key', 'it is not a readable RSA private key', '');
  }
  // A key whose numbers do not fit together cannot sign; drivers fail the TLS handshake with it.
  const one = BigInt(1);
  if (p * q !== n || p <= one || q <= one || (e * d - one) % (p - one) !== BigInt(0) || (e * d - one) % (q - one) !== BigInt(0)) {
    return fail('damaged-key', 'its RSA numbers do not fit together (the key is damaged)', '');
  }
  return ok({ kind: 'rsa', format, n, e });
}

function pkcs8PrivateKey(der: Uint8Array): Result<ParsedPrivateKey, ParseCode> {
  const seq = children(der, readTlv(der, 0, der.length, SEQUENCE));
  const algorithm = seq[1] && seq[1].tag === SEQUENCE ? children(der, seq[1]) : [];
  const oidTlv = algorithm[0];
  const keyTlv = seq[2];
  if (!oidTlv || oidTlv.tag !== OID || !keyTlv || keyTlv.tag !== OCTET_STRING) {
    return fail('not-private-key', 'it is not a readable PKCS#8 private key', '');
  }
  const oid = readOid(der.subarray(oidTlv.start, oidTlv.end));
  const inner = der.subarray(keyTlv.start, keyTlv.end);
  if (oid === RSA_ENCRYPTION) return rsaPrivateKey(inner, 'pkcs8');
  if (oid === EC_PUBLIC_KEY) return ok(ecPrivateKey(inner, 'pkcs8'));
  return ok({ kind: 'other', format: 'pkcs8', algorithm: oid });
}

function ecPrivateKey(der: Uint8Array, format: 'sec1' | 'pkcs8'): ParsedPrivateKey {
  const seq = children(der, readTlv(der, 0, der.length, SEQUENCE));
  if (seq[1]?.tag !== OCTET_STRING) throw new DerError('EC private key without its secret');
  const publicField = seq.find((t) => t.tag === 0xa1);
  if (!publicField) return { kind: 'ec', format };
  const bits = readTlv(der, publicField.start, publicField.end, BIT_STRING);
  return { kind: 'ec', format, publicKey: der.slice(bits.start + 1, bits.end) };
}

const BASIC_CONSTRAINTS = '2.5.29.19';
const BOOLEAN = 0x01;

interface CertificateParts {
  tbs: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
  serialNumber: string;
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  isCa: boolean;
}

/**
 * A certificate's parts, from its DER: Certificate = { TBSCertificate, signatureAlgorithm, signature BIT STRING };
 * TBSCertificate = { [0] version?, serial, signature, issuer, validity, subject, subjectPublicKeyInfo, ..., [3]
 * extensions }. `isCa`: the first basicConstraints extension says cA (as the library's `getExtension(...)?.ca`).
 */
function certificateParts(der: Uint8Array): CertificateParts {
  const certificate = readTlv(der, 0, der.length, SEQUENCE);
  if (certificate.end !== der.length) throw new DerError('bytes after the certificate');
  const [tbs, signatureAlgorithm, signature] = children(der, certificate);
  if (!tbs || tbs.tag !== SEQUENCE || !signatureAlgorithm || signatureAlgorithm.tag !== SEQUENCE || !signature || signature.tag !== BIT_STRING) {
    throw new DerError('not a certificate');
  }
  const algorithmOid = children(der, signatureAlgorithm)[0];
  if (!algorithmOid || algorithmOid.tag !== OID) throw new DerError('no signature algorithm');
  const fields = children(der, tbs);
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, validity, subject, spkiTlv] = fields.slice(at);
  if (!serial || serial.tag !== INTEGER || serial.end === serial.start) throw new DerError('no serial number');
  if (!issuer || issuer.tag !== SEQUENCE || !subject || subject.tag !== SEQUENCE || !validity || validity.tag !== SEQUENCE) throw new DerError('no names');
  if (!spkiTlv || spkiTlv.tag !== SEQUENCE) throw new DerError('no subjectPublicKeyInfo');
  const [from, until] = children(der, validity);
  let isCa = false;
  const extensions = fields.find((f) => f.tag === 0xa3);
  if (extensions) {
    const list = readTlv(der, extensions.start, extensions.end, SEQUENCE);
    for (const extension of children(der, list)) {
      const [oid, ...rest] = children(der, extension);
      if (!oid || oid.tag !== OID || readOid(der.subarray(oid.start, oid.end)) !== BASIC_CONSTRAINTS) continue;
      const value = rest.find((t) => t.tag === OCTET_STRING);
      if (!value) throw new DerError('basicConstraints without its value');
      const constraints = children(der, readTlv(der, value.start, value.end, SEQUENCE));
      const first = constraints[0];
      isCa = first?.tag === BOOLEAN && first.end > first.start && der[first.start] !== 0;
      break;
    }
  }
  let serialBytes = der.subarray(serial.start, serial.end);
  if (serialBytes.length > 1 && serialBytes[0] === 0 && serialBytes[1]! > 0x7f) serialBytes = serialBytes.subarray(1);
  return {
    tbs: der.subarray(tbs.head, tbs.end),
    signatureAlgorithm: readOid(der.subarray(algorithmOid.start, algorithmOid.end)),
    // A BIT STRING's first content byte counts unused bits; signatures use whole bytes.
    signature: der.subarray(signature.start + 1, signature.end),
    serialNumber: Array.from(serialBytes, (b) => b.toString(16).padStart(2, '0')).join(''),
    issuer: der.subarray(issuer.head, issuer.end),
    subject: der.subarray(subject.head, subject.end),
    notBefore: readTime(der, from),
    notAfter: readTime(der, until),
    spki: der.subarray(spkiTlv.head, spkiTlv.end),
    isCa,
  };
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z); anything else: an invalid Date. */
function readTime(der: Uint8Array, tlv: Tlv | undefined): Date {
  if (!tlv || (tlv.tag !== 0x17 && tlv.tag !== 0x18)) return new Date(Number.NaN);
  const text = String.fromCharCode(...der.subarray(tlv.start, tlv.end));
  const match = tlv.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text);
  if (!match) return new Date(Number.NaN);
  const year = tlv.tag === 0x17 ? (Number(match[1]) >= 50 ? 1900 : 2000) + Number(match[1]) : Number(match[1]);
  const millis = match[7] ? Math.round(Number(`0${match[7]}`) * 1000) : 0;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]), millis));
}

function readSubjectPublicKeyInfo(spki: Uint8Array): PublicKeyMaterial {
  const seq = children(spki, readTlv(spki, 0, spki.length, SEQUENCE));
  const algorithm = children(spki, seq[0]!);
  const oid = readOid(spki.subarray(algorithm[0]!.start, algorithm[0]!.end));
  const bits = seq[1]!;
  if (bits.tag !== BIT_STRING) throw new DerError('public key is not a BIT STRING');
  const key = spki.subarray(bits.start + 1, bits.end);
  if (oid === RSA_ENCRYPTION) {
    const rsa = children(key, readTlv(key, 0, key.length, SEQUENCE));
    const n = integer(key, rsa[0]);
    const e = integer(key, rsa[1]);
    if (n === undefined || e === undefined) throw new DerError('RSA public key without modulus');
    return { kind: 'rsa', n, e };
  }
  return { kind: 'other', algorithm: oid, key: key.slice() };
}

function distinguishedName(rdns: Array<Record<string, string[]>>): string {
  const escape = (value: string) =>
    value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ');
  return [...rdns]
    .reverse()
    .map((rdn) =>
      Object.entries(rdn)
        .flatMap(([type, values]) => values.map((value) => `${type}=${escape(String(value))}`))
        .join('+'),
    )
    .join(', ');
}

// ---- PEM ----

interface PemBlock {
  label: string;
  der: Uint8Array<ArrayBuffer>;
  encrypted: boolean;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

function firstPemBlock(text: string): PemBlock | undefined {
  const match = PEM_BLOCK.exec(text);
  if (!match) return undefined;
  const body = match[2]!;
  // Old OpenSSL-encrypted PKCS#1 keys carry "Proc-Type: 4,ENCRYPTED" headers before the base64.
  const encrypted = /Proc-Type:\s*4,\s*ENCRYPTED/i.test(body);
  const base64 = body.replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length === 0) return undefined;
  try {
    const binary = atob(base64);
    const der = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i);
    return { label: match[1]!, der, encrypted };
  } catch {
    return undefined;
  }
}

// ---- a minimal DER reader: just what keys and public keys need ----

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;

interface Tlv {
  tag: number;
  /** Where its tag is; `start` is where its content begins. */
  head: number;
  start: number;
  end: number;
}

class DerError extends Error {}

function readTlv(bytes: Uint8Array, at: number, limit: number, expectTag?: number): Tlv {
  if (at + 2 > limit) throw new DerError('short');
  const tag = bytes[at]!;
  if (expectTag !== undefined && tag !== expectTag) throw new DerError('unexpected tag');
  let length = bytes[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || start + octets > limit) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[start + i]!;
    start += octets;
  }
  if (start + length > limit) throw new DerError('runs past its parent');
  return { tag, head: at, start, end: start + length };
}

function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const tlv = readTlv(bytes, at, parent.end);
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

function integer(bytes: Uint8Array, tlv: Tlv | undefined): bigint | undefined {
  if (!tlv || tlv.tag !== INTEGER || tlv.end === tlv.start) return undefined;
  let hex = '';
  for (let i = tlv.start; i < tlv.end; i++) hex += bytes[i]!.toString(16).padStart(2, '0');
  return BigInt(`0x${hex}`);
}

function readOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DerError('empty OID');
  const parts: number[] = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    value = value * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
