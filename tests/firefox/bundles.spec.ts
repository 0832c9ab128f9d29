/** Firefox: capture and verify on Get Bundle, the popup's list and countdown, and a copied curl that really works. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DB, ORG, STORAGE_HOST } from '../replica/server';
import { assertNoExtensionErrors, click, pasteClipboard, firefoxSuite, textOf, waitForText, waitUntil } from './firefox-session';
import { panelRoots, waitForPanelText } from './firefox-panel';

const connect = (dbId: string) => `https://astra.datastax.com/org/${ORG.id}/database/${dbId}/connect`;
const row = (region: string) => `[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`;

const suite = firefoxSuite();

/** Runs a command copied from the popup in a real shell, with the storage host mapped to the suite.replica. */
function runCopied(command: string, cwd: string): Promise<{ status: number | null; stderr: string }> {
  const mapped = `${command} --connect-to ${STORAGE_HOST}:443:127.0.0.1:${suite.replica.port} --insecure --max-time 20`;
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', mapped], { cwd });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

test('Get Bundle on a two-region database: the dialog panel verifies the bundle, the popup lists both regions with a countdown', async () => {
  suite.replica.resetFaults();
  const page = await suite.firefox.openPage(connect(DB.orders.id));
  await click(page, 'Get Bundle');
  const panel = await waitForPanelText(page, 'bundle', /Verified: 1\d\.\d KB, 8 files, cert valid until \d{4}-\d{2}-\d{2}, copy kept/);
  assert.match(panel, /Link valid for [45]:\d\d/);
  // The panel's root is closed: the browser's own protocol reads it (above); the page's scripts cannot.
  assert.deepEqual((await panelRoots(page, 'bundle')).map((root) => root.mode), ['closed']);
  const fromPage = await page.evaluate(`(() => {
    const host = document.querySelector('[data-testid="astra-companion-bundle-panel"]');
    return { shadowRoot: host.shadowRoot, text: host.textContent + host.innerHTML, body: document.body.innerText.includes('copy kept') };
  })()`);
  assert.deepEqual(fromPage, { shadowRoot: null, text: '', body: false });

  const popup = await suite.firefox.openPopup();
  for (const region of ['us-east1', 'europe-west1']) {
    const text = await waitForText(popup, row(region), /Verified/);
    assert.match(text, /Link valid for [45]:\d\d/);
  }
  // The countdown runs: the same row shows a later time a few seconds on.
  const first = /Link valid for (\d):(\d\d)/.exec((await textOf(popup, row('us-east1')))!)!;
  const later = await waitUntil('the countdown to move', async () => {
    const now = /Link valid for (\d):(\d\d)/.exec((await textOf(popup, row('us-east1'))) ?? '');
    return now && Number(now[1]) * 60 + Number(now[2]) < Number(first[1]) * 60 + Number(first[2]) ? now : false;
  }, 5_000);
  assert.ok(later);
  assert.equal((await popup.$$('[data-testid="bundle-row"][data-kind="external"]')).length, 2);
  await popup.close();
  await page.close();
  assertNoExtensionErrors(suite.firefox);
});

test('copy curl from the popup: the clipboard holds a shell-correct command that downloads the exact bundle', async () => {
  suite.replica.resetFaults();
  const page = await suite.firefox.openPage(connect(DB.inventory.id));
  await click(page, 'Get Bundle');
  await waitForPanelText(page, 'bundle', /Verified/);
  const region = DB.inventory.datacenters[0]!.region;

  const popup = await suite.firefox.openPopup();
  await waitForText(popup, row(region), /Verified/);
  await click(popup, 'Copy curl', row(region));
  await waitForText(popup, row(region), /Copied/, 5_000);
  const curl = await pasteClipboard(suite.firefox);
  assert.match(curl, /^curl -fSL -o 'secure-connect-inventory\.zip' 'https:\/\/datastax-cluster-config-prod\.s3\.us-east-2\.amazonaws\.com\/.+'$/);
  assert.ok(suite.replica.issuedLinks.some((link) => curl.includes(`'${link}'`)), 'the command carries a link the replica issued, unaltered');

  const dir = mkdtempSync(path.join(tmpdir(), 'firefox-curl-'));
  const result = await runCopied(curl, dir);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(new Uint8Array(readFileSync(path.join(dir, 'secure-connect-inventory.zip'))), suite.replica.bundleFor(DB.inventory.id, region));
  assert.equal(existsSync(path.join(dir, 'secure-connect-inventory.zip')), true);
  await popup.close();
  await page.close();
  assertNoExtensionErrors(suite.firefox);
});
