/**
 * The popup at scale, in Chromium with the production build: popup ready (first frame with stored data) with an
 * empty store and with 10,000 bundles + 10,000 tokens, against a bare Preact page and against its own empty-store
 * time; a keystroke in search at 10,000 against one frame; and what the store weighs.
 * Runs are interleaved (baseline, popup, baseline, ...) so machine noise hits both sides alike.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { median, type BenchRow } from './bench-row';
import { allowBenchCode, seedExtension, type SeedMaterial } from './seed-extension';

export const SCALE = { bundles: 10_000, tokens: 10_000 };
const SIZES = '10,000 bundles + 10,000 tokens';

/** Milliseconds from navigation start to the page's `popup-ready` mark. */
async function popupReadyOnce(context: BrowserContext, url: string): Promise<number> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(url);
  const ready = await page.waitForFunction(() => performance.getEntriesByName('popup-ready')[0]?.startTime, undefined, { timeout: 30_000 });
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

export async function serveBaselinePages(context: BrowserContext, extra: Record<string, { type: string; body: string | Buffer }> = {}): Promise<void> {
  const preact = readFileSync(path.resolve('node_modules/preact/dist/preact.mjs'), 'utf8');
  await context.route('https://bench.invalid/**', (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === 'preact.mjs') return route.fulfill({ contentType: 'text/javascript', body: preact });
    const file = extra[name];
    if (file) return route.fulfill({ contentType: file.type, body: file.body });
    return route.fulfill({ contentType: 'text/html', body: BASELINE_PAGE });
  });
}

async function readyTimes(context: BrowserContext, popupUrl: string, rounds: number) {
  const popup: number[] = [];
  const baseline: number[] = [];
  await popupReadyOnce(context, popupUrl);
  await popupReadyOnce(context, 'https://bench.invalid/baseline.html');
  for (let i = 0; i < rounds; i++) {
    baseline.push(await popupReadyOnce(context, 'https://bench.invalid/baseline.html'));
    popup.push(await popupReadyOnce(context, popupUrl));
  }
  return { popup: median(popup), baseline: median(baseline) };
}

/**
 * From the input event of one keystroke to the frame that shows the filtered list, timed inside the page after
 * the search index is built; next to the page's own frame interval.
 */
async function keystrokeTimes(page: Page, rounds: number): Promise<{ keystroke: number; frame: number }> {
  await page.waitForFunction(() => performance.getEntriesByName('list-index-ready').length > 0, undefined, { timeout: 60_000 });
  await allowBenchCode(page);
  return page.evaluate(async (rounds) => {
    const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
    const list = document.querySelector('main')!;
    const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
    const frames: number[] = [];
    let last = await frame();
    for (let i = 0; i < 30; i++) {
      const t = await frame();
      frames.push(t - last);
      last = t;
    }
    const times: number[] = [];
    // Alternating queries that match different databases, so every keystroke changes what is drawn.
    const queries = ['orders-1', 'bestellungen', 'cafe', 'orders-33', 'con-4'];
    const shows = (query: string) => {
      const heads = [...list.querySelectorAll('section h2')];
      return heads.length > 0 && heads.every((h) => h.textContent!.toLowerCase().includes(query));
    };
    for (let i = 0; i < rounds; i++) {
      const query = queries[i % queries.length]!;
      const changed = new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!shows(query)) return;
          observer.disconnect();
          resolve();
        });
        observer.observe(list, { childList: true, subtree: true, characterData: true });
      });
      const start = performance.now();
      input.value = query;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await changed;
      const drawn = await frame();
      times.push(drawn - start);
      await frame();
    }
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    return { keystroke: med(times), frame: med(frames) };
  }, rounds);
}

/** Bytes the extension's origin uses, as the browser counts them for its quota. */
async function usage(page: Page): Promise<number> {
  return page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
}

export async function benchPopup(context: BrowserContext, extensionId: string, material: SeedMaterial, { quick }: { quick: boolean }): Promise<BenchRow[]> {
  const rounds = quick ? 5 : 15;
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;
  await serveBaselinePages(context);
  const rows: BenchRow[] = [];

  const empty = await readyTimes(context, popupUrl, rounds);
  rows.push({ name: 'popup ready, empty store (baseline: bare Preact page)', value: empty.popup, unit: 'ms', baseline: empty.baseline, ratio: empty.popup / empty.baseline, budget: 'ratio < 2', pass: empty.popup / empty.baseline < 2 });

  const page = await context.newPage();
  await page.goto(popupUrl);
  await page.getByRole('tab', { name: /Bundles/ }).waitFor();
  const before = await usage(page);
  const seedStart = performance.now();
  await seedExtension(page, material, SCALE);
  process.stderr.write(`bench: seeded ${SIZES} in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);
  const after = await usage(page);
  await page.close();

  const full = await readyTimes(context, popupUrl, rounds);
  rows.push({ name: `popup ready, ${SIZES} (baseline: bare Preact page)`, value: full.popup, unit: 'ms', baseline: full.baseline, ratio: full.popup / full.baseline, budget: 'ratio < 2', pass: full.popup / full.baseline < 2 });
  rows.push({ name: `popup ready, ${SIZES} (baseline: the popup, empty store)`, value: full.popup, unit: 'ms', baseline: empty.popup, ratio: full.popup / empty.popup, budget: 'ratio < 1.3', pass: full.popup / empty.popup < 1.3 });

  const search = await context.newPage();
  await search.setViewportSize({ width: 400, height: 600 });
  await search.goto(popupUrl);
  const { keystroke, frame } = await keystrokeTimes(search, quick ? 10 : 30);
  await search.close();
  rows.push({ name: `search keystroke to drawn frame, ${SIZES} (baseline: one frame)`, value: keystroke, unit: 'ms', baseline: frame, ratio: keystroke / frame, budget: 'ratio <= 1', pass: keystroke / frame <= 1 });

  const megabytes = (after - before) / 1e6;
  rows.push({ name: `store weight, ${SIZES} with kept copies (navigator.storage.estimate)`, value: megabytes, unit: 'MB', budget: 'report', pass: true });
  return rows;
}
