// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackground } from './start-background';
import { fakePorts, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../../tests/unit/fixtures/fake-ports';
import { startReplica, DB, type Replica } from '../../tests/replica/server';
import { replicaFetch } from '../../tests/unit/fixtures/replica-fetch';
import type { CapturedInTabMessage } from '../protocol/messages';
import { getBundle, getBundleFile, getKv, getToken, listBundles, listWarnings } from '../store/queries';
import { putWarning } from '../store/writes';
import { mintToken } from '../../tests/replica/mint-token';
import { DATABASE_ADMIN_ROLE } from '../../tests/replica/fixtures';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ port: 0 });
});
afterAll(() => replica.close());

const consoleTab = { id: TEST_EXTENSION_ID, url: `https://astra.datastax.com/org/x/database/${DB.orders.id}/connect`, tab: { id: 7 }, frameId: 0 };
const popup = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}popup.html` };

let n = 0;
function setup() {
  const ports = fakePorts({ fetch: replicaFetch(replica) });
  ports.tabs = [{ id: 7, url: consoleTab.url, active: true }];
  const background = startBackground(ports, { storeName: `handle-requests-${++n}` });
  const tabMessages = (): CapturedInTabMessage[] =>
    ports.tabMessages.flatMap(({ message }) => ((message as { type?: string }).type === 'captured' ? [message as CapturedInTabMessage] : []));
  return { handle: background.onMessage, deps: background.services, saved: ports.saved, tabMessages, ports };
}

/** What the console's page script gets from the DevOps API, as text (as the MAIN-world hook sees it). */
async function bundleUrlResponse(dbId: string, all = true) {
  const response = await replicaFetch(replica, { authorization: `Bearer ${replica.apiToken}` })(
    `https://api.astra.datastax.com/v2/databases/${dbId}/secureBundleURL${all ? '?all=true' : ''}`,
    { method: 'POST' },
  );
  return { via: 'fetch', url: response.url, status: response.status, body: await response.text() };
}

