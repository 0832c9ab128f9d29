// Every write goes through the background, which announces it: what the popup deletes leaves the console page,
// the warnings and the badge at once.
import { test, expect } from './fixtures';
import { BUNDLE_DIALOG } from './console';
import { expectPanel, panel } from './panel';
import { DB, ORG } from '../replica/fixtures';

const connect = `https://astra.datastax.com/org/${ORG.id}/database/${DB.inventory.id}/connect`;
const region = DB.inventory.datacenters[0]!.region;

test('deleting a bundle in the popup: the console panel and its download warning follow at once', async ({ context, replica, serviceWorker, openPopup }) => {
  replica.setFaults({ linkLifetimeSeconds: 3 });
  const page = await context.newPage();
  await page.goto(connect);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  const dialog = page.getByRole('dialog', { name: BUNDLE_DIALOG });
  const verdict = panel(page, 'bundle', { dialog: BUNDLE_DIALOG });
  await expectPanel(verdict).toContainText('Verified');
  const link = await dialog.getByRole('link', { name: 'Download Secure Bundle' }).getAttribute('href');
  await page.waitForTimeout(4500);
  // A download of the dead link ("Save link as"): the console page gets a download warning about this bundle.
  await serviceWorker.evaluate((url) => (globalThis as unknown as { chrome: { downloads: { download(o: { url: string }): Promise<number> } } }).chrome.downloads.download({ url: url! }), link);
  await expectPanel(page, 'download-warning').toContainText(/expired/i, { timeout: 15_000 });

  const popup = await openPopup();
  await expect(popup.getByRole('tab', { name: /Warnings/ })).toContainText('1');
  const row = popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
  await row.getByRole('button', { name: /^More for secure-connect-inventory/ }).click();
  await row.getByRole('menuitem', { name: 'Delete…' }).click();
  await row.getByRole('button', { name: 'Delete', exact: true }).click();

  await expect(row).toHaveCount(0);
  await expectPanel(verdict).toContainText('Deleted from Astra Companion');
  await expectPanel(page, 'download-warning').toHaveCount(0);
  await expect(popup.getByRole('tab', { name: /Warnings/ })).toContainText('0');
  const badge = await serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { action: { getBadgeText(o: object): Promise<string> } } }).chrome.action.getBadgeText({}));
  expect(badge).toBe('');
});
