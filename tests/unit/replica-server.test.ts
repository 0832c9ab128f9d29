// @vitest-environment node
import { createHash } from 'node:crypto';
import { request } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_HOST, ASTRA_HOST, DB, type Replica, ROLES, startReplica, STORAGE_HOST } from '../replica/server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Buffer;
  text: string;
  /** False when the connection closed before the whole body arrived. */
  complete: boolean;
}

let replica: Replica;
const DB_ADMIN_ROLE = ROLES.find((role) => role.name === 'Database Administrator')!.id;

function call(
  host: string,
  method: string,
  path: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: replica.port,
        servername: host,
        method,
        path,
        headers: { host, ...headers },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const finish = (complete: boolean) => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, text: bytes.toString('utf8'), complete });
        };
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish(true));
        res.on('aborted', () => finish(false));
        res.on('error', () => finish(false));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const api = (method: string, path: string, body?: unknown) =>
  call(API_HOST, method, path, {
    headers: { authorization: `Bearer ${replica.apiToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const graphql = (query: string, variables: Record<string, unknown> = {}) =>
  call(ASTRA_HOST, 'POST', '/api/v2/graphql', {
    headers: { authorization: `Bearer ${replica.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });

/** GET of a bundle link exactly as a browser would send it. */
function fetchLink(link: string, method = 'GET') {
  const url = new URL(link);
  return call(url.host, method, `${url.pathname}${url.search}`);
}

interface BundleAnswer {
  downloadURL: string;
  downloadURLInternal: string;
  downloadURLMigrationProxy: string;
  downloadURLMigrationProxyInternal: string;
  datacenterID?: string;
  datcenterID?: string;
  region: string;
}

async function bundleLinks(dbId: string): Promise<BundleAnswer[]> {
  const answer = await api('POST', `/v2/databases/${dbId}/secureBundleURL?all=true`);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text) as BundleAnswer[];
}

function s3Error(text: string) {
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
  return { code: tag('Code'), message: tag('Message'), expires: tag('X-Amz-Expires'), key: tag('Key') };
}

beforeAll(async () => {
  replica = await startReplica();
});

afterAll(async () => {
  await replica.close();
});

afterEach(() => {
  replica.resetFaults();
});

describe('DevOps API', () => {
  it('answers secureBundleURL with one object, and with ?all=true an array with one element per region', async () => {
    const single = JSON.parse((await api('POST', `/v2/databases/${DB.orders.id}/secureBundleURL`)).text);
    expect(Array.isArray(single)).toBe(false);
    expect(single).toMatchObject({ datacenterID: `${DB.orders.id}-1`, region: 'us-east1' });

    const all = await bundleLinks(DB.orders.id);
    expect(all.map((b) => b.region)).toEqual(['us-east1', 'europe-west1']);
    expect(all[0]!.datacenterID).toBe(`${DB.orders.id}-1`);
    // the real API misspells the field in places; the replica keeps one misspelled element
    expect(all[1]!.datcenterID).toBe(`${DB.orders.id}-2`);
    expect(new URL(all[1]!.downloadURL).pathname).toBe(`/${DB.orders.id}-2/secure-connect-orders-europe-west1.zip`);
    expect(new URL(all[0]!.downloadURLInternal).pathname).toBe(`/${DB.orders.id}-1/secure-connect-internal-orders.zip`);
    expect(new URL(all[0]!.downloadURLMigrationProxyInternal).pathname).toBe(
      `/${DB.orders.id}-1/secure-connect-proxy-internal-orders.zip`,
    );
  });

  it('signs links the way S3 SigV4 links look', async () => {
    const [first] = await bundleLinks(DB.orders.id);
    expect(first!.downloadURL).toMatch(
      /^https:\/\/datastax-cluster-config-prod\.s3\.us-east-2\.amazonaws\.com\/[0-9a-f-]+-1\/secure-connect-orders\.zip\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA[A-Z0-9]{16}%2F\d{8}%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=\d{8}T\d{6}Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/,
    );
    expect(replica.issuedLinks).toContain(first!.downloadURL);
  });

  it('writes & as \\u0026 in the text of GET /v2/databases, as Go does, with a link per datacenter', async () => {
    const answer = await api('GET', '/v2/databases');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('\\u0026X-Amz-Credential=');
    expect(answer.text).not.toContain('&');
    const databases = JSON.parse(answer.text) as Array<{
      id: string;
      status: string;
      info: { name: string; datacenters: Array<{ id: string; region: string; secureBundleUrl: string }> };
    }>;
    const orders = databases.find((d) => d.id === DB.orders.id)!;
    expect(orders.info.name).toBe('orders');
    expect(orders.info.datacenters.map((dc) => dc.id)).toEqual([`${DB.orders.id}-1`, `${DB.orders.id}-2`]);
    const served = await fetchLink(orders.info.datacenters[1]!.secureBundleUrl);
    expect(served.status).toBe(200);
  });

  it('refuses a bundle for a hibernated database with 409 and the DevOps error body', async () => {
    const answer = await api('POST', `/v2/databases/${DB.archive.id}/secureBundleURL`);
    expect(answer.status).toBe(409);
    const body = JSON.parse(answer.text) as { errors: Array<{ ID: number; message: string }> };
    expect(body.errors[0]!.ID).toBe(340002);
    expect(body.errors[0]!.message).toMatch(/hibernated/);
  });

  it('refuses callers without a token or console session', async () => {
    const answer = await call(API_HOST, 'GET', '/v2/databases');
    expect(answer.status).toBe(401);
  });

  it('lets the console origin call it with credentials (CORS preflight)', async () => {
    const answer = await call(API_HOST, 'OPTIONS', '/v2/clientIdSecrets', {
      headers: {
        origin: 'https://astra.datastax.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://astra.datastax.com');
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
  });
});

describe('tokens', () => {
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

  it('issues REST tokens whose hex part is the SHA-256 of the secret, and records them', async () => {
    const answer = await api('POST', '/v2/clientIdSecrets', { roles: [DB_ADMIN_ROLE] });
    expect(answer.status).toBe(201);
    const t = JSON.parse(answer.text) as { clientId: string; secret: string; token: string; roles: string[] };
    expect(t.clientId).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(t.secret).toMatch(/^[A-Za-z0-9._,+-]{128}$/);
    expect(t.token).toBe(`AstraCS:${t.clientId}:${sha256(t.secret)}`);
    expect(t.token).toHaveLength(97);
    expect(replica.issuedTokens.at(-1)).toMatchObject({ clientId: t.clientId, secret: t.secret, token: t.token });

    const listed = JSON.parse((await api('GET', '/v2/clientIdSecrets')).text) as { clients: Array<{ clientId: string }> };
    expect(listed.clients.map((c) => c.clientId)).toContain(t.clientId);
  });

  it('answers the console GraphQL generateToken mutation with only the fields asked for', async () => {
    const full = await graphql(
      'mutation generateToken($input: GenerateTokenInput!) { generateToken(input: $input) { clientId secret token orgId roles generatedOn } }',
      { input: { roles: [DB_ADMIN_ROLE] } },
    );
    const t = (JSON.parse(full.text) as { data: { generateToken: Record<string, string> } }).data.generateToken;
    expect(Object.keys(t)).toEqual(['clientId', 'secret', 'token', 'orgId', 'roles', 'generatedOn']);
    expect(t.token).toBe(`AstraCS:${t.clientId}:${sha256(t.secret!)}`);

    const tokenOnly = await graphql(
      'mutation generateToken($input: GenerateTokenInput!) {generateToken(input: $input){token}}',
      { input: { roles: [DB_ADMIN_ROLE] } },
    );
    expect(JSON.parse(tokenOnly.text)).toEqual({ data: { generateToken: { token: expect.stringMatching(/^AstraCS:/) } } });
  });

  it('puts a comma in every other secret, so CSV quoting matters', () => {
    const secrets = replica.issuedTokens.map((t) => t.secret);
    expect(secrets.filter((_, i) => i % 2 === 0).every((s) => s.includes(','))).toBe(true);
    expect(secrets.filter((_, i) => i % 2 === 1).some((s) => s.includes(','))).toBe(false);
  });
});

describe('bundle storage', () => {
  it('serves exactly the bytes of bundleFor() as application/zip with length and ETag, as often as asked', async () => {
    const [, second] = await bundleLinks(DB.orders.id);
    const expected = Buffer.from(replica.bundleFor(DB.orders.id, 'europe-west1'));
    for (let i = 0; i < 2; i++) {
      const answer = await fetchLink(second!.downloadURL);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/zip');
      expect(answer.headers['content-length']).toBe(String(expected.length));
      expect(answer.headers.etag).toBe(`"${createHash('md5').update(expected).digest('hex')}"`);
      expect(answer.bytes.equals(expected)).toBe(true);
    }
    expect(expected.subarray(0, 4).toString('hex')).toBe('504b0304');
  });

  it('answers SignatureDoesNotMatch to an altered link and to one copied with &amp;', async () => {
    const [first] = await bundleLinks(DB.orders.id);
    const link = first!.downloadURL;
    const lastHex = link.at(-1) === '0' ? '1' : '0';
    for (const altered of [
      `${link.slice(0, -1)}${lastHex}`,
      link.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'),
      link.replaceAll('&', '&amp;'),
      link.replace('secure-connect-orders.zip', 'secure-connect-inventory.zip'),
    ]) {
      const answer = await fetchLink(altered);
      expect(answer.status).toBe(403);
      expect(answer.headers['content-type']).toBe('application/xml');
      expect(s3Error(answer.text).code).toBe('SignatureDoesNotMatch');
    }
  });

  it('refuses HEAD: only GET is signed', async () => {
    const [first] = await bundleLinks(DB.vectors.id);
    const head = await fetchLink(first!.downloadURL, 'HEAD');
    expect(head.status).toBe(403);
    expect((await fetchLink(first!.downloadURL)).status).toBe(200);
  });

  it('answers "Request has expired" once X-Amz-Date + X-Amz-Expires has passed', async () => {
    replica.setFaults({ linkLifetimeSeconds: 1 });
    const [first] = await bundleLinks(DB.inventory.id);
    expect(new URL(first!.downloadURL).searchParams.get('X-Amz-Expires')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const answer = await fetchLink(first!.downloadURL);
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toBe('application/xml');
    expect(s3Error(answer.text)).toMatchObject({ code: 'AccessDenied', message: 'Request has expired', expires: '1' });
    expect(answer.text).toMatch(/<Expires>[^<]+<\/Expires><ServerTime>[^<]+<\/ServerTime><RequestId>/);
  });

  it('answers "Request is not yet valid" to a link signed in the future', async () => {
    replica.setFaults({ linkDateOffsetSeconds: 3_600 });
    const [first] = await bundleLinks(DB.inventory.id);
    const answer = await fetchLink(first!.downloadURL);
    expect(answer.status).toBe(403);
    expect(s3Error(answer.text)).toMatchObject({ code: 'AccessDenied', message: 'Request is not yet valid' });
  });

  it('answers NoSuchKey for a rightly signed link to a missing object', async () => {
    const answer = await fetchLink(replica.signStorageLink(`${DB.orders.id}-3/secure-connect-orders-asia-south1.zip`));
    expect(answer.status).toBe(404);
    expect(s3Error(answer.text)).toMatchObject({ code: 'NoSuchKey', key: `${DB.orders.id}-3/secure-connect-orders-asia-south1.zip` });
  });

  it('honours the fault knobs set over HTTP on the console host', async () => {
    const set = await call(ASTRA_HOST, 'POST', '/__replica/faults', { body: JSON.stringify({ wrongContentType: true }) });
    expect(set.status).toBe(200);
    const [first] = await bundleLinks(DB.vectors.id);
    expect((await fetchLink(first!.downloadURL)).headers['content-type']).toBe('text/html');

    await call(ASTRA_HOST, 'POST', '/__replica/reset');
    expect((await fetchLink(first!.downloadURL)).headers['content-type']).toBe('application/zip');

    const refused = await call(ASTRA_HOST, 'POST', '/__replica/faults', { body: JSON.stringify({ slowBodyMs: 'fast' }) });
    expect(refused.status).toBe(400);
  });

  it('cuts the body short while promising the full length when truncating', async () => {
    replica.setFaults({ truncateBodyAt: 2_000 });
    const [first] = await bundleLinks(DB.vectors.id);
    const answer = await fetchLink(first!.downloadURL);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe(String(replica.bundleFor(DB.vectors.id, 'us-east-2').length));
    expect(answer.complete).toBe(false);
    expect(answer.bytes.length).toBe(2_000);
  });

  it('resumes with Range, but a truncated object keeps failing at the same byte (as Chrome retries)', async () => {
    const [first] = await bundleLinks(DB.vectors.id);
    const url = new URL(first!.downloadURL);
    const expected = Buffer.from(replica.bundleFor(DB.vectors.id, 'us-east-2'));
    const ranged = (range: string) => call(url.host, 'GET', `${url.pathname}${url.search}`, { headers: { range } });

    const tail = await ranged('bytes=2000-');
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes 2000-${expected.length - 1}/${expected.length}`);
    expect(tail.bytes.equals(expected.subarray(2000))).toBe(true);

    replica.setFaults({ truncateBodyAt: 2_000 });
    const resumed = await ranged('bytes=2000-');
    expect(resumed.status).toBe(206);
    expect(resumed.complete).toBe(false);
    expect(resumed.bytes.length).toBe(0);
  });

  it('serves an S3 XML error document with status 200 when asked to', async () => {
    replica.setFaults({ errorDocumentWith200: true });
    const [first] = await bundleLinks(DB.vectors.id);
    const answer = await fetchLink(first!.downloadURL);
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^<\?xml[^>]*>\s*<Error><Code>AccessDenied<\/Code>/);
  });

  it('logs every request it answered', async () => {
    const [first] = await bundleLinks(DB.vectors.id);
    await fetchLink(first!.downloadURL, 'HEAD');
    const path = first!.downloadURL.slice(`https://${STORAGE_HOST}`.length);
    expect(replica.requests).toContainEqual({ host: STORAGE_HOST, method: 'HEAD', path, status: 403 });
  });
});
