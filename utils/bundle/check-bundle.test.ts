import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBundleParts, writeJks, zipBundle, pkcs8FromPem } from '../../tests/replica/make-bundle';
import { rawZip } from '../../tests/unit/fixtures/raw-zip';
import * as bodies from '../../tests/unit/fixtures/storage-errors';
import { checkBundle, type BundleProblemCode, type BundleVerdict } from './check-bundle';
import { EXPIRED_LINK_HINT } from './storage-error';
import { crc32 } from '../zip/zip-directory';

const spec = { dbId: '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6', dbName: 'orders', region: 'us-east-2' };
const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

let parts: Record<string, Uint8Array>;
let good: Uint8Array;
let config: Record<string, unknown>;
let otherParts: Record<string, Uint8Array>;

beforeAll(async () => {
  [parts, otherParts] = await Promise.all([makeBundleParts(spec), makeBundleParts(spec)]);
  good = await zipBundle(parts);
  config = JSON.parse(decode(parts['config.json']));
});

/** The real bundle with some entries replaced (or removed, with null), zipped the way Astra zips. */
function variant(changes: Record<string, Uint8Array | string | null>): Promise<Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, data] of Object.entries(parts)) {
    const change = changes[name];
    if (change === null) continue;
    entries[name] = change === undefined ? data : typeof change === 'string' ? text(change) : change;
  }
  for (const [name, data] of Object.entries(changes)) {
    if (!(name in parts) && data !== null) entries[name] = typeof data === 'string' ? text(data) : data;
  }
  return zipBundle(entries);
}

function withConfig(patch: Record<string, unknown>, drop: string[] = []): string {
  const next: Record<string, unknown> = { ...config, ...patch };
  for (const field of drop) delete next[field];
  return JSON.stringify(next, null, 2);
}

const codes = (v: BundleVerdict, severity?: 'error' | 'warning') =>
  v.problems.filter((p) => !severity || p.severity === severity).map((p) => p.code);

function expectOnly(v: BundleVerdict, code: BundleProblemCode) {
  expect(v.ok).toBe(false);
  expect(codes(v, 'error')).toEqual([code]);
}

/** Secrets of the real bundle that must never show in a verdict. */
function expectNoSecrets(v: BundleVerdict) {
  const out = JSON.stringify(v);
  for (const field of ['keyStorePassword', 'trustStorePassword', 'pfxCertPassword']) {
    expect(out).not.toContain(String(config[field]));
    expect(out).not.toContain(field + '":');
  }
  expect(out).not.toContain('PRIVATE KEY');
}

