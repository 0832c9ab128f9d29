import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBundleLink } from './bundle-link';
import { DEFAULT_MAX_TEXT_LENGTH, findBundleLinks, MAX_FOUND_LINKS, mightContainBundleLinks, type FoundLink } from './find-bundle-links';

const HOST = 'datastax-cluster-config-prod.s3.us-east-2.amazonaws.com';
const ORDERS_ID = '7b1d8e0a-3c2f-4e55-9a77-0c6f1d2e3b4a';
const INVENTORY_ID = 'c4e1a9f2-8d3b-4f6a-b2c7-5e9d0a1b3c4d';

/** A link shaped like ASTRA.md section 2, its signature a real HMAC of the key so every link differs. */
function link(key: string, seed = ''): string {
  const signature = createHmac('sha256', 'bucket-secret').update(key + seed).digest('hex');
  return (
    `https://${HOST}/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256` +
    '&X-Amz-Credential=AKIA2SBDS4Y3EXAMPLE%2F20261123%2Fus-east-2%2Fs3%2Faws4_request' +
    `&X-Amz-Date=20261123T101500Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${signature}`
  );
}

/** What Go's encoding/json (the DevOps API) writes: `&`, `<`, `>` as \u0026, \u003c, \u003e. */
const goJson = (value: unknown) =>
  JSON.stringify(value).replace(/&/g, '\\u0026').replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
