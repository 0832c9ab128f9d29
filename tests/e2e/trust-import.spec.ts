/**
 * Issue 11, weakness 5, performed as an attacker would: a backup file edited by hand (its checksums made consistent)
 * and imported through the popup. Nothing kept may change, and the report says what was left out and why.
 */
import type { Page, Worker } from '@playwright/test';
import JSZip from 'jszip';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';
import { DB, ORG } from '../replica/fixtures';
import { makeBundle } from '../replica/make-bundle';
import { makeSecret, tokenFor } from '../replica/mint-token';

function storeDigest(worker: Worker) {
  return worker.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const open = indexedDB.open('astra-companion');
        open.onsuccess = () => {
          const stores = ['bundles', 'bundleFiles', 'tokens', 'tokenBoxes'];
          const tx = open.result.transaction(stores);
          const all = stores.map((name) => tx.objectStore(name).getAll());
          tx.oncomplete = async () => {
            const text = JSON.stringify(all.map((r) => r.result), (_k, v) => (v instanceof Uint8Array ? Array.from(v).join(',') : v));
            const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
            resolve(Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''));
          };
        };
      }),
  );
}

function checking(worker: Worker) {
  return worker.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('astra-companion');
        open.onsuccess = () => {
          const get = open.result.transaction('bundles').objectStore('bundles').getAll();
          get.onsuccess = () => resolve(get.result.filter((b: { status: string }) => b.status === 'checking').length);
        };
      }),
  );
}

async function exportWithPlainTokens(popup: Page): Promise<Uint8Array> {
  await popup.getByRole('tab', { name: 'Backup' }).click();
  await popup.getByLabel('Plain CSV, not encrypted').check();
  await popup.getByLabel(/I understand/).check();
  const download = popup.waitForEvent('download');
  await popup.getByRole('button', { name: 'Export with plain tokens' }).click();
  return new Uint8Array(readFileSync((await (await download).path())!));
}

test('attack 5: a hostile backup imported through the popup changes nothing kept, and the report lists what was refused', async ({ context, replica, serviceWorker, openPopup }) => {
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.inventory.id}/connect`);
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expect(page.getByTestId('astra-companion-bundle-panel').first()).toContainText('Verified');
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/settings/tokens`);
  await page.getByLabel('Select a Token Role').selectOption({ label: 'R/W User' });
  await page.getByRole('button', { name: 'Generate Token' }).click();
  await expect(page.getByTestId('astra-companion-token-panel')).toContainText('Saved in Astra Companion');
  const issued = replica.issuedTokens.at(-1)!;

  const popup = await openPopup();
  const exported = await exportWithPlainTokens(popup);
  // Every link of the Get Bundle answer has been fetched and judged before the store is fingerprinted.
  await expect.poll(() => checking(serviceWorker), { timeout: 30_000 }).toBe(0);
  const before = await storeDigest(serviceWorker);

  // The attacker's edits: every kept copy swapped for a bundle another CA signed (dated newer, so it would win),
  // every link pointed at another host, and the token replaced by a made-up one for the same client id.
  const zip = await JSZip.loadAsync(exported);
  const doc = JSON.parse(await zip.file('bundles.json')!.async('string'));
  const forged = await makeBundle({ dbId: DB.inventory.id, dbName: 'inventory', region: 'us-east-1', signedBy: 'other-ca' });
  const sha = createHash('sha256').update(forged).digest('hex');
  for (const [index, entry] of doc.bundles.entries()) {
    entry.record.updatedAt += 60_000;
    if (index % 2 === 1) entry.record.link = entry.record.link.replace(/^https:\/\/[^/]+/, 'https://evil.example');
    if (entry.file) {
      zip.file(entry.file.path, forged);
      Object.assign(entry.file, { sha256: sha, size: forged.byteLength });
      entry.record.copySha256 = sha;
    }
  }
  zip.file('bundles.json', JSON.stringify(doc));
  const secret = makeSecret(false);
  const csv = (await zip.file('tokens.csv')!.async('string')).replace(issued.secret, secret).replace(issued.token, tokenFor(issued.clientId, secret));
  zip.file('tokens.csv', csv);
  const meta = JSON.parse(await zip.file('tokens.json')!.async('string'));
  for (const token of meta.tokens) token.capturedAt += 60_000;
  zip.file('tokens.json', JSON.stringify(meta));
  const hostile = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });

  await popup.getByLabel('Export file (.zip)').setInputFiles({ name: 'export.zip', mimeType: 'application/zip', buffer: Buffer.from(hostile) });
  await popup.getByRole('button', { name: 'Import', exact: true }).click();
  const report = popup.getByTestId('import-report');
  await expect(report).toContainText('Left out');
  await expect(report).toContainText('A different token is already kept for this client id');
  await expect(report).toContainText('not a signed bundle link on the storage host');
  await expect(report).toContainText('fails the bundle check (certificate-untrusted)');
  expect(await storeDigest(serviceWorker)).toBe(before);
});
