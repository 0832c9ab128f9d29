/**
 * Bounds on what one console tab can make the background do. Any script on the console page can dispatch the page
 * hook's event, so without bounds a page could create thousands of records, each a fetch to the storage host.
 *
 * The numbers, per tab and per minute (a sliding window):
 * - 10 capture events that carry a link or a token: a person clicks Get Bundle, switches a region or generates a
 *   token a few times a minute at most; the console's own page load adds one or two responses.
 * - 40 bundle fetches: one Get Bundle answer for a two-region database carries 8 links (4 kinds per region), so this
 *   is five such answers in a minute, more than anyone clicks.
 * - 10 tokens: generating a token takes a dialog and a click each.
 * And 200 records without a kept copy in all: past that, new links are not fetched until some are deleted.
 * What is refused is counted into one warning for the whole flood, never one notification per capture.
 * State lives in IndexedDB, not in worker globals: an MV3 worker restarts at any time, and a restart must not reset
 * the window.
 */
import type { CompanionDb } from '../store/schema';
import { putWarningIn } from '../store/writes';
import type { WarningRecord } from '../downloads/types';

export const CAPTURE_LIMITS = {
  windowMs: 60_000,
  eventsPerTab: 10,
  fetchesPerTab: 40,
  tokensPerTab: 10,
  recordsWithoutCopy: 200,
  /** Tabs remembered at once; older ones are forgotten first. */
  tabs: 100,
} as const;

export type CaptureLimits = { -readonly [K in keyof typeof CAPTURE_LIMITS]: number };

const STATE_KEY = 'capture-limits';
const FLOOD_KEY = 'capture-flood';
export const FLOOD_WARNING_ID = 'capture-flood';

interface TabWindow {
  events: number[];
  fetches: number[];
  tokens: number[];
  last: number;
}

export interface CaptureRequest {
  events?: number;
  fetches?: number;
  tokens?: number;
}

export interface CaptureGrant {
  events: number;
  fetches: number;
  tokens: number;
  /** True when the cap on records without a kept copy held the fetches back. */
  recordCapReached: boolean;
}

/** Grants what fits in the tab's window (all or part of each ask) and records what was granted, in one transaction. */
export async function admitCaptures(
  db: CompanionDb,
  tab: string,
  now: number,
  ask: CaptureRequest,
  limits: CaptureLimits = CAPTURE_LIMITS,
): Promise<CaptureGrant> {
  const tx = db.transaction(['kv', 'bundles'], 'readwrite');
  const kv = tx.objectStore('kv');
  const state = ((await kv.get(STATE_KEY)) as Record<string, TabWindow> | undefined) ?? {};
  const since = now - limits.windowMs;
  const current = state[tab] ?? { events: [], fetches: [], tokens: [], last: now };
  const recent = (times: number[]) => times.filter((t) => t > since && t <= now);
  const window: TabWindow = { events: recent(current.events), fetches: recent(current.fetches), tokens: recent(current.tokens), last: now };
  const grant = (times: number[], wanted: number, limit: number) => {
    const granted = Math.max(0, Math.min(wanted, limit - times.length));
    for (let i = 0; i < granted; i++) times.push(now);
    return granted;
  };
  const events = grant(window.events, ask.events ?? 0, limits.eventsPerTab);
  // An event over the limit gets nothing at all: its links and tokens are not looked at.
  let recordCapReached = false;
  let fetchLimit = limits.fetchesPerTab;
  if (events < (ask.events ?? 0)) fetchLimit = 0;
  else if ((ask.fetches ?? 0) > 0) {
    const withoutCopy = (await tx.objectStore('bundles').getAll()).filter((record) => !record.hasCopy).length;
    if (withoutCopy >= limits.recordsWithoutCopy) {
      recordCapReached = true;
      fetchLimit = 0;
    }
  }
  const fetches = grant(window.fetches, ask.fetches ?? 0, fetchLimit);
  const tokens = events < (ask.events ?? 0) ? 0 : grant(window.tokens, ask.tokens ?? 0, limits.tokensPerTab);
  state[tab] = window;
  const tabs = Object.entries(state).sort(([, a], [, b]) => b.last - a.last).slice(0, limits.tabs);
  await kv.put(Object.fromEntries(tabs), STATE_KEY);
  await tx.done;
  return { events, fetches, tokens, recordCapReached };
}