/** PHP-style and some proxies: `/` as `\/`. */
const slashJson = (value: unknown) => JSON.stringify(value).replace(/\//g, '\\/');
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** POST /v2/databases/{id}/secureBundleURL for one region (ASTRA.md section 1). */
function secureBundleResponse(dcId: string, region: string, suffix = '') {
  return {
    downloadURL: link(`${dcId}/secure-connect-orders${suffix}.zip`),
    downloadURLInternal: link(`${dcId}/secure-connect-internal-orders${suffix}.zip`),
    downloadURLMigrationProxy: link(`${dcId}/secure-connect-proxy-orders${suffix}.zip`),
    downloadURLMigrationProxyInternal: link(`${dcId}/secure-connect-proxy-internal-orders${suffix}.zip`),
    datacenterID: dcId,
    region,
    customDomainBundles: [
      {
        domain: 'db.acme.example',
        downloadURL: link(`${dcId}/secure-connect-orders${suffix}.zip`, 'custom-domain'),
        apiFQDN: `${ORDERS_ID}-${region}.apps.db.acme.example`,
        cqlFQDN: `${ORDERS_ID}-${region}.db.acme.example`,
        dashboardFQDN: `${ORDERS_ID}-${region}.dashboard.db.acme.example`,
      },
    ],
  };
}

function datacenter(dbId: string, n: number, region: string, name: string, suffix: string) {
  const dc = `${dbId}-${n}`;
  return {
    id: dc,
    name: `dc-${n}`,
    tier: 'serverless',
    status: 'ACTIVE',
    cloudProvider: 'GCP',
    region,
    regionZone: 'na',
    regionClassification: 'standard',
    capacityUnits: 1,
    secureBundleUrl: link(`${dc}/secure-connect-${name}${suffix}.zip`),
    secureBundleInternalUrl: link(`${dc}/secure-connect-internal-${name}${suffix}.zip`),
    secureBundleMigrationProxyUrl: link(`${dc}/secure-connect-proxy-${name}${suffix}.zip`),
    secureBundleMigrationProxyInternalUrl: link(`${dc}/secure-connect-proxy-internal-${name}${suffix}.zip`),
    dateCreated: '2026-01-12T09:30:11Z',
  };
}

/** GET /v2/databases: each database carries freshly signed links per datacenter. */
const DATABASES = [
  {
    id: ORDERS_ID,
    orgId: 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10',
    ownerId: 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10',
    info: {
      name: 'orders',
      keyspace: 'shop',
      cloudProvider: 'GCP',
      tier: 'serverless',
      capacityUnits: 1,
      region: 'us-east1',
      dbType: 'vector',
      datacenters: [datacenter(ORDERS_ID, 1, 'us-east1', 'orders', ''), datacenter(ORDERS_ID, 2, 'europe-west1', 'orders', '-europe-west1')],
    },
    status: 'ACTIVE',
    cqlshUrl: `https://${ORDERS_ID}-us-east1.apps.astra.datastax.com/cqlsh`,
    dataEndpointUrl: `https://${ORDERS_ID}-us-east1.apps.astra.datastax.com/api/rest`,
  },
  {
    id: INVENTORY_ID,
    orgId: 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10',
    info: { name: 'inventory', region: 'us-east1', datacenters: [datacenter(INVENTORY_ID, 1, 'us-east1', 'inventory', '')] },
    status: 'ACTIVE',
  },
];

const byUrl = (found: FoundLink[]) => new Map(found.map((f) => [f.url, f.context]));

describe('mightContainBundleLinks: the cheap first test', () => {
  it('is true only when a bundle file name could be there', () => {
    expect(mightContainBundleLinks(goJson(secureBundleResponse(`${ORDERS_ID}-1`, 'us-east1')))).toBe(true);
    expect(mightContainBundleLinks('{"data":{"viewer":{"id":"x"}}}')).toBe(false);
    expect(mightContainBundleLinks('')).toBe(false);
    expect(mightContainBundleLinks(42 as unknown as string)).toBe(false);
    expect(mightContainBundleLinks(null as unknown as string)).toBe(false);
  });
});

describe('findBundleLinks: DevOps API secureBundleURL', () => {
  const dc = `${ORDERS_ID}-1`;
  const response = secureBundleResponse(dc, 'us-east1');
  const expected = new Map([
    [response.downloadURL, 'external'],
    [response.downloadURLInternal, 'internal'],
    [response.downloadURLMigrationProxy, 'migration-proxy'],
    [response.downloadURLMigrationProxyInternal, 'migration-proxy-internal'],
    [response.customDomainBundles[0]!.downloadURL, 'custom-domain'],
  ]);

  it.each([
    ['plain JSON', JSON.stringify(response)],
    ['Go JSON (\\u0026)', goJson(response)],
    ['\\/-escaped JSON', slashJson(response)],
    ['pretty-printed JSON', JSON.stringify(response, null, 2)],
  ])('finds all five links with their kind, region and datacenter in %s', (_, text) => {
    expect(text).not.toBe(JSON.stringify({}));
    const found = findBundleLinks(text);
    expect(found.map((f) => f.url)).toEqual([...expected.keys()]);
    for (const { url, context } of found) {
      expect(context).toEqual({ kind: expected.get(url), region: 'us-east1', datacenterId: dc, dbId: ORDERS_ID });
    }
  });

  it('reads ?all=true (an array, one element per region), the misspelled datcenterID included', () => {
    const second = { ...secureBundleResponse(`${ORDERS_ID}-2`, 'europe-west1', '-europe-west1') } as Record<string, unknown>;
    second.datcenterID = second.datacenterID;
    delete second.datacenterID;
    const found = findBundleLinks(goJson([response, second]));
    expect(found).toHaveLength(10);
    const context = byUrl(found);
    expect(context.get(response.downloadURL)).toMatchObject({ region: 'us-east1', datacenterId: dc });
    expect(context.get(second.downloadURLInternal as string)).toEqual({
      kind: 'internal',
      region: 'europe-west1',
      datacenterId: `${ORDERS_ID}-2`,
      dbId: ORDERS_ID,
    });
  });

  it('gives parseBundleLink what it needs: every link parses to the kind, database and region the API meant', () => {
    const text = goJson([response, secureBundleResponse(`${ORDERS_ID}-2`, 'europe-west1', '-europe-west1')]);
    for (const found of findBundleLinks(text)) {
      const parsed = parseBundleLink(found.url, { context: found.context });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.kind).toBe(found.context.kind);
      expect(parsed.value.dbName).toBe('orders');
      expect(parsed.value.region).toBe(found.context.region);
      expect(parsed.value.dbId).toBe(ORDERS_ID);
    }
  });
});

