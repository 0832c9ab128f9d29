/**
 * The moment the panel exists for: the user clicks Download. The click navigates to the storage host (a
 * download, not a route change), so the in-page panel must stay with its dialog, verdict and countdown alive.
 */
import { test, expect } from './fixtures';
import { BUNDLE_DIALOG, finished, saveDownloadsTo } from './console';
import { expectPanel, panel } from './panel';
import { DB, ORG } from '../replica/fixtures';


test('Download Secure Bundle in the Get Bundle dialog: the verdict panel stays and keeps counting down', async ({ context, downloadDir }) => {
  const page = await context.newPage();
  await saveDownloadsTo(context, page, downloadDir);
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.inventory.id}/connect`);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  const dialog = page.getByRole('dialog', { name: BUNDLE_DIALOG });
  const verdict = panel(page, 'bundle', { dialog: BUNDLE_DIALOG });
  await expectPanel(verdict).toContainText('Verified');
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  await expect.poll(() => finished(downloadDir)).toEqual(['secure-connect-inventory.zip']);
  const before = await verdict.text();
  await expectPanel(verdict).toContainText('Verified');
  // Still alive: the countdown moves on.
  await expectPanel(verdict).not.toHaveText(before, { timeout: 5_000 });
  await expectPanel(verdict).toContainText(/Link valid for [45]:\d\d/);
});

test('Download SCB on a vector database: the floating verdict panel stays after the download starts', async ({ context, downloadDir }) => {
  const page = await context.newPage();
  await saveDownloadsTo(context, page, downloadDir);
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.vectors.id}`);
  await page.getByRole('button', { name: 'More' }).first().click();
  await page.getByRole('menuitem', { name: 'Download SCB' }).click();
  await expect.poll(() => finished(downloadDir), { timeout: 15_000 }).toHaveLength(1);
  const floating = panel(page, 'floating');
  await expectPanel(floating).toContainText('Verified', { timeout: 15_000 });
  // Download SCB navigates the tab to the storage link: nothing of that may stop the in-page features.
  await page.waitForTimeout(1500);
  await expectPanel(floating).toContainText('Verified');
});

test('route changes are still followed: from Settings to a database and its Connect tab, the panel starts', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/settings/tokens`);
  await expect(page.getByRole('button', { name: 'Generate Token' })).toBeVisible();
  await page.getByRole('link', { name: DB.inventory.name, exact: true }).click();
  await page.getByRole('link', { name: 'Connect' }).click();
  await expect(page).toHaveURL(/\/connect$/);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle', { dialog: BUNDLE_DIALOG }).toContainText('Verified');
});
