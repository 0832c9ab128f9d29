/**
 * `npm run bench [-- --quick] [-- --report-only]`: every performance budget, each figure next to a baseline measured in
 * the same run, as one table. Needs the production build (`npm run build`) and Chromium.
 * Exits 1 when a figure is over its budget.
 */
import { benchBrowser } from './bench-browser';
import { benchCheck } from './bench-check';
import { benchExport } from './bench-export';
import { formatTable, type BenchRow } from './bench-row';
import { benchSizes } from './bench-sizes';

const quick = process.argv.includes('--quick');
// CI prints the table on a shared machine: figures there inform, they do not fail the run.
const reportOnly = process.argv.includes('--report-only');
const rows: BenchRow[] = [];
for (const [name, run] of [
  ['sizes', () => benchSizes()],
  ['bundle check', () => benchCheck({ quick })],
  ['export/import', () => benchExport({ quick })],
  ['browser', () => benchBrowser({ quick })],
] as const) {
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await run()));
}
console.log(formatTable(rows));
const over = rows.filter((row) => !row.pass);
if (over.length) console.log(`\nOver budget: ${over.map((row) => row.name).join('; ')}`);
process.exit(over.length && !reportOnly ? 1 : 0);