/** Adds refused captures to the one flood warning (created on the first, its counts updated after). */
export async function reportFlood(db: CompanionDb, now: number, refused: { links: number; tokens: number; recordCapReached: boolean }): Promise<void> {
  if (refused.links + refused.tokens === 0) return;
  const tx = db.transaction(['kv', 'warnings', 'counts'], 'readwrite');
  const kv = tx.objectStore('kv');
  const existing = await tx.objectStore('warnings').get(FLOOD_WARNING_ID);
  const counts = (existing ? ((await kv.get(FLOOD_KEY)) as { since: number; links: number; tokens: number } | undefined) : undefined) ?? { since: now, links: 0, tokens: 0 };
  counts.links += refused.links;
  counts.tokens += refused.tokens;
  await kv.put(counts, FLOOD_KEY);
  const parts = [counts.links ? `${counts.links} bundle link${counts.links === 1 ? '' : 's'}` : '', counts.tokens ? `${counts.tokens} token${counts.tokens === 1 ? '' : 's'}` : ''].filter(Boolean);
  const warning: WarningRecord = {
    id: FLOOD_WARNING_ID,
    createdAt: existing?.createdAt ?? now,
    code: 'capture-flood',
    message: `A console tab reported more than the Astra console ever makes: ${parts.join(' and ')} ignored since ${new Date(counts.since).toISOString().slice(11, 16)} UTC.`,
    hint: refused.recordCapReached
      ? `Astra Companion keeps at most ${CAPTURE_LIMITS.recordsWithoutCopy} bundles without a verified copy: delete the ones that failed, then click Get Bundle again.`
      : 'A script on the console page may be sending forged captures. Nothing kept was changed; reload the console tab, and if this comes back, check your other extensions.',
    actions: [],
  };
  await putWarningIn(tx, warning);
  await tx.done;
}

export interface LimitedCaptures<L, T> {
  links: L[];
  tokens: T[];
  /** For keepBundles: how many of `n` accepted links may be fetched now. */
  admitFetches(n: number): Promise<number>;
  /** Reports what was held back into the flood warning; true when the warning changed. */
  finish(): Promise<boolean>;
}

/** One capture event from a tab, cut to what the tab may still do this minute. */
export async function limitCaptures<L, T>(db: CompanionDb, tab: string, now: () => number, links: L[], tokens: T[], limits: CaptureLimits = CAPTURE_LIMITS): Promise<LimitedCaptures<L, T>> {
  const refused = { links: 0, tokens: 0, recordCapReached: false };
  const hasSomething = links.length > 0 || tokens.length > 0;
  const grant = hasSomething ? await admitCaptures(db, tab, now(), { events: 1, tokens: tokens.length }, limits) : undefined;
  const eventAdmitted = !grant || grant.events === 1;
  const keptLinks = eventAdmitted ? links : [];
  const keptTokens = eventAdmitted ? tokens.slice(0, grant?.tokens ?? 0) : [];
  refused.links += links.length - keptLinks.length;
  refused.tokens += tokens.length - keptTokens.length;
  return {
    links: keptLinks,
    tokens: keptTokens,
    async admitFetches(n) {
      const fetches = await admitCaptures(db, tab, now(), { fetches: n }, limits);
      refused.links += n - fetches.fetches;
      refused.recordCapReached ||= fetches.recordCapReached;
      return fetches.fetches;
    },
    async finish() {
      if (refused.links + refused.tokens === 0) return false;
      await reportFlood(db, now(), refused);
      return true;
    },
  };
}
