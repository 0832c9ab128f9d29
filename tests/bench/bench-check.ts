/**
 * Bundle checker timings in Node, each next to jszip doing the fair share of the same work in the same run: reading
 * the bundle and inflating every entry with CRC checks. Budgets are ratios: a good bundle checked (certificates and
 * key included) within 3x of that; hostile inputs refused faster than jszip would read them.
 * Runs alone too: `npx tsx tests/bench/bench-check.ts [--quick]`; `--profile` prints where the checker's time goes.
 */
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { checkBundle } from '../../utils/bundle/check-bundle';
import { makeBundleParts, zipBundle } from '../replica/make-bundle';
import { rawZip } from '../unit/fixtures/raw-zip';
import { S3_EXPIRED } from '../unit/fixtures/storage-errors';
import { formatTable, median, type BenchRow } from './bench-row';


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

/** jszip reading the zip, checking CRCs and inflating every entry: what a checker must do at least. */
const inflateAll = (bytes: Uint8Array) => async () => {
  try {
    const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
    await Promise.all(Object.values(zip.files).map((file) => file.async('uint8array')));
  } catch {
    // Refused input: the baseline is the time jszip took to refuse it.
  }
};

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

  const cases: Array<{ name: string; bytes: Uint8Array; runs: number; baselineRuns: number; budget: number }> = [
    { name: 'check a good 12 KB bundle, certificates and key included', bytes: good, runs, baselineRuns: runs, budget: 3 },
    // jszip only refuses it; the checker reads the XML to name the cause: reported, not budgeted.
    { name: 'check an S3 expired-link body (0.5 KB)', bytes: new TextEncoder().encode(S3_EXPIRED), runs, baselineRuns: runs, budget: Infinity },
    // jszip's own load of these inflates or scans megabytes: fewer baseline runs keep the bench short.
    { name: 'check a zip bomb declaring 1 KB (50 MB inflated)', bytes: lyingBomb, runs, baselineRuns: quick ? 1 : 5, budget: 1 },
    // One 16 KB input chunk of jszip's inflates to ~16 MB before the stream can be paused.
    { name: 'check a zip bomb declaring its 49 KB (50 MB inflated)', bytes: sneakyBomb, runs: quick ? 3 : 20, baselineRuns: quick ? 1 : 5, budget: 1 },
    { name: 'check a 100 MB file', bytes: huge, runs, baselineRuns: quick ? 1 : 5, budget: 1 },
  ];
  const rows: BenchRow[] = [];
  for (const c of cases) {
    const value = await timeMedian(c.runs, () => checkBundle(c.bytes));
    const baseline = await timeMedian(c.baselineRuns, inflateAll(c.bytes));
    const ratio = value / baseline;
    const budget = c.budget === Infinity ? 'report' : `ratio < ${c.budget}`;
    rows.push({ name: `bundle check: ${c.name} (baseline: jszip inflating every entry)`, value, unit: 'ms', baseline, ratio, budget, pass: ratio < c.budget });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchCheck({ quick: process.argv.includes('--quick') });
  console.log(formatTable(rows));
}
