/**
 * Issue 11, weakness 1, performed as an attacker would: a script on the console page dispatches the page hook's own
 * event with the real token's client id and a made-up, self-consistent token and secret. Nothing kept may change.
 */
import type { Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures';
import { ORG, ROLES } from '../replica/fixtures';

const tokensPage = `https://astra.datastax.com/org/${ORG.id}/settings/tokens`;

/** Runs in the page: a forged token for `clientId` whose hash part is sha256 of a made-up secret, sent as the hook does. */
function forgeToken(page: Page, clientId: string, withSecret: boolean) {
  return page.evaluate(
    async ({ clientId, withSecret }) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      const secret = Array.from(crypto.getRandomValues(new Uint8Array(128)), (b) => alphabet[b % alphabet.length]).join('');
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
      const token = `AstraCS:${clientId}:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
      const body = JSON.stringify(withSecret ? { clientId, secret, token, orgId: crypto.randomUUID(), roles: ['Organization Administrator'] } : { token });
      window.dispatchEvent(new CustomEvent('astra-companion:response', { detail: JSON.stringify({ via: 'fetch', url: '/v2/clientIdSecrets', status: 200, body }) }));
      return { token, secret };
    },
    { clientId, withSecret },
  );
}

test('attack 1: a forged capture with the same client id never replaces the kept token; it is kept apart and shown as a warning', async ({ context, replica, serviceWorker, openPopup }) => {
  const page = await context.newPage();
  await page.goto(tokensPage);
  await page.getByLabel('Select a Token Role').selectOption({ label: 'Database Administrator' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expect(page.getByTestId('astra-companion-token-panel')).toContainText('Saved in Astra Companion');
  const issued = replica.issuedTokens.at(-1)!;
  const keptBefore = await serviceWorker.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('astra-companion');
    open.onsuccess = () => {
      const tx = open.result.transaction(['tokens', 'tokenBoxes']);
      const rows = tx.objectStore('tokens').getAll();
      const boxes = tx.objectStore('tokenBoxes').getAll();
      tx.oncomplete = () => resolve(JSON.stringify([rows.result, boxes.result]));
    };
  }));

  const forged = [await forgeToken(page, issued.clientId, true), await forgeToken(page, issued.clientId, false)];

  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  const warning = popup.locator('[data-testid="warning-row"][data-code="token-different-token"]');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText('The kept token was not replaced');
  await expect(warning).toContainText('2 such reports');

  await popup.getByRole('tab', { name: /Tokens/ }).click();
  const rows = popup.getByTestId('token-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Database Administrator');
  await rows.first().getByRole('button', { name: 'Reveal' }).click();
  await expect(rows.first().getByTestId('revealed-token')).toHaveText(issued.token);
  await expect(rows.first().getByTestId('revealed-secret')).toHaveText(issued.secret);
  const keptAfter = await serviceWorker.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('astra-companion');
    open.onsuccess = () => {
      const tx = open.result.transaction(['tokens', 'tokenBoxes']);
      const rows = tx.objectStore('tokens').getAll();
      const boxes = tx.objectStore('tokenBoxes').getAll();
      tx.oncomplete = () => resolve(JSON.stringify([rows.result, boxes.result]));
    };
  }));
  expect(keptAfter).toBe(keptBefore);
  const content = await popup.content();
  for (const { secret } of forged) expect(content).not.toContain(secret);
});

test('attack 4: forged role lists cannot rename a known role, and the names kept stay capped', async ({ context, serviceWorker, openPopup }) => {
  const admin = ROLES.find((role) => role.name === 'Database Administrator')!;
  const page = await context.newPage();
  await page.goto(tokensPage);
  // The console's own roles answer has been seen: the select lists its names.
  await expect(page.getByLabel('Select a Token Role').locator('option', { hasText: 'Database Administrator' })).toHaveCount(1);
  await page.evaluate((adminId) => {
    const send = (url: string, body: unknown) =>
      window.dispatchEvent(new CustomEvent('astra-companion:response', { detail: JSON.stringify({ via: 'fetch', url, status: 200, body: JSON.stringify(body) }) }));
    // Anywhere but a roles answer, and even under the real roles URLs: the admin role is never renamed.
    send('https://astra.datastax.com/api/v2/other', { roles: [{ id: adminId, name: 'RO User' }] });
    send('https://astra.datastax.com/api/v2/graphql', { data: { roles: [{ id: adminId, name: 'RO User' }] } });
    send('https://api.astra.datastax.com/v2/organizations/roles', [{ id: adminId, name: 'UI View Only' }]);
    // And a flood of made-up roles under the roles URL.
    const many = Array.from({ length: 2000 }, (_, i) => ({ id: crypto.randomUUID(), name: `Role ${i}` }));
    send('https://api.astra.datastax.com/v2/organizations/roles', many);
  }, admin.id);

  await page.getByLabel('Select a Token Role').selectOption({ label: 'Database Administrator' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expect(page.getByTestId('astra-companion-token-panel')).toContainText('Database Administrator · client id');
  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Tokens/ }).click();
  await expect(popup.getByTestId('token-row').first()).toContainText('Database Administrator');
  const names = await serviceWorker.evaluate(() => new Promise<Record<string, string>>((resolve) => {
    const open = indexedDB.open('astra-companion');
    open.onsuccess = () => {
      const get = open.result.transaction('kv').objectStore('kv').get('role-names');
      get.onsuccess = () => resolve(get.result ?? {});
    };
  }));
  expect(names[admin.id.toLowerCase()]).toBe('Database Administrator');
  expect(Object.keys(names).length).toBeLessThanOrEqual(500);
});

/** Every way a secret could sit in a string: as is, URL-encoded, or inside base64 (any alignment, or decoded). */
function holdsSecret(text: string, secret: string): boolean {
  if (text.includes(secret) || text.includes(encodeURIComponent(secret))) return true;
  for (let shift = 0; shift < 3; shift++) {
    const inner = Buffer.from('xx'.slice(0, shift) + secret).toString('base64').slice(4, -4);
    if (text.includes(inner)) return true;
  }
  for (const run of text.match(/[A-Za-z0-9+/_-]{40,}={0,2}/g) ?? []) {
    if (Buffer.from(run, 'base64').toString('latin1').includes(secret)) return true;
  }
  return false;
}

test('attack 10: token files saved from the popup leave no secret in the download history, in any encoding', async ({ context, replica, serviceWorker, openPopup, downloadDir }) => {
  const page = await context.newPage();
  await page.goto(tokensPage);
  await page.getByLabel('Select a Token Role').selectOption({ label: 'Database Administrator' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expect(page.getByTestId('astra-companion-token-panel')).toContainText('Saved in Astra Companion');
  const issued = replica.issuedTokens.at(-1)!;

  const popup = await openPopup();
  const cdp = await context.newCDPSession(popup);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadDir, eventsEnabled: true });
  await popup.getByRole('tab', { name: /Tokens/ }).click();
  const row = popup.getByTestId('token-row').first();
  await row.getByRole('button', { name: /^More for token/ }).click();
  await row.getByRole('menuitem', { name: 'Download CSV' }).click();
  await row.getByRole('button', { name: /^More for token/ }).click();
  await row.getByRole('menuitem', { name: 'Download JSON' }).click();
  const search = () =>
    serviceWorker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: { downloads: { search(query: object): Promise<Array<Record<string, unknown>>> } } };
      return chrome.downloads.search({});
    });
  await expect.poll(async () => (await search()).filter((item) => item.state === 'complete').length, { timeout: 20_000 }).toBe(2);
  const history = await search();
  // The files themselves do hold the secret (that is what the user asked for): only the history must not.
  const saved = readdirSync(downloadDir).map((name) => readFileSync(path.join(downloadDir, name), 'utf8'));
  expect(saved.every((text) => text.includes(issued.secret))).toBe(true);
  for (const item of history) {
    expect(String(item.url)).toMatch(/^blob:chrome-extension:/);
    expect(holdsSecret(JSON.stringify(item), issued.secret)).toBe(false);
    expect(holdsSecret(JSON.stringify(item), issued.token)).toBe(false);
  }
});

test('the vault says plainly what it protects, and judges a passphrase by how hard it is to guess', async ({ openPopup }) => {
  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Tokens/ }).click();
  await expect(popup.getByTestId('vault-exposure')).toContainText('anyone with a copy of this browser profile can open your tokens');
  await popup.getByText('Security', { exact: true }).click();
  for (const weak of ['Password1!', 'qwertyuiop']) {
    await popup.getByLabel('New passphrase', { exact: true }).fill(weak);
    await popup.getByLabel('Repeat the new passphrase', { exact: true }).fill(weak);
    await expect(popup.locator('#vault-next-help')).toContainText('Too easy to guess');
    await expect(popup.getByRole('button', { name: 'Set passphrase' })).toBeDisabled();
  }
  const strong = 'velvet tractor oboe lighthouse';
  await popup.getByLabel('New passphrase', { exact: true }).fill(strong);
  await popup.getByLabel('Repeat the new passphrase', { exact: true }).fill(strong);
  await expect(popup.locator('#vault-next-help')).toContainText('Strength: very strong');
  await popup.getByRole('button', { name: 'Set passphrase' }).click();
  await expect(popup.getByTestId('vault-exposure')).toHaveCount(0);
  await popup.getByLabel('Lock automatically').selectOption({ label: 'Never' });
  await expect(popup.getByTestId('vault-exposure')).toContainText('Auto-lock is "Never"');
});
