/** Firefox: a generated token is captured at once, and the popup's CSV is the console's own GeneratedToken.csv. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ORG } from '../replica/server';
import { assertNoExtensionErrors, click, downloadsNow, newDownload, pasteClipboard, firefoxSuite, textOf, waitForText, waitUntil } from './firefox-session';
import { waitForPanelText } from './firefox-panel';

const tokensPage = `https://astra.datastax.com/org/${ORG.id}/settings/tokens`;

const suite = firefoxSuite();

test("older console: the token is saved at once without showing its secret, and the popup's CSV is the console's own file", async () => {
  const page = await suite.firefox.openPage(`${tokensPage}/classic`);
  await page.select('select', (await page.$$eval('select option', (options) => options.find((o) => o.textContent === 'Database Administrator')?.getAttribute('value'))) ?? '');
  await click(page, 'Generate Token');
  const issued = await waitUntil('the replica to issue a token', () => suite.replica.issuedTokens.at(-1));
  const panel = await waitForPanelText(page, 'token', /Saved in Astra Companion/);
  assert.match(panel, new RegExp(`client id ${issued.clientId}`));
  assert.ok(!panel.includes(issued.secret), 'the in-page confirmation never shows the secret');

  const beforeConsole = downloadsNow(suite.firefox);
  await click(page, 'Download Token Details');
  const consoleFile = await newDownload(suite.firefox, beforeConsole);
  assert.equal(consoleFile, 'GeneratedToken.csv');
  const consoleCsv = readFileSync(path.join(suite.firefox.downloadDir, consoleFile), 'utf8');
  assert.ok(consoleCsv.includes(issued.secret));

  const popup = await suite.firefox.openPopup();
  await click(popup, /^Tokens/);
  const row = `[data-testid="token-row"][data-client-id="${issued.clientId}"]`;
  await waitForText(popup, row, /Database Administrator/);
  assert.equal((await popup.$$('[data-testid="token-row"]')).length, 1, 'the console file is the same token, not a second record');
  assert.ok(!(await popup.content()).includes(issued.secret));
  const before = downloadsNow(suite.firefox);
  // Files are under the token card's More menu.
  await click(popup, /^More for token/, row);
  await click(popup, 'Download CSV', row);
  const ours = await newDownload(suite.firefox, before);
  assert.match(ours, /^GeneratedToken.*\.csv$/);
  assert.equal(readFileSync(path.join(suite.firefox.downloadDir, ours), 'utf8'), consoleCsv);

  await click(popup, 'Reveal', row);
  await waitForText(popup, `${row} [data-testid="revealed-secret"]`, new RegExp(`^${issued.secret.replace(/[.+]/g, '\\$&')}$`));
  assert.equal(await textOf(popup, `${row} [data-testid="revealed-token"]`), issued.token);
  await popup.close();
  await page.close();
  assertNoExtensionErrors(suite.firefox);
});

test("a copied secret is cleared from the clipboard 30 s later by Firefox's background page, after the popup closed", async () => {
  const issued = suite.replica.issuedTokens.at(-1);
  assert.ok(issued, 'runs after the capture test, on its token');
  const popup = await suite.firefox.openPopup();
  await click(popup, /^Tokens/);
  // Firefox grants the optional clipboardRead permission without its doorhanger (a test pref); the box then stays on.
  await click(popup, /^Clear copied secrets from the clipboard/);
  await waitUntil('the clipboard option to be on', () => popup.$eval('.clipboard-guard input', (box) => (box as HTMLInputElement).checked));
  const row = `[data-testid="token-row"][data-client-id="${issued.clientId}"]`;
  await click(popup, 'Copy secret', row);
  await waitForText(popup, row, /Copied/, 5_000);
  const copiedAt = Date.now();
  await popup.close();
  assert.equal(await pasteClipboard(suite.firefox), issued.secret);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, copiedAt + 32_000 - Date.now())));
  assert.equal(await waitUntil('the clipboard to be emptied', async () => ((await pasteClipboard(suite.firefox, { expectEmpty: true })) === '' ? 'empty' : false), 15_000), 'empty');
  assertNoExtensionErrors(suite.firefox);
});