describe('a good bundle', () => {
  it('passes with no problems', async () => {
    const v = await checkBundle(good, { name: 'secure-connect-orders.zip' });
    expect(v.problems).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('reports the file, its entries and their CRCs', async () => {
    const { facts } = await checkBundle(good, { name: 'secure-connect-orders.zip' });
    expect(facts.name).toBe('secure-connect-orders.zip');
    expect(facts.size).toBe(good.length);
    expect(facts.sha256).toBe(createHash('sha256').update(good).digest('hex'));
    expect(facts.kind).toBe('zip');
    expect(facts.entries.map((e) => e.name)).toEqual(Object.keys(parts));
    const cert = facts.entries.find((e) => e.name === 'cert')!;
    expect(cert.uncompressedSize).toBe(parts.cert!.length);
    expect(cert.crc32).toBe(crc32(parts.cert!).toString(16).padStart(8, '0'));
  });

  it('reports config.json without its passwords, with dbId and region taken from host', async () => {
    const v = await checkBundle(good);
    expect(v.facts.config).toEqual({
      host: `${spec.dbId}-${spec.region}.db.astra.datastax.com`,
      port: 29080,
      cql_port: 29042,
      keyspace: 'default_keyspace',
      localDC: 'dc-1',
      dbId: spec.dbId,
      region: spec.region,
    });
    expectNoSecrets(v);
  });

  it('reports both certificates', async () => {
    const { facts } = await checkBundle(good);
    expect(facts.certificates.ca).toMatchObject({
      subject: 'CN=ca.db.astra-prod.datastax.com',
      issuer: 'CN=ca.db.astra-prod.datastax.com',
    });
    expect(facts.certificates.cert).toMatchObject({
      subject: `CN=client.${spec.dbId}-${spec.region}.db.astra.datastax.com, OU=Cloud, O=DataStax`,
      issuer: 'CN=ca.db.astra-prod.datastax.com',
    });
    const years = (Date.parse(facts.certificates.cert!.notAfter) - Date.parse(facts.certificates.cert!.notBefore)) / 3.15576e10;
    expect(Math.round(years)).toBe(10);
  });

  it('accepts an ArrayBuffer as well as a Uint8Array', async () => {
    const copy = good.slice().buffer;
    expect((await checkBundle(copy)).ok).toBe(true);
  });

  it('passes an older bundle without cqlshrc and cert.pfx, with a warning', async () => {
    const v = await checkBundle(await variant({ cqlshrc: null, 'cert.pfx': null }));
    expect(v.ok).toBe(true);
    expect(codes(v, 'warning')).toEqual(['missing-entry']);
    expect(v.problems[0]!.message).toContain('cqlshrc and cert.pfx');
  });

  it('passes a key in PKCS#8 form as well', async () => {
    const der = Buffer.from(pkcs8FromPem(decode(parts.key)));
    const pem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
    expect((await checkBundle(await variant({ key: pem }))).problems).toEqual([]);
  });
});

describe('an error body saved as the bundle', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['S3 expired link', bodies.S3_EXPIRED, 's3', /download link had expired/],
    ['GCS expired link', bodies.GCS_EXPIRED, 'gcs', /download link had expired/],
    ['Azure expired SAS', bodies.AZURE_EXPIRED, 'azure', /download link had expired/],
  ];
  it.each(cases)('%s: says the link had expired and how to get a good bundle', async (_, body, service, message) => {
    const v = await checkBundle(text(body), { name: 'secure-connect-orders.zip' });
    expectOnly(v, 'storage-error');
    expect(v.problems[0]!.message).toMatch(message);
    expect(v.problems[0]!.hint).toBe(EXPIRED_LINK_HINT);
    expect(v.facts.kind).toBe('error-document');
    expect(v.facts.errorDocument).toMatchObject({ service, expired: true, notYetValid: false, altered: false });
  });

  it('keeps storage\'s own verdict on the link, for every part that asks "did it expire"', async () => {
    const verdictOf = async (body: string) => (await checkBundle(text(body))).facts.errorDocument;
    expect(await verdictOf(bodies.S3_NOT_YET_VALID)).toMatchObject({ expired: false, notYetValid: true, altered: false });
    expect(await verdictOf(bodies.S3_SIGNATURE_DOES_NOT_MATCH)).toMatchObject({ expired: false, notYetValid: false, altered: true });
    expect(await verdictOf(bodies.S3_NO_SUCH_KEY)).toMatchObject({ expired: false, notYetValid: false, altered: false });
  });

  it('S3 SignatureDoesNotMatch: says the link was altered when copied, and names the code', async () => {
    const v = await checkBundle(text(bodies.S3_SIGNATURE_DOES_NOT_MATCH));
    expectOnly(v, 'storage-error');
    expect(v.problems[0]!.message).toMatch(/altered when copied/);
    expect(v.problems[0]!.message).toContain('SignatureDoesNotMatch');
    expect(v.problems[0]!.hint).toContain('copy icon');
    expect(v.facts.errorDocument).toEqual({
      service: 's3',
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      expired: false,
      notYetValid: false,
      altered: true,
    });
    expect(JSON.stringify(v)).not.toContain('AKIA');
  });

  it('GCS SignatureDoesNotMatch and Azure "Signature did not match": altered links too', async () => {
    for (const [body, service] of [
      [bodies.GCS_SIGNATURE_DOES_NOT_MATCH, 'gcs'],
      [bodies.AZURE_SIGNATURE_DID_NOT_MATCH, 'azure'],
    ] as const) {
      const v = await checkBundle(text(body));
      expect(v.problems[0]!.message).toMatch(/altered when copied/);
      expect(v.facts.errorDocument?.service).toBe(service);
    }
  });

  it('a link used before its start (S3, Azure): points at the clock, not expiry', async () => {
    for (const body of [bodies.S3_NOT_YET_VALID, bodies.AZURE_NOT_YET_VALID]) {
      const v = await checkBundle(text(body));
      expectOnly(v, 'storage-error');
      expect(v.problems[0]!.message).toMatch(/not yet valid/);
      expect(v.problems[0]!.hint).toMatch(/clock/);
    }
  });

  it('a missing object (S3 NoSuchKey, Azure BlobNotFound): names the code', async () => {
    for (const [body, code] of [
      [bodies.S3_NO_SUCH_KEY, 'NoSuchKey'],
      [bodies.AZURE_BLOB_NOT_FOUND, 'BlobNotFound'],
    ]) {
      const v = await checkBundle(text(body!));
      expectOnly(v, 'storage-error');
      expect(v.problems[0]!.message).toContain(code);
      expect(v.facts.errorDocument?.code).toBe(code);
    }
  });

  it('JSON error bodies of the Astra DevOps API and the GCS JSON API', async () => {
    const astra = await checkBundle(text(bodies.ASTRA_API_ERROR));
    expectOnly(astra, 'storage-error');
    expect(astra.facts.errorDocument).toMatchObject({ service: 'astra-api', code: '340018' });
    expect(astra.problems[0]!.message).toContain('hibernated');
    const gcs = await checkBundle(text(bodies.GCS_JSON_ERROR));
    expect(gcs.facts.errorDocument).toMatchObject({ service: 'gcs', code: 'forbidden' });
  });
});

