import type { Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures';
import { BUNDLE_DIALOG } from './console';
import { expectPanel, panel } from './panel';
import { DB, ORG } from '../replica/fixtures';
import { STORAGE_HOST } from '../replica/hosts';

const connect = (dbId: string) => `https://astra.datastax.com/org/${ORG.id}/database/${dbId}/connect`;

test('Get Bundle on a two-region database: both regions verified in the dialog and the popup', async ({ context, serviceWorker, openPopup, shoot }) => {
  void serviceWorker;
  const page = await context.newPage();
  await page.goto(connect(DB.orders.id));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  const dialog = page.getByRole('dialog', { name: BUNDLE_DIALOG });
  await expect(dialog).toBeVisible();
  const verdict = panel(page, 'bundle', { dialog: BUNDLE_DIALOG });
  await expectPanel(verdict).toContainText(/Verified: 1\d\.\d KB, 8 files, cert valid until \d{4}-\d{2}-\d{2}, copy kept/);
  await expectPanel(verdict).toContainText(/Link valid for [45]:\d\d/);
  await shoot(page, 'console-get-bundle-dialog');

  const popup = await openPopup();
  // The response carries all four link kinds per region: the regular ones show, the others are folded.
  await expect(popup.locator('[data-testid="bundle-row"][data-kind="external"]')).toHaveCount(2);
  await expect(popup.getByText('6 more: VPC peering and migration proxy bundles')).toBeVisible();
  for (const region of ['us-east1', 'europe-west1']) {
    const row = popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
    await expect(row.getByText('Verified', { exact: true })).toBeVisible();
    await expect(row.getByTestId('link-time')).toContainText(/Link valid for [45]:\d\d/);
  }
  await shoot(popup, 'popup-bundles');
});

/** Runs a command copied from the popup in a real shell, with the storage host mapped to the replica. */
// Asynchronous: the replica serves from this very process, so a blocking spawn would starve it.
function runCopied(command: string, replica: { port: number }, cwd: string): Promise<{ status: number | null; stderr: string }> {
  const mapped = `${command} --connect-to ${STORAGE_HOST}:443:127.0.0.1:${replica.port} --insecure --max-time 20`;
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', mapped], { cwd });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** Clicks a copy button in the popup and reads the system clipboard back from a console tab. */
async function copyFromPopup(popup: Page, reader: Page, label: string, region: string): Promise<string> {
  const row = popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
  await row.getByRole('button', { name: label }).click();
  await expect(row.getByRole('button', { name: 'Copied' })).toBeVisible();
  await reader.bringToFront();
  return reader.evaluate(() => navigator.clipboard.readText());
}

test('copy curl from the popup: the live link downloads the exact bundle; after expiry curl fails and writes no file', async ({ context, replica, openPopup }) => {
  // Long enough to open the popup and copy on a loaded machine; the test then waits for the expiry.
  replica.setFaults({ linkLifetimeSeconds: 10 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://astra.datastax.com' });
  const page = await context.newPage();
  await page.goto(connect(DB.inventory.id));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle').toContainText('Verified');

  const popup = await openPopup();
  const region = DB.inventory.datacenters[0]!.region;
  const curl = await copyFromPopup(popup, page, 'Copy curl', region);
  expect(curl).toMatch(/^curl -fSL -o 'secure-connect-inventory\.zip' 'https:\/\/datastax-cluster-config-prod\.s3\.us-east-2\.amazonaws\.com\/.+'$/);

  const live = mkdtempSync(path.join(tmpdir(), 'curl-live-'));
  const ok = await runCopied(curl, replica, live);
  expect(ok.status).toBe(0);
  expect(new Uint8Array(readFileSync(path.join(live, 'secure-connect-inventory.zip')))).toEqual(replica.bundleFor(DB.inventory.id, region));

  await expect(popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`).getByTestId('link-time')).toHaveText(/Link expired/, { timeout: 20_000 });
  // S3 (and the replica) compare whole seconds: the link still works within the second it expires in.
  await popup.waitForTimeout(1500);
  const dead = mkdtempSync(path.join(tmpdir(), 'curl-dead-'));
  const failed = await runCopied(curl, replica, dead);
  expect(failed.status).not.toBe(0);
  expect(failed.stderr).toContain('403');
  expect(existsSync(path.join(dead, 'secure-connect-inventory.zip'))).toBe(false);
});

test('after the link expired, the copy buttons say so and the kept copy still saves byte for byte', async ({ context, replica, openPopup, downloadDir }) => {
  replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await context.newPage();
  await page.goto(connect(DB.inventory.id));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle').toContainText('Verified');

  const popup = await openPopup();
  const cdp = await context.newCDPSession(popup);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir, eventsEnabled: true });
  const region = DB.inventory.datacenters[0]!.region;
  const row = popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
  await expect(row.getByTestId('link-time')).toHaveText(/Link expired/, { timeout: 10_000 });
  // A dead link offers no copy command at all: the kept copy is the card's one primary action.
  await expect(row.getByRole('button', { name: 'Copy curl' })).toHaveCount(0);
  await expect(row).toContainText('The link has expired; the verified copy is kept: save it any time.');
  await row.getByRole('button', { name: 'Save copy' }).click();
  // Under Playwright, downloads.download() ignores its `filename` (the name is checked in handle-requests.test.ts).
  const saved = () => readdirSync(downloadDir).filter((name) => !name.endsWith('.crdownload'));
  await expect.poll(saved, { timeout: 10_000 }).toHaveLength(1);
  expect(new Uint8Array(readFileSync(path.join(downloadDir, saved()[0]!)))).toEqual(replica.bundleFor(DB.inventory.id, region));
});

test('forged page events with foreign or malformed links are ignored, and nothing is fetched', async ({ context, replica, serviceWorker, openPopup }) => {
  void serviceWorker;
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}`);
  const before = replica.requests.length;
  await page.evaluate(() => {
    const forge = (detail: unknown) => window.dispatchEvent(new CustomEvent('astra-companion:response', { detail }));
    const foreign = 'https://evil.example.com/x-1/secure-connect-orders.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261123T101500Z&X-Amz-Expires=300&X-Amz-Signature=' + 'a'.repeat(64);
    const unsigned = 'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/x-1/secure-connect-orders.zip';
    forge(JSON.stringify({ via: 'fetch', url: '/x', status: 200, body: JSON.stringify({ downloadURL: foreign }) }));
    forge(JSON.stringify({ via: 'fetch', url: '/x', status: 200, body: JSON.stringify({ downloadURL: unsigned }) }));
    forge({ via: 'fetch', body: 'not a string detail secure-connect' });
    forge('{"via":"fetch"');
  });
  const popup = await openPopup();
  await expect(popup.getByRole('heading', { name: 'No bundles yet' })).toBeVisible();
  await page.waitForTimeout(500);
  expect(replica.requests.slice(before).filter((r) => r.host !== 'astra.datastax.com')).toEqual([]);
});

test('links in a GraphQL-shaped response (Overview > More > Download SCB) are captured and verified too', async ({ context, serviceWorker, openPopup }) => {
  void serviceWorker;
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.orders.id}`);
  const graphql = page.waitForResponse((response) => response.url().endsWith('/api/v2/graphql') && Boolean(response.request().postData()?.includes('dbBundles')));
  await page.getByRole('row', { name: /us-east1/ }).getByRole('button', { name: 'More' }).click();
  await page.getByRole('menuitem', { name: 'Download SCB' }).click();
  expect(await (await graphql).text()).toContain('secure-connect-orders.zip');
  const popup = await openPopup();
  const row = popup.locator('[data-testid="bundle-row"][data-region="us-east1"][data-kind="external"]');
  await expect(row.getByText('Verified', { exact: true })).toBeVisible();
});
