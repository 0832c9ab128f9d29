/**
 * Browser figures, each against a baseline measured in the same run:
 * - the replica's Connect page load and Get Bundle dialog open, with and without the extension;
 * - the popup at 10,000 bundles + 10,000 tokens (bench-popup.ts);
 * - export and import through the extension at that scale (bench-backup.ts).
 * Runs are interleaved (without, with, without, ...) so machine noise hits both sides alike.
 */
import type { BrowserContext } from '@playwright/test';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DB, ORG } from '../replica/fixtures';
import { launchChromium } from '../e2e/launch';
import { median, type BenchRow } from './bench-row';
import { benchBackup } from './bench-backup';
import { benchEmptyPopup, benchFullPopup, fillStore, popupUrlOf } from './bench-popup';
import { seedMaterial } from './seed-extension';

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

/** A figure that could not be measured fails its budget, with the reason in its name. */
export function failedRow(name: string, error: Error): BenchRow {
  return { name: `${name}: FAILED (${error.message.split('\n')[0]})`, value: Number.NaN, unit: 'ms', budget: 'measured', pass: false };
}

/** The popup's rows alone (empty store, then 10,000 + 10,000): `npm run bench -- --only popup`, for working on it. */
export async function benchPopupOnly({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const replica = await startReplicaProcess();
  try {
    const withExt = await launch(replica, true);
    const emptyExt = await launch(replica, true);
    const id = await extensionId(withExt);
    const material = await seedMaterial();
    const empty = await benchEmptyPopup(withExt, id, { quick });
    const rows = [...empty.rows, ...(await benchFullPopup(withExt, id, material, { ...empty, context: emptyExt, extensionId: await extensionId(emptyExt) }, { quick }))];
    await emptyExt.close();
    await withExt.close();
    return rows;
  } finally {
    await replica.close();
  }
}

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
      rows.push({ name: `Connect page ${key === 'load' ? 'load' : 'dialog open'} (median of ${rounds}; baseline: Chromium without the extension)`, value, baseline, ratio, unit: 'ms', budget: 'ratio < 1.05', pass: ratio < 1.05 });
    }
    await without.close();

    const id = await extensionId(withExt);
    const material = await seedMaterial();
    const empty = await benchEmptyPopup(withExt, id, { quick });
    rows.push(...empty.rows);
    const backup = async (sizes: string, runs: number) => {
      const page = await withExt.newPage();
      await page.goto(popupUrlOf(id));
      rows.push(...(await benchBackup(page, sizes, { runs, withImport: true }).catch((error: Error) => [failedRow(`export and import, ${sizes}`, error)])));
      await page.close();
    };
    // --quick exports 1,000 + 1,000 (CI's time is short); the full bench exports what the popup is measured at.
    if (quick) {
      await fillStore(withExt, id, material, { bundles: 1000, tokens: 1000 });
      await backup('1,000 bundles + 1,000 tokens', 1);
    }
    // The empty-store popup the full one is held to runs in a second browser, interleaved with it (same load).
    const emptyExt = await launch(replica, true);
    rows.push(...(await benchFullPopup(withExt, id, material, { ...empty, context: emptyExt, extensionId: await extensionId(emptyExt) }, { quick })));
    await emptyExt.close();
    if (!quick) await backup('10,000 bundles + 10,000 tokens', 3);
    await withExt.close();
  } finally {
    await replica.close();
  }
  return rows;
}
