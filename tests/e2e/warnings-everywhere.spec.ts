/**
 * Every warning kind reaches all four places the same way: the toolbar badge, a notification, the Warnings tab
 * and the console page. Proven here for the two kinds that used to reach fewer: a dead link opened in a tab, and
 * a good download whose file is gone afterwards (the browser opened, unpacked or moved it).
 */
import type { Worker } from '@playwright/test';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures';
import { openVerifiedDialog, saveDownloadsTo } from './console';
import { expectPanel, panel } from './panel';
import { DB } from '../replica/fixtures';

type Chrome = {
  action: { getBadgeText(details: object): Promise<string>; getBadgeBackgroundColor(details: object): Promise<number[]> };
  notifications: { getAll(): Promise<Record<string, boolean>> };
};
const badge = (worker: Worker) =>
  worker.evaluate(async () => {
    const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
    return { text: await chrome.action.getBadgeText({}), color: await chrome.action.getBadgeBackgroundColor({}) };
  });
const notifications = (worker: Worker) => worker.evaluate(async () => Object.keys(await (globalThis as unknown as { chrome: Chrome }).chrome.notifications.getAll()));

test('an expired link opened in a tab: explained there, and a warning in the badge, a notification, the Warnings tab and the console tab', async ({ context, replica, serviceWorker, openPopup }) => {
  replica.setFaults({ linkLifetimeSeconds: 3 });
  const consoleTab = await context.newPage();
  const dialog = await openVerifiedDialog(consoleTab);
  const link = (await dialog.getByRole('link', { name: 'Download Secure Bundle' }).getAttribute('href'))!;
  await consoleTab.waitForTimeout(4500);
  const storageTab = await context.newPage();
  await storageTab.goto(link);
  await expectPanel(panel(storageTab, 'storage-error').part('storage-error-message')).toContainText(/expired/i);

  await expect.poll(async () => (await badge(serviceWorker)).text, { timeout: 10_000 }).toBe('1');
  expect((await badge(serviceWorker)).color).toEqual([180, 35, 24, 255]);
  await expect.poll(() => notifications(serviceWorker)).toContainEqual(expect.stringMatching(/^storage-tab-/));
  await expectPanel(panel(consoleTab, 'download-warning').part('download-warning')).toHaveAttribute('data-code', 'link-expired');

  const popup = await openPopup();
  await expect(popup.getByRole('tab', { name: /Warnings/ })).toContainText('1');
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  const warning = popup.getByTestId('warning-row').first();
  await expect(warning).toContainText('had expired when it was opened');
  await expect(warning.locator('[data-action="save-copy"]')).toBeVisible();

  // Opening the same dead link again is the same warning, not a second one.
  await storageTab.reload();
  await expectPanel(storageTab, 'storage-error').toBeVisible();
  await expect(popup.getByTestId('warning-row')).toHaveCount(1);
});

test('a good download whose file is gone afterwards (opened, unpacked or moved): the popup opening finds it, and it is warned about everywhere', async ({ context, serviceWorker, openPopup, downloadDir }) => {
  const page = await context.newPage();
  await saveDownloadsTo(context, page, downloadDir);
  const dialog = await openVerifiedDialog(page);
  await dialog.getByRole('link', { name: 'Download Secure Bundle' }).click();
  const first = await openPopup();
  const row = first.locator(`[data-testid="bundle-row"][data-region="${DB.inventory.datacenters[0]!.region}"][data-kind="external"]`);
  await expect(row).toContainText('downloaded and verified', { timeout: 20_000 });
  await first.close();
  expect((await badge(serviceWorker)).text).toBe('');

  // What a browser that unpacks the zip does: the saved file is no longer there.
  const saved = path.join(downloadDir, readdirSync(downloadDir).find((name) => name.endsWith('.zip'))!);
  rmSync(saved);
  expect(existsSync(saved)).toBe(false);

  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  const warning = popup.getByTestId('warning-row').first();
  await expect(warning).toHaveAttribute('data-code', 'opened-by-browser', { timeout: 20_000 });
  await expect(warning).toContainText('is no longer where it was saved');
  await expect.poll(async () => (await badge(serviceWorker)).text).toBe('1');
  expect((await badge(serviceWorker)).color).toEqual([179, 92, 0, 255]);
  await expect.poll(() => notifications(serviceWorker)).toContainEqual(expect.stringMatching(/opened-by-browser$/));
  await expectPanel(panel(page, 'download-warning').part('download-warning')).toHaveAttribute('data-code', 'opened-by-browser');
});
