/**
 * Where a search keystroke's time goes in the popup at 10,000 + 10,000: `npx tsx tests/bench/profile-popup.ts` (after
 * `npm run build`) seeds the store, types 40 queries under Chromium's sampling profiler and prints self time per
 * function, plus the keystroke times measured in the page.
 */
import { launchChromium } from '../e2e/launch';
import { fillStore, popupUrlOf } from './bench-popup';
import { allowBenchCode, seedMaterial } from './seed-extension';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

const context = await launchChromium({ withExtension: true, extraArgs: [] });
const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
const id = new URL(worker.url()).host;
await fillStore(context, id, await seedMaterial(), { bundles: 10_000, tokens: 10_000 });
const page = await context.newPage();
await page.setViewportSize({ width: 400, height: 600 });
await page.goto(popupUrlOf(id));
await page.waitForFunction(() => performance.getEntriesByName('list-index-ready').length > 0, undefined, { timeout: 60_000 });
await allowBenchCode(page);
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
const times = await page.evaluate(`(async () => {
  const input = document.querySelector('input[type="search"]');
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const queries = ['orders-1', 'bestellungen', 'cafe', 'orders-33', 'con-4'];
  const times = [];
  const list = document.querySelector('main');
  const mutated = [];
  for (let i = 0; i < 40; i++) {
    const query = queries[i % queries.length];
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        const heads = [...list.querySelectorAll('section h2')];
        if (!(heads.length > 0 && heads.every((h) => h.textContent.toLowerCase().includes(query)))) return;
        observer.disconnect();
        resolve(performance.now());
      });
      observer.observe(list, { childList: true, subtree: true, characterData: true });
    });
    const start = performance.now();
    input.value = query;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    mutated.push((await changed) - start);
    times.push((await frame()) - start);
    await frame();
  }
  const med = (v) => v.slice().sort((a, b) => a - b)[20].toFixed(1);
  return { times, mutated: med(mutated), frame: med(times) };
})()`);
const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
profile.samples.forEach((nodeId, i) => {
  const f = nodes.get(nodeId)!.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});
const measured = times as { mutated: string; frame: string };
console.log(`keystroke to the list redrawn in the DOM: median ${measured.mutated} ms; to the frame after it: ${measured.frame} ms`);
for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${ms.toFixed(1).padStart(8)} ms  ${key}`);
await context.close();