describe('files that are not zips', () => {
  it('an empty file', async () => {
    const v = await checkBundle(new Uint8Array(0));
    expectOnly(v, 'not-a-zip');
    expect(v.facts.kind).toBe('empty');
    expect(v.problems[0]!.message).toMatch(/empty/);
  });

  it('an HTML page, named by its title', async () => {
    const v = await checkBundle(text(bodies.CONSOLE_SIGN_IN_PAGE));
    expectOnly(v, 'not-a-zip');
    expect(v.facts.kind).toBe('html');
    expect(v.facts.htmlTitle).toBe('Sign In | DataStax Astra');
    expect(v.problems[0]!.message).toMatch(/web page/);
  });

  it('plain text, XML that is no error, a lone keystore', async () => {
    for (const bytes of [text('hello'), text('<?xml version="1.0"?><ListBucketResult></ListBucketResult>'), parts['identity.jks']!]) {
      expectOnly(await checkBundle(bytes), 'not-a-zip');
    }
    expect((await checkBundle(parts['identity.jks']!)).problems[0]!.message).toMatch(/Java keystore/);
  });
});

describe('damaged zips', () => {
  it('cut short anywhere: truncated', async () => {
    for (const keep of [4, 100, Math.floor(good.length / 2), good.length - 200, good.length - 10]) {
      const v = await checkBundle(good.subarray(0, keep));
      expectOnly(v, 'truncated');
      expect(v.problems[0]!.hint).toMatch(/finished/);
    }
  });

  it('a flipped byte inside the data of an entry: corrupt', async () => {
    const damaged = good.slice();
    const at = findLocalData(damaged, 'cert') + 200;
    damaged[at] = damaged[at]! ^ 0x01;
    expectOnly(await checkBundle(damaged), 'corrupt');
  });

  it('a wrong CRC in the central directory: corrupt', async () => {
    const damaged = good.slice();
    const record = findCentralRecord(damaged, 'config.json');
    damaged[record + 16] = damaged[record + 16]! ^ 0xff;
    const v = await checkBundle(damaged);
    expectOnly(v, 'corrupt');
    expect(v.problems[0]!.message).toContain('config.json');
  });

  it('a password-protected entry: corrupt', async () => {
    const zip = rawZip([{ name: 'config.json', stored: parts['config.json'], flags: 0x01 }]);
    const v = await checkBundle(zip);
    expect(codes(v, 'error')).toContain('corrupt');
    expect(v.problems.find((p) => p.code === 'corrupt')!.message).toMatch(/encrypted/);
  });
});

