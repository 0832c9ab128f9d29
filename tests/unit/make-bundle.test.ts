import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_ENTRY_ORDER, makeBundle, makeBundleParts, zipBundle } from '../replica/make-bundle';

const spec = { dbId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', dbName: 'orders', region: 'europe-west1' };
const host = `${spec.dbId}-${spec.region}.db.astra.datastax.com`;
const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

/** Central directory records, read straight from the bytes. */
function centralDirectory(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const records = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    records.push({
      name: text(zip.subarray(at + 46, at + 46 + nameLength)),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      localCrc: view.getUint32(localOffset + 14, true),
      localFlags: view.getUint16(localOffset + 6, true),
    });
    at += 46 + nameLength + extra + comment;
  }
  return records;
}

describe('makeBundle builds a bundle like the ones Astra serves', () => {
  let zip: Uint8Array;
  let parts: Record<string, Uint8Array>;
  let config: Record<string, unknown>;
  let dir: string;

  beforeAll(async () => {
    zip = await makeBundle(spec);
    const loaded = await JSZip.loadAsync(zip, { checkCRC32: true });
    parts = {};
    for (const name of Object.keys(loaded.files)) parts[name] = await loaded.file(name)!.async('uint8array');
    config = JSON.parse(text(parts['config.json']));
    dir = mkdtempSync(join(tmpdir(), 'make-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the eight entries at the root, in Astra order, deflated with data descriptors', () => {
    const records = centralDirectory(zip);
    expect(records.map((r) => r.name)).toEqual([...BUNDLE_ENTRY_ORDER]);
    for (const r of records) {
      expect(r.method).toBe(8);
      expect(r.flags & 0x08).toBe(0x08);
      expect(r.localFlags & 0x08).toBe(0x08);
      expect(r.localCrc).toBe(0);
    }
  });

  it('is about the size of a real bundle', () => {
    expect(zip.length).toBeGreaterThan(10_000);
    expect(zip.length).toBeLessThan(13_500);
  });

  it('writes config.json with the host, ports and keystore locations', () => {
    expect(config).toMatchObject({
      host,
      port: 29080,
      cql_port: 29042,
      keyspace: 'default_keyspace',
      caCertLocation: './ca.crt',
      keyLocation: './key',
      certLocation: './cert',
      keyStoreLocation: './identity.jks',
      trustStoreLocation: './trustStore.jks',
    });
    for (const field of ['keyStorePassword', 'trustStorePassword', 'pfxCertPassword']) {
      expect(config[field]).toMatch(/^[A-Za-z0-9]{20}$/);
    }
  });

  it('writes cqlshrc for the CQL port over TLS', () => {
    const cqlshrc = text(parts.cqlshrc);
    expect(cqlshrc).toContain(`hostname = ${host}`);
    expect(cqlshrc).toContain('port = 29042');
    expect(cqlshrc).toContain('certfile = ./ca.crt');
  });

  it('signs a ten-year client certificate with the Astra CA, matching the PKCS#1 key', () => {
    const ca = new X509Certificate(parts['ca.crt']!);
    const cert = new X509Certificate(parts.cert!);
    expect(ca.subject).toBe('CN=ca.db.astra-prod.datastax.com');
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(cert.subject.split('\n')).toEqual(['O=DataStax', 'OU=Cloud', `CN=client.${host}`]);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / (365.25 * 24 * 3600e3);
    expect(Math.round(years)).toBe(10);
    expect(text(parts.key)).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(cert.checkPrivateKey(createPrivateKey(text(parts.key)))).toBe(true);
  });

  it('writes JKS keystores whose integrity digest holds under their passwords', () => {
    for (const [entry, password] of [
      ['identity.jks', config.keyStorePassword],
      ['trustStore.jks', config.trustStorePassword],
    ] as const) {
      const jks = parts[entry]!;
      expect([...jks.subarray(0, 4)]).toEqual([0xfe, 0xed, 0xfe, 0xed]);
      const body = jks.subarray(0, jks.length - 20);
      const digest = createHash('sha1')
        .update(Buffer.from(String(password), 'utf16le').swap16())
        .update('Mighty Aphrodite')
        .update(body)
        .digest();
      expect(Buffer.from(jks.subarray(jks.length - 20)).equals(digest)).toBe(true);
    }
  });

  it.skipIf(spawnSync('keytool', ['-help']).error)('writes keystores that keytool opens and exports the key from', () => {
    writeFileSync(join(dir, 'identity.jks'), parts['identity.jks']!);
    writeFileSync(join(dir, 'trustStore.jks'), parts['trustStore.jks']!);
    const trust = spawnSync('keytool', ['-list', '-keystore', join(dir, 'trustStore.jks'), '-storepass', String(config.trustStorePassword)]);
    expect(trust.stdout.toString()).toContain('trustedCertEntry');
    const p12 = join(dir, 'identity.p12');
    const exported = spawnSync('keytool', [
      '-importkeystore', '-noprompt', '-srckeystore', join(dir, 'identity.jks'), '-srcalias', 'cert',
      '-srcstorepass', String(config.keyStorePassword), '-srckeypass', String(config.keyStorePassword),
      '-destkeystore', p12, '-deststoretype', 'PKCS12', '-deststorepass', 'exported', '-destkeypass', 'exported',
    ]);
    expect(exported.status, exported.stderr.toString()).toBe(0);
    const der = forge.util.createBuffer(readFileSync(p12).toString('binary'));
    const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), 'exported');
    const bag = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]![0]!;
    expect(forge.pki.privateKeyToPem(bag.key!)).toBe(forge.pki.privateKeyToPem(forge.pki.privateKeyFromPem(text(parts.key))));
  });

  it('writes cert.pfx as PKCS#12 DER that opens with pfxCertPassword', () => {
    const pfxBytes = parts['cert.pfx']!;
    expect([pfxBytes[0], pfxBytes[1]]).toEqual([0x30, 0x82]);
    const der = forge.util.createBuffer(Buffer.from(pfxBytes).toString('binary'));
    const pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), String(config.pfxCertPassword));
    const certs = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]!;
    expect(certs.map((b) => b.cert!.subject.getField('CN').value)).toEqual([`client.${host}`, 'ca.db.astra-prod.datastax.com']);
  });
});

describe('makeBundleParts and zipBundle build faulty variants', () => {
  it('honours the validity asked for, for an expired bundle', async () => {
    const parts = await makeBundleParts({ ...spec, notBefore: new Date('2015-01-01'), notAfter: new Date('2020-01-01') });
    const cert = new X509Certificate(parts.cert!);
    expect(new Date(cert.validTo).toISOString()).toBe('2020-01-01T00:00:00.000Z');
  });

  it('gives each bundle its own client key under the same CA', async () => {
    const [a, b] = await Promise.all([makeBundleParts(spec), makeBundleParts(spec)]);
    expect(text(a!.key)).not.toBe(text(b!.key));
    expect(text(a!['ca.crt'])).toBe(text(b!['ca.crt']));
  });

  it('zips the entries under a folder with __MACOSX twins, like a bundle unpacked and zipped again', async () => {
    const parts = await makeBundleParts(spec);
    const names = centralDirectory(await zipBundle(parts, { folder: 'secure-connect-orders', macosx: true })).map((r) => r.name);
    expect(names).toContain('secure-connect-orders/');
    expect(names).toContain('secure-connect-orders/config.json');
    expect(names).toContain('__MACOSX/secure-connect-orders/._config.json');
    expect(names.some((n) => n === 'config.json')).toBe(false);
  });
});