describe('findBundleLinks: GET /v2/databases and /v2/databases/{id}', () => {
  it('takes the database id and name from the database, region and datacenter from the datacenter', () => {
    const found = findBundleLinks(goJson(DATABASES));
    expect(found).toHaveLength(12);
    const context = byUrl(found);
    const europe = DATABASES[0]!.info.datacenters[1]!;
    expect(context.get(europe.secureBundleMigrationProxyUrl)).toEqual({
      kind: 'migration-proxy',
      region: 'europe-west1',
      datacenterId: `${ORDERS_ID}-2`,
      dbId: ORDERS_ID,
      dbName: 'orders',
    });
    const inventory = DATABASES[1]!.info.datacenters[0]!;
    expect(context.get(inventory.secureBundleUrl)).toEqual({
      kind: 'external',
      region: 'us-east1',
      datacenterId: `${INVENTORY_ID}-1`,
      dbId: INVENTORY_ID,
      dbName: 'inventory',
    });
  });

  it('never takes the datacenter name (dc-1) for the database name', () => {
    const found = findBundleLinks(JSON.stringify(DATABASES[1]));
    expect(found.every((f) => f.context.dbName === 'inventory')).toBe(true);
  });

  it('strips the region from the name of an extra region bundle once parsed', () => {
    const europe = DATABASES[0]!.info.datacenters[1]!;
    const found = findBundleLinks(JSON.stringify(DATABASES[0])).find((f) => f.url === europe.secureBundleInternalUrl)!;
    const parsed = parseBundleLink(found.url, { context: found.context });
    expect(parsed.ok && parsed.value).toMatchObject({ dbName: 'orders', region: 'europe-west1', kind: 'internal' });
  });
});

describe('findBundleLinks: the console GraphQL endpoint (operation unknown, so by pattern)', () => {
  it('finds links under any field name, with the database around them', () => {
    const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);
    const body = {
      data: {
        database: {
          __typename: 'Database',
          id: ORDERS_ID,
          name: 'orders',
          datacenters: [{ __typename: 'Datacenter', id: `${ORDERS_ID}-1`, name: 'dc-1', region: 'us-east1', scb: { link: url } }],
        },
      },
    };
    expect(findBundleLinks(JSON.stringify(body))).toEqual([
      { url, context: { region: 'us-east1', datacenterId: `${ORDERS_ID}-1`, dbId: ORDERS_ID, dbName: 'orders' } },
    ]);
  });

  it('finds a link inside a command string, without claiming a kind from the field', () => {
    const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);
    const body = { data: { bundle: { downloadURL: `curl -o secure-connect-orders.zip '${url}'` } } };
    expect(findBundleLinks(JSON.stringify(body))).toEqual([{ url, context: {} }]);
  });

  it('reads an incremental-delivery multipart body (not JSON as a whole) and the object around the link', () => {
    const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);
    const body =
      '\r\n---\r\nContent-Type: application/json; charset=utf-8\r\n\r\n' +
      JSON.stringify({ data: { org: { id: 'x' } }, hasNext: true }) +
      '\r\n---\r\nContent-Type: application/json; charset=utf-8\r\n\r\n' +
      JSON.stringify({ incremental: [{ data: { downloadURL: url, region: 'us-east1', datacenterID: `${ORDERS_ID}-1` }, path: ['org'] }], hasNext: false }) +
      '\r\n-----\r\n';
    expect(findBundleLinks(body)).toEqual([
      { url, context: { kind: 'external', region: 'us-east1', datacenterId: `${ORDERS_ID}-1`, dbId: ORDERS_ID } },
    ]);
  });

  it("reads JSON behind an anti-XSSI prefix )]}'", () => {
    const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);
    expect(findBundleLinks(`)]}'\n${JSON.stringify({ downloadURL: url, region: 'us-east1' })}`)).toEqual([
      { url, context: { kind: 'external', region: 'us-east1' } },
    ]);
  });
});