describe('bundles missing what drivers need', () => {
  it('without config.json: missing-entry', async () => {
    const v = await checkBundle(await variant({ 'config.json': null }));
    expectOnly(v, 'missing-entry');
    expect(v.problems[0]!.message).toContain('config.json');
  });

  it('without the Java keystores: missing-entry naming the Java driver', async () => {
    const v = await checkBundle(await variant({ 'identity.jks': null, 'trustStore.jks': null }));
    expectOnly(v, 'missing-entry');
    expect(v.problems[0]!.message).toMatch(/identity.jks and trustStore.jks.*Java driver/);
  });

  it('without ca.crt, cert or key: one missing-entry naming them', async () => {
    const v = await checkBundle(await variant({ 'ca.crt': null, cert: null, key: null }));
    expectOnly(v, 'missing-entry');
    expect(v.problems[0]!.message).toContain('ca.crt, cert and key');
  });

  it('a zip that holds the bundle zip: says to use the inner one', async () => {
    const outer = await zipBundle({ 'secure-connect-orders.zip': good });
    const v = await checkBundle(outer);
    expectOnly(v, 'missing-entry');
    expect(v.problems[0]!.hint).toContain('secure-connect-orders.zip');
  });
});

describe('config.json', () => {
  it('not JSON: bad-config', async () => {
    expectOnly(await checkBundle(await variant({ 'config.json': '{"host": "x",' })), 'bad-config');
  });

  it('port as a string, or host missing: bad-config', async () => {
    const portString = await checkBundle(await variant({ 'config.json': withConfig({ port: '29080' }) }));
    expectOnly(portString, 'bad-config');
    expect(portString.problems[0]!.message).toContain('"port" is not a whole number');
    const noHost = await checkBundle(await variant({ 'config.json': withConfig({}, ['host']) }));
    expectOnly(noHost, 'bad-config');
    expect(noHost.problems[0]!.message).toContain('no "host"');
  });

  it('no keystore passwords: bad-config naming Java', async () => {
    const v = await checkBundle(await variant({ 'config.json': withConfig({}, ['keyStorePassword', 'trustStorePassword']) }));
    expectOnly(v, 'bad-config');
    expect(v.problems[0]!.message).toMatch(/keyStorePassword and trustStorePassword.*Java/);
  });

  it('a keyStorePassword that does not open identity.jks: bad-config, without showing either password', async () => {
    const v = await checkBundle(await variant({ 'config.json': withConfig({ keyStorePassword: 'NotTheRightPassword1' }) }));
    expectOnly(v, 'bad-config');
    expect(v.problems[0]!.message).toMatch(/keyStorePassword in config.json does not open identity.jks/);
    expect(JSON.stringify(v)).not.toContain('NotTheRightPassword1');
    expectNoSecrets(v);
  });
});

