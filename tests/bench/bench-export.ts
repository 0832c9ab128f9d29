/**
 * Export and import of a store holding 1,000 bundle records (real bundles, kept copies) and 1,000 sealed tokens,
 * in Node with fake-indexeddb, each next to jszip's bare work on the same bytes measured in the same run
 * (zipping the same entries; loading the export with CRC checks). Budget: under 3 s each.
 * Runs alone too: `npx tsx tests/bench/bench-export.ts [--quick]`.
 */
import 'fake-indexeddb/auto';
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { exportStore } from '../../utils/backup/export-store';
import { importStore } from '../../utils/backup/import-store';
import { T0, filledStore, freshStore } from '../unit/fixtures/filled-store';
import { formatTable, median, type BenchRow } from './bench-row';

const BUDGET_MS = 3000;
const COUNT = 1000;
const PASSPHRASE = 'bench passphrase, long enough';

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

export async function benchExport({ quick }: { quick: boolean }): Promise<BenchRow[]> {
  const runs = quick ? 1 : 3;
  const store = await filledStore({ bundles: COUNT, tokens: COUNT });
  const exportOnce = async () => {
    const result = await exportStore({
      db: store.db,
      vault: store.vault,
      extensionVersion: 'bench',
      now: () => T0,
      tokens: { mode: 'encrypted', passphrase: PASSPHRASE },
    });
    if (!result.ok) throw new Error(`export failed: ${result.error.message}`);
    return result.value;
  };

  const exportTimes: number[] = [];
  const importTimes: number[] = [];
  const zipTimes: number[] = [];
  const loadTimes: number[] = [];
  let bytes: Uint8Array = new Uint8Array(0);
  for (let run = 0; run < runs; run++) {
    const exported = await timed(exportOnce);
    exportTimes.push(exported.ms);
    bytes = exported.value;

    const db = await freshStore('bench-export');
    const imported = await timed(() => importStore({ db, vault: store.vault, bytes, passphrase: PASSPHRASE, now: () => T0 }));
    if (!imported.value.ok) throw new Error(`import failed: ${imported.value.error.message}`);
    const added = imported.value.value.added;
    if (added.bundles !== COUNT || added.tokens !== COUNT) throw new Error(`import added ${JSON.stringify(added)}`);
    importTimes.push(imported.ms);
    db.close();

    const files = await JSZip.loadAsync(bytes);
    const contents = await Promise.all(Object.values(files.files).map(async (f) => [f.name, await f.async('uint8array')] as const));
    zipTimes.push(
      (
        await timed(() => {
          const zip = new JSZip();
          for (const [name, data] of contents) zip.file(name, data, { compression: name.startsWith('bundles/') ? 'STORE' : 'DEFLATE' });
          return zip.generateAsync({ type: 'uint8array' });
        })
      ).ms,
    );
    loadTimes.push(
      (
        await timed(async () => {
          const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
          await Promise.all(Object.values(zip.files).map((f) => f.async('uint8array')));
        })
      ).ms,
    );
  }

  const row = (name: string, value: number, baseline: number): BenchRow => ({
    name,
    value,
    unit: 'ms',
    baseline,
    ratio: value / baseline,
    budget: `< ${BUDGET_MS} ms`,
    pass: value < BUDGET_MS,
  });
  const size = `${(bytes.length / 1024 / 1024).toFixed(1)} MB`;
  return [
    row(`export ${COUNT} bundles + ${COUNT} tokens (${size}; baseline: jszip zipping the same entries)`, median(exportTimes), median(zipTimes)),
    row(`import ${COUNT} bundles + ${COUNT} tokens (baseline: jszip loading it with CRC checks)`, median(importTimes), median(loadTimes)),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchExport({ quick: process.argv.includes('--quick') });
  console.log(formatTable(rows));
}
