import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLinkAlive, LINK_SAFETY_MARGIN_MS, linkTimeLeft, parseBundleLink, type BundleLink } from './bundle-link';
import { STORAGE_HOSTS } from '../astra/hosts';

const HOST = 'datastax-cluster-config-prod.s3.us-east-2.amazonaws.com';
const DB_ID = '7b1d8e0a-3c2f-4e55-9a77-0c6f1d2e3b4a';
const DC1 = `${DB_ID}-1`;
const SIGNED_AT = Date.UTC(2026, 10, 23, 10, 15, 0);

const hex = (seed: string, bytes = 32) => {
  let out = '';
  for (let i = 0; out.length < bytes * 2; i++) out += createHmac('sha256', 'test').update(`${seed}/${i}`).digest('hex');
  return out.slice(0, bytes * 2);
};
const base64 = (seed: string, bytes = 32) => Buffer.from(hex(seed, bytes), 'hex').toString('base64');

/** A link shaped exactly like ASTRA.md section 2; every part can be swapped out. */
function s3Link(parts: Partial<Record<'host' | 'key' | 'algorithm' | 'credential' | 'date' | 'expires' | 'headers' | 'signature', string | null>> = {}): string {
  const p = {
    host: HOST,
    key: `${DC1}/secure-connect-orders.zip`,
    algorithm: 'AWS4-HMAC-SHA256',
    credential: 'AKIA2SBDS4Y3EXAMPLE%2F20261123%2Fus-east-2%2Fs3%2Faws4_request',
    date: '20261123T101500Z',
    expires: '300',
    headers: 'host',
    signature: hex('orders'),
    ...parts,
  };
  const query = [
    ['X-Amz-Algorithm', p.algorithm],
    ['X-Amz-Credential', p.credential],
    ['X-Amz-Date', p.date],
    ['X-Amz-Expires', p.expires],
    ['X-Amz-SignedHeaders', p.headers],
    ['X-Amz-Signature', p.signature],
  ]
    .filter(([, v]) => v !== null)
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
  return `https://${p.host}/${p.key}?${query}`;
}

const ORDERS = s3Link();

