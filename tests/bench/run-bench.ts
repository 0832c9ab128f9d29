/**
 * `npm run bench [-- --quick] [-- --report-only] [-- --json]`: every performance budget, each figure next to a baseline
 * measured in the same run. Budgets on timings are ratios to their baseline (an absolute time holds on one machine
 * only), so a slow machine that meets them passes. Needs the production build (`npm run build`) and Chromium.
 * Prints a table, or with `--json` only a JSON array of `{name, value, unit, baseline, ratio, budget, pass}` rows.
 * Exits 1 when a figure is over its budget (0 with --report-only).
 */
import { benchBrowser, benchPopupOnly } from './bench-browser';
import { benchCheck } from './bench-check';
import { formatTable, type BenchRow } from './bench-row';
import { benchSizes } from './bench-sizes';

const quick = process.argv.includes('--quick');
// CI prints the table on a shared machine: figures there inform, they do not fail the run.
const reportOnly = process.argv.includes('--report-only');
const json = process.argv.includes('--json');
// `--only browser` (or sizes, check, popup: the popup's rows of browser) runs one part, for working on it.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const rows: BenchRow[] = [];
for (const [name, run] of [
  ['sizes', () => benchSizes()],
  ['check', () => benchCheck({ quick })],
  ['browser', () => benchBrowser({ quick })],
  ['popup', () => benchPopupOnly({ quick })],
] as const) {
  if (only ? only !== name : name === 'popup') continue;
  process.stderr.write(`bench: ${name}…\n`);
  rows.push(...(await run()));
}
const over = rows.filter((row) => !row.pass);
if (json) {
  console.log(JSON.stringify(rows.map((r) => ({ name: r.name, value: r.value, unit: r.unit, baseline: r.baseline ?? null, ratio: r.ratio ?? null, budget: r.budget, pass: r.pass })), null, 2));
} else {
  console.log(formatTable(rows));
  if (over.length) console.log(`\nOver budget: ${over.map((row) => row.name).join('; ')}`);
}
process.exit(over.length && !reportOnly ? 1 : 0);