describe('certificates and key', () => {
  it('a certificate that is not X.509: bad-certificate', async () => {
    const v = await checkBundle(await variant({ cert: '-----BEGIN CERTIFICATE-----\nTUlJQ2hlbGxv\n-----END CERTIFICATE-----\n' }));
    expectOnly(v, 'bad-certificate');
    expect(v.problems[0]!.message).toContain('client certificate (cert)');
  });

  it('ca.crt holding a key instead of a certificate: bad-certificate', async () => {
    const v = await checkBundle(await variant({ 'ca.crt': parts.key! }));
    expectOnly(v, 'bad-certificate');
    expect(v.problems[0]!.message).toContain('ca.crt');
  });

  it('a key that is not a private key, or is damaged: bad-certificate', async () => {
    expectOnly(await checkBundle(await variant({ key: parts.cert! })), 'bad-certificate');
    const pem = decode(parts.key);
    const lines = pem.split('\n');
    lines[10] = lines[10]!.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'));
    expectOnly(await checkBundle(await variant({ key: lines.join('\n') })), 'bad-certificate');
  });

  it('an expired client certificate: certificate-expired with the date', async () => {
    const old = await makeBundleParts({ ...spec, notBefore: new Date('2014-03-01'), notAfter: new Date('2024-03-01') });
    const v = await checkBundle(await zipBundle(old));
    expectOnly(v, 'certificate-expired');
    expect(v.problems[0]!.message).toContain('expired on 2024-03-01');
  });

  it('a good bundle checked ten years on: certificate-expired', async () => {
    const later = new Date(Date.now() + 11 * 3.15576e10);
    expectOnly(await checkBundle(good, { now: later }), 'certificate-expired');
  });

  it('a certificate not valid yet: certificate-expired, pointing at the clock', async () => {
    const v = await checkBundle(good, { now: new Date(Date.now() - 3 * 24 * 3600e3) });
    expectOnly(v, 'certificate-expired');
    expect(v.problems[0]!.hint).toMatch(/date and time/);
  });

  it('a certificate expiring within 30 days: a warning only', async () => {
    const soon = await makeBundleParts({ ...spec, notAfter: new Date(Date.now() + 10 * 24 * 3600e3) });
    const v = await checkBundle(await zipBundle(soon));
    expect(v.ok).toBe(true);
    expect(codes(v, 'warning')).toEqual(['certificate-expiring']);
  });

  it('a key from another bundle: key-mismatch', async () => {
    const v = await checkBundle(await variant({ key: otherParts.key! }));
    expectOnly(v, 'key-mismatch');
  });

  it('a keystore replaced by something else: bad-certificate', async () => {
    expectOnly(await checkBundle(await variant({ 'trustStore.jks': 'not a keystore' })), 'bad-certificate');
  });

  it('a keystore rebuilt with another password than config.json says: bad-config', async () => {
    const ca = Buffer.from(decode(parts['ca.crt']).replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const jks = writeJks('SomeOtherPassword123', [{ kind: 'cert', alias: 'ca', date: new Date(), cert: ca }]);
    const v = await checkBundle(await variant({ 'trustStore.jks': jks }));
    expectOnly(v, 'bad-config');
    expect(v.problems[0]!.message).toContain('trustStorePassword');
  });
});

describe('a bundle unpacked and zipped again', () => {
  it('with __MACOSX: nested-folder naming the folder, with a hint to use the original', async () => {
    const zip = await zipBundle(parts, { folder: 'secure-connect-orders', macosx: true });
    const v = await checkBundle(zip, { name: 'secure-connect-orders (1).zip' });
    expectOnly(v, 'nested-folder');
    expect(v.facts.folder).toBe('secure-connect-orders');
    expect(v.problems[0]!.message).toContain('__MACOSX');
    expect(v.problems[0]!.hint).toContain('secure-connect-orders (1).zip as downloaded');
  });

  it('still checks what the folder holds', async () => {
    const old = await makeBundleParts({ ...spec, notBefore: new Date('2014-03-01'), notAfter: new Date('2024-03-01') });
    const v = await checkBundle(await zipBundle(old, { folder: 'bundle' }));
    expect(codes(v, 'error')).toEqual(['nested-folder', 'certificate-expired']);
    expect(v.facts.config?.dbId).toBe(spec.dbId);
  });
});

describe('hostile archives', () => {
  const bundleEntry = (name: string) => ({ name, stored: parts[name] });

  it('an entry that climbs out or is absolute: unsafe-entry, nothing unpacked', async () => {
    for (const name of ['../../.bashrc', '/etc/cron.d/x', 'ok/../../x', 'C:\\Windows\\x', '..\\x']) {
      const v = await checkBundle(rawZip([bundleEntry('config.json'), { name, stored: text('x') }]));
      expectOnly(v, 'unsafe-entry');
      expect(v.facts.config).toBeUndefined();
    }
  });

  it('the same name twice: unsafe-entry', async () => {
    const v = await checkBundle(rawZip([bundleEntry('config.json'), { name: 'config.json', stored: text('{}') }]));
    expectOnly(v, 'unsafe-entry');
  });

  it('a file of 100 MB: too-large, refused before reading', async () => {
    const big = new Uint8Array(100 * 1024 * 1024);
    big.set(good);
    const v = await checkBundle(big);
    expectOnly(v, 'too-large');
    expect(v.facts.sha256).toBeUndefined();
  });

  it('a declared size of gigabytes (zip64): too-large, not inflated', async () => {
    const zip = rawZip([{ name: 'cert', stored: deflateRawSync(Buffer.alloc(1000)), method: 8, zip64UncompressedSize: BigInt(5e9) }]);
    const v = await checkBundle(zip);
    expectOnly(v, 'too-large');
    expect(v.problems[0]!.message).toContain('4768.4 MB');
  });

  it('an honest zip bomb (declares its 50 MB): too-large, not inflated', async () => {
    const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
    const v = await checkBundle(rawZip([{ name: 'cert', stored: bomb, method: 8, uncompressedSize: 50 * 1024 * 1024 }]));
    expectOnly(v, 'too-large');
  });

  it('a lying zip bomb (declares 1 KB, inflates to 50 MB): corrupt, inflation stopped', async () => {
    const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
    const entries = Object.keys(parts).map(bundleEntry);
    entries[2] = { name: 'cert', stored: bomb, method: 8, uncompressedSize: 1024, crc: 0 } as never;
    const v = await checkBundle(rawZip(entries));
    expectOnly(v, 'corrupt');
    expect(v.problems[0]!.message).toMatch(/cert holds more data than the zip declares/);
  });

  it('a lying zip bomb that declares as much as it stores: corrupt, inflation stopped at the first chunk', async () => {
    const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
    const entries = Object.keys(parts).map(bundleEntry);
    entries[2] = { name: 'cert', stored: bomb, method: 8, uncompressedSize: bomb.length, crc: 0 } as never;
    const v = await checkBundle(rawZip(entries));
    expectOnly(v, 'corrupt');
    expect(v.problems[0]!.message).toMatch(/cert holds more data than the zip declares .*not unpacked further/);
  });

  it('a stored entry whose sizes differ: corrupt', async () => {
    const v = await checkBundle(rawZip([{ name: 'config.json', stored: parts['config.json'], uncompressedSize: 10 }]));
    expect(codes(v, 'error')).toContain('corrupt');
  });

  it('65,535 entries declared: too-large, without walking them', async () => {
    const zip = rawZip([bundleEntry('config.json')], { declaredCount: 65535 });
    const v = await checkBundle(zip);
    expectOnly(v, 'too-large');
    expect(v.problems[0]!.message).toContain('65,535 entries');
  });

  it('65,535 real entries: a verdict', async () => {
    const entries = Array.from({ length: 65535 }, (_, i) => ({ name: `f${i}` }));
    expectOnly(await checkBundle(rawZip(entries)), 'too-large');
  });

  it('entries sharing their data (an overlapping zip bomb): corrupt', async () => {
    const zip = rawZip([bundleEntry('config.json'), { name: 'cert', shareDataWith: 0 }, { name: 'key', shareDataWith: 0 }]);
    const v = await checkBundle(zip);
    expectOnly(v, 'corrupt');
    expect(v.problems[0]!.message).toMatch(/overlap/);
  });
});

describe('fuzzing: every input gets a verdict, quickly', () => {
  const budgetMs = 5_000;
  async function verdictWithin(bytes: Uint8Array): Promise<BundleVerdict> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no verdict within ${budgetMs} ms`)), budgetMs);
    });
    try {
      return await Promise.race([checkBundle(bytes), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
  function expectVerdict(v: BundleVerdict) {
    expect(typeof v.ok).toBe('boolean');
    expect(Array.isArray(v.problems)).toBe(true);
    expect(v.ok).toBe(!v.problems.some((p) => p.severity === 'error'));
    for (const p of v.problems) {
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.hint.length).toBeGreaterThan(0);
    }
  }

  it('random bytes, with and without a zip signature', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), async (random, signed) => {
        const bytes = signed ? new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...random]) : random;
        const v = await verdictWithin(bytes);
        expectVerdict(v);
        expect(v.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a real bundle with bytes flipped, cut or spliced', async () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (mutations) => {
        let bytes = good.slice();
        for (const m of mutations) {
          const at = m.at % bytes.length;
          if (m.kind === 'flip') bytes[at] = bytes[at]! ^ m.bits;
          else if (m.kind === 'cut') bytes = bytes.slice(0, at);
          else bytes = new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at + m.bytes.length)]);
          if (bytes.length === 0) break;
        }
        expectVerdict(await verdictWithin(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('the central directory of a real bundle with random numbers in its fields', async () => {
    const directory = findCentralRecord(good, 'ca.crt');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: directory, max: good.length - 1 }), fc.integer({ min: 0, max: 0xffffffff }), async (at, value) => {
        const bytes = good.slice();
        new DataView(bytes.buffer).setUint32(Math.min(at, bytes.length - 4), value, true);
        expectVerdict(await verdictWithin(bytes));
      }),
      { numRuns: 300 },
    );
  });
});

function findCentralRecord(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = 0; at + 46 < zip.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    if (decode(zip.subarray(at + 46, at + 46 + length)) === name) return at;
  }
  throw new Error(`no central record for ${name}`);
}

function findLocalData(zip: Uint8Array, name: string): number {
  const record = findCentralRecord(zip, name);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = view.getUint32(record + 42, true);
  return local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
}
