/**
 * Where an import's time goes, outside the browser: `npx tsx tests/bench/profile-import.ts [bundles] [tokens]` exports
 * a filled store (real bundles, real sealed tokens, encrypted) and imports it into a fresh store under V8's sampling
 * profiler; prints the share of time per function of ours (self) and per import step (inclusive). IndexedDB here is
 * fake-indexeddb, so the store's share says little: the browser's figure is the bench (bench-backup.ts).
 */
import 'fake-indexeddb/auto';
import 'reflect-metadata';
import { Session } from 'node:inspector/promises';
import { exportStore } from '../../utils/backup/export-store';
import { importStore } from '../../utils/backup/import-store';
import { filledStore, freshStore, newVault, T0 } from '../unit/fixtures/filled-store';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const [bundles = 1000, tokens = 1000, distinct = 50] = process.argv.slice(2).map(Number);
const store = await filledStore({ bundles, tokens, distinct: Math.min(bundles, distinct) });
const passphrase = 'profile passphrase, long enough';
const exported = await exportStore({ db: store.db, vault: store.vault, extensionVersion: 'profile', now: () => T0, tokens: { mode: 'encrypted', passphrase } });
if (!exported.ok) throw new Error(exported.error.message);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const start = performance.now();
const report = await importStore({ db: await freshStore('profile-import'), vault: newVault(), bytes: exported.value, passphrase, now: () => T0 });
const took = performance.now() - start;
const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
if (!report.ok) throw new Error(report.error.message);

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
const spent = new Map<number, number>();
profile.samples.forEach((id, i) => spent.set(id, (spent.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...spent.values()].reduce((a, b) => a + b, 0);
const self = new Map<string, number>();
const steps = new Map<string, number>();
const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);
for (const [id, t] of spent) {
  const frame = nodes.get(id)!.callFrame;
  const pkg = frame.url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1];
  add(self, pkg ?? (frame.url ? `${frame.functionName || '(anonymous)'} (${frame.url.split('/').pop()})` : '(waiting: WebCrypto, idle, GC)'), t);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const f = nodes.get(at)!.callFrame;
    if (!/\/utils\/(backup|bundle|zip|vault|token)\//.test(f.url) || !f.functionName) continue;
    const key = `${f.functionName} (${f.url.split('/').pop()})`;
    if (!seen.has(key)) add(steps, key, t), seen.add(key);
  }
}
const show = (title: string, map: Map<string, number>, n: number) => {
  console.log(title);
  for (const [key, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${((t / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
};
console.log(`import of ${bundles} bundles + ${tokens} tokens (${(exported.value.byteLength / 1e6).toFixed(1)} MB): ${took.toFixed(0)} ms; added ${report.value.added.bundles} + ${report.value.added.tokens}`);
show('self time:', self, 14);
show('by step (inclusive):', steps, 16);
