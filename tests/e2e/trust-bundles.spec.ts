/**
 * Issue 11, weaknesses 2, 3 and 8, performed as an attacker would: a script on the console page dispatches the page
 * hook's own event. Nothing kept may change, the storage host sees a bounded number of fetches, and the user sees one
 * warning, not many.
 */
import type { Page, Worker } from '@playwright/test';
import { test, expect } from './fixtures';
import { BUNDLE_DIALOG } from './console';
import { expectPanel, panel, panelButton } from './panel';
import { DB, ORG } from '../replica/fixtures';
import { STORAGE_HOST } from '../replica/hosts';

const connect = (dbId: string) => `https://astra.datastax.com/org/${ORG.id}/database/${dbId}/connect`;

/** A digest of every bundle record and kept file in the service worker's IndexedDB, and how many are still being checked. */
function keptBundles(worker: Worker) {
  return worker.evaluate(
    () =>
      new Promise<{ digest: string; count: number; checking: number }>((resolve) => {
        const open = indexedDB.open('astra-companion');
        open.onsuccess = () => {
          const tx = open.result.transaction(['bundles', 'bundleFiles']);
          const bundles = tx.objectStore('bundles').getAll();
          const files = tx.objectStore('bundleFiles').getAll();
          tx.oncomplete = async () => {
            const text = JSON.stringify({ bundles: bundles.result, files: files.result.map((f: { id: string; sha256: string }) => [f.id, f.sha256]) });
            const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
            resolve({
              digest: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
              count: bundles.result.length,
              checking: bundles.result.filter((b: { status: string }) => b.status === 'checking').length,
            });
          };
        };
      }),
  );
}

/** What is kept once nothing is being checked and two looks in a row agree (a late capture may still be landing). */
async function settled(worker: Worker) {
  let last: Awaited<ReturnType<typeof keptBundles>> | undefined;
  await expect
    .poll(
      async () => {
        const now = await keptBundles(worker);
        const stable = now.checking === 0 && last?.digest === now.digest;
        last = now;
        return stable;
      },
      { timeout: 30_000, intervals: [500] },
    )
    .toBe(true);
  return last!;
}

async function getVerifiedBundle(page: Page) {
  await page.goto(connect(DB.inventory.id));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle', { dialog: BUNDLE_DIALOG }).toContainText(/Verified: .*copy kept/);
  await page.getByRole('button', { name: 'Close' }).click();
}

test('attack 2: a forged link reusing a verified bundle\'s datacenter folder changes nothing the user acts on', async ({ context, replica, serviceWorker, openPopup }) => {
  const page = await context.newPage();
  await getVerifiedBundle(page);
  const before = await settled(serviceWorker);
  const real = replica.issuedLinks.find((link) => link.includes('/secure-connect-inventory.zip'))!;
  await page.evaluate((real) => {
    const url = new URL(real);
    url.pathname = url.pathname.replace(/[^/]+$/, 'secure-connect-payroll.zip');
    url.searchParams.set('X-Amz-Signature', 'f'.repeat(64));
    const body = JSON.stringify({ downloadURL: url.toString(), region: 'us-east-1', datacenterID: url.pathname.split('/')[1] });
    window.dispatchEvent(new CustomEvent('astra-companion:response', { detail: JSON.stringify({ via: 'fetch', url: '/v2/databases/x/secureBundleURL', status: 200, body }) }));
  }, real);

  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  await expect(popup.locator('[data-testid="warning-row"][data-code="bundle-link-refused"]')).toContainText('The verified copy and its link were kept');
  expect(await settled(serviceWorker)).toEqual(before);
  await popup.getByRole('tab', { name: /Bundles/ }).click();
  const row = popup.locator('[data-testid="bundle-row"][data-kind="external"]');
  await expect(row).toHaveCount(1);
  await expect(row.getByText('Verified', { exact: true })).toBeVisible();
  await expect(popup.getByText('secure-connect-payroll.zip')).toHaveCount(0);
});