function parsed(url: string, opts?: Parameters<typeof parseBundleLink>[1]): BundleLink {
  const result = parseBundleLink(url, opts);
  if (!result.ok) throw new Error(`expected a link, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function refusal(url: unknown, opts?: Parameters<typeof parseBundleLink>[1]): string {
  const result = parseBundleLink(url as string, opts);
  if (result.ok) throw new Error(`expected a refusal for ${String(url).slice(0, 200)}`);
  expect(result.error.message.length).toBeGreaterThan(0);
  expect(result.error.hint.length).toBeGreaterThan(0);
  return result.error.code;
}

describe('parseBundleLink: real-shaped Astra links', () => {
  it('reads the link the console hands out: bucket, datacenter, database, kind, signing time', () => {
    expect(parsed(ORDERS)).toEqual({
      url: ORDERS,
      host: HOST,
      service: 's3',
      scheme: 's3-sigv4',
      fileName: 'secure-connect-orders.zip',
      dbName: 'orders',
      kind: 'external',
      datacenterId: DC1,
      dbId: DB_ID,
      signedAt: SIGNED_AT,
      expiresAt: SIGNED_AT + 300_000,
      lifetimeSeconds: 300,
    });
  });

  it('trusts only the bundle bucket by default', () => {
    expect(STORAGE_HOSTS).toEqual([HOST]);
  });

  it.each([
    ['secure-connect-orders.zip', 'orders', 'external', undefined],
    ['secure-connect-internal-orders.zip', 'orders', 'internal', undefined],
    ['secure-connect-proxy-orders.zip', 'orders', 'migration-proxy', undefined],
    ['secure-connect-proxy-internal-orders.zip', 'orders', 'migration-proxy-internal', undefined],
    ['secure-connect-orders-ap-south-1.zip', 'orders', 'external', 'ap-south-1'],
    ['secure-connect-internal-orders-eu-central-1.zip', 'orders', 'internal', 'eu-central-1'],
    ['secure-connect-proxy-events-archive-europe-west1.zip', 'events-archive', 'migration-proxy', 'europe-west1'],
    ['secure-connect-proxy-internal-vectors-us-gov-west-1.zip', 'vectors', 'migration-proxy-internal', 'us-gov-west-1'],
    ['secure-connect-inventory-northamerica-northeast1.zip', 'inventory', 'external', 'northamerica-northeast1'],
    ['secure-connect-inventory-westeurope.zip', 'inventory', 'external', 'westeurope'],
    ['secure-connect-my_db.v2-eastus2.zip', 'my_db.v2', 'external', 'eastus2'],
    ['secure-connect-internal.zip', 'internal', 'external', undefined],
    ['secure-connect-us-east-1.zip', 'us-east-1', 'external', undefined],
  ])('%s is %s, kind %s, region %s', (file, dbName, kind, region) => {
    const link = parsed(s3Link({ key: `${DC1}/${file}` }));
    expect(link.fileName).toBe(file);
    expect(link.dbName).toBe(dbName);
    expect(link.kind).toBe(kind);
    expect(link.region).toBe(region);
  });

  it('reads the datacenter of an extra region and of an older classic database (bare id)', () => {
    expect(parsed(s3Link({ key: `${DB_ID}-3/secure-connect-orders-ap-south-1.zip` }))).toMatchObject({
      datacenterId: `${DB_ID}-3`,
      dbId: DB_ID,
      region: 'ap-south-1',
    });
    expect(parsed(s3Link({ key: `${DB_ID}/secure-connect-orders.zip` }))).toMatchObject({ datacenterId: DB_ID, dbId: DB_ID });
  });

  it('leaves the datacenter unknown when the folder is not one', () => {
    const flat = parsed(s3Link({ key: 'secure-connect-orders.zip' }));
    expect(flat.datacenterId).toBeUndefined();
    expect(flat.dbId).toBeUndefined();
    const other = parsed(s3Link({ key: 'bundles/2026/secure-connect-orders.zip' }));
    expect(other.datacenterId).toBeUndefined();
  });

  it('decodes a percent-encoded file name (the signer encodes key segments)', () => {
    const link = parsed(s3Link({ key: `${DC1}/secure%2Dconnect%2Dorders.zip` }));
    expect(link.fileName).toBe('secure-connect-orders.zip');
    expect(link.dbName).toBe('orders');
  });

  it('accepts database names in any script, as letters', () => {
    const link = parsed(s3Link({ key: `${DC1}/secure-connect-${encodeURIComponent('données_δ')}.zip` }));
    expect(link.dbName).toBe('données_δ');
  });
});

describe('parseBundleLink: what the API said around the link (context)', () => {
  it('takes the region from the response and strips it from the name even when it is not a known pattern', () => {
    const link = parsed(s3Link({ key: `${DC1}/secure-connect-orders-moon-base1.zip` }), { context: { region: 'moon-base1' } });
    expect(link).toMatchObject({ dbName: 'orders', region: 'moon-base1' });
  });

  it('takes the region from the response when the file name has none (the primary region)', () => {
    expect(parsed(ORDERS, { context: { region: 'us-east1' } })).toMatchObject({ dbName: 'orders', region: 'us-east1' });
  });

  it('lets the API field decide the kind: a database named internal-x, external link', () => {
    const key = `${DC1}/secure-connect-internal-x.zip`;
    expect(parsed(s3Link({ key }))).toMatchObject({ kind: 'internal', dbName: 'x' });
    expect(parsed(s3Link({ key }), { context: { kind: 'external' } })).toMatchObject({ kind: 'external', dbName: 'internal-x' });
  });

  it('marks custom-domain bundles as the response does', () => {
    expect(parsed(ORDERS, { context: { kind: 'custom-domain' } })).toMatchObject({ kind: 'custom-domain', dbName: 'orders' });
  });

  it('takes the datacenter from the response when the path has none, but never over the path', () => {
    const flat = s3Link({ key: 'secure-connect-orders.zip' });
    expect(parsed(flat, { context: { datacenterId: `${DB_ID}-2` } })).toMatchObject({ datacenterId: `${DB_ID}-2`, dbId: DB_ID });
    expect(parsed(ORDERS, { context: { datacenterId: `${DB_ID}-2` } })).toMatchObject({ datacenterId: DC1 });
  });

  it('ignores context values that are not what they claim', () => {
    const link = parsed(ORDERS, {
      context: { region: 'us east; rm -rf', datacenterId: '$(id)', dbId: 'x', kind: 'evil' as never },
    });
    expect(link).toMatchObject({ kind: 'external', dbName: 'orders', datacenterId: DC1, dbId: DB_ID });
    expect(link.region).toBeUndefined();
  });
});

describe('parseBundleLink: escaped and decorated copies give the link to fetch', () => {
  it.each([
    ['JSON \\u0026', ORDERS.replace(/&/g, '\\u0026')],
    ['JSON \\/', ORDERS.replace(/\//g, '\\/')],
    ['JSON both', ORDERS.replace(/\//g, '\\/').replace(/&/g, '\\u0026')],
    ['HTML &amp;', ORDERS.replace(/&/g, '&amp;')],
    ['HTML &amp;amp;', ORDERS.replace(/&/g, '&amp;amp;')],
    ['HTML &#38;', ORDERS.replace(/&/g, '&#38;')],
    ['spaces around', `  ${ORDERS}\n`],
    ['a fragment', `${ORDERS}#download`],
    ['explicit port 443', ORDERS.replace(HOST, `${HOST}:443`)],
    ['upper-case host and scheme', ORDERS.replace(`https://${HOST}`, `HTTPS://${HOST.toUpperCase()}`)],
  ])('%s', (_, copy) => {
    expect(parsed(copy).url).toBe(ORDERS);
  });
});

