import type { BrowserContext, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, SCREENSHOT_DIR } from './fixtures';
import { expectPanel, panel } from './panel';
import { DB, ORG } from '../replica/fixtures';
import { finished } from './console';

const tokensPage = `https://astra.datastax.com/org/${ORG.id}/settings/tokens`;

async function generateOnTokensPage(page: Page, url = tokensPage) {
  await page.goto(url);
  await page.getByLabel('Select a Token Role').selectOption({ label: 'Database Administrator' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
}

async function tokensTab(openPopup: () => Promise<Page>) {
  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Tokens/ }).click();
  return popup;
}


async function saveDownloadsTo(context: BrowserContext, page: Page, dir: string) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
}

test('Settings > Tokens: the token is saved at once, confirmed without the secret, and revealed intact in the popup', async ({ context, replica, openPopup, shoot }) => {
  const page = await context.newPage();
  await generateOnTokensPage(page);
  await expect(page.getByRole('dialog', { name: 'Token Details' })).toBeVisible();
  const issued = replica.issuedTokens.at(-1)!;
  const saved = panel(page, 'token');
  await expectPanel(saved).toContainText('Saved in Astra Companion');
  await expectPanel(saved).toContainText(`Database Administrator · client id ${issued.clientId}`);
  expect(await saved.text()).not.toContain(issued.secret);
  // Only our panel: the console's own dialog shows the (test) secret, and secrets never go into snapshots.
  await saved.screenshot({ path: path.join(SCREENSHOT_DIR, 'console-token-saved.png') });

  const popup = await tokensTab(openPopup);
  const row = popup.locator(`[data-testid="token-row"][data-client-id="${issued.clientId}"]`);
  await expect(row).toContainText('Database Administrator');
  // The console told the organization's name (GraphQL currentOrg): the row says it, not a truncated id.
  await expect(row.getByTestId('token-org')).toHaveText(ORG.name);
  await expect(row.getByTestId('secret-mismatch')).toHaveCount(0);
  expect(await popup.content()).not.toContain(issued.secret);
  // The screenshot is taken while the secret is masked: secrets never go into snapshots, even test ones.
  await shoot(popup, 'popup-tokens');
  await row.getByRole('button', { name: 'Reveal' }).click();
  await expect(row.getByTestId('revealed-token')).toHaveText(issued.token);
  await expect(row.getByTestId('revealed-secret')).toHaveText(issued.secret);
});

test("older console: the popup's CSV is the console's own GeneratedToken.csv, and it stays one record", async ({ context, replica, openPopup, downloadDir }) => {
  const page = await context.newPage();
  await generateOnTokensPage(page, `${tokensPage}/classic`);
  const consoleFile = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download Token Details' }).click();
  const download = await consoleFile;
  expect(download.suggestedFilename()).toBe('GeneratedToken.csv');
  const consoleCsv = readFileSync((await download.path())!, 'utf8');
  const issued = replica.issuedTokens.at(-1)!;
  expect(consoleCsv).toContain(issued.secret);

  const popup = await tokensTab(openPopup);
  await saveDownloadsTo(context, popup, downloadDir);
  const rows = popup.getByTestId('token-row');
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('button', { name: /^More for token/ }).click();
  await rows.first().getByRole('menuitem', { name: 'Download CSV' }).click();
  await expect.poll(() => finished(downloadDir), { timeout: 10_000 }).toHaveLength(1);
  expect(readFileSync(path.join(downloadDir, finished(downloadDir)[0]!), 'utf8')).toBe(consoleCsv);
  await expect(rows).toHaveCount(1);
});

test("a database's Connect tab (REST) and a vector database's token-only display are captured too", async ({ context, replica, openPopup }) => {
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.orders.id}/connect`);
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expectPanel(page, 'token').toContainText('Saved in Astra Companion');
  const rest = replica.issuedTokens.at(-1)!;
  await expectPanel(page, 'token').toContainText(rest.clientId);
  // The console's own "Download Token Details" file is recognized as the same token, not a second record.
  const file = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download Token Details' }).click();
  await file;

  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.vectors.id}`);
  const before = replica.issuedTokens.length;
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expect.poll(() => replica.issuedTokens.length).toBe(before + 1);
  const tokenOnly = replica.issuedTokens.at(-1)!;
  await expectPanel(page, 'token').toContainText(tokenOnly.clientId);

  const popup = await tokensTab(openPopup);
  await expect(popup.getByTestId('token-row')).toHaveCount(2);
  const restRow = popup.locator(`[data-testid="token-row"][data-client-id="${rest.clientId}"]`);
  await expect(restRow.getByRole('button', { name: 'Copy secret' })).toBeEnabled();
  const onlyRow = popup.locator(`[data-testid="token-row"][data-client-id="${tokenOnly.clientId}"]`);
  await expect(onlyRow).toContainText('none captured');
  await expect(onlyRow.getByRole('button', { name: 'Copy secret' })).toBeDisabled();
});

test('locked: a token generated while locked is kept, and readable after unlocking', async ({ context, replica, openPopup }) => {
  const passphrase = 'correct horse battery staple';
  let popup = await tokensTab(openPopup);
  await popup.getByText('Security').click();
  await popup.getByLabel('New passphrase', { exact: true }).fill(passphrase);
  await popup.getByLabel('Repeat the new passphrase', { exact: true }).fill(passphrase);
  await popup.getByRole('button', { name: 'Set passphrase' }).click();
  await popup.getByRole('button', { name: 'Lock now' }).click();
  await expect(popup.getByText('Secrets are locked')).toBeVisible();
  await popup.close();

  const page = await context.newPage();
  await generateOnTokensPage(page);
  const issued = replica.issuedTokens.at(-1)!;
  await expectPanel(page, 'token').toContainText(issued.clientId);

  popup = await tokensTab(openPopup);
  const row = popup.locator(`[data-testid="token-row"][data-client-id="${issued.clientId}"]`);
  await expect(row.getByRole('button', { name: 'Reveal' })).toBeDisabled();
  await popup.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.getByText('That passphrase is not the right one.')).toBeVisible();
  await popup.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await row.getByRole('button', { name: 'Reveal' }).click();
  await expect(row.getByTestId('revealed-secret')).toHaveText(issued.secret);
});
