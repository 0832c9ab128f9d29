import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures';
import { finished, openVerifiedDialog, saveDownloadsTo } from './console';
import { expectPanel, panel } from './panel';
import { DB } from '../replica/fixtures';

const region = DB.inventory.datacenters[0]!.region;


test('a download before expiry: no warning, and the popup marks the bundle downloaded and verified', async ({ context, openPopup, downloadDir }) => {
  const page = await context.newPage();
  await saveDownloadsTo(context, page, downloadDir);
  const dialog = await openVerifiedDialog(page);
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  await expect.poll(() => finished(downloadDir)).toEqual(['secure-connect-inventory.zip']);
  const popup = await openPopup();
  const row = popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
  // A finished download is judged after a settling pause (a browser that opens the zip moves it first).
  await expect(row).toContainText('downloaded and verified', { timeout: 20_000 });
  await expect(popup.getByRole('tab', { name: /Warnings/ })).toContainText('0');
});

test('the expired link opened in a tab: the storage error page explains it and saves the kept copy', async ({ context, replica, downloadDir }) => {
  replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await context.newPage();
  await saveDownloadsTo(context, page, downloadDir);
  const dialog = await openVerifiedDialog(page);
  await page.waitForTimeout(4500);
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  await expect(page).toHaveURL(/datastax-cluster-config-prod/);
  const explainer = panel(page, 'storage-error');
  await expectPanel(explainer.part('storage-error-message')).toContainText(/expired/i);
  expect(await explainer.getByRole('link', { name: 'Get a fresh link' }).getAttribute('href')).toMatch(new RegExp(`/database/${DB.inventory.id}/connect$`));
  await explainer.getByRole('button', { name: 'Save the verified copy' }).click();
  await expect.poll(() => finished(downloadDir), { timeout: 10_000 }).toHaveLength(1);
  expect(new Uint8Array(readFileSync(path.join(downloadDir, finished(downloadDir)[0]!)))).toEqual(replica.bundleFor(DB.inventory.id, region));
  // The page says the save ended, under the name the file got on disk (not "Saving…" for ever).
  await expectPanel(explainer).toContainText(`Saved ${finished(downloadDir)[0]} to your downloads.`);
});

test('a download started after expiry ("Save link as"): an expired-link warning whose fix saves the kept copy', async ({ context, replica, serviceWorker, openPopup, downloadDir }) => {
  replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await context.newPage();
  const dialog = await openVerifiedDialog(page);
  const link = await dialog.getByRole('link', { name: 'Download Secure Bundle' }).getAttribute('href');
  await page.waitForTimeout(4500);
  await serviceWorker.evaluate((url) => (globalThis as unknown as { chrome: { downloads: { download(o: { url: string }): Promise<number> } } }).chrome.downloads.download({ url: url! }), link);
  await expectPanel(page, 'download-warning').toContainText(/expired/i, { timeout: 15_000 });
  const popup = await openPopup();
  await saveDownloadsTo(context, popup, downloadDir);
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  const warning = popup.getByTestId('warning-row').first();
  await expect(warning).toContainText(/expired/i);
  await warning.locator('[data-action="save-copy"]').click();
  await expect.poll(() => finished(downloadDir), { timeout: 10_000 }).toHaveLength(1);
  expect(new Uint8Array(readFileSync(path.join(downloadDir, finished(downloadDir)[0]!)))).toEqual(replica.bundleFor(DB.inventory.id, region));
  await expect(warning).toContainText(`Saved ${finished(downloadDir)[0]} to your downloads.`);
});

test('a truncated download is reported as not finished, with the kept copy as the fix', async ({ context, replica, openPopup }) => {
  const page = await context.newPage();
  const dialog = await openVerifiedDialog(page);
  replica.setFaults({ truncateBodyAt: 4000 });
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  await expectPanel(page, 'download-warning').toBeVisible({ timeout: 30_000 });
  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  const warning = popup.getByTestId('warning-row').first();
  await expect(warning).toHaveAttribute('data-code', /interrupted|size-mismatch|too-small/);
  await expect(warning.locator('[data-action="save-copy"]')).toBeVisible();
});

test('a 200 answer with an XML error body saved as the zip is caught', async ({ context, replica, openPopup }) => {
  const page = await context.newPage();
  const dialog = await openVerifiedDialog(page);
  replica.setFaults({ errorDocumentWith200: true });
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  await expectPanel(page, 'download-warning').toBeVisible({ timeout: 15_000 });
  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  await expect(popup.getByTestId('warning-row').first()).toHaveAttribute('data-code', /error-document|too-small|size-mismatch/);
});

// Chromium re-checks whether a finished download still exists only lazily (measured: one run in four saw a
// removed file within 4 s), so the "file gone" rule is proven in watch-downloads.test.ts; here the browser
// saves into a folder where browsers put files they open at once (Firefox's "Open with" folder on Linux).
test('a download the browser saved to be opened at once gets the browser-setting hint', async ({ context, openPopup }) => {
  const openWith = mkdtempSync('/tmp/mozilla_e2e');
  const page = await context.newPage();
  await saveDownloadsTo(context, page, openWith);
  const dialog = await openVerifiedDialog(page);
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  const warning = popup.getByTestId('warning-row').first();
  await expect(warning).toHaveAttribute('data-code', 'opened-by-browser', { timeout: 15_000 });
  await expect(warning).toContainText(/opened it/i);
  await expect(warning).toContainText('Save the zip as it is; do not let the browser open it.');
  await expect(warning.locator('[data-action="save-copy"]')).toBeVisible();
});

test('the service worker restarting mid-download loses nothing: the download is still judged', async ({ context, replica, openPopup }) => {
  const page = await context.newPage();
  const dialog = await openVerifiedDialog(page);
  replica.setFaults({ slowBodyMs: 400 });
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  await page.waitForTimeout(1000);
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await blank.close();
  const popup = await openPopup();
  const row = popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
  await expect(row).toContainText('downloaded and verified', { timeout: 30_000 });
});
