/** Firefox: the download guard on Firefox's downloads API, and the expired-link warning in every place it shows. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { DB, ORG } from '../replica/server';
import { assertNoExtensionErrors, click, control, downloadsNow, newDownload, firefoxSuite, textOf, waitForText, waitUntil } from './firefox-session';
import { clickInPanel, panelAttribute, waitForPanelText } from './firefox-panel';

const connect = `https://astra.datastax.com/org/${ORG.id}/database/${DB.inventory.id}/connect`;
const region = DB.inventory.datacenters[0]!.region;
const row = `[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`;

const suite = firefoxSuite();

/** Opens Get Bundle and waits until Astra Companion has verified the link the dialog shows. */
async function openVerifiedDialog(): Promise<Page> {
  const page = await suite.firefox.openPage(connect);
  await click(page, 'Get Bundle');
  await waitForPanelText(page, 'bundle', /Verified/);
  return page;
}

/** The toolbar button's badge, read from an extension page (MV2: browserAction). */
function badgeText(popup: Page): Promise<string> {
  return popup.evaluate(() => {
    const api = (globalThis as unknown as { browser: { browserAction: { getBadgeText(d: object): Promise<string> } } }).browser;
    return api.browserAction.getBadgeText({});
  });
}

test('a download before expiry: no warning, no badge, and the popup marks the bundle downloaded and verified', async () => {
  suite.replica.resetFaults();
  const page = await openVerifiedDialog();
  const before = downloadsNow(suite.firefox);
  await click(page, 'Download Secure Bundle');
  assert.equal(await newDownload(suite.firefox, before), 'secure-connect-inventory.zip');
  assert.deepEqual(new Uint8Array(readFileSync(path.join(suite.firefox.downloadDir, 'secure-connect-inventory.zip'))), suite.replica.bundleFor(DB.inventory.id, region));
  const popup = await suite.firefox.openPopup();
  await waitForText(popup, row, /downloaded and verified/, 20_000);
  assert.match((await textOf(popup, '[role="tab"][id="tab-warnings"]')) ?? '', /0/);
  assert.equal(await badgeText(popup), '');
  await popup.close();
  await page.close();
  assertNoExtensionErrors(suite.firefox);
});

test('a download started after expiry: an expired-link warning in the popup, on the badge and on the console page; its fix saves the kept copy', async () => {
  suite.replica.resetFaults();
  suite.replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await openVerifiedDialog();
  const link = await page.evaluate(() => [...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === 'Download Secure Bundle')?.href);
  assert.ok(link);
  await new Promise((resolve) => setTimeout(resolve, 4500));
  const popup = await suite.firefox.openPopup();
  // "Save link as" after expiry: a download the extension did not start, through Firefox's downloads API.
  await popup.evaluate((url) => {
    const api = (globalThis as unknown as { browser: { downloads: { download(o: { url: string }): Promise<number> } } }).browser;
    return api.downloads.download({ url });
  }, link);
  await waitForPanelText(page, 'download-warning', /expired/i, { timeoutMs: 20_000 });
  await click(popup, /^Warnings/);
  const warning = await waitForText(popup, '[data-testid="warning-row"]', /expired/i);
  assert.doesNotMatch(warning, /No warnings/);
  await waitUntil('the badge to count the warning', async () => (await badgeText(popup)) === '1');

  const before = downloadsNow(suite.firefox);
  const save = await control(popup, 'Save the verified copy', '[data-testid="warning-row"]');
  await save.click();
  const saved = await newDownload(suite.firefox, before);
  assert.match(saved, /^secure-connect-inventory.*\.zip$/);
  assert.deepEqual(new Uint8Array(readFileSync(path.join(suite.firefox.downloadDir, saved))), suite.replica.bundleFor(DB.inventory.id, region));
  await popup.close();
  await page.close();
  assertNoExtensionErrors(suite.firefox);
});

test('the expired link opened in a tab: the storage error page explains it, offers a fresh link and saves the kept copy', async () => {
  suite.replica.resetFaults();
  suite.replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await openVerifiedDialog();
  await new Promise((resolve) => setTimeout(resolve, 4500));
  await click(page, 'Download Secure Bundle');
  await waitUntil('the storage host', () => page.url().includes('datastax-cluster-config-prod'));
  await waitForPanelText(page, 'storage-error', /expired/i);
  const fresh = await panelAttribute(page, 'storage-error', '[data-action="fresh-link"]', 'href');
  assert.match(fresh ?? '', new RegExp(`/database/${DB.inventory.id}/connect$`));
  const before = downloadsNow(suite.firefox);
  await clickInPanel(page, 'storage-error', 'Save the verified copy');
  const saved = await newDownload(suite.firefox, before);
  assert.deepEqual(new Uint8Array(readFileSync(path.join(suite.firefox.downloadDir, saved))), suite.replica.bundleFor(DB.inventory.id, region));
  await page.close();
  assertNoExtensionErrors(suite.firefox);
});