describe('background requests', () => {
  it('finds the links in an API response, verifies each bundle and keeps its exact bytes', async () => {
    const { handle, deps, tabMessages } = setup();
    const response = await bundleUrlResponse(DB.orders.id);
    expect(response.body).toContain('\\u0026');
    const answer = await handle({ type: 'page-response', response, page: consoleTab.url }, consoleTab);
    expect(answer).toEqual({ links: 8, tokens: 0 });
    const db = await deps.db();
    const external = (await listBundles(db)).filter((r) => r.kind === 'external');
    expect(external.map((r) => r.region).sort()).toEqual(['europe-west1', 'us-east1']);
    for (const record of external) {
      expect(record).toMatchObject({ status: 'verified', hasCopy: true, dbId: DB.orders.id, dbName: 'orders', entryCount: 8 });
      expect((await getBundleFile(db, record.id))?.bytes).toEqual(replica.bundleFor(DB.orders.id, record.region!));
    }
    expect(tabMessages()[0]?.bundleUrls).toHaveLength(8);
  });

  it('records a link that is already dead with its verdict, and keeps no copy of the error body', async () => {
    const { handle, deps } = setup();
    replica.setFaults({ linkLifetimeSeconds: 1 });
    const response = await bundleUrlResponse(DB.inventory.id, false);
    replica.resetFaults();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await handle({ type: 'page-response', response, page: consoleTab.url }, consoleTab);
    const [record] = (await listBundles(await deps.db())).filter((r) => r.kind === 'external');
    expect(record).toMatchObject({ status: 'link-expired', hasCopy: false });
    expect(record?.problems[0]).toMatchObject({ code: 'storage-error', severity: 'error' });
    expect(record?.problems[0]?.message).toMatch(/expired/i);
  });

  it('keeps one record per bundle: a fresh link updates it, and a bad fetch never downgrades the verified one', async () => {
    const { handle, deps } = setup();
    await handle({ type: 'page-response', response: await bundleUrlResponse(DB.inventory.id, false), page: consoleTab.url }, consoleTab);
    replica.setFaults({ errorDocumentWith200: true });
    // Signing times have whole seconds: wait for the next one, so the console makes a different link.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await handle({ type: 'page-response', response: await bundleUrlResponse(DB.inventory.id, false), page: consoleTab.url }, consoleTab);
    replica.resetFaults();
    const db = await deps.db();
    const records = (await listBundles(db)).filter((r) => r.kind === 'external');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'verified', hasCopy: true });
    expect((await getBundleFile(db, records[0]!.id))?.bytes).toEqual(replica.bundleFor(DB.inventory.id, DB.inventory.datacenters[0]!.region));
  });

  it('finds a kept bundle by its link as a page shows it, escaped or not', async () => {
    const { handle, deps } = setup();
    await handle({ type: 'page-response', response: await bundleUrlResponse(DB.inventory.id, false), page: consoleTab.url }, consoleTab);
    const [record] = (await listBundles(await deps.db())).filter((r) => r.kind === 'external');
    const asShown = record!.link.replaceAll('&', '&amp;');
    const summaries = (await handle({ type: 'bundle-summaries', urls: [asShown] }, consoleTab)) as Array<{ id: string; status: string }>;
    expect(summaries).toMatchObject([{ id: record!.id, status: 'verified' }]);
  });

  it('drops and counts links on untrusted hosts without fetching them', async () => {
    const { handle, deps } = setup();
    const before = replica.requests.length;
    const body = JSON.stringify({ downloadURL: 'https://evil.example.com/x-1/secure-connect-orders.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261123%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=20261123T101500Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=' + 'a'.repeat(64) });
    expect(await handle({ type: 'page-response', response: { via: 'fetch', url: 'x', status: 200, body }, page: consoleTab.url }, consoleTab)).toEqual({ links: 0, tokens: 0 });
    expect(await listBundles(await deps.db())).toEqual([]);
    expect(await getKv(await deps.db(), 'dropped-links')).toBe(1);
    expect(replica.requests.length).toBe(before);
  });

  it('answers each part only what it may ask', async () => {
    const { handle } = setup();
    const response = await bundleUrlResponse(DB.inventory.id, false);
    expect(await handle({ type: 'ping' }, { id: 'another-extension', url: consoleTab.url })).toBeUndefined();
    expect(await handle({ type: 'page-response', response, page: 'x' }, { id: 'ext-id', url: 'https://evil.example.com/' })).toEqual({ links: 0, tokens: 0 });
    expect(await handle({ type: 'vault-status' }, consoleTab)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(await handle({ type: 'no-such-request' }, popup)).toBeUndefined();
    expect(await handle({ type: 'page-response', response: { via: 'fetch', url: 'x', status: 200, body: 42 }, page: 'x' }, consoleTab)).toEqual({ links: 0, tokens: 0 });
  });

  it('saves the kept copy under the bundle\'s own file name, through the save dialog', async () => {
    const { handle, deps, saved } = setup();
    await handle({ type: 'page-response', response: await bundleUrlResponse(DB.inventory.id, false), page: consoleTab.url }, consoleTab);
    const [record] = (await listBundles(await deps.db())).filter((r) => r.kind === 'external');
    expect(await handle({ type: 'save-bundle-copy', id: record!.id }, popup)).toEqual({ ok: true, saved: { state: 'saved', fileName: 'secure-connect-inventory.zip' } });
    expect(saved).toEqual([{ bytes: replica.bundleFor(DB.inventory.id, record!.region!), fileName: 'secure-connect-inventory.zip', mime: 'application/zip', saveAs: true }]);
    expect(await handle({ type: 'save-bundle-copy', id: 'gone' }, popup)).toMatchObject({ ok: false, error: { code: 'no-copy' } });
  });

  it('deletes a bundle only for the popup, with its copy and warnings, and announces it to the popup and every console tab', async () => {
    const { handle, deps, ports } = setup();
    await handle({ type: 'page-response', response: await bundleUrlResponse(DB.inventory.id, false), page: consoleTab.url }, consoleTab);
    const db = await deps.db();
    const [record] = (await listBundles(db)).filter((r) => r.kind === 'external');
    await putWarning(db, { id: 'download-1-link-expired', createdAt: 1, code: 'link-expired', message: 'm', hint: 'h', bundleId: record!.id, actions: ['save-copy'] });
    ports.pageMessages.length = 0;
    ports.tabMessages.length = 0;

    expect(await handle({ type: 'delete-bundle', id: record!.id }, consoleTab)).toEqual({ ok: false });
    expect(await getBundle(db, record!.id)).toBeDefined();

    expect(await handle({ type: 'delete-bundle', id: record!.id }, popup)).toEqual({ ok: true });
    expect(await getBundle(db, record!.id)).toBeUndefined();
    expect(await getBundleFile(db, record!.id)).toBeUndefined();
    expect(await listWarnings(db)).toEqual([]);
    const announced = { type: 'store-changed', what: 'bundles', removed: { bundleIds: [record!.id], warningIds: ['download-1-link-expired'] } };
    expect(ports.pageMessages).toContainEqual(announced);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ports.tabMessages).toContainEqual({ tabId: 7, message: announced });
    expect(ports.badges.at(-1)).toEqual({ text: '', color: expect.any(String) });
  });

  it('changes a token label and deletes a token for the popup only, announcing each change', async () => {
    const { handle, deps, ports } = setup();
    const { token, secret, clientId } = mintToken(1, 'org-1', DATABASE_ADMIN_ROLE);
    await handle({ type: 'capture-tokens', tokens: [{ token, clientId, secret }], page: consoleTab.url }, consoleTab);
    ports.pageMessages.length = 0;
    expect(await handle({ type: 'token-set-label', id: clientId, label: 'ci\u0007 pipeline' }, consoleTab)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(await handle({ type: 'token-set-label', id: clientId, label: '  ci pipeline ' }, popup)).toEqual({ ok: true, value: { label: 'ci pipeline' } });
    expect((await getToken(await deps.db(), clientId))?.label).toBe('ci pipeline');
    expect(await handle({ type: 'token-delete', id: clientId }, popup)).toEqual({ ok: true, value: { id: clientId } });
    expect(await getToken(await deps.db(), clientId)).toBeUndefined();
    expect(ports.pageMessages).toEqual([{ type: 'store-changed', what: 'tokens' }, { type: 'store-changed', what: 'tokens' }]);
  });
});
