/** One line of the bench table: a figure, the baseline measured in the same run, and its budget. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  /** Human-readable budget, e.g. "ratio < 1.05" or "< 15 KB". */
  budget: string;
  pass: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function formatTable(rows: BenchRow[]): string {
  const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '' : Number.isInteger(n) ? String(n) : n.toFixed(digits));
  const table = [
    ['measure', 'value', 'baseline', 'ratio', 'budget', 'ok'],
    ...rows.map((r) => [r.name, `${fmt(r.value)} ${r.unit}`, r.baseline === undefined ? '' : `${fmt(r.baseline)} ${r.unit}`, fmt(r.ratio, 3), r.budget, r.pass ? 'yes' : 'NO']),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).join('\n');
}
