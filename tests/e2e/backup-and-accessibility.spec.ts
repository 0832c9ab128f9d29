import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';
import { expectPanel, panel } from './panel';
import { launchChromium } from './launch';
import { DB, ORG } from '../replica/fixtures';
import { contentOf } from '../shared/export-contents';

const PASSPHRASE = 'export passphrase for tests';

async function capture(context: BrowserContext) {
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.orders.id}/connect`);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle').toContainText('Verified');
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/settings/tokens`);
  await page.getByLabel('Select a Token Role').selectOption({ label: 'R/W User' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expectPanel(page, 'token').toContainText('Saved in Astra Companion');
  return page;
}

const MUTED = '.muted { color: #5b6672; }';

/**
 * axe cannot enter a closed shadow root (nor can anything in the page): the panel's shadow content, styles included,
 * read through CDP, is drawn in an open root on a plain page, where axe checks it with all its rules.
 */
async function axeViolations(context: BrowserContext, shadowHtml: string): Promise<string[]> {
  const page = await context.newPage();
  try {
    await page.setContent('<!doctype html><html lang="en"><head><title>Astra Companion panel</title></head><body><main><astra-companion-panel></astra-companion-panel></main></body></html>');
    await page.locator('astra-companion-panel').evaluate((host, html) => {
      host.attachShadow({ mode: 'open' }).innerHTML = html;
    }, shadowHtml);
    const result = await new AxeBuilder({ page }).include('astra-companion-panel').analyze();
    if (!result.passes.length) throw new Error('axe checked nothing in the panel copy');
    return result.violations.map((violation) => violation.id);
  } finally {
    await page.close();
  }
}

async function popupOf(context: BrowserContext): Promise<Page> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 400, height: 600 });
  await popup.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html`);
  return popup;
}

async function exportAll(popup: Page): Promise<Uint8Array> {
  await popup.getByRole('tab', { name: 'Backup' }).click();
  // A long but guessable passphrase is judged by strength, not length: the export stays off.
  await popup.getByLabel('Export passphrase').fill('Password1234!');
  await popup.getByLabel('Repeat the passphrase').fill('Password1234!');
  await expect(popup.locator('#export-passphrase-help')).toContainText('Too easy to guess');
  await expect(popup.getByRole('button', { name: 'Export everything' })).toBeDisabled();
  await popup.getByLabel('Export passphrase').fill(PASSPHRASE);
  await popup.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  const download = popup.waitForEvent('download');
  await popup.getByRole('button', { name: 'Export everything' }).click();
  return new Uint8Array(readFileSync((await (await download).path())!));
}

async function importFile(popup: Page, bytes: Uint8Array, passphrase?: string) {
  await popup.getByRole('tab', { name: 'Backup' }).click();
  await popup.getByLabel('Export file (.zip)').setInputFiles({ name: 'export.zip', mimeType: 'application/zip', buffer: Buffer.from(bytes) });
  if (passphrase) await popup.getByLabel('Passphrase of the export (for its tokens)').fill(passphrase);
  await popup.getByRole('button', { name: 'Import', exact: true }).click();
}

test('export, wipe, import: the store comes back identical, and a damaged export is refused without changes', async ({ context, replica }) => {
  await capture(context);
  const first = await exportAll(await popupOf(context));
  const issued = replica.issuedTokens.at(-1)!;

  // A fresh browser profile is a wiped store.
  const fresh = await launchChromium({ withExtension: true, extraArgs: replica.chromiumArgs });
  try {
    const popup = await popupOf(fresh);
    const damaged = first.slice(0, Math.floor(first.length * 0.6));
    await importFile(popup, damaged, PASSPHRASE);
    await expect(popup.getByText(/damaged|not a zip|could not be read/i).first()).toBeVisible();
    await expect(popup.getByRole('tab', { name: /Bundles/ })).toContainText('0');
    await expect(popup.getByRole('tab', { name: /Tokens/ })).toContainText('0');

    await importFile(popup, first, PASSPHRASE);
    await expect(popup.getByTestId('import-report')).toContainText('Added: 8 bundles, 1 tokens');
    const second = await exportAll(popup);
    expect(await contentOf(second)).toEqual(await contentOf(first));

    await popup.getByRole('tab', { name: /Tokens/ }).click();
    const row = popup.locator(`[data-testid="token-row"][data-client-id="${issued.clientId}"]`);
    await row.getByRole('button', { name: 'Reveal' }).click();
    await expect(row.getByTestId('revealed-secret')).toHaveText(issued.secret);
  } finally {
    await fresh.close();
  }
});

test('every popup view and every in-page panel passes axe with zero violations', async ({ context, shoot }) => {
  const page = await capture(context);
  expect(await axeViolations(context, await panel(page, 'token').shadowHtml())).toEqual([]);
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.orders.id}/connect`);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle').toContainText('Verified');
  const bundlePanel = await panel(page, 'bundle').shadowHtml();
  expect(await axeViolations(context, bundlePanel)).toEqual([]);
  // The copy is a real check: the same panel with its muted text made pale fails it.
  const pale = bundlePanel.replace(MUTED, '.muted { color: #c9ced4; }');
  expect(pale).not.toBe(bundlePanel);
  expect(await axeViolations(context, pale)).toContain('color-contrast');

  const popup = await popupOf(context);
  for (const [tab, name] of [
    [/Bundles/, 'popup-bundles-full'],
    [/Tokens/, 'popup-tokens-list'],
    [/Warnings/, 'popup-warnings'],
    ['Backup', 'popup-backup'],
  ] as const) {
    await popup.getByRole('tab', { name: tab }).click();
    const result = await new AxeBuilder({ page: popup }).analyze();
    expect(result.violations, `${name}: ${result.violations.map((v) => v.id).join(', ')}`).toEqual([]);
    await shoot(popup, name);
  }
  await popup.emulateMedia({ colorScheme: 'dark' });
  await popup.getByRole('tab', { name: /Bundles/ }).click();
  const dark = await new AxeBuilder({ page: popup }).analyze();
  expect(dark.violations.map((v) => v.id)).toEqual([]);
  await shoot(popup, 'popup-bundles-dark');
});
