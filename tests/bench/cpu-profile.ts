/**
 * V8's sampling profiler around one piece of work, for the profile-*.ts scripts: time per node, and each step's
 * inclusive share (every function of ours a sample passes through, counted once per sample).
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile<T> {
  result: T;
  ms: number;
  /** Sampled time by the package (or file of ours) a sample's own frame is in. */
  self(label: (frame: ProfileNode['callFrame']) => string): Map<string, number>;
  /** Inclusive time of every function whose file matches `ours`. */
  steps(ours: RegExp): Map<string, number>;
  /** Prints the biggest `n` entries of a map as shares of the sampled time. */
  show(title: string, map: Map<string, number>, n: number): void;
}

export async function profileCpu<T>(work: () => Promise<T>, intervalMicros: number): Promise<CpuProfile<T>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
  await session.post('Profiler.start');
  const start = performance.now();
  const result = await work();
  const ms = performance.now() - start;
  const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };

  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const spent = new Map<number, number>();
  profile.samples.forEach((id, i) => spent.set(id, (spent.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...spent.values()].reduce((a, b) => a + b, 0);
  const add = (map: Map<string, number>, key: string, t: number) => map.set(key, (map.get(key) ?? 0) + t);

  return {
    result,
    ms,
    self(label) {
      const map = new Map<string, number>();
      for (const [id, t] of spent) add(map, label(nodes.get(id)!.callFrame), t);
      return map;
    },
    steps(ours) {
      const map = new Map<string, number>();
      for (const [id, t] of spent) {
        const seen = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
          const frame = nodes.get(at)!.callFrame;
          if (!ours.test(frame.url) || !frame.functionName) continue;
          const key = `${frame.functionName} (${frame.url.split('/').pop()})`;
          if (!seen.has(key)) add(map, key, t), seen.add(key);
        }
      }
      return map;
    },
    show(title, map, n) {
      console.log(title);
      for (const [key, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${((t / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
    },
  };
}

/** The package a frame is in (`jszip`, `@peculiar/x509`), else what `ours` says of it. */
export function packageOf(frame: { url: string }): string | undefined {
  return frame.url.match(/node_modules\/((@[^/]+\/)?[^/]+)/)?.[1];
}