describe('parseBundleLink: other clouds, when their host is trusted', () => {
  it('reads a GCS V4 link (X-Goog-Date + X-Goog-Expires)', () => {
    const url =
      `https://storage.googleapis.com/astra-bundles/${DC1}/secure-connect-orders.zip` +
      '?X-Goog-Algorithm=GOOG4-RSA-SHA256' +
      '&X-Goog-Credential=bundles%40astra-prod.iam.gserviceaccount.com%2F20261123%2Fauto%2Fstorage%2Fgoog4_request' +
      `&X-Goog-Date=20261123T101500Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=${hex('gcs', 256)}`;
    expect(refusal(url)).toBe('untrusted-host');
    expect(parsed(url, { trustedHosts: ['storage.googleapis.com'] })).toMatchObject({
      host: 'storage.googleapis.com',
      service: 'gcs',
      scheme: 'gcs-v4',
      dbName: 'orders',
      datacenterId: DC1,
      signedAt: SIGNED_AT,
      expiresAt: SIGNED_AT + 900_000,
      lifetimeSeconds: 900,
    });
  });

  it('reads a GCS V2 link (Expires=<epoch>)', () => {
    const url =
      `https://storage.googleapis.com/astra-bundles/${DC1}/secure-connect-orders.zip` +
      `?GoogleAccessId=bundles%40astra-prod.iam.gserviceaccount.com&Expires=1795429200&Signature=${encodeURIComponent(base64('v2', 256))}`;
    const link = parsed(url, { trustedHosts: ['storage.googleapis.com'] });
    expect(link).toMatchObject({ service: 'gcs', scheme: 'gcs-v2', expiresAt: 1_795_429_200_000 });
    expect(link.signedAt).toBeUndefined();
    expect(link.lifetimeSeconds).toBeUndefined();
  });

  it('reads a legacy S3 link (AWSAccessKeyId, Expires=<epoch>)', () => {
    const url = `https://${HOST}/${DC1}/secure-connect-orders.zip?AWSAccessKeyId=AKIA2SBDS4Y3EXAMPLE&Expires=1795429200&Signature=${encodeURIComponent(base64('v2', 20))}`;
    expect(parsed(url)).toMatchObject({ service: 's3', scheme: 's3-legacy', expiresAt: 1_795_429_200_000 });
  });

  it('reads an Azure SAS link (st/se)', () => {
    const url =
      `https://astrabundles.blob.core.windows.net/bundles/${DC1}/secure-connect-orders-eastus.zip` +
      `?sv=2022-11-02&st=2026-11-23T10%3A15%3A00Z&se=2026-11-23T10%3A20%3A00Z&sr=b&sp=r&sig=${encodeURIComponent(base64('az'))}`;
    expect(parsed(url, { trustedHosts: ['astrabundles.blob.core.windows.net'] })).toMatchObject({
      service: 'azure',
      scheme: 'azure-sas',
      dbName: 'orders',
      region: 'eastus',
      signedAt: SIGNED_AT,
      expiresAt: SIGNED_AT + 300_000,
      lifetimeSeconds: 300,
    });
  });

  it('reads an Azure SAS link without a start time, with fractional seconds', () => {
    const url = `https://x.blob.core.windows.net/c/secure-connect-orders.zip?sv=2022-11-02&se=2026-11-23T10%3A20%3A00.1234567Z&sr=b&sp=r&sig=${encodeURIComponent(base64('az'))}`;
    const link = parsed(url, { trustedHosts: ['x.blob.core.windows.net'] });
    expect(link.expiresAt).toBe(SIGNED_AT + 300_123);
    expect(link.signedAt).toBeUndefined();
  });

  it('refuses a signature of one cloud on a host of another', () => {
    const goog = `https://${HOST}/${DC1}/secure-connect-orders.zip?GoogleAccessId=a%40b.com&Expires=1795429200&Signature=${encodeURIComponent(base64('v2'))}`;
    expect(refusal(goog)).toBe('bad-signature');
    const sas = `https://${HOST}/${DC1}/secure-connect-orders.zip?sv=2022-11-02&se=2026-11-23&sp=r&sig=${encodeURIComponent(base64('az'))}`;
    expect(refusal(sas)).toBe('bad-signature');
  });
});

