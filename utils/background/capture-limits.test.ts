import { describe, expect, it } from 'vitest';
import { admitCaptures, CAPTURE_LIMITS, FLOOD_WARNING_ID, limitCaptures } from './capture-limits';
import { openStore } from '../store/schema';
import { listWarnings } from '../store/queries';
import { updateBundle } from '../store/writes';

let n = 0;
const fresh = () => openStore(`capture-limits-${++n}`);
const start = Date.UTC(2026, 11, 1, 20, 0);

describe('admitCaptures', () => {
  it('grants a tab at most the per-minute numbers, and grants again once the minute has passed', async () => {
    const db = await fresh();
    const granted = [];
    for (let i = 0; i < CAPTURE_LIMITS.eventsPerTab + 5; i++) granted.push((await admitCaptures(db, 'tab:1', start + i, { events: 1 })).events);
    expect(granted.filter((g) => g === 1)).toHaveLength(CAPTURE_LIMITS.eventsPerTab);
    expect((await admitCaptures(db, 'tab:1', start + 100, { fetches: 100 })).fetches).toBe(CAPTURE_LIMITS.fetchesPerTab);
    // Another tab has its own window; the first tab's refills a minute on.
    expect((await admitCaptures(db, 'tab:2', start + 100, { events: 1 })).events).toBe(1);
    expect((await admitCaptures(db, 'tab:1', start + 101 + CAPTURE_LIMITS.windowMs, { events: 1, fetches: 1 }))).toMatchObject({ events: 1, fetches: 1 });
  });

  it('keeps its window in IndexedDB: a restarted worker (a new connection) does not start from zero', async () => {
    const name = `capture-limits-restart-${++n}`;
    const first = await openStore(name);
    expect((await admitCaptures(first, 'tab:7', start, { fetches: CAPTURE_LIMITS.fetchesPerTab })).fetches).toBe(CAPTURE_LIMITS.fetchesPerTab);
    first.close();
    const second = await openStore(name);
    expect((await admitCaptures(second, 'tab:7', start + 1000, { fetches: 1 })).fetches).toBe(0);
  });

  it('fetches nothing once 200 records have no kept copy', async () => {
    const db = await fresh();
    for (let i = 0; i < CAPTURE_LIMITS.recordsWithoutCopy; i++) {
      await updateBundle(db, `b${i}`, () => ({ id: `b${i}`, dbName: 'x', kind: 'external', fileName: 'x.zip', link: `l${i}`, capturedAt: 0, updatedAt: 0, page: '', source: 'network', status: 'problem', problems: [], hasCopy: false }));
    }
    expect(await admitCaptures(db, 'tab:1', start, { fetches: 1 })).toMatchObject({ fetches: 0, recordCapReached: true });
  });
});

describe('limitCaptures', () => {
  it('a flood from one tab: the excess is held back and summed into one warning', async () => {
    const db = await fresh();
    let held = 0;
    for (let i = 0; i < 50; i++) {
      const limited = await limitCaptures(db, 'tab:9', () => start + i, ['a', 'b'], ['t']);
      held += 2 - Math.min(await limited.admitFetches(limited.links.length), limited.links.length);
      await limited.finish();
    }
    expect(held).toBe(100 - CAPTURE_LIMITS.eventsPerTab * 2);
    const warnings = await listWarnings(db);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ id: FLOOD_WARNING_ID, code: 'capture-flood' });
    expect(warnings[0]!.message).toContain(`${100 - CAPTURE_LIMITS.eventsPerTab * 2} bundle links and ${50 - CAPTURE_LIMITS.eventsPerTab} tokens ignored`);
  });

  it('what a real console makes (a few Get Bundle answers and a token in a minute) is never held back', async () => {
    const db = await fresh();
    for (let i = 0; i < 4; i++) {
      const limited = await limitCaptures(db, 'tab:3', () => start + i * 10_000, Array.from({ length: 8 }, (_, j) => j), i === 0 ? ['t'] : []);
      expect(await limited.admitFetches(limited.links.length)).toBe(8);
      expect(await limited.finish()).toBe(false);
    }
    expect(await listWarnings(db)).toEqual([]);
  });
});
