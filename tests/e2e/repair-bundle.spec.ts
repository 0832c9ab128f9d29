import type { BrowserContext, Page } from '@playwright/test';
import JSZip from 'jszip';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBundle } from '../../utils/bundle/check-bundle';
import { readZipDirectory } from '../../utils/zip/zip-directory';
import { zipBundle } from '../replica/make-bundle';
import { DB } from '../replica/fixtures';
import { test, expect } from './fixtures';
import { finished } from './console';

const ASTRA_ORDER = ['ca.crt', 'key', 'cert', 'identity.jks', 'trustStore.jks', 'config.json', 'cqlshrc', 'cert.pfx'];
const region = DB.orders.datacenters[0]!.region;

/** The replica's real bundle for orders, unpacked into its eight files. */
async function ordersParts(bundle: Uint8Array): Promise<Record<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bundle);
  const parts: Record<string, Uint8Array> = {};
  for (const name of ASTRA_ORDER) parts[name] = await zip.file(name)!.async('uint8array');
  return parts;
}

async function saveDownloadsTo(context: BrowserContext, page: Page, dir: string) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, eventsEnabled: true });
}


async function expectFlatBundleOf(file: string, parts: Record<string, Uint8Array>) {
  const bytes = new Uint8Array(readFileSync(file));
  const read = readZipDirectory(bytes, { maxEntries: 64 });
  expect(read.ok && read.directory.entries.map((e) => e.name)).toEqual(ASTRA_ORDER);
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  for (const name of ASTRA_ORDER) expect(await zip.file(name)!.async('uint8array'), name).toEqual(parts[name]);
  expect((await checkBundle(bytes)).ok).toBe(true);
}

test('a re-zipped bundle chosen in the popup: "Save repaired bundle" saves a flat bundle in Astra order', async ({ context, replica, openPopup, downloadDir, shoot }) => {
  const parts = await ordersParts(replica.bundleFor(DB.orders.id, region));
  const dir = mkdtempSync(path.join(tmpdir(), 'rezipped-'));
  const rezipped = path.join(dir, 'secure-connect-orders.zip');
  writeFileSync(rezipped, await zipBundle(parts, { folder: 'secure-connect-orders', macosx: true }));

  const popup = await openPopup();
  await saveDownloadsTo(context, popup, downloadDir);
  // With no bundle kept yet, the Bundles tab opens with "Check a bundle file" unfolded.
  await expect(popup.getByTestId('check-file')).toBeVisible();
  await popup.getByTestId('file-input').setInputFiles(rezipped);
  const result = popup.getByTestId('check-result');
  await expect(result.locator('[data-code="nested-folder"]')).toBeVisible();
  await result.getByRole('button', { name: 'Save repaired bundle' }).click();
  await expect(result.getByTestId('repair-result')).toContainText('Saved secure-connect-orders.zip');
  await expect(result.getByTestId('repair-result')).toContainText('Good bundle');
  await result.getByTestId('repair-result').scrollIntoViewIfNeeded();
  await shoot(popup, 'popup-repair-bundle');
  await expect.poll(() => finished(downloadDir), { timeout: 10_000 }).toEqual(['secure-connect-orders.zip']);
  await expectFlatBundleOf(path.join(downloadDir, 'secure-connect-orders.zip'), parts);
});

test('an unpacked folder chosen in the popup is saved as a bundle; a folder missing its key is not', async ({ context, replica, openPopup, downloadDir }) => {
  const parts = await ordersParts(replica.bundleFor(DB.orders.id, region));
  const dir = mkdtempSync(path.join(tmpdir(), 'unpacked-'));
  const folder = path.join(dir, 'secure-connect-orders');
  mkdirSync(folder);
  for (const [name, data] of Object.entries(parts)) writeFileSync(path.join(folder, name), data);
  writeFileSync(path.join(folder, '.DS_Store'), new Uint8Array([0, 0, 0, 1]));
  const keyless = path.join(dir, 'secure-connect-keyless');
  mkdirSync(keyless);
  for (const [name, data] of Object.entries(parts)) if (name !== 'key') writeFileSync(path.join(keyless, name), data);

  const popup = await openPopup();
  await saveDownloadsTo(context, popup, downloadDir);
  // With no bundle kept yet, the Bundles tab opens with "Check a bundle file" unfolded.
  await expect(popup.getByTestId('check-file')).toBeVisible();
  const result = popup.getByTestId('check-result');

  await popup.getByTestId('folder-input').setInputFiles(folder);
  await result.getByRole('button', { name: 'Save repaired bundle' }).click();
  await expect(result.getByTestId('repair-result')).toContainText('Saved secure-connect-orders.zip');
  await expect.poll(() => finished(downloadDir), { timeout: 10_000 }).toEqual(['secure-connect-orders.zip']);
  await expectFlatBundleOf(path.join(downloadDir, 'secure-connect-orders.zip'), parts);

  await popup.getByTestId('folder-input').setInputFiles(keyless);
  await result.getByRole('button', { name: 'Save repaired bundle' }).click();
  await expect(result.getByTestId('repair-result')).toContainText('Not saved');
  await expect(result.getByTestId('repair-result').locator('[data-code="missing-entry"]').first()).toContainText('lacks key');
  expect(finished(downloadDir)).toEqual(['secure-connect-orders.zip']);
});