describe('parseBundleLink: refusals', () => {
  it.each([
    ['http', ORDERS.replace('https:', 'http:')],
    ['ftp', ORDERS.replace('https:', 'ftp:')],
    ['javascript', 'javascript:alert(document.cookie)//secure-connect-x.zip'],
    ['data', 'data:application/zip;base64,UEsDBA=='],
    ['file', 'file:///home/me/secure-connect-orders.zip'],
  ])('not-https: %s', (_, url) => {
    expect(refusal(url)).toBe('not-https');
  });

  it.each([
    ['another bucket', ORDERS.replace('datastax-cluster-config-prod', 'datastax-cluster-config-dev')],
    ['a look-alike suffix', ORDERS.replace(HOST, `${HOST}.evil.example`)],
    ['the host as a path', ORDERS.replace(HOST, `evil.example/${HOST}`)],
    ['the trusted host as user name', ORDERS.replace(HOST, `${HOST}@evil.example`)],
    ['a user name on the trusted host', ORDERS.replace(HOST, `admin@${HOST}`)],
    ['user and password', ORDERS.replace(HOST, `a:b@${HOST}`)],
    ['another port', ORDERS.replace(HOST, `${HOST}:8443`)],
    ['an empty port', ORDERS.replace(HOST, `${HOST}:`)],
    ['a trailing dot', ORDERS.replace(HOST, `${HOST}.`)],
    ['punycode look-alike', ORDERS.replace('datastax', 'xn--dtastax-9nf')],
    ['an IP address', ORDERS.replace(HOST, '52.219.100.1')],
    ['path-style S3', ORDERS.replace(HOST, 's3.us-east-2.amazonaws.com/datastax-cluster-config-prod')],
  ])('untrusted-host: %s', (_, url) => {
    expect(refusal(url)).toBe('untrusted-host');
  });

  it('refuses a Cyrillic look-alike host (non-ASCII is never in a real link)', () => {
    expect(refusal(ORDERS.replace('datastax', 'dаtastax'))).toBe('malformed');
  });

  it.each([
    ['no file name', s3Link({ key: `${DC1}/` })],
    ['not a zip', s3Link({ key: `${DC1}/secure-connect-orders.tar.gz` })],
    ['a zip with a double extension', s3Link({ key: `${DC1}/secure-connect-orders.zip.exe` })],
    ['upper-case extension', s3Link({ key: `${DC1}/secure-connect-orders.ZIP` })],
    ['another file', s3Link({ key: `${DC1}/config.json` })],
    ['no database name', s3Link({ key: `${DC1}/secure-connect-.zip` })],
    ['only a kind prefix', s3Link({ key: `${DC1}/secure-connect-proxy-.zip` })],
    ['quotes in the name', s3Link({ key: `${DC1}/secure-connect-a%27b%22c.zip` })],
    ['$() in the name', s3Link({ key: `${DC1}/secure-connect-%24(touch%20x).zip` })],
    ['backticks in the name', s3Link({ key: `${DC1}/secure-connect-%60id%60.zip` })],
    ['a newline in the name', s3Link({ key: `${DC1}/secure-connect-a%0Ab.zip` })],
    ['a space in the name', s3Link({ key: `${DC1}/secure-connect-a%20b.zip` })],
    ['a right-to-left override in the name', s3Link({ key: `${DC1}/secure-connect-x%E2%80%AEpiz.zip` })],
    ['a slash inside a segment', s3Link({ key: `${DC1}/secure-connect-a%2F..%2Fb.zip` })],
    ['$() in the folder', s3Link({ key: `%24(reboot)/secure-connect-orders.zip` })],
    ['backticks in the folder', s3Link({ key: `%60reboot%60/secure-connect-orders.zip` })],
    ['an empty folder', s3Link({ key: `${DC1}//secure-connect-orders.zip` })],
    ['a name of 300 letters', s3Link({ key: `${DC1}/secure-connect-${'a'.repeat(300)}.zip` })],
    ['a name ending in a dash', s3Link({ key: `${DC1}/secure-connect-orders-.zip` })],
    ['a name starting with a dot', s3Link({ key: `${DC1}/secure-connect-.orders.zip` })],
  ])('not-a-bundle: %s', (_, url) => {
    expect(refusal(url)).toBe('not-a-bundle');
  });

  it.each([
    ['no signature at all', `https://${HOST}/${DC1}/secure-connect-orders.zip`],
    ['another algorithm', s3Link({ algorithm: 'AWS4-HMAC-SHA1' })],
    ['no algorithm', s3Link({ algorithm: null })],
    ['no credential', s3Link({ credential: null })],
    ['a credential for another service', s3Link({ credential: 'AKIA2SBDS4Y3EXAMPLE%2F20261123%2Fus-east-2%2Fec2%2Faws4_request' })],
    ['a credential for another region', s3Link({ credential: 'AKIA2SBDS4Y3EXAMPLE%2F20261123%2Feu-west-1%2Fs3%2Faws4_request' })],
    ['a credential of another day', s3Link({ credential: 'AKIA2SBDS4Y3EXAMPLE%2F20261122%2Fus-east-2%2Fs3%2Faws4_request' })],
    ['a lower-case key id', s3Link({ credential: 'akia2sbds4y3example%2F20261123%2Fus-east-2%2Fs3%2Faws4_request' })],
    ['a credential cut short', s3Link({ credential: 'AKIA2SBDS4Y3EXAMPLE%2F20261123%2Fus-east-2' })],
    ['no date', s3Link({ date: null })],
    ['a date without Z', s3Link({ date: '20261123T101500' })],
    ['month 13', s3Link({ date: '20261323T101500Z', credential: 'AKIA2SBDS4Y3EXAMPLE%2F20261323%2Fus-east-2%2Fs3%2Faws4_request' })],
    ['30 February', s3Link({ date: '20260230T101500Z', credential: 'AKIA2SBDS4Y3EXAMPLE%2F20260230%2Fus-east-2%2Fs3%2Faws4_request' })],
    ['a lifetime of 0', s3Link({ expires: '0' })],
    ['a lifetime over 7 days', s3Link({ expires: '604801' })],
    ['a lifetime that is not a number', s3Link({ expires: '300s' })],
    ['a negative lifetime', s3Link({ expires: '-300' })],
    ['signed headers without host', s3Link({ headers: 'x-amz-content-sha256' })],
    ['a signature cut short (63 hex)', s3Link({ signature: hex('x').slice(0, 63) })],
    ['an upper-case signature', s3Link({ signature: hex('x').toUpperCase() })],
    ['a signature that is not hex', s3Link({ signature: `${hex('x').slice(0, 63)}g` })],
    ['no signature', s3Link({ signature: null })],
    ['mixed S3 and GCS parameters', `${ORDERS}&X-Goog-Date=20261123T101500Z`],
    ['a legacy link without signature', `https://${HOST}/${DC1}/secure-connect-orders.zip?Expires=1795429200`],
  ])('bad-signature: %s', (_, url) => {
    expect(refusal(url)).toBe('bad-signature');
  });

  it.each([
    ['SigV4 without X-Amz-Expires', s3Link({ expires: null })],
    ['legacy S3 without Expires', `https://${HOST}/${DC1}/secure-connect-orders.zip?AWSAccessKeyId=AKIA2SBDS4Y3EXAMPLE&Signature=${encodeURIComponent(base64('v2', 20))}`],
  ])('no-expiry: %s', (_, url) => {
    expect(refusal(url)).toBe('no-expiry');
  });

  it('no-expiry: Azure SAS without se', () => {
    const url = `https://x.blob.core.windows.net/c/secure-connect-orders.zip?sv=2022-11-02&sr=b&sp=r&sig=${encodeURIComponent(base64('az'))}`;
    expect(refusal(url, { trustedHosts: ['x.blob.core.windows.net'] })).toBe('no-expiry');
  });

  it.each([
    ['nothing', ''],
    ['only spaces', '   \n\t '],
    ['not a link', 'secure-connect-orders.zip'],
    ['a relative link', `/${DC1}/secure-connect-orders.zip`],
    ['https:/ with one slash', ORDERS.replace('https://', 'https:/')],
    ['a space inside', ORDERS.replace('X-Amz-Date', 'X-Amz- Date')],
    ['a newline inside (the URL parser would drop it)', ORDERS.replace('secure-connect', 'secure-\nconnect')],
    ['a tab inside', ORDERS.replace('orders', 'ord\ters')],
    ['a backslash (the URL parser would make it a slash)', ORDERS.replace(`/${DC1}/`, `\\${DC1}\\`)],
    ['a quote', ORDERS.replace('orders', "ord'ers")],
    ['a backtick', ORDERS.replace('orders', 'ord`id`ers')],
    ['a double quote', `${ORDERS}"; rm -rf ~; "`],
    ['a pipe', `${ORDERS}|sh`],
    ['braces', ORDERS.replace('orders', 'ord{a,b}ers')],
    ['angle brackets', `${ORDERS}<script>`],
    ['a caret (cmd.exe escape)', `${ORDERS}^&calc`],
    ['$() after the link', `${ORDERS} $(touch /tmp/pwned)`],
    ['a parameter given twice', `${ORDERS}&X-Amz-Expires=604800`],
    ['a broken %-escape in the query', `${ORDERS}&x=%E0%A4%A`],
    ['a broken %-escape in the path', s3Link({ key: `${DC1}/secure-connect-%E0%A4%A.zip` })],
    ['emoji in the name', ORDERS.replace('orders', 'orders😀')],
    ['a NUL', ORDERS.replace('orders', 'ord\0ers')],
    ['a right-to-left override raw', ORDERS.replace('orders', 'ord\u202eers')],
    ['10,000 characters', `${ORDERS}&pad=${'a'.repeat(10_000)}`],
  ])('malformed: %s', (_, url) => {
    expect(refusal(url)).toBe('malformed');
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { toString: () => ORDERS }],
  ])('malformed: %s instead of text', (_, value) => {
    expect(refusal(value)).toBe('malformed');
  });
});

