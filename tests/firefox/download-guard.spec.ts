/** Firefox: the download guard on Firefox's downloads API, and the expired-link warning in every place it shows. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { DB, ORG, startReplica, type Replica } from '../replica/server';
import { assertNoExtensionErrors, attributeOf, click, control, downloadsNow, newDownload, startFirefox, textOf, waitForText, waitUntil, type FirefoxSession } from './firefox-session';

const connect = `https://astra.datastax.com/org/${ORG.id}/database/${DB.inventory.id}/connect`;
const region = DB.inventory.datacenters[0]!.region;
const PANEL = '[data-testid="astra-companion-bundle-panel"]';
const row = `[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`;

let replica: Replica;
let firefox: FirefoxSession;

before(async () => {
  replica = await startReplica({ port: 0 });
  firefox = await startFirefox(replica);
});

after(async () => {
  await firefox?.close();
  await replica?.close();
});

/** Opens Get Bundle and waits until Astra Companion has verified the link the dialog shows. */
async function openVerifiedDialog(): Promise<Page> {
  const page = await firefox.openPage(connect);
  await click(page, 'Get Bundle');
  await waitForText(page, PANEL, /Verified/);
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
  replica.resetFaults();
  const page = await openVerifiedDialog();
  const before = downloadsNow(firefox);
  await click(page, 'Download Secure Bundle');
  assert.equal(await newDownload(firefox, before), 'secure-connect-inventory.zip');
  assert.deepEqual(new Uint8Array(readFileSync(path.join(firefox.downloadDir, 'secure-connect-inventory.zip'))), replica.bundleFor(DB.inventory.id, region));
  const popup = await firefox.openPopup();
  await waitForText(popup, row, /downloaded and verified/, 20_000);
  assert.match((await textOf(popup, '[role="tab"][id="tab-warnings"]')) ?? '', /0/);
  assert.equal(await badgeText(popup), '');
  await popup.close();
  await page.close();
  assertNoExtensionErrors(firefox);
});

test('a download started after expiry: an expired-link warning in the popup, on the badge and on the console page; its fix saves the kept copy', async () => {
  replica.resetFaults();
  replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await openVerifiedDialog();
  const link = await page.evaluate(() => [...document.querySelectorAll('a')].find((a) => a.textContent?.trim() === 'Download Secure Bundle')?.href);
  assert.ok(link);
  await new Promise((resolve) => setTimeout(resolve, 4500));
  const popup = await firefox.openPopup();
  // "Save link as" after expiry: a download the extension did not start, through Firefox's downloads API.
  await popup.evaluate((url) => {
    const api = (globalThis as unknown as { browser: { downloads: { download(o: { url: string }): Promise<number> } } }).browser;
    return api.downloads.download({ url });
  }, link);
  await waitForText(page, '[data-testid="download-warning"]', /expired/i, 20_000);
  await click(popup, /^Warnings/);
  const warning = await waitForText(popup, '[data-testid="warning-row"]', /expired/i);
  assert.doesNotMatch(warning, /No warnings/);
  await waitUntil('the badge to count the warning', async () => (await badgeText(popup)) === '1');

  const before = downloadsNow(firefox);
  const save = await control(popup, 'Save the verified copy', '[data-testid="warning-row"]');
  await save.click();
  const saved = await newDownload(firefox, before);
  assert.match(saved, /^secure-connect-inventory.*\.zip$/);
  assert.deepEqual(new Uint8Array(readFileSync(path.join(firefox.downloadDir, saved))), replica.bundleFor(DB.inventory.id, region));
  await popup.close();
  await page.close();
  assertNoExtensionErrors(firefox);
});

test('the expired link opened in a tab: the storage error page explains it and offers a fresh link', async () => {
  replica.resetFaults();
  replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await openVerifiedDialog();
  await new Promise((resolve) => setTimeout(resolve, 4500));
  await click(page, 'Download Secure Bundle');
  await waitUntil('the storage host', () => page.url().includes('datastax-cluster-config-prod'));
  await waitForText(page, '[data-testid="astra-companion-storage-error"]', /expired/i);
  const fresh = await attributeOf(page, '[data-action="fresh-link"]', 'href');
  assert.match(fresh ?? '', new RegExp(`/database/${DB.inventory.id}/connect$`));
  await page.close();
  assertNoExtensionErrors(firefox);
});
