// @vitest-environment node
/**
 * The certificate reader takes its facts from the DER itself: they must be what @peculiar/x509 reads from the same
 * certificate, and the signature check must agree with the library's for RSA, ECDSA (P-256, P-384) and, through the
 * library, RSA-PSS. Certificates made here with WebCrypto, a CA and a leaf each, plus one signed by another CA.
 */
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { BasicConstraintsExtension, X509Certificate, X509CertificateGenerator } from '@peculiar/x509';
import { isIssuedBy, parseCertificatePem } from './certificates';

type Alg = RsaHashedKeyGenParams | EcKeyGenParams | (RsaHashedKeyGenParams & { saltLength: number });
const ALGORITHMS: Array<[string, Alg, Record<string, unknown>]> = [
  ['RSA PKCS#1 v1.5, SHA-256', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }, {}],
  ['ECDSA P-256, SHA-256', { name: 'ECDSA', namedCurve: 'P-256' }, { hash: 'SHA-256' }],
  ['ECDSA P-384, SHA-384', { name: 'ECDSA', namedCurve: 'P-384' }, { hash: 'SHA-384' }],
  ['RSA-PSS (the library checks it)', { name: 'RSA-PSS', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 }, { saltLength: 32 }],
];

async function pair(alg: Alg, signing: Record<string, unknown>, names: { ca: string; leaf: string }) {
  const signingAlgorithm = { ...alg, ...signing } as Algorithm;
  const caKeys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const leafKeys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await X509CertificateGenerator.createSelfSigned({
    serialNumber: '00ff01', name: names.ca, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z'),
    keys: caKeys, signingAlgorithm, extensions: [new BasicConstraintsExtension(true, 1, true)],
  });
  const leaf = await X509CertificateGenerator.create({
    serialNumber: '7a3b', subject: names.leaf, issuer: ca.subject, notBefore: new Date('2026-02-03T04:05:06Z'), notAfter: new Date('2051-02-03T04:05:06Z'),
    publicKey: leafKeys.publicKey, signingKey: caKeys.privateKey, signingAlgorithm,
  });
  return { ca, leaf };
}

const facts = (cert: X509Certificate) => ({
  notBefore: cert.notBefore.toISOString(),
  notAfter: cert.notAfter.toISOString(),
  serialNumber: cert.serialNumber,
  isCa: cert.getExtension(BasicConstraintsExtension)?.ca === true,
  key: new Uint8Array(cert.publicKey.rawData),
});

describe('certificates read from their DER', () => {
  for (const [label, alg, signing] of ALGORITHMS) {
    it(`${label}: the same facts as the library, and the same signature verdicts`, async () => {
      const { ca, leaf } = await pair(alg, signing, { ca: 'CN=Test CA, O=DataStax, C=US', leaf: 'CN=client, OU=Cloud, O=DataStax' });
      const other = await pair(alg, signing, { ca: 'CN=Test CA, O=DataStax, C=US', leaf: 'CN=client, OU=Cloud, O=DataStax' });
      const parsedCa = parseCertificatePem(ca.toString('pem'));
      const parsedLeaf = parseCertificatePem(leaf.toString('pem'));
      const forged = parseCertificatePem(other.leaf.toString('pem'));
      if (!parsedCa.ok || !parsedLeaf.ok || !forged.ok) throw new Error('not parsed');
      for (const [parsed, cert] of [[parsedCa.value, ca], [parsedLeaf.value, leaf]] as const) {
        const expected = facts(cert);
        expect(parsed.facts).toMatchObject({ notBefore: expected.notBefore, notAfter: expected.notAfter, serialNumber: expected.serialNumber });
        expect(parsed.isCa).toBe(expected.isCa);
      }
      // Most specific first (RFC 4514), as before: the generator wrote the names in the order given.
      expect(parsedLeaf.value.facts).toMatchObject({ subject: 'O=DataStax, OU=Cloud, CN=client', issuer: 'C=US, O=DataStax, CN=Test CA', serialNumber: '7a3b' });
      expect(parsedCa.value.isCa).toBe(true);
      expect(parsedLeaf.value.isCa).toBe(false);
      expect(await isIssuedBy(parsedLeaf.value, parsedCa.value)).toBe(true);
      expect(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
      // Same names, another CA's key: only the signature tells them apart.
      expect(await isIssuedBy(forged.value, parsedCa.value)).toBe(false);
      expect(await other.leaf.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(false);
    });
  }

  it('a signature with one bit flipped verifies no more', async () => {
    const { ca, leaf } = await pair(ALGORITHMS[1]![1], ALGORITHMS[1]![2], { ca: 'CN=CA', leaf: 'CN=leaf' });
    const der = new Uint8Array(leaf.rawData);
    der[der.length - 5] = der[der.length - 5]! ^ 0x01;
    const tampered = parseCertificatePem(new X509Certificate(der).toString('pem'));
    const parsedCa = parseCertificatePem(ca.toString('pem'));
    if (!tampered.ok || !parsedCa.ok) throw new Error('not parsed');
    expect(await isIssuedBy(tampered.value, parsedCa.value)).toBe(false);
  });

  it('refuses DER with bytes after the certificate or a truncated body', async () => {
    const { leaf } = await pair(ALGORITHMS[1]![1], ALGORITHMS[1]![2], { ca: 'CN=CA', leaf: 'CN=leaf' });
    const der = new Uint8Array(leaf.rawData);
    const pem = (bytes: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${btoa(String.fromCharCode(...bytes))}\n-----END CERTIFICATE-----\n`;
    expect(parseCertificatePem(pem(new Uint8Array([...der, 0, 0]))).ok).toBe(false);
    expect(parseCertificatePem(pem(der.subarray(0, der.length - 10))).ok).toBe(false);
  });
});
