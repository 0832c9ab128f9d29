// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackground } from './start-background';
import { fakePorts, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../../tests/unit/fixtures/fake-ports';
import { startReplica, DB, type Replica } from '../../tests/replica/server';
import { replicaFetch } from '../../tests/unit/fixtures/replica-fetch';
import { readDatabaseStatuses } from '../store/database-statuses';
import { listBundles } from '../store/queries';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ port: 0 });
});
afterAll(() => replica.close());

const consoleTab = { id: TEST_EXTENSION_ID, url: `https://astra.datastax.com/org/x/database/${DB.archive.id}`, tab: { id: 7 }, frameId: 0 };
const popup = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}popup.html` };

let n = 0;
function setup() {
  const ports = fakePorts({ fetch: replicaFetch(replica) });
  ports.tabs = [{ id: 7, url: consoleTab.url, active: true }];
  const background = startBackground(ports, { storeName: `learn-status-${++n}` });
  return { handle: background.onMessage, services: background.services, ports };
}

/** What the console's page reads from the DevOps API, as text. */
async function devops(method: string, path: string) {
  const url = `https://api.astra.datastax.com${path}`;
  const response = await replicaFetch(replica, { authorization: `Bearer ${replica.apiToken}` })(url, { method });
  // The stand-in fetch makes a Response without a URL; the page's fetch reports the one it asked for.
  return { via: 'fetch' as const, url, status: response.status, body: await response.text() };
}

describe('database states from page responses', () => {
  it('keeps each database\'s status from GET /v2/databases and announces it once', async () => {
    const { handle, services, ports } = setup();
    const response = await devops('GET', '/v2/databases');
    await handle({ type: 'page-response', response, page: consoleTab.url }, consoleTab);
    const statuses = await readDatabaseStatuses(await services.db());
    expect(statuses[DB.archive.id]).toMatchObject({ status: 'HIBERNATED', name: 'events-archive' });
    expect(statuses[DB.orders.id]).toMatchObject({ status: 'ACTIVE', name: 'orders' });
    const announced = () => ports.pageMessages.filter((m) => (m as { what?: string }).what === 'databases').length;
    expect(announced()).toBe(1);
    // The console polls: the same answer again changes nothing and is not announced again.
    await handle({ type: 'page-response', response: await devops('GET', '/v2/databases'), page: consoleTab.url }, consoleTab);
    expect(announced()).toBe(1);
  });

  it('never takes a status from a response that is not the console\'s API, nor from an error answer', async () => {
    const { handle, services } = setup();
    const response = await devops('GET', `/v2/databases/${DB.archive.id}`);
    for (const url of ['https://evil.example/v2/databases', `https://${DB.orders.id}-us-east1.apps.astra.datastax.com/v2/x`, 'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/v2/x']) {
      await handle({ type: 'page-response', response: { ...response, url }, page: consoleTab.url }, consoleTab);
    }
    await handle({ type: 'page-response', response: { ...response, status: 500 }, page: consoleTab.url }, consoleTab);
    await handle({ type: 'page-response', response: await devops('POST', `/v2/databases/${DB.archive.id}/secureBundleURL`), page: consoleTab.url }, consoleTab);
    expect(await readDatabaseStatuses(await services.db())).toEqual({});
  });

  it('a kept bundle\'s summary (the in-page panel\'s) carries its database\'s state', async () => {
    const { handle, services } = setup();
    const links = await devops('POST', `/v2/databases/${DB.inventory.id}/secureBundleURL`);
    await handle({ type: 'page-response', response: links, page: consoleTab.url }, consoleTab);
    replica.setDatabaseStatus(DB.inventory.id, 'HIBERNATED');
    try {
      await handle({ type: 'page-response', response: await devops('GET', `/v2/databases/${DB.inventory.id}`), page: consoleTab.url }, consoleTab);
    } finally {
      replica.setDatabaseStatus(DB.inventory.id, 'ACTIVE');
    }
    const record = (await listBundles(await services.db())).find((r) => r.kind === 'external')!;
    const [summary] = (await handle({ type: 'bundle-summaries', urls: [record.link] }, popup)) as Array<{ databaseStatus?: string }>;
    expect(summary?.databaseStatus).toBe('HIBERNATED');
  });
});
