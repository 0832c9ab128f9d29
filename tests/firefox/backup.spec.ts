/** Firefox: export everything, import it into a fresh profile, and the store comes back with the token's secret. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ElementHandle, Page } from 'puppeteer-core';
import { DB, ORG, startReplica, STORAGE_HOST, type Replica } from '../replica/server';
import { assertNoExtensionErrors, click, downloadsNow, newDownload, startFirefox, textOf, waitForText, waitUntil, type FirefoxSession } from './firefox-session';
import { waitForPanelText } from './firefox-panel';
import { contentOf } from '../shared/export-contents';

const PASSPHRASE = 'export passphrase for tests';

let replica: Replica;
before(async () => {
  replica = await startReplica({ port: 0 });
});
after(() => replica?.close());

async function fill(page: Page, selector: string, value: string) {
  await page.click(selector);
  await page.type(selector, value);
}

async function exportAll(firefox: FirefoxSession, popup: Page): Promise<Uint8Array> {
  await click(popup, 'Backup');
  await popup.waitForSelector('#export-passphrase');
  await fill(popup, '#export-passphrase', PASSPHRASE);
  await fill(popup, '#export-passphrase-repeat', PASSPHRASE);
  // The passphrase is judged by strength (the estimator loads on focus): the button opens once it is.
  await popup.waitForFunction(() => document.querySelector('#export-passphrase-help')?.textContent?.startsWith('Strength:'), { timeout: 15_000 });
  const before = downloadsNow(firefox);
  await click(popup, 'Export everything');
  const name = await newDownload(firefox, before, 30_000);
  assert.match(name, /\.zip$/);
  return new Uint8Array(readFileSync(path.join(firefox.downloadDir, name)));
}

test('export, then import into a fresh Firefox profile: the same bundles and tokens, the secret intact', async () => {
  const first = await startFirefox(replica);
  let exported: Uint8Array;
  let issued: (typeof replica.issuedTokens)[number];
  try {
    const page = await first.openPage(`https://astra.datastax.com/org/${ORG.id}/database/${DB.orders.id}/connect`);
    await click(page, 'Get Bundle');
    await waitForPanelText(page, 'bundle', /Verified/);
    await page.goto(`https://astra.datastax.com/org/${ORG.id}/settings/tokens`);
    await page.select('select', (await page.$$eval('select option', (options) => options.find((o) => o.textContent === 'R/W User')?.getAttribute('value'))) ?? '');
    await click(page, 'Generate Token');
    await waitForPanelText(page, 'token', /Saved in Astra Companion/);
    issued = replica.issuedTokens.at(-1)!;
    const popup = await first.openPopup();
    // All eight link kinds of both regions fetched and checked before the export.
    await waitUntil('all eight bundles fetched', () => replica.requests.filter((r) => r.host === STORAGE_HOST && r.status === 200).length >= 8, 30_000);
    await waitUntil('no bundle still being checked', async () => (await popup.$$('[data-testid="bundle-row"].status-checking')).length === 0);
    exported = await exportAll(first, popup);
    assertNoExtensionErrors(first);
  } finally {
    await first.close();
  }

  // A fresh profile is a wiped store.
  const fresh = await startFirefox(replica);
  try {
    const popup = await fresh.openPopup();
    await click(popup, 'Backup');
    const input = (await popup.waitForSelector('#import-file')) as ElementHandle<HTMLInputElement> | null;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'firefox-import-')), 'astra-companion-export.zip');
    writeFileSync(file, exported);
    await input!.uploadFile(file);
    await fill(popup, '#import-passphrase', PASSPHRASE);
    await click(popup, 'Import');
    await waitForText(popup, '[data-testid="import-report"]', /Added: 8 bundles, 1 tokens/);
    const again = await exportAll(fresh, popup);
    assert.deepEqual(await contentOf(again), await contentOf(exported));

    await click(popup, /^Tokens/);
    const row = `[data-testid="token-row"][data-client-id="${issued.clientId}"]`;
    await click(popup, 'Reveal', row);
    await waitForText(popup, `${row} [data-testid="revealed-secret"]`, /\S/);
    assert.equal((await textOf(popup, `${row} [data-testid="revealed-secret"]`))?.trim(), issued.secret);
    assertNoExtensionErrors(fresh);
  } finally {
    await fresh.close();
  }
});
