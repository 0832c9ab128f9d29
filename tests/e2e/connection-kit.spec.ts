import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseEnv } from 'dotenv';
import JSZip from 'jszip';
import { test, expect } from './fixtures';
import { expectPanel } from './panel';
import { DB, ORG } from '../replica/fixtures';
import { finished } from './console';


test('connection kit: both regions\' bundles and a .env with the token the user picked, opened by the background', async ({ context, replica, openPopup, downloadDir }) => {
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/settings/tokens`);
  await page.getByLabel('Select a Token Role').selectOption({ label: 'Database Administrator' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expectPanel(page, 'token').toContainText('Saved in Astra Companion');
  const issued = replica.issuedTokens.at(-1)!;
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.orders.id}/connect`);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle').toContainText('Verified');

  const popup = await openPopup();
  const cdp = await context.newCDPSession(popup);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir, eventsEnabled: true });
  const card = popup.locator('[data-testid="bundle-row"][data-region="us-east1"][data-kind="external"]');
  await expect(card.getByText('Verified', { exact: true })).toBeVisible();
  await card.getByRole('button', { name: /^More for / }).click();
  await popup.getByRole('menuitem', { name: 'Export connection kit…' }).click();
  const chooser = card.getByTestId('kit-export');
  const select = chooser.getByLabel("Token to write into the kit's .env");
  await expect(select).toBeEnabled();
  // One kept token, shown by role and masked: the popup never opens it.
  await expect(select.locator('option')).toHaveText(['None (a placeholder line)', /^Database Administrator \(AstraCS:/]);
  expect(await popup.content()).not.toContain(issued.token);
  await select.selectOption({ index: 1 });
  await chooser.getByRole('button', { name: 'Export kit' }).click();
  // Saved from a blob URL the background made: under Playwright the file on disk gets an id for a name.
  await expect.poll(() => finished(downloadDir), { timeout: 15_000 }).toHaveLength(1);
  // The popup says the save ended, under the name the file really got on disk.
  await expect(card.getByRole('status')).toHaveText(`Saved ${finished(downloadDir)[0]} (bundles, .env with your token, snippets) to your downloads.`);

  const bytes = readFileSync(path.join(downloadDir, finished(downloadDir)[0]!));
  expect(bytes.includes('X-Amz-')).toBe(false);
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const env = parseEnv(await zip.file('.env')!.async('string'));
  expect(env).toEqual({
    ASTRA_DB_ID: DB.orders.id,
    ASTRA_DB_KEYSPACE: DB.orders.keyspace,
    ASTRA_DB_REGION: 'us-east1',
    ASTRA_DB_API_ENDPOINT: `https://${DB.orders.id}-us-east1.apps.astra.datastax.com`,
    ASTRA_DB_SECURE_BUNDLE_PATH: 'secure-connect-orders.zip',
    ASTRA_DB_APPLICATION_TOKEN: issued.token,
  });
  expect(Buffer.from(await zip.file('secure-connect-orders.zip')!.async('uint8array'))).toEqual(Buffer.from(replica.bundleFor(DB.orders.id, 'us-east1')));
  expect(Buffer.from(await zip.file('secure-connect-orders-europe-west1.zip')!.async('uint8array'))).toEqual(Buffer.from(replica.bundleFor(DB.orders.id, 'europe-west1')));
  for (const name of Object.keys(zip.files)) {
    if (name === '.env') continue;
    expect(Buffer.from(await zip.file(name)!.async('uint8array')).includes(issued.token)).toBe(false);
  }
});
