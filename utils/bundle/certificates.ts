/**
 * Reads the PEM certificates and private key of a bundle and tells whether the key belongs to the certificate.
 * Pure TypeScript (no Node APIs): runs in the service worker, the popup and Node.
 */
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it (tsyringe checks at load).
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
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
  /** The parsed certificate, to check signatures with (see `isIssuedBy`). */
  x509: X509Certificate;
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
    const cert = new X509Certificate(block.der);
    // The key and basicConstraints straight from the DER: the library's getters re-encode and re-parse every extension.
    const parts = certificateParts(block.der);
    const publicKey = readSubjectPublicKeyInfo(parts.spki);
    const notBefore = cert.notBefore;
    const notAfter = cert.notAfter;
    if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
      return fail('not-certificate', 'its validity dates are unreadable', '');
    }
    return ok({
      facts: {
        subject: distinguishedName(cert.subjectName.toJSON()),
        issuer: distinguishedName(cert.issuerName.toJSON()),
        notBefore: notBefore.toISOString(),
        notAfter: notAfter.toISOString(),
        serialNumber: cert.serialNumber,
      },
      notBefore,
      notAfter,
      publicKey,
      isCa: parts.isCa,
      x509: cert,
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
    return await cert.x509.verify({ publicKey: issuer.x509.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
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

/**
 * A certificate's SubjectPublicKeyInfo (its DER, as it stands) and whether its first basicConstraints extension says
 * cA (the library's `getExtension(...)?.ca`): Certificate -> TBSCertificate -> [0] version?, serial, signature, issuer,
 * validity, subject, subjectPublicKeyInfo, ..., [3] extensions.
 */
function certificateParts(der: Uint8Array): { spki: Uint8Array; isCa: boolean } {
  const certificate = readTlv(der, 0, der.length, SEQUENCE);
  const tbs = children(der, certificate)[0];
  if (!tbs || tbs.tag !== SEQUENCE) throw new DerError('no TBSCertificate');
  const fields = children(der, tbs);
  const at = fields[0]?.tag === 0xa0 ? 1 : 0;
  const spkiTlv = fields[at + 5];
  if (!spkiTlv || spkiTlv.tag !== SEQUENCE) throw new DerError('no subjectPublicKeyInfo');
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
  return { spki: der.subarray(spkiTlv.head, spkiTlv.end), isCa };
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
