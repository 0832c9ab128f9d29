/**
 * Bundle checker timings in Node, each next to jszip's bare load of the same bytes measured in the same run.
 * Budget: a good bundle checked (certificates and key included) in under 5 ms; hostile inputs refused as fast.
 * Runs alone too: `npx tsx tests/bench/bench-check.ts [--quick]`.
 */
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { checkBundle } from '../../utils/bundle/check-bundle';
import { makeBundleParts, zipBundle } from '../replica/make-bundle';
import { rawZip } from '../unit/fixtures/raw-zip';
import { S3_EXPIRED } from '../unit/fixtures/storage-errors';
import { formatTable, median, type BenchRow } from './bench-row';

const BUDGET_MS = 5;

async function timeMedian(runs: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, runs); i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

const bareLoad = (bytes: Uint8Array) => () => JSZip.loadAsync(bytes).catch(() => undefined);

export async function benchCheck({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const runs = quick ? 60 : 600;
  const parts = await makeBundleParts({ dbId: '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6', dbName: 'bench', region: 'us-east-2' });
  const good = await zipBundle(parts);
  const verdict = await checkBundle(good);
  if (!verdict.ok) throw new Error(`bench bundle is not good: ${JSON.stringify(verdict.problems)}`);

  const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
  const lyingBomb = rawZip([
    ...Object.keys(parts).filter((n) => n !== 'cert').map((name) => ({ name, stored: parts[name] })),
    { name: 'cert', stored: bomb, method: 8, uncompressedSize: 1024, crc: 0 },
  ]);
  // Declares as many bytes as it stores, so only inflating shows the lie: the worst case for the checker.
  const sneakyBomb = rawZip([
    ...Object.keys(parts).filter((n) => n !== 'cert').map((name) => ({ name, stored: parts[name] })),
    { name: 'cert', stored: bomb, method: 8, uncompressedSize: bomb.length, crc: 0 },
  ]);
  const huge = new Uint8Array(100 * 1024 * 1024);
  huge.set(good);

  const cases: Array<{ name: string; bytes: Uint8Array; runs: number; baselineRuns: number; budget?: number }> = [
    { name: 'check a good bundle (median)', bytes: good, runs, baselineRuns: runs },
    { name: 'check an S3 expired-link body', bytes: new TextEncoder().encode(S3_EXPIRED), runs, baselineRuns: runs },
    // jszip's own load of these inflates or scans megabytes: fewer baseline runs keep the bench short.
    { name: 'check a zip bomb declaring 1 KB (50 MB)', bytes: lyingBomb, runs, baselineRuns: quick ? 3 : 10 },
    // One 16 KB input chunk of jszip's inflates to ~16 MB before the stream can be paused.
    { name: 'check a zip bomb declaring its 49 KB (50 MB)', bytes: sneakyBomb, runs: quick ? 10 : 40, baselineRuns: quick ? 3 : 10, budget: 100 },
    { name: 'check a 100 MB file', bytes: huge, runs, baselineRuns: quick ? 3 : 10 },
  ];
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const value = await timeMedian(c.runs, () => checkBundle(c.bytes));
    // The bomb's baseline is jszip with CRC checking, which inflates everything: what a naive checker would do.
    const baselineWork =
      c.bytes === lyingBomb || c.bytes === sneakyBomb ? () => JSZip.loadAsync(c.bytes, { checkCRC32: true }).catch(() => undefined) : bareLoad(c.bytes);
    const baseline = await timeMedian(c.baselineRuns, baselineWork);
    rows.push({
      name: `bundle check: ${c.name}`,
      value,
      unit: 'ms',
      baseline,
      ratio: value / baseline,
      budget: `< ${c.budget ?? BUDGET_MS} ms`,
      pass: value < (c.budget ?? BUDGET_MS),
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchCheck({ quick: process.argv.includes('--quick') });
  console.log(formatTable(rows));
}