describe('parseBundleLink: hostile input never throws', () => {
  it('refuses 10 MB strings of every shape', () => {
    const tenMb = 10 * 1024 * 1024;
    for (const text of [
      'a'.repeat(tenMb),
      `${ORDERS}&x=${'%'.repeat(tenMb)}`,
      `https://${HOST}/${'secure-connect-'.repeat(tenMb / 15)}.zip`,
      ' '.repeat(tenMb) + ORDERS,
      '\\u0026'.repeat(tenMb / 6),
      '&amp;'.repeat(tenMb / 5),
    ]) {
      expect(refusal(text)).toBe('malformed');
    }
  });

  it('never throws for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = parseBundleLink(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, and never accepts a hostile character, when a real link is damaged anywhere', () => {
    const hostile = fc.constantFrom("'", '"', '`', '$(id)', '\n', '\r', ' ', '\\', '\u0000', '\u202e', '%', '%00', '%0A', '#', '?', '&', '@', ':', '/', '..', '😀', '\ud800');
    fc.assert(
      fc.property(fc.nat(ORDERS.length), hostile, fc.nat(3), (at, insert, cut) => {
        const damaged = ORDERS.slice(0, at) + insert + ORDERS.slice(at + cut);
        const result = parseBundleLink(damaged);
        if (result.ok) {
          // Whatever survives is what the URL parser would send: nothing a shell or a terminal could act on.
          expect(result.value.url).toMatch(/^https:\/\/[\x21-\x7e]+$/);
          expect(result.value.url).not.toMatch(/["'`\\]/);
          expect(result.value.fileName).toMatch(/^secure-connect-[\p{L}\p{N}_.-]+\.zip$/u);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('linkTimeLeft and isLinkAlive: the link own signing time, not the page clock', () => {
  const link = parsed(ORDERS);

  it('counts down from X-Amz-Date + X-Amz-Expires', () => {
    expect(linkTimeLeft(link, SIGNED_AT)).toBe(300_000);
    expect(linkTimeLeft(link, SIGNED_AT + 283_000)).toBe(17_000);
    expect(linkTimeLeft(link, new Date(SIGNED_AT + 100_000))).toBe(200_000);
    // Dead LINK_SAFETY_MARGIN_MS before the signed expiry: a request started then still arrives in time.
    expect(isLinkAlive(link, SIGNED_AT + 300_000 - LINK_SAFETY_MARGIN_MS - 1)).toBe(true);
    expect(isLinkAlive(link, SIGNED_AT + 300_000 - LINK_SAFETY_MARGIN_MS)).toBe(false);
    expect(LINK_SAFETY_MARGIN_MS).toBe(5_000);
  });

  it('goes negative once expired', () => {
    expect(linkTimeLeft(link, SIGNED_AT + 360_000)).toBe(-60_000);
    expect(isLinkAlive(link, SIGNED_AT + 300_000)).toBe(false);
    expect(isLinkAlive(link, SIGNED_AT + 360_000)).toBe(false);
  });

  it('treats an unknown expiry or a broken clock as dead', () => {
    expect(linkTimeLeft({}, SIGNED_AT)).toBe(Number.NEGATIVE_INFINITY);
    expect(isLinkAlive({}, SIGNED_AT)).toBe(false);
    expect(isLinkAlive(link, Number.NaN)).toBe(false);
    expect(isLinkAlive(link, new Date('not a date'))).toBe(false);
  });
});