describe('findBundleLinks: HTML and script text', () => {
  const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);

  it('finds the link of the bundle dialog (URL, cURL and WGET tabs, the download button) once, unescaped', () => {
    const page = `<div role="dialog" class="astra-MuiDialog-paper"><h2>Secure Connect Bundle Download</h2>
      <p>Your bundle details are only avaliable for 4:43 minutes.</p>
      <div role="tabpanel"><code>${html(url)}</code></div>
      <div role="tabpanel" hidden><code>curl -o secure-connect-orders.zip ${html(`'${url}'`)}</code></div>
      <div role="tabpanel" hidden><code>wget -O secure-connect-orders.zip ${html(`"${url}"`)}</code></div>
      <a class="astra-MuiButton-root" href="${html(url)}" download>Download Secure Bundle</a><span>secure-connect-orders.zip</span></div>`;
    expect(findBundleLinks(page)).toEqual([{ url, context: {} }]);
  });

  it.each([
    ['&#38;', url.replace(/&/g, '&#38;')],
    ['&#x26;', url.replace(/&/g, '&#x26;')],
    ['&amp;amp; (escaped twice)', url.replace(/&/g, '&amp;amp;')],
    ['\\u0026 inside a script string', url.replace(/&/g, '\\u0026')],
    ['\\\\/ and \\\\u0026 (JSON inside a JS string)', url.replace(/\//g, '\\\\/').replace(/&/g, '\\\\u0026')],
    ['\\u002F (serialize-javascript)', url.replace(/\//g, '\\u002F')],
  ])('undoes %s', (_, escaped) => {
    expect(findBundleLinks(`<script>var a = "${escaped}";</script>`).map((f) => f.url)).toEqual([url]);
  });

  it('reads context from state embedded in a page script', () => {
    const state = { 'Database:1': { id: ORDERS_ID, name: 'orders', datacenter: { id: `${ORDERS_ID}-1`, region: 'us-east1', secureBundleUrl: url } } };
    const page = `<!doctype html><html><body><div id="root"></div><script>window.__APOLLO_STATE__=${goJson(state)};</script></body></html>`;
    expect(findBundleLinks(page)).toEqual([
      { url, context: { kind: 'external', region: 'us-east1', datacenterId: `${ORDERS_ID}-1`, dbId: ORDERS_ID, dbName: 'orders' } },
    ]);
  });

  it('stops at the end of the link in prose, quotes and markup', () => {
    for (const text of [
      `Download it from ${url}.`,
      `(see ${url})`,
      `<${url}>`,
      `'${url}'`,
      `\`${url}\``,
      `${url}\nnext line`,
      `${url}&quot;&gt;`,
      `"${url}\\"`,
    ]) {
      expect(findBundleLinks(text).map((f) => f.url)).toEqual([url]);
    }
  });
});

describe('findBundleLinks: what it leaves to parseBundleLink, and what it ignores', () => {
  it('does not judge hosts, schemes or signatures', () => {
    const texts = [
      'https://evil.example/x/secure-connect-orders.zip?X-Amz-Signature=1',
      'http://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/secure-connect-orders.zip',
      'https://storage.googleapis.com/b/secure-connect-orders.zip',
    ];
    expect(findBundleLinks(texts.join(' ')).map((f) => f.url)).toEqual(texts);
  });

  it('ignores the words without a link, and links to anything but a secure-connect zip', () => {
    expect(findBundleLinks('Get a secure-connect bundle: secure-connect-orders.zip')).toEqual([]);
    expect(findBundleLinks('https://docs.datastax.com/en/astra/secure-connect-bundle.html')).toEqual([]);
    expect(findBundleLinks('https://astra.datastax.com/go?to=https%3A%2F%2Fx%2Fsecure-connect-a.zip')).toEqual([]);
    expect(findBundleLinks('https://x.example/secure-connect-a.zip/../../etc')).toEqual([]);
  });

  it('dedupes a link found in several forms and keeps the richest context', () => {
    const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);
    const body = { data: { note: `<a href="${html(url)}">bundle</a>`, dc: { region: 'us-east1', downloadURL: url } } };
    expect(findBundleLinks(JSON.stringify(body))).toEqual([{ url, context: { kind: 'external', region: 'us-east1' } }]);
  });

  it(`returns at most ${MAX_FOUND_LINKS} links`, () => {
    const many = Array.from({ length: 80 }, (_, i) => link(`${ORDERS_ID}-1/secure-connect-db${i}.zip`));
    expect(findBundleLinks(many.join('\n'))).toHaveLength(MAX_FOUND_LINKS);
    expect(findBundleLinks(JSON.stringify(many.map((u) => ({ downloadURL: u }))))).toHaveLength(MAX_FOUND_LINKS);
  });

  it(`skips texts longer than maxLength (default ${DEFAULT_MAX_TEXT_LENGTH / 1024 / 1024} MB)`, () => {
    const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);
    const padded = `${url} ${' '.repeat(DEFAULT_MAX_TEXT_LENGTH)}`;
    expect(findBundleLinks(padded)).toEqual([]);
    expect(findBundleLinks(padded, { maxLength: padded.length })).toHaveLength(1);
    expect(findBundleLinks(url, { maxLength: 100 })).toEqual([]);
  });
});

describe('findBundleLinks: hostile text never throws and stays bounded', () => {
  const fiveMb = 5 * 1024 * 1024 - 64;
  const url = link(`${ORDERS_ID}-1/secure-connect-orders.zip`);

  it.each([
    ['the mark alone, repeated', 'secure-connect'.repeat(fiveMb / 14)],
    ['one endless link', `https://${'secure-connect-'.repeat(fiveMb / 15)}`],
    ['endless links without separators', `https://h/secure-connect-a.zip`.repeat(fiveMb / 30)],
    ['backslash soup', `https:\\\\\\/${'\\\\\\\\secure-connect'.repeat(fiveMb / 22)}`],
    ['escape soup', `https:\\u002F\\u002Fh${'\\u0026secure-connect'.repeat(fiveMb / 20)}`],
    ['brace soup before links', `${'{'.repeat(fiveMb / 2)} "https://h/secure-connect-a.zip" ${'}'.repeat(100)} "https://h/secure-connect-b.zip"`],
    ['unbalanced JSON', `{"downloadURL":"${url}", ${'['.repeat(fiveMb / 2)}`],
    ['deeply nested JSON', `${'['.repeat(500_000)}"${url}"${']'.repeat(500_000)}`],
  ])('%s', (_, text) => {
    const started = Date.now();
    const found = findBundleLinks(text);
    expect(Array.isArray(found)).toBe(true);
    expect(found.length).toBeLessThanOrEqual(MAX_FOUND_LINKS);
    // A generous bound, only to prove it returns at all (timings belong in npm run bench).
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('finds the link in deeply nested JSON', () => {
    expect(findBundleLinks(`${'['.repeat(100_000)}"${url}"${']'.repeat(100_000)}`).map((f) => f.url)).toEqual([url]);
  });

  it('never throws for any text around the mark', () => {
    const piece = fc.constantFrom('secure-connect', 'https://', 'http:\\/\\/', '\\', '\\u0026', '&amp;', '"', "'", '{', '}', '[', ']', ':', ',', '.zip', '?', '/', ' ', '\n', '\u2028', '\ud800', 'a', '😀');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const found = findBundleLinks(pieces.join(''));
        for (const f of found) expect(f.url).toMatch(/^https?:\/\/[\x21-\x7e]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('returns [] for what is not text', () => {
    for (const value of [null, undefined, 42, {}, ['secure-connect']]) {
      expect(findBundleLinks(value as unknown as string)).toEqual([]);
    }
  });
});

describe('find-bundle-links.ts stays fit for a content script on every page', () => {
  it('imports nothing but types', () => {
    const source = readFileSync(new URL('./find-bundle-links.ts', import.meta.url), 'utf8');
    const imports = source.split('\n').filter((line) => /^\s*(import|export .* from)\b/.test(line));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(line).toMatch(/^import type /);
    expect(source).not.toMatch(/\brequire\(|\bimport\(/);
  });
});