test('attacks 3 and 8: a flood of forged links is bounded per tab and summed into one warning; a redirect is never followed', async ({ context, replica, serviceWorker, openPopup }) => {
  const page = await context.newPage();
  await page.goto(connect(DB.inventory.id));
  const before = replica.requests.length;
  // 300 forged events of 4 links each, all on the trusted storage host with well-formed signatures.
  await page.evaluate((host) => {
    for (let i = 0; i < 300; i++) {
      const links = Array.from({ length: 4 }, (_, j) => {
        const id = crypto.randomUUID();
        // Signed now: the credential's scope date is the signing date's day (as storage requires), on any day.
        const signedAt = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
        return `https://${host}/${id}-1/secure-connect-flood${i}x${j}.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAQ3EGRJ7VZB2MXN4P%2F${signedAt.slice(0, 8)}%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=${signedAt}&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${'a'.repeat(64)}`;
      });
      const body = JSON.stringify(links.map((downloadURL) => ({ downloadURL })));
      window.dispatchEvent(new CustomEvent('astra-companion:response', { detail: JSON.stringify({ via: 'fetch', url: '/x', status: 200, body }) }));
    }
  }, STORAGE_HOST);

  const popup = await openPopup();
  await popup.getByRole('tab', { name: /Warnings/ }).click();
  const flood = popup.locator('[data-testid="warning-row"][data-code="capture-flood"]');
  await expect(flood).toHaveCount(1);
  await expect(flood).toContainText(/\d+ bundle links ignored/);
  // Every event that got through has been fetched and judged; then count what reached the storage host.
  const kept = await settled(serviceWorker);
  const storageFetches = replica.requests.slice(before).filter((r) => r.host === STORAGE_HOST).length;
  expect(storageFetches).toBeGreaterThan(0);
  expect(storageFetches).toBeLessThanOrEqual(40);
  expect(kept.count).toBeLessThanOrEqual(40);
  // One summary, no notification per capture.
  expect(await serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { notifications: { getAll(): Promise<object> } } }).chrome.notifications.getAll().then((all) => Object.keys(all).length))).toBe(0);
  expect(await popup.getByTestId('warning-row').count()).toBe(1);

  // A storage host that redirects: the fetch stops at the redirect, the target is never asked.
  replica.setFaults({ redirectTo: 'https://astra.datastax.com/stolen/secure-connect-vectors.zip' });
  const other = await context.newPage();
  await other.goto(connect(DB.orders.id));
  await other.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(other, 'bundle', { dialog: BUNDLE_DIALOG }).toContainText(/redirect/i);
  expect(replica.requests.filter((r) => r.path.startsWith('/stolen'))).toEqual([]);
});

test('attack 9: a page script cannot reach the panel\'s Save button, and clicking the panel saves nothing; the user\'s own click does', async ({ context, serviceWorker }) => {
  const page = await context.newPage();
  await page.goto(connect(DB.inventory.id));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  await expectPanel(page, 'bundle', { dialog: BUNDLE_DIALOG }).toContainText(/Verified: .*copy kept/);
  const downloads = () =>
    serviceWorker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: { downloads: { search(query: object): Promise<unknown[]> } } };
      return (await chrome.downloads.search({})).length;
    });
  const forged = await page.evaluate(() => {
    const hosts = [...document.querySelectorAll('astra-companion-panel')] as HTMLElement[];
    const buttons = hosts.flatMap((host) => [...(host.shadowRoot?.querySelectorAll('button') ?? [])]);
    // All a page script can still aim at is the host, or whatever is drawn at the button's place.
    for (const host of hosts) {
      host.click();
      host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      const box = host.getBoundingClientRect();
      for (let y = box.top + 2; y < box.bottom; y += 6) {
        for (let x = box.left + 2; x < box.right; x += 12) document.elementFromPoint(x, y)?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: x, clientY: y }));
      }
    }
    return { hosts: hosts.length, buttons: buttons.length };
  });
  expect(forged.hosts).toBeGreaterThan(0);
  expect(forged.buttons).toBe(0);
  // The user's click goes through the same path; once it has produced its download, the forged ones had their chance too.
  await panelButton(page, 'bundle', 'Save verified copy', { dialog: BUNDLE_DIALOG }).click();
  await expect.poll(downloads, { timeout: 15_000 }).toBe(1);
  expect(await downloads()).toBe(1);
  // And the panel says the save ended, as the popup would.
  await expectPanel(page, 'bundle', { dialog: BUNDLE_DIALOG }).toContainText(/Saved .+ to your downloads\./);
});

test('closed panels: a page script cannot read the panel: its shadow root is closed, and no DOM read, serialization or selection holds its words', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(connect(DB.inventory.id));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  const verdict = panel(page, 'bundle', { dialog: BUNDLE_DIALOG });
  await expectPanel(verdict).toContainText(/Verified: .*copy kept/);
  expect(await verdict.shadowRootMode()).toBe('closed');
  // What the user reads, as the browser itself reports it: the words the page must not get at.
  const words = (await verdict.text()).match(/Verified: [^,]+, \d+ files/)![0];
  const seen = await page.evaluate((words) => {
    const host = document.querySelector('[data-testid="astra-companion-bundle-panel"]') as HTMLElement;
    const selection = getSelection()!;
    selection.selectAllChildren(document.body);
    const selected = selection.toString();
    selection.removeAllRanges();
    const body = document.body as HTMLElement & { getHTML(options: object): string };
    const reads = {
      'host.textContent': host.textContent ?? '',
      'host.innerHTML': host.innerHTML,
      'host.innerText': host.innerText,
      'body.innerText': document.body.innerText,
      'document outerHTML': document.documentElement.outerHTML,
      'body.getHTML with shadow roots': body.getHTML({ serializableShadowRoots: true }),
      'select all': selected,
    };
    return {
      shadowRoot: host.shadowRoot === null ? 'null' : 'readable',
      leaks: Object.entries(reads).filter(([, text]) => text.includes(words)).map(([how]) => how),
      // Known limit: window.find searches what is drawn, so a page can confirm a phrase it already guessed
      // (as it could by timing layout); it never gets the text itself.
      confirmsAGuess: (window as unknown as { find(text: string): boolean }).find(words),
    };
  }, words);
  expect(seen).toEqual({ shadowRoot: 'null', leaks: [], confirmsAGuess: true });
});
