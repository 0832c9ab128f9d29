/**
 * A self-signed server certificate naming the real Astra host names. Chromium trusts it by its SPKI hash
 * (`--ignore-certificate-errors-spki-list`); it is cached on disk so starting the replica stays fast.
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import forge from 'node-forge';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo. */
  spkiHash: string;
}

const DAY_MS = 24 * 3600 * 1000;

function spkiHashOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

function usable(material: { key: string; cert: string }, hosts: string[]): boolean {
  const cert = new X509Certificate(material.cert);
  const names = cert.subjectAltName ?? '';
  return (
    hosts.every((host) => names.includes(`DNS:${host}`)) &&
    new Date(cert.validTo).getTime() > Date.now() + DAY_MS &&
    cert.checkPrivateKey(createPrivateKey(material.key))
  );
}

function issue(hosts: string[]): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - DAY_MS);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY_MS);
  const name = [
    { name: 'commonName', value: hosts[0]! },
    { name: 'organizationName', value: 'Astra Companion local replica' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...hosts.map((value) => ({ type: 2, value })), { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }],
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

/** The cached certificate for `hosts` when it still fits, else a new one (written atomically to `cacheFile`). */
export function loadTls(hosts: string[], cacheFile: string): TlsMaterial {
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { key: string; cert: string };
    if (usable(cached, hosts)) return { ...cached, spkiHash: spkiHashOf(cached.cert) };
  } catch {
    // no cache yet, or an unreadable one: issue a new certificate
  }
  const material = issue(hosts);
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const temp = `${cacheFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify(material), { mode: 0o600 });
    renameSync(temp, cacheFile);
  } catch {
    // a read-only checkout still works, only slower to start
  }
  return { ...material, spkiHash: spkiHashOf(material.cert) };
}
