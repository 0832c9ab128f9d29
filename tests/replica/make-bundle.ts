/**
 * Builds real secure connect bundles: real RSA keys, X.509 certificates signed by a test CA, JKS keystores that
 * Java's keytool accepts, a PKCS#12 file, and the config.json / cqlshrc Astra writes (shared/ASTRA.md section 4).
 * Node only: used by unit tests, the bench and the local Astra replica server.
 */
import { constants, createHash, createPrivateKey, generateKeyPairSync, privateEncrypt, randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import forge from 'node-forge';

export interface BundleSpec {
  dbId: string;
  dbName: string;
  region: string;
  keyspace?: string;
  notBefore?: Date;
  notAfter?: Date;
  caNotAfter?: Date;
  /** config.json's and cqlshrc's host instead of `<dbId>-<region>.db.astra.datastax.com` (a custom domain, or a forgery). */
  host?: string;
  /** 'other-ca': the client cert is signed by another CA of the same name, while ca.crt stays the usual one. */
  signedBy?: 'bundle-ca' | 'other-ca';
  /** ca.crt (which signs the cert) lacks the CA basic constraint: it may not issue certificates. */
  caWithoutCaFlag?: boolean;
}

/** The eight entries of a real bundle, in the order Astra writes them. */
export const BUNDLE_ENTRY_ORDER = [
  'ca.crt',
  'key',
  'cert',
  'identity.jks',
  'trustStore.jks',
  'config.json',
  'cqlshrc',
  'cert.pfx',
] as const;

export const CA_COMMON_NAME = 'ca.db.astra-prod.datastax.com';
const TEN_YEARS_MS = 10 * 365.25 * 24 * 3600 * 1000;

interface Authority {
  key: NativeSigner;
  cert: forge.pki.Certificate;
  pem: string;
  der: Uint8Array;
}

// One CA per process (per CA expiry asked for): RSA key generation is the slow part.
const authorities = new Map<string, Authority>();

export function bundleHost(spec: Pick<BundleSpec, 'dbId' | 'region'>): string {
  return `${spec.dbId}-${spec.region}.db.astra.datastax.com`;
}

export async function makeBundle(spec: BundleSpec): Promise<Uint8Array> {
  return zipBundle(await makeBundleParts(spec));
}

export async function makeBundleParts(spec: BundleSpec): Promise<Record<string, Uint8Array>> {
  const ca = certificateAuthority(spec.caNotAfter, spec.caWithoutCaFlag ? 'not-a-ca' : 'ca');
  const signer = spec.signedBy === 'other-ca' ? certificateAuthority(spec.caNotAfter, 'other-ca') : ca;
  const host = spec.host ?? bundleHost(spec);
  const client = generateRsaKey();
  const notBefore = spec.notBefore ?? new Date(Date.now() - 3600_000);
  const notAfter = spec.notAfter ?? new Date(notBefore.getTime() + TEN_YEARS_MS);

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(client.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([
    { name: 'organizationName', value: 'DataStax' },
    { name: 'organizationalUnitName', value: 'Cloud' },
    { name: 'commonName', value: `client.${host}` },
  ]);
  cert.setIssuer(signer.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: signer.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(signer.key, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const certDer = certificateDer(cert);

  const keyStorePassword = randomPassword();
  const trustStorePassword = randomPassword();
  const pfxCertPassword = randomPassword();
  const now = new Date();

  const identityJks = writeJks(keyStorePassword, [
    { kind: 'key', alias: 'cert', date: now, pkcs8: client.pkcs8Der, chain: [certDer, ca.der] },
  ]);
  const trustStoreJks = writeJks(trustStorePassword, [{ kind: 'cert', alias: 'ca', date: now, cert: ca.der }]);

  const p12 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(client.pkcs1Pem), [cert, ca.cert], pfxCertPassword, {
    algorithm: '3des',
    count: 2048,
  });
  const pfx = binary(forge.asn1.toDer(p12).getBytes());

  const config = {
    host,
    port: 29080,
    cql_port: 29042,
    keyspace: spec.keyspace ?? 'default_keyspace',
    localDC: 'dc-1',
    caCertLocation: './ca.crt',
    keyLocation: './key',
    certLocation: './cert',
    keyStoreLocation: './identity.jks',
    keyStorePassword,
    trustStoreLocation: './trustStore.jks',
    trustStorePassword,
    csvLocation: './data',
    pfxCertPassword,
  };
  const cqlshrc = [
    '[connection]',
    `hostname = ${host}`,
    'port = 29042',
    'ssl = true',
    '',
    '[ssl]',
    'validate = true',
    'certfile = ./ca.crt',
    'userkey = ./key',
    'usercert = ./cert',
    'version = TLS',
    '',
  ].join('\n');

  const text = (s: string) => new TextEncoder().encode(s);
  return {
    'ca.crt': text(ca.pem),
    key: text(client.pkcs1Pem),
    cert: text(certPem),
    'identity.jks': identityJks,
    'trustStore.jks': trustStoreJks,
    'config.json': text(JSON.stringify(config, null, 2)),
    cqlshrc: text(cqlshrc),
    'cert.pfx': pfx,
  };
}

/**
 * Zips entries the way Astra does (deflate, data descriptors, flag 0x08). `folder` puts them under a folder with
 * its directory entry, as re-zipping an unpacked bundle does; `macosx` adds the `__MACOSX/` AppleDouble twins.
 */
export async function zipBundle(
  entries: Record<string, Uint8Array>,
  opts: { folder?: string; macosx?: boolean } = {},
): Promise<Uint8Array> {
  const zip = new JSZip();
  const date = new Date();
  const prefix = opts.folder ? `${opts.folder.replace(/\/+$/, '')}/` : '';
  if (prefix) zip.folder(prefix.slice(0, -1));
  for (const [name, data] of Object.entries(entries)) {
    zip.file(prefix + name, data, { date, createFolders: false });
  }
  if (opts.macosx) {
    for (const name of Object.keys(entries)) {
      zip.file(`__MACOSX/${prefix}._${name}`, appleDouble(), { date, createFolders: true });
    }
  }
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', streamFiles: true });
}

/** Which CA signs: the one in every bundle's ca.crt, or another of the same name (another environment's). */
export type AuthorityName = 'ca' | 'other-ca';

/** The CA certificate (PEM) that signs bundles, as in their ca.crt: servers trust client certificates with it. */
export function authorityPem(opts: { caNotAfter?: Date; authority?: AuthorityName } = {}): string {
  return certificateAuthority(opts.caNotAfter, opts.authority).pem;
}

/**
 * A TLS server certificate for `hosts` (the metadata service's `<dbId>-<region>.db.astra.datastax.com` names),
 * signed by the bundles' CA, so a client that trusts only a bundle's ca.crt accepts it; `authority: 'other-ca'` signs
 * with the other CA of the same name instead.
 */
export function issueServerCertificate(
  hosts: string[],
  opts: { caNotAfter?: Date; authority?: AuthorityName } = {},
): { key: string; cert: string; ca: string } {
  const ca = certificateAuthority(opts.caNotAfter, opts.authority);
  const pair = generateRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + TEN_YEARS_MS);
  cert.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((value) => ({ type: 2, value })) },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { key: pair.pkcs1Pem, cert: forge.pki.certificateToPem(cert), ca: ca.pem };
}

function certificateAuthority(notAfter?: Date, variant: 'ca' | 'other-ca' | 'not-a-ca' = 'ca'): Authority {
  const cacheKey = `${variant}|${notAfter ? notAfter.toISOString() : 'default'}`;
  const cached = authorities.get(cacheKey);
  if (cached) return cached;
  const pair = generateRsaKey();
  const key = nativeSigner(pair.pkcs1Pem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(pair.publicPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(Date.UTC(2021, 0, 20));
  // Real one ends 2031-01-20; ours lasts 20 years from now so fixtures built today stay valid.
  cert.validity.notAfter = notAfter ?? new Date(Date.now() + 2 * TEN_YEARS_MS);
  const name = [{ name: 'commonName', value: CA_COMMON_NAME }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: variant !== 'not-a-ca', critical: true },
    { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true, digitalSignature: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const authority = { key, cert, pem: forge.pki.certificateToPem(cert), der: certificateDer(cert) };
  authorities.set(cacheKey, authority);
  return authority;
}

type NativeSigner = forge.pki.rsa.PrivateKey;

// forge's pure-JS RSA takes ~60 ms a signature; Node's native one well under 1 ms. PKCS#1 v1.5 = private-encrypt of DigestInfo.
function nativeSigner(pkcs1Pem: string): NativeSigner {
  const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  return {
    sign(md: forge.md.MessageDigest) {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const signature = privateEncrypt(
        { key: pkcs1Pem, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([sha256DigestInfo, digest]),
      );
      return signature.toString('binary');
    },
  } as unknown as NativeSigner;
}

function generateRsaKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    pkcs8Der: new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/** Converts a PEM private key of either form to PKCS#8 DER (for building keystores of faulty variants). */
export function pkcs8FromPem(pem: string): Uint8Array {
  return new Uint8Array(createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' }));
}

function certificateDer(cert: forge.pki.Certificate): Uint8Array {
  return binary(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes());
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive INTEGER
  return bytes.toString('hex');
}

const PASSWORD_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomPassword(length = 20): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  // Rejection sampling keeps the alphabet uniform.
  for (const b of bytes) {
    if (b < 248) out += PASSWORD_ALPHABET[b % 62];
    if (out.length === length) return out;
  }
  return out + randomPassword(length - out.length);
}

function binary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function appleDouble(): Uint8Array {
  // AppleDouble header: magic 0x00051607, version 2, 16 filler bytes, zero entries.
  const out = new Uint8Array(26);
  new DataView(out.buffer).setUint32(0, 0x00051607);
  new DataView(out.buffer).setUint32(4, 0x00020000);
  return out;
}

// ---- JKS (Sun's "JKS" keystore type), written by hand ----

export type JksEntry =
  | { kind: 'key'; alias: string; date: Date; pkcs8: Uint8Array; chain: Uint8Array[] }
  | { kind: 'cert'; alias: string; date: Date; cert: Uint8Array };

/** A JKS keystore as sun.security.provider.JavaKeyStore writes it (version 2, SHA-1 integrity digest). */
export function writeJks(password: string, entries: JksEntry[]): Uint8Array {
  const out = new ByteWriter();
  out.u32(0xfeedfeed);
  out.u32(2);
  out.u32(entries.length);
  for (const entry of entries) {
    out.u32(entry.kind === 'key' ? 1 : 2);
    out.utf(entry.alias.toLowerCase());
    out.u64(entry.date.getTime());
    if (entry.kind === 'key') {
      const protectedKey = protectJksKey(entry.pkcs8, password);
      out.u32(protectedKey.length);
      out.bytes(protectedKey);
      out.u32(entry.chain.length);
      for (const der of entry.chain) {
        out.utf('X.509');
        out.u32(der.length);
        out.bytes(der);
      }
    } else {
      out.utf('X.509');
      out.u32(entry.cert.length);
      out.bytes(entry.cert);
    }
  }
  const body = out.result();
  const digest = createHash('sha1')
    .update(utf16be(password))
    .update(Buffer.from('Mighty Aphrodite', 'utf8'))
    .update(body)
    .digest();
  const result = new Uint8Array(body.length + digest.length);
  result.set(body);
  result.set(digest, body.length);
  return result;
}

const JKS_KEY_PROTECTOR_OID = '1.3.6.1.4.1.42.2.17.1.1';

/** sun.security.provider.KeyProtector.protect: SHA-1 keystream XOR, wrapped as EncryptedPrivateKeyInfo. */
function protectJksKey(plainKey: Uint8Array, password: string): Uint8Array {
  const passwordBytes = utf16be(password);
  const salt = randomBytes(20);
  const keystream = new Uint8Array(plainKey.length);
  let digest: Uint8Array = salt;
  for (let offset = 0; offset < plainKey.length; offset += 20) {
    digest = createHash('sha1').update(passwordBytes).update(digest).digest();
    keystream.set(digest.subarray(0, Math.min(20, plainKey.length - offset)), offset);
  }
  const check = createHash('sha1').update(passwordBytes).update(plainKey).digest();
  const encrypted = new Uint8Array(20 + plainKey.length + 20);
  encrypted.set(salt);
  for (let i = 0; i < plainKey.length; i++) encrypted[20 + i] = plainKey[i]! ^ keystream[i]!;
  encrypted.set(check, 20 + plainKey.length);

  const asn1 = forge.asn1;
  const info = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(JKS_KEY_PROTECTOR_OID).getBytes()),
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, Buffer.from(encrypted).toString('binary')),
  ]);
  return binary(asn1.toDer(info).getBytes());
}

function utf16be(s: string): Buffer {
  const out = Buffer.alloc(s.length * 2);
  for (let i = 0; i < s.length; i++) out.writeUInt16BE(s.charCodeAt(i), i * 2);
  return out;
}

class ByteWriter {
  private chunks: Uint8Array[] = [];
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    this.chunks.push(b);
  }
  u64(n: number) {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(n));
    this.chunks.push(b);
  }
  utf(s: string) {
    // Java's modified UTF-8 equals UTF-8 for the ASCII names used here.
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(2);
    len.writeUInt16BE(b.length);
    this.chunks.push(len, b);
  }
  bytes(b: Uint8Array) {
    this.chunks.push(b);
  }
  result(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}
