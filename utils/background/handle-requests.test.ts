// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestHandler, type RequestDeps } from './handle-requests';
import { openStore, type CompanionDb } from '../store/schema';
import { startReplica, DB, type Replica } from '../../tests/replica/server';
import { replicaFetch } from '../../tests/unit/fixtures/replica-fetch';
import type { CapturedInTabMessage } from '../protocol/messages';
import { getBundleFile, getKv, listBundles } from '../store/queries';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ port: 0 });
});
afterAll(() => replica.close());

const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const consoleTab = { id: 'ext-id', url: `https://astra.datastax.com/org/x/database/${DB.orders.id}/connect`, tab: { id: 7 }, frameId: 0 };
const popup = { id: 'ext-id', url: `${EXTENSION}popup.html` };

let n = 0;
function setup() {
  const saved: Array<{ bytes: Uint8Array; fileName: string; saveAs: boolean }> = [];
  const tabMessages: CapturedInTabMessage[] = [];
  let store: Promise<CompanionDb> | undefined;
  const name = `handle-requests-${++n}`;
  const deps: RequestDeps = {
    db: () => (store ??= openStore(name)),
    fetch: replicaFetch(replica),
    now: () => Date.now(),
    extensionId: 'ext-id',
    extensionOrigin: EXTENSION,
    version: '0.1.0',
    async saveFile(bytes, fileName, saveAs) {
      saved.push({ bytes, fileName, saveAs });
      return 1;
    },
    notifyChanged() {},
    notifyTab: (_tab, message) => void tabMessages.push(message),
    injectConsoleUi: async () => {},
  };
  return { handle: createRequestHandler(deps), deps, saved, tabMessages };
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
    expect(tabMessages[0]?.bundleUrls).toHaveLength(8);
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
    expect(await handle({ type: 'save-bundle-copy', id: record!.id }, popup)).toEqual({ ok: true });
    expect(saved).toEqual([{ bytes: replica.bundleFor(DB.inventory.id, record!.region!), fileName: 'secure-connect-inventory.zip', saveAs: true }]);
    expect(await handle({ type: 'save-bundle-copy', id: 'gone' }, popup)).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
