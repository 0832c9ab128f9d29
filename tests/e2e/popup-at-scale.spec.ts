/**
 * The popup with years of history: it draws one page, counts from the store's counters, loads more as the user scrolls, and
 * finds a record far beyond the first page through search.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const BUNDLES = 400;
const TOKENS = 120;

/** Fills the extension's own IndexedDB (what years of captures leave) with the raw API, from an extension page. */
async function fill(page: Page): Promise<void> {
  await page.evaluate(
    async ({ bundles, tokens }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('astra-companion');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction(['bundles', 'tokens', 'tokenBoxes', 'counts'], 'readwrite');
      const now = Date.now();
      for (let i = 0; i < bundles; i++) {
        const dbId = `${i.toString(16).padStart(8, '0')}-4b5c-4d7e-8f90-a1b2c3d4e5f6`;
        tx.objectStore('bundles').put({
          id: `${dbId}|us-east1|external`, dbId, dbName: `shop-${i}`, region: 'us-east1', kind: 'external', fileName: `secure-connect-shop-${i}.zip`,
          link: `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/${dbId}-1/secure-connect-shop-${i}.zip?X-Amz-Signature=${i}`,
          signedAt: now - i * 60_000, expiresAt: now - i * 60_000 + 300_000, capturedAt: now - i * 60_000, updatedAt: now - i * 60_000,
          page: 'https://astra.datastax.com/', source: 'network', status: 'verified', problems: [], size: 12_200, entryCount: 8, hasCopy: false,
        });
      }
      for (let i = 0; i < tokens; i++) {
        const clientId = `Tok${String(i).padStart(21, '0')}`;
        tx.objectStore('tokens').put({
          id: clientId, clientId, maskedToken: 'AstraCS:Tok0…',
          hasSecret: false, secretCheck: 'no-secret', role: i === 97 ? 'Billing Admin' : 'R/W User', capturedAt: now - i * 1000, page: 'https://astra.datastax.com/', source: 'network',
        });
        tx.objectStore('tokenBoxes').put({ id: clientId, sealed: { format: 'astra-companion-sealed', version: 1, kid: 'x', epk: 'x', iv: 'x', data: 'x' } });
      }
      // Written around the extension's write paths, so the counters the tabs show are set as those paths keep them.
      tx.objectStore('counts').put({ bundles, shownBundles: bundles, tokens, warnings: 0, openWarnings: 0 }, 'all');
      await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = () => reject(tx.error))));
      db.close();
    },
    { bundles: BUNDLES, tokens: TOKENS },
  );
}

test('400 bundles and 120 tokens: one page drawn, counts from the store, more on scroll, search beyond the first page', async ({ openPopup }) => {
  const seed = await openPopup();
  await seed.getByRole('tab', { name: /Bundles/ }).waitFor();
  await fill(seed);
  await seed.close();

  const popup = await openPopup();
  const rows = popup.getByTestId('bundle-row');
  await expect(popup.getByRole('tab', { name: /Bundles/ })).toContainText(String(BUNDLES));
  await expect(popup.getByRole('tab', { name: /Tokens/ })).toContainText(String(TOKENS));
  // The first screen: the 8 newest captures.
  await expect(rows).toHaveCount(8);
  await expect(popup.getByRole('region', { name: 'Database shop-0' })).toBeVisible();
  await expect(popup.getByRole('region', { name: 'Database shop-8' })).toHaveCount(0);

  await popup.getByTestId('more-rows').scrollIntoViewIfNeeded();
  await expect(rows).toHaveCount(38);
  await expect(popup.getByRole('region', { name: 'Database shop-37' })).toBeVisible();

  const search = popup.getByRole('searchbox');
  await search.fill('shop-377');
  await expect(rows).toHaveCount(1);
  await expect(popup.getByRole('region', { name: 'Database shop-377' })).toBeVisible();
  await search.fill('no such database');
  await expect(popup.getByText('No bundle matches')).toBeVisible();
  await search.fill('');
  await expect(rows).toHaveCount(8);

  await popup.getByRole('tab', { name: /Tokens/ }).click();
  const tokenRows = popup.locator('[data-client-id]');
  await expect(tokenRows).toHaveCount(8);
  await popup.getByRole('searchbox').fill('billing');
  await expect(tokenRows).toHaveCount(1);
  await expect(tokenRows.first()).toHaveAttribute('data-client-id', `Tok${String(97).padStart(21, '0')}`);
});
