/** Steps many e2e specs share on the replica console: its Connect page, the Get Bundle dialog, a download folder. */
import { readdirSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { DB, ORG } from '../replica/fixtures';
import { expectPanel } from './panel';

export const BUNDLE_DIALOG = 'Secure Connect Bundle Download';

export const connectUrl = (dbId: string = DB.inventory.id) => `https://astra.datastax.com/org/${ORG.id}/database/${dbId}/connect`;

/** Downloads land in `dir` under their real names, so a test can look at (or remove) the saved file. */
export async function saveDownloadsTo(context: BrowserContext, page: Page, dir: string): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
}

/** The files a download folder holds once their downloads finished (Chromium writes `.crdownload` while running). */
export const finished = (dir: string) => readdirSync(dir).filter((name) => !name.endsWith('.crdownload'));

/** Opens Get Bundle on a database's Connect page and waits until Astra Companion has verified the link the dialog shows. */
export async function openVerifiedDialog(page: Page, dbId: string = DB.inventory.id) {
  await page.goto(connectUrl(dbId));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  const dialog = page.getByRole('dialog', { name: BUNDLE_DIALOG });
  await expectPanel(page, 'bundle', { dialog: BUNDLE_DIALOG }).toContainText('Verified');
  return dialog;
}
