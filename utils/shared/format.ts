/** Small, pure formatting for people: sizes, countdowns, dates. */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** `m:ss` for a time left in milliseconds; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** The calendar date of an ISO time, as `YYYY-MM-DD` (UTC, so everyone reads the same date). */
export function formatDate(iso: string | number | undefined): string {
  if (iso === undefined) return '?';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '?' : date.toISOString().slice(0, 10);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** Made once: a new formatter costs more than all of a list row's other text (the popup redraws rows every second). */
let relativeFormat: Intl.RelativeTimeFormat | undefined;

/** "just now", "3 minutes ago", "2 days ago". */
export function formatRelative(then: number, now: number): string {
  const diff = now - then;
  if (Math.abs(diff) < 45_000) return 'just now';
  const format = (relativeFormat ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' }));
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === 'minute') return format.format(-Math.round(diff / size), unit);
  }
  return 'just now';
}
