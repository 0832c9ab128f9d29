// @vitest-environment node
import { parse as parseEnv } from 'dotenv';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackground } from './start-background';
import { fakePorts, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../../tests/unit/fixtures/fake-ports';
import { startReplica, DB, type Replica } from '../../tests/replica/server';
import { replicaFetch } from '../../tests/unit/fixtures/replica-fetch';
import { mintToken } from '../../tests/replica/mint-token';
import { DATABASE_ADMIN_ROLE } from '../../tests/replica/fixtures';
import { listBundles, listTokens } from '../store/queries';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ port: 0 });
});
afterAll(() => replica.close());

const consoleTab = { id: TEST_EXTENSION_ID, url: `https://astra.datastax.com/org/x/database/${DB.inventory.id}/connect`, tab: { id: 7 }, frameId: 0 };
const popup = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}popup.html` };
const PASSPHRASE = 'correct horse battery staple kit';

async function keptBundleAndToken() {
  const ports = fakePorts({ fetch: replicaFetch(replica) });
  ports.tabs = [{ id: 7, url: consoleTab.url, active: true }];
  const background = startBackground(ports, { storeName: `kit-token-${Math.random()}` });
  const handle = background.onMessage;
  const url = `https://api.astra.datastax.com/v2/databases/${DB.inventory.id}/secureBundleURL`;
  const links = await replicaFetch(replica, { authorization: `Bearer ${replica.apiToken}` })(url, { method: 'POST' });
  await handle({ type: 'page-response', response: { via: 'fetch', url, status: 200, body: await links.text() }, page: consoleTab.url }, consoleTab);
  const issued = mintToken(3, 'org-1', DATABASE_ADMIN_ROLE);
  await handle({ type: 'capture-tokens', tokens: [{ token: issued.token, clientId: issued.clientId, secret: issued.secret }], page: consoleTab.url }, consoleTab);
  const db = await background.services.db();
  const bundle = (await listBundles(db)).find((r) => r.kind === 'external' && r.hasCopy)!;
  const [token] = await listTokens(db);
  return { handle, ports, bundleId: bundle.id, tokenId: token!.id, issued };
}

async function envOf(bytes: Uint8Array) {
  return parseEnv(await (await JSZip.loadAsync(bytes)).file('.env')!.async('string'));
}

describe('the kit\'s token', () => {
  it('is refused while the vault is locked, and nothing is saved', async () => {
    const { handle, ports, bundleId, tokenId } = await keptBundleAndToken();
    expect(await handle({ type: 'vault-set-passphrase', current: null, next: PASSPHRASE }, popup)).toMatchObject({ ok: true });
    await handle({ type: 'vault-lock' }, popup);
    expect(await handle({ type: 'export-database', id: bundleId, tokenId }, popup)).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(ports.saved).toHaveLength(0);
    // Without a token the kit needs no vault: a placeholder line instead.
    expect(await handle({ type: 'export-database', id: bundleId }, popup)).toMatchObject({ ok: true, value: { fileName: 'inventory-connect.zip' } });
    expect((await envOf(ports.saved[0]!.bytes)).ASTRA_DB_APPLICATION_TOKEN).toBeUndefined();
  });

  it('is opened by the background once the vault is unlocked, and lands in .env only', async () => {
    const { handle, ports, bundleId, tokenId, issued } = await keptBundleAndToken();
    expect(await handle({ type: 'vault-set-passphrase', current: null, next: PASSPHRASE }, popup)).toMatchObject({ ok: true });
    await handle({ type: 'vault-lock' }, popup);
    await handle({ type: 'vault-unlock', passphrase: PASSPHRASE }, popup);
    expect(await handle({ type: 'export-database', id: bundleId, tokenId }, popup)).toMatchObject({ ok: true });
    expect((await envOf(ports.saved[0]!.bytes)).ASTRA_DB_APPLICATION_TOKEN).toBe(issued.token);
    expect(await handle({ type: 'export-database', id: bundleId, tokenId: 'no-such-token' }, popup)).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('is never for a console page to ask', async () => {
    const { handle, ports, bundleId, tokenId } = await keptBundleAndToken();
    expect(await handle({ type: 'export-database', id: bundleId, tokenId }, consoleTab)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(ports.saved).toHaveLength(0);
  });
});
