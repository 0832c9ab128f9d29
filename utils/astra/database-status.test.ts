// @vitest-environment node
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_HOST, ASTRA_HOST, DB, type Replica, startReplica } from '../../tests/replica/server';
import { findDatabaseStatuses, isConsoleApiUrl, mightContainDatabaseStatus } from './database-status';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ port: 0 });
}, 60_000);
afterAll(() => replica?.close());

/** The replica's answer as text, exactly as the console's page would read it. */
function call(host: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: replica.port,
        servername: host,
        method,
        path,
        headers: { host, authorization: `Bearer ${replica.apiToken}`, 'content-type': 'application/json' },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('findDatabaseStatuses on the replica\'s own responses', () => {
  it('DevOps GET /v2/databases (Go-style \\u0026 escaping): every database, not its datacenters', async () => {
    const answer = await call(API_HOST, 'GET', '/v2/databases');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('\\u0026');
    expect(findDatabaseStatuses(answer.text)).toEqual([
      { dbId: DB.orders.id, status: 'ACTIVE', name: 'orders' },
      { dbId: DB.inventory.id, status: 'ACTIVE', name: 'inventory' },
      { dbId: DB.vectors.id, status: 'ACTIVE', name: 'vectors' },
      { dbId: DB.archive.id, status: 'HIBERNATED', name: 'events-archive' },
    ]);
  });

  it('DevOps GET /v2/databases/{id} of a hibernated database, and its 409 on secureBundleURL (no status in it)', async () => {
    const one = await call(API_HOST, 'GET', `/v2/databases/${DB.archive.id}`);
    expect(findDatabaseStatuses(one.text)).toEqual([{ dbId: DB.archive.id, status: 'HIBERNATED', name: 'events-archive' }]);
    const refused = await call(API_HOST, 'POST', `/v2/databases/${DB.archive.id}/secureBundleURL`);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('"ID":340002');
    expect(findDatabaseStatuses(refused.text)).toEqual([]);
  });

  it('the console\'s GraphQL bootstrap (name at the top level)', async () => {
    const query = 'query bootstrap { databases { id name status datacenters { id region status } } }';
    const answer = await call(ASTRA_HOST, 'POST', '/api/v2/graphql', JSON.stringify({ operationName: 'bootstrap', query, variables: {} }));
    expect(answer.status).toBe(200);
    const found = findDatabaseStatuses(answer.text);
    expect(found).toContainEqual({ dbId: DB.archive.id, status: 'HIBERNATED', name: 'events-archive' });
    expect(found).toHaveLength(4);
  });

  it('follows the replica when a database is resumed', async () => {
    replica.setDatabaseStatus(DB.archive.id, 'ACTIVE');
    try {
      const one = await call(API_HOST, 'GET', `/v2/databases/${DB.archive.id}`);
      expect(findDatabaseStatuses(one.text)).toEqual([{ dbId: DB.archive.id, status: 'ACTIVE', name: 'events-archive' }]);
    } finally {
      replica.setDatabaseStatus(DB.archive.id, 'HIBERNATED');
    }
  });
});

const ID = '6c1f2a9e-3d4b-4e8f-a1c7-9b2d5e8f0a13';

describe('findDatabaseStatuses: shapes', () => {
  it.each([
    ['DevOps object', `{"id":"${ID}","info":{"name":"orders"},"status":"PARKED"}`, [{ dbId: ID, status: 'PARKED', name: 'orders' }]],
    ['upper-case id', `{"id":"${ID.toUpperCase()}","status":"TERMINATED"}`, [{ dbId: ID, status: 'TERMINATED' }]],
    ['databaseId key', `{"data":{"db":{"databaseId":"${ID}","status":"MAINTENANCE"}}}`, [{ dbId: ID, status: 'MAINTENANCE' }]],
    ['last mention wins', `[{"id":"${ID}","status":"HIBERNATING"},{"id":"${ID}","status":"HIBERNATED"}]`, [{ dbId: ID, status: 'HIBERNATED' }]],
    ['datacenter only', `{"id":"${ID}-1","status":"ACTIVE"}`, []],
    ['lower-case status (not a database status)', `{"id":"${ID}","status":"active"}`, []],
    ['unknown status', `{"id":"${ID}","status":"SLEEPING"}`, []],
    ['status without id', '{"status":"ACTIVE"}', []],
    ['not JSON', `<html>"status":"ACTIVE" ${ID}</html>`, []],
  ])('%s', (_name, text, expected) => {
    expect(findDatabaseStatuses(text)).toEqual(expected);
  });

  it('says cheaply whether a body can hold a status', () => {
    expect(mightContainDatabaseStatus('{"status" : "HIBERNATED"}')).toBe(true);
    expect(mightContainDatabaseStatus('{"status":"ok"}')).toBe(false);
  });
});

describe('isConsoleApiUrl', () => {
  it.each([
    ['https://api.astra.datastax.com/v2/databases', true],
    [`https://api.astra.datastax.com/v2/databases/${ID}`, true],
    ['https://astra.datastax.com/api/v2/graphql', true],
    ['https://astra.datastax.com/org/abc/database/x', false],
    ['http://api.astra.datastax.com/v2/databases', false],
    ['https://api.astra.datastax.com:8443/v2/databases', false],
    ['https://evil.example/api/v2/graphql', false],
    ['https://api.astra.datastax.com.evil.example/v2/databases', false],
    [`https://${ID}-us-east1.apps.astra.datastax.com/api/json/v1`, false],
    ['/api/v2/graphql', false],
  ])('%s -> %s', (url, expected) => {
    expect(isConsoleApiUrl(url)).toBe(expected);
  });
});
