/**
 * Every popup view, in light and dark, from real captures: screenshots to look at (and, with UPDATE_SCREENSHOTS=1,
 * for the README), and the card rules that make the popup hold its own: one primary action that fits the link's
 * state, at most four buttons per card, and a button that keeps its size when it says "Copied".
 */
import type { BrowserContext, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { expectPanel, panel } from './panel';
import { DB, ORG } from '../replica/fixtures';

async function captureBundle(context: BrowserContext, dbId: string) {
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${dbId}/connect`);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle').toContainText('Verified');
  return page;
}

async function captureToken(page: Page) {
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/settings/tokens`);
  await page.getByLabel('Select a Token Role').selectOption({ label: 'R/W User' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expectPanel(page, 'token').toContainText('Saved in Astra Companion');
}

const card = (popup: Page, region: string) => popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
const visibleButtons = (row: ReturnType<typeof card>) => row.locator('.actions button:visible');

test('bundle cards: Copy curl leads while the link lives, at most four buttons, the rest under More; "Copied" moves nothing', async ({ context, openPopup }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await captureBundle(context, DB.orders.id);
  const popup = await openPopup();
  const row = card(popup, 'us-east1');
  await expect(row.getByText('Verified', { exact: true })).toBeVisible();
  expect(await visibleButtons(row).count()).toBeLessThanOrEqual(4);
  await expect(visibleButtons(row).first()).toHaveAccessibleName('Copy curl');
  await expect(visibleButtons(row).first()).toHaveClass(/primary/);

  const copy = row.getByRole('button', { name: 'Copy curl' });
  const before = await copy.boundingBox();
  const rowBefore = await row.boundingBox();
  await copy.click();
  await expect(row.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await row.getByRole('button', { name: 'Copied' }).boundingBox()).toEqual(before);
  expect(await row.boundingBox()).toEqual(rowBefore);

  await row.getByRole('button', { name: /^More for/ }).click();
  const menu = row.getByRole('menu');
  await expect(menu.getByRole('menuitem')).toHaveText(['Copy wget', 'Copy PowerShell', 'Export connection kit…', 'Delete…']);
  await menu.getByRole('menuitem', { name: 'Copy wget' }).click();
  await expect(row.getByRole('status')).toHaveText('Copied the wget command.');
  expect(await popup.evaluate(() => navigator.clipboard.readText())).toMatch(/^wget /);
});

test('after expiry the card leads with Save copy, and saving ends in "Saved"', async ({ context, replica, openPopup, downloadDir }) => {
  replica.setFaults({ linkLifetimeSeconds: 3 });
  await captureBundle(context, DB.inventory.id);
  const popup = await openPopup();
  const cdp = await context.newCDPSession(popup);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir, eventsEnabled: true });
  const row = card(popup, DB.inventory.datacenters[0]!.region);
  await expect(row.getByTestId('link-time')).toHaveText('Link expired', { timeout: 10_000 });
  expect(await visibleButtons(row).evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? b.textContent))).toEqual(['Save copy', expect.stringMatching(/^More for/)]);
  await expect(visibleButtons(row).first()).toHaveClass(/primary/);
  await row.getByRole('button', { name: 'Save copy' }).click();
  await expect(row.getByRole('status')).toHaveText(/^Saved .+\.zip to your downloads\.$/, { timeout: 15_000 });
});

test('the tab counts count the cards shown; checking a file is in the Bundles tab, open when there is nothing yet', async ({ context, openPopup }) => {
  const empty = await openPopup();
  await expect(empty.getByTestId('check-file-section')).toHaveAttribute('open', '');
  await expect(empty.getByTestId('check-file')).toBeVisible();
  await empty.close();
  await captureBundle(context, DB.orders.id);
  const popup = await openPopup();
  await expect(card(popup, 'us-east1')).toBeVisible();
  const shown = await popup.locator('[data-testid="bundle-row"]:visible').count();
  await expect(popup.getByRole('tab', { name: /Bundles/ })).toHaveText(`Bundles ${shown}`);
  await expect(popup.getByTestId('check-file-section')).not.toHaveAttribute('open', '');
});

test('every popup view in light and dark (screenshots)', async ({ context, openPopup, shoot }) => {
  const page = await captureBundle(context, DB.orders.id);
  await captureToken(page);
  const popup = await openPopup();
  await expect(card(popup, 'us-east1')).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme: scheme });
    const suffix = `-${scheme}`;
    for (const [tab, name] of [
      [/Bundles/, 'popup-bundles'],
      [/Tokens/, 'popup-tokens'],
      [/Warnings/, 'popup-warnings'],
      ['Backup', 'popup-backup'],
    ] as const) {
      await popup.getByRole('tab', { name: tab }).click();
      await expect(popup.getByRole('tabpanel')).not.toContainText('Loading…');
      await shoot(popup, `${name}${suffix}`);
    }
    await popup.getByRole('tab', { name: /Bundles/ }).click();
    await card(popup, 'us-east1').getByRole('button', { name: /^More for/ }).click();
    await shoot(popup, `popup-bundle-menu${suffix}`);
    await popup.keyboard.press('Escape');
  }
});

test('a download cut short while the dialog is open: the warning sits in the dialog under the verdict, Close stays free (screenshot)', async ({ context, replica, downloadDir, shoot }) => {
  const page = await captureBundle(context, DB.inventory.id);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir, eventsEnabled: true });
  replica.setFaults({ truncateBodyAt: 4000 });
  const dialog = page.getByRole('dialog', { name: 'Secure Connect Bundle Download' });
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  const warning = panel(page, 'download-warning', { dialog: 'Secure Connect Bundle Download' });
  await expectPanel(warning).toContainText('was cut off: 4,000 of', { timeout: 30_000 });
  expect(await warning.getByRole('link', { name: 'Download again' }).getAttribute('data-action')).toBe('retry-download');
  await expectPanel(warning.part('link-time')).toHaveText(/^Link valid for [0-4]:\d\d$/);
  // Nothing of ours lies over the dialog's own Close button: a click there closes the dialog.
  await dialog.getByRole('button', { name: 'Close', exact: true }).scrollIntoViewIfNeeded();
  await shoot(page, 'console-download-cut-in-dialog');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
});
