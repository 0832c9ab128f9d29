import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBundleParts } from '../../tests/replica/make-bundle';
import { keyMatchesCertificate, parseCertificatePem, parsePrivateKeyPem } from './certificates';

const decode = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
let parts: Record<string, Uint8Array>;

beforeAll(async () => {
  parts = await makeBundleParts({ dbId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', dbName: 'certs', region: 'ap-south-1' });
});

describe('parseCertificatePem', () => {
  it('reads subject and issuer in RFC 4514 order and the validity of a bundle certificate', () => {
    const cert = parseCertificatePem(decode(parts.cert));
    if (!cert.ok) throw new Error(cert.error.message);
    expect(cert.value.facts.subject).toBe(
      'CN=client.1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e-ap-south-1.db.astra.datastax.com, OU=Cloud, O=DataStax',
    );
    expect(cert.value.facts.issuer).toBe('CN=ca.db.astra-prod.datastax.com');
    expect(cert.value.publicKey.kind).toBe('rsa');
    expect(cert.value.notAfter.getTime()).toBeGreaterThan(cert.value.notBefore.getTime());
  });

  it('refuses text without PEM, a key, and a damaged certificate', () => {
    expect(parseCertificatePem('hello')).toMatchObject({ ok: false, error: { code: 'not-pem' } });
    expect(parseCertificatePem(decode(parts.key))).toMatchObject({ ok: false, error: { code: 'not-certificate' } });
    const damaged = decode(parts.cert).replace(/\n(.{10})/, '\nAAAAAAAAAA');
    expect(parseCertificatePem(damaged).ok).toBe(false);
  });
});

describe('parsePrivateKeyPem and keyMatchesCertificate', () => {
  it('matches the bundle key (PKCS#1) and the same key as PKCS#8 with the certificate', () => {
    const cert = parseCertificatePem(decode(parts.cert));
    const pkcs1 = parsePrivateKeyPem(decode(parts.key));
    const pkcs8 = parsePrivateKeyPem(createPrivateKey(decode(parts.key)).export({ type: 'pkcs8', format: 'pem' }) as string);
    if (!cert.ok || !pkcs1.ok || !pkcs8.ok) throw new Error('unreadable');
    expect(pkcs1.value).toMatchObject({ kind: 'rsa', format: 'pkcs1' });
    expect(pkcs8.value).toMatchObject({ kind: 'rsa', format: 'pkcs8' });
    expect(keyMatchesCertificate(pkcs1.value, cert.value)).toBe(true);
    expect(keyMatchesCertificate(pkcs8.value, cert.value)).toBe(true);
  });

  it('does not match another RSA key or an EC key', () => {
    const cert = parseCertificatePem(decode(parts.cert));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    const other = parsePrivateKeyPem(rsa);
    const ecKey = parsePrivateKeyPem(ec);
    if (!cert.ok || !other.ok || !ecKey.ok) throw new Error('unreadable');
    expect(ecKey.value.kind).toBe('ec');
    expect(keyMatchesCertificate(other.value, cert.value)).toBe(false);
    expect(keyMatchesCertificate(ecKey.value, cert.value)).toBe(false);
  });

  it('refuses an encrypted key, which drivers cannot open', () => {
    const encrypted = createPrivateKey(decode(parts.key)).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string;
    expect(parsePrivateKeyPem(encrypted)).toMatchObject({ ok: false, error: { code: 'encrypted-key' } });
  });

  it('refuses an RSA key whose numbers do not fit together', () => {
    const der = Buffer.from(decode(parts.key).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    // 520 bytes from the end lies inside the second prime q, so p * q no longer equals n.
    der[der.length - 520] = der[der.length - 520]! ^ 0x01;
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${der.toString('base64')}\n-----END RSA PRIVATE KEY-----\n`;
    expect(parsePrivateKeyPem(pem)).toMatchObject({ ok: false, error: { code: 'damaged-key' } });
  });
});
