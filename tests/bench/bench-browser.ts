/**
 * Browser figures, each against a baseline measured in the same run:
 * - the replica's Connect page load and Get Bundle dialog open, with and without the extension;
 * - popup ready (first render with data) with an empty store and with 1,000 bundles + 1,000 tokens,
 *   against an empty Preact page.
 * Runs are interleaved (without, with, without, ...) so machine noise hits both sides alike.
 */
import type { BrowserContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DB, ORG } from '../replica/fixtures';
import { launchChromium } from '../e2e/launch';
import { median, type BenchRow } from './bench-row';

interface Replica {
  chromiumArgs: string[];
  close(): Promise<void>;
}

async function startReplicaProcess(): Promise<Replica> {
  const child = spawn(process.execPath, [path.resolve('tests/bench/replica-process.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  const info = JSON.parse(line!) as { chromiumArgs: string[] };
  return {
    chromiumArgs: info.chromiumArgs,
    close: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end();
    }),
  };
}

const launch = (replica: Replica, withExtension: boolean): Promise<BrowserContext> =>
  launchChromium({ withExtension, extraArgs: replica.chromiumArgs });

/** Load of the Connect page (navigation start to load end) and time from click to dialog shown. */
async function connectPageOnce(context: BrowserContext): Promise<{ load: number; dialog: number }> {
  const page = await context.newPage();
  await page.goto(`https://astra.datastax.com/org/${ORG.id}/database/${DB.orders.id}/connect`, { waitUntil: 'load' });
  const load = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return nav!.loadEventEnd - nav!.startTime;
  });
  const button = page.getByRole('button', { name: 'Get Bundle' });
  await button.waitFor();
  // Timed inside the page, from the click to the first frame that shows the link: no protocol round trips.
  await page.evaluate(() => {
    const w = window as unknown as { benchClick?: number; benchShown?: Promise<number> };
    document.addEventListener('click', () => (w.benchClick = performance.now()), { capture: true, once: true });
    w.benchShown = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector('[role="dialog"]')?.textContent?.includes('secure-connect-orders.zip')) return;
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now()));
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  });
  await button.click();
  const dialog = await page.evaluate(async () => {
    const w = window as unknown as { benchClick: number; benchShown: Promise<number> };
    return (await w.benchShown) - w.benchClick;
  });
  await page.close();
  return { load, dialog };
}

async function extensionId(context: BrowserContext): Promise<string> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  return new URL(worker.url()).host;
}

/** Fills the extension's store from one of its pages, with the raw IndexedDB API. */
async function seedStore(context: BrowserContext, id: string, bundles: number, tokens: number): Promise<void> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/popup.html`);
  await page.getByRole('tab', { name: /Bundles/ }).waitFor();
  await page.evaluate(
    async ({ bundles, tokens }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('astra-companion');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const tx = db.transaction(['bundles', 'tokens'], 'readwrite');
      const now = Date.now();
      for (let i = 0; i < bundles; i++) {
        tx.objectStore('bundles').put({
          id: `db${i % 300}|dc-${i}|external`, dbId: `db${i % 300}`, dbName: `database-${i % 300}`, region: `region-${i}`, kind: 'external',
          fileName: `secure-connect-database-${i % 300}.zip`, link: `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/x/${i}`,
          signedAt: now - i * 1000, expiresAt: now - i * 1000 + 300_000, capturedAt: now - i * 1000, updatedAt: now - i * 1000,
          page: 'https://astra.datastax.com/', source: 'network', status: 'verified', problems: [], size: 12_200, entryCount: 8,
          certNotAfter: '2036-01-01T00:00:00.000Z', hasCopy: false,
        });
      }
      for (let i = 0; i < tokens; i++) {
        const clientId = `Client${String(i).padStart(18, '0')}`;
        tx.objectStore('tokens').put({
          id: clientId, clientId, sealed: { v: 1, iv: 'x', data: 'x' }, maskedToken: `AstraCS:${clientId.slice(0, 4)}…`, hasSecret: true,
          secretCheck: 'match', role: 'R/W User', capturedAt: now - i * 1000, page: 'https://astra.datastax.com/', source: 'network',
        });
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { bundles, tokens },
  );
  await page.close();
}

/** Milliseconds from navigation start to the popup's `popup-ready` mark (first render with data). */
async function popupReadyOnce(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(url);
  const ready = await page.waitForFunction(() => performance.getEntriesByName('popup-ready')[0]?.startTime, undefined, { timeout: 15_000 });
  const value = (await ready.jsonValue()) as number;
  await page.close();
  return value;
}

/** An empty Preact page that marks `popup-ready` after its first render: the popup's baseline. */
const BASELINE_PAGE = `<!doctype html><meta charset="utf-8"><body style="width:400px"><div id="app"></div><script type="module">
import { h, render } from './preact.mjs';
render(h('p', null, 'Hello'), document.getElementById('app'));
requestAnimationFrame(() => performance.mark('popup-ready'));
</script>`;

export async function benchBrowser({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const rounds = quick ? 5 : 15;
  const replica = await startReplicaProcess();
  const rows: BenchRow[] = [];
  try {
    const without = await launch(replica, false);
    const withExt = await launch(replica, true);
    const base = { load: [] as number[], dialog: [] as number[] };
    const ext = { load: [] as number[], dialog: [] as number[] };
    await connectPageOnce(without); // warm both browsers' caches and the replica
    await connectPageOnce(withExt);
    for (let i = 0; i < rounds; i++) {
      const a = await connectPageOnce(without);
      const b = await connectPageOnce(withExt);
      base.load.push(a.load);
      base.dialog.push(a.dialog);
      ext.load.push(b.load);
      ext.dialog.push(b.dialog);
    }
    for (const key of ['load', 'dialog'] as const) {
      const value = median(ext[key]);
      const baseline = median(base[key]);
      const ratio = value / baseline;
      rows.push({ name: `Connect page ${key === 'load' ? 'load' : 'dialog open'} (median of ${rounds})`, value, baseline, ratio, unit: 'ms', budget: 'ratio < 1.05', pass: ratio < 1.05 });
    }
    await without.close();

    const id = await extensionId(withExt);
    const preact = readFileSync(path.resolve('node_modules/preact/dist/preact.mjs'), 'utf8');
    await withExt.route('https://bench.invalid/**', (route) =>
      route.request().url().endsWith('.mjs')
        ? route.fulfill({ contentType: 'text/javascript', body: preact })
        : route.fulfill({ contentType: 'text/html', body: BASELINE_PAGE }),
    );
    const popupUrl = `chrome-extension://${id}/popup.html`;
    const measure = async (label: string) => {
      const popup: number[] = [];
      const baseline: number[] = [];
      await popupReadyOnce(withExt, popupUrl);
      for (let i = 0; i < rounds; i++) {
        baseline.push(await popupReadyOnce(withExt, 'https://bench.invalid/baseline.html'));
        popup.push(await popupReadyOnce(withExt, popupUrl));
      }
      const value = median(popup);
      const base = median(baseline);
      const ratio = value / base;
      rows.push({ name: `popup ready, ${label}`, value, baseline: base, ratio, unit: 'ms', budget: 'ratio < 2 and < 150 ms', pass: ratio < 2 && value < 150 });
    };
    await measure('empty store');
    await seedStore(withExt, id, 1000, 1000);
    await measure('1,000 bundles + 1,000 tokens');
    await withExt.close();
  } finally {
    await replica.close();
  }
  return rows;
}
