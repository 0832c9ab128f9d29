/**
 * Where the bundle checker's time goes: `npx tsx tests/bench/profile-check.ts` checks a good bundle 300 times under
 * V8's sampling profiler and prints the share of time per package and per checker step (inclusive).
 */
import 'reflect-metadata';
import { Session } from 'node:inspector/promises';
import { checkBundle } from '../../utils/bundle/check-bundle';
import { makeBundleParts, zipBundle } from '../replica/make-bundle';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const parts = await makeBundleParts({ dbId: '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6', dbName: 'bench', region: 'us-east-2' });
const good = await zipBundle(parts);
for (let i = 0; i < 50; i++) await checkBundle(good);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const start = performance.now();
for (let i = 0; i < 300; i++) await checkBundle(good);
const perCheck = (performance.now() - start) / 300;
const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
const spent = new Map<number, number>();
profile.samples.forEach((id, i) => spent.set(id, (spent.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...spent.values()].reduce((a, b) => a + b, 0);
const byPackage = new Map<string, number>();
const byStep = new Map<string, number>();
const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);
for (const [id, t] of spent) {
  const url = nodes.get(id)!.callFrame.url;
  add(byPackage, url ? (url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1] ?? url.replace(/.*\/(utils\/)/, '$1')) : '(waiting on WebCrypto, idle, GC)', t);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = nodes.get(at)!.callFrame;
    if (!frame.url.includes('/utils/bundle/') || !frame.functionName) continue;
    const key = `${frame.functionName} (${frame.url.split('/').pop()})`;
    if (!seen.has(key)) add(byStep, key, t), seen.add(key);
  }
}
const show = (title: string, map: Map<string, number>, n: number) => {
  console.log(title);
  for (const [key, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${((t / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
};
console.log(`checkBundle on a good bundle: ${perCheck.toFixed(2)} ms per check`);
show('by package (self time):', byPackage, 10);
show('by checker step (inclusive):', byStep, 12);
