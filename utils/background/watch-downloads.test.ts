import { describe, expect, it } from 'vitest';
import type { BundleVerdictLike } from '../downloads/judge-download';
import { openStore, type CompanionDb } from '../store/schema';
import { createDownloadWatcher, warningIdFor, type DownloadDelta, type DownloadItemLike, type DownloadWatcherDeps, type FindingContext, type WatchRecord } from './watch-downloads';
import type { BundleRecord } from '../bundle/types';
import type { WarningRecord } from '../downloads/types';
import { getBundle, getDownloadWatch, listWarnings } from '../store/queries';
import { updateBundle } from '../store/writes';
import { badgeFor, notificationFor } from '../downloads/warning-text';
import { createWarningActions, downloadWarningMessage } from './warning-actions';
import { createSaveKeptCopy } from './save-kept-copy';

const STORAGE_HOST = 'datastax-cluster-config-prod.s3.us-east-2.amazonaws.com';
const DB_ID = '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6';
const ORG_ID = '0b0f1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d';
const SIGNED_AT = Date.UTC(2024, 2, 5, 10, 10, 42);
const EXPIRES_AT = SIGNED_AT + 300_000;
const LINK =
  `https://${STORAGE_HOST}/${DB_ID}-1/secure-connect-orders.zip` +
  '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAZ7EXAMPLE3QF4JH2%2F20240305%2Fus-east-2%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20240305T101042Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const BUNDLE_SIZE = 12_263;
const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const BUNDLE_ID = `${DB_ID}|${DB_ID}-1|external`;

let dbCount = 0;
const freshDb = () => openStore(`watch-downloads-test-${++dbCount}`);

function record(extra: Partial<BundleRecord> = {}): BundleRecord {
  return {
    id: BUNDLE_ID,
    dbId: DB_ID,
    dbName: 'orders',
    region: 'us-east-2',
    kind: 'external',
    fileName: 'secure-connect-orders.zip',
    link: LINK,
    signedAt: SIGNED_AT,
    expiresAt: EXPIRES_AT,
    capturedAt: SIGNED_AT + 1_000,
    updatedAt: SIGNED_AT + 2_000,
    page: `https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`,
    source: 'network',
    status: 'verified',
    problems: [],
    size: BUNDLE_SIZE,
    hasCopy: true,
    ...extra,
  };
}

/**
 * The browser's download manager, as Chromium behaves: onCreated with `filename: ''`, the name in the first
 * change, `exists` re-checked when `search` is called. Events go to whichever watcher is "running" (the worker).
 */
class FakeDownloads {
  items = new Map<number, DownloadItemLike>();
  nextId = 1;
  /** Files the "browser" removes right after completion (it opened them). */
  openedByBrowser = new Set<number>();
  searches = 0;
  /** Runs once right after the next search answered: the browser moving on while the worker works. */
  afterNextSearch: (() => void) | null = null;

  /** As measured in Chromium 156: a search by id answers from memory; a search by time re-checks the files. */
  search = async (query: { id: number } | { startedAfter: string }): Promise<DownloadItemLike[]> => {
    this.searches++;
    const found = 'id' in query ? [this.items.get(query.id)].filter((i): i is DownloadItemLike => i !== undefined) : [...this.items.values()];
    const answer = found.map((item) => ({ ...item }));
    const after = this.afterNextSearch;
    this.afterNextSearch = null;
    after?.();
    // Chromium answers what it knew, and checks the files for the next search.
    if (!('id' in query)) for (const item of found) if (item.state === 'complete' && this.openedByBrowser.has(item.id)) item.exists = false;
    return answer;
  };

  start(url: string, at: number, extra: Partial<DownloadItemLike> = {}): DownloadItemLike {
    const item: DownloadItemLike = {
      id: this.nextId++,
      url,
      finalUrl: url,
      filename: '',
      mime: 'application/zip',
      fileSize: -1,
      totalBytes: BUNDLE_SIZE,
      bytesReceived: 0,
      state: 'in_progress',
      exists: true,
      danger: 'safe',
      startTime: new Date(at).toISOString(),
      ...extra,
    };
    this.items.set(item.id, item);
    return { ...item };
  }

  /** Applies a change and returns the onChanged delta for it. */
  change(id: number, patch: Partial<DownloadItemLike>): DownloadDelta {
    const item = this.items.get(id)!;
    const delta: DownloadDelta = { id };
    for (const [key, value] of Object.entries(patch) as Array<[keyof DownloadItemLike, unknown]>) {
      (delta as unknown as Record<string, unknown>)[key] = { previous: item[key], current: value };
    }
    Object.assign(item, patch);
    return delta;
  }

  complete(id: number, patch: Partial<DownloadItemLike> = {}): DownloadDelta {
    const size = patch.fileSize ?? BUNDLE_SIZE;
    return this.change(id, { state: 'complete', fileSize: size, bytesReceived: size, endTime: new Date(SIGNED_AT + 65_000).toISOString(), ...patch });
  }
}

interface Harness {
  db: CompanionDb;
  downloads: FakeDownloads;
  findings: Array<{ warning: WarningRecord; context: FindingContext }>;
  good: Array<string | undefined>;
  rechecks: string[];
  watcher: ReturnType<typeof createDownloadWatcher>;
  clock: { now: number };
  /** A new watcher on the same store and download manager: the worker restarted. */
  restart(): ReturnType<typeof createDownloadWatcher>;
}

async function harness(options: { recheck?: BundleVerdictLike | null; now?: number; bundles?: BundleRecord[] } = {}): Promise<Harness> {
  const db = await freshDb();
  for (const bundle of options.bundles ?? [record()]) await updateBundle(db, bundle.id, () => bundle);
  const downloads = new FakeDownloads();
  const clock = { now: options.now ?? SIGNED_AT + 60_000 };
  const h = { db, downloads, findings: [], good: [], rechecks: [], clock } as unknown as Harness;
  const make = () => {
    const deps: DownloadWatcherDeps = {
      db,
      now: () => clock.now,
      search: downloads.search,
      recheck: async (url) => {
        h.rechecks.push(url);
        return options.recheck ?? null;
      },
      readLink: (url) => (url.includes('X-Amz-Date=20240305T101042Z') ? { signedAt: SIGNED_AT, expiresAt: EXPIRES_AT } : null),
      onFinding: (warning, context) => void h.findings.push({ warning, context }),
      onGood: (bundleId) => void h.good.push(bundleId),
      trustedHosts: [STORAGE_HOST],
      extensionId: EXTENSION_ID,
      browser: 'chrome',
      wait: async () => {},
    };
    return createDownloadWatcher(deps);
  };
  h.watcher = make();
  h.restart = () => (h.watcher = make());
  return h;
}

/** Start, name and (optionally) finish a download of `url` the way Chromium reports it. */
async function downloadBundle(h: Harness, url: string, finish: Partial<DownloadItemLike> | null = {}, name = '/home/ada/Downloads/secure-connect-orders.zip') {
  const item = h.downloads.start(url, h.clock.now);
  await h.watcher.onCreated(item);
  await h.watcher.onChanged(h.downloads.change(item.id, { filename: name }));
  if (finish) await h.watcher.onChanged(h.downloads.complete(item.id, finish));
  return item.id;
}

describe('download guard', () => {
  it('marks a download made before expiry as downloaded and verified, with no warning', async () => {
    const h = await harness();
    const id = await downloadBundle(h, LINK);
    expect(h.findings).toEqual([]);
    expect(h.good).toEqual([BUNDLE_ID]);
    expect((await getBundle(h.db, BUNDLE_ID))?.downloaded).toEqual({ at: h.clock.now, ok: true, note: 'verified' });
    expect(await listWarnings(h.db)).toEqual([]);
    expect(((await getDownloadWatch(h.db, id)) as WatchRecord).judged).toBe(true);
    // Size matched the verified copy: no need to fetch the link again.
    expect(h.rechecks).toEqual([]);
  });

  it('warns about a download started after the link expired, stores the warning once and points at the fixes', async () => {
    const h = await harness({ now: EXPIRES_AT + 90_000 });
    const id = await downloadBundle(h, LINK, null);
    await h.watcher.onChanged(h.downloads.change(id, { state: 'interrupted', error: 'SERVER_FORBIDDEN' }));

    const warnings = await listWarnings(h.db);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      id: warningIdFor(id, 'link-expired'),
      code: 'link-expired',
      bundleId: BUNDLE_ID,
      downloadId: id,
      fileName: 'secure-connect-orders.zip',
      actions: ['save-copy', 'fresh-link'],
    });
    expect(h.findings).toHaveLength(1);
    expect(h.findings[0]?.context.connectUrl).toBe(`https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`);
    expect((await getBundle(h.db, BUNDLE_ID))?.downloaded).toMatchObject({ ok: false, note: 'link-expired' });
    expect(badgeFor(warnings)).toEqual({ text: '1', color: '#b42318' });
  });

  it('makes "Save the verified copy" work: our own save is watched, judged good, and settles the warning', async () => {
    const h = await harness({ now: EXPIRES_AT + 90_000 });
    const failed = await downloadBundle(h, LINK, null);
    await h.watcher.onChanged(h.downloads.change(failed, { state: 'interrupted', error: 'SERVER_FORBIDDEN' }));
    await updateBundle(h.db, BUNDLE_ID, (current) => current!, { id: BUNDLE_ID, bytes: new Uint8Array(BUNDLE_SIZE), sha256: 'ab'.repeat(32), savedAt: 1 });

    const opened: string[] = [];
    let ownId = -1;
    const saveKeptCopy = createSaveKeptCopy({
      db: async () => h.db,
      watcher: h.watcher,
      saveFile: async ({ bytes, fileName, saveAs }) => {
        expect([bytes.byteLength, fileName, saveAs]).toEqual([BUNDLE_SIZE, 'secure-connect-orders.zip', true]);
        const item = h.downloads.start('data:application/zip;base64,UEsDBBQACAgIAA==', h.clock.now, { byExtensionId: EXTENSION_ID });
        void h.watcher.onCreated(item);
        ownId = item.id;
        return item.id;
      },
      outcomeOf: async () => ({ state: 'started' }),
    });
    const actions = createWarningActions({ db: async () => h.db, openTab: async (url) => void opened.push(url), browser: 'chrome', saveKeptCopy });
    const saved = await actions.run(warningIdFor(failed, 'link-expired'), 'save-copy');
    expect(saved).toEqual({ ok: true, value: { state: 'started' } });
    await h.watcher.onChanged(h.downloads.change(ownId, { filename: '/home/ada/Downloads/secure-connect-orders (1).zip' }));
    await h.watcher.onChanged(h.downloads.complete(ownId));

    expect(((await getDownloadWatch(h.db, ownId)) as WatchRecord).ownSave).toBe(true);
    expect(h.good).toEqual([BUNDLE_ID]);
    expect((await listWarnings(h.db)).map((w) => w.dismissed)).toEqual([true]);
    expect(badgeFor(await listWarnings(h.db)).text).toBe('');

    await actions.run(warningIdFor(failed, 'link-expired'), 'fresh-link');
    expect(opened).toEqual([`https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`]);
  });

  it('watches our own save by the extension id Chromium puts on it, whatever name the file got', async () => {
    const h = await harness();
    const item = h.downloads.start('data:application/zip;base64,UEsDBBQACAgIAA==', h.clock.now, { byExtensionId: EXTENSION_ID });
    // Chromium's onCreated leaves byExtensionId out; downloads.search has it.
    await h.watcher.onCreated({ ...item, byExtensionId: undefined });
    await h.watcher.onChanged(h.downloads.change(item.id, { filename: '/home/ada/Downloads/download.zip' }));
    h.downloads.openedByBrowser.add(item.id);
    await h.watcher.onChanged(h.downloads.complete(item.id));
    expect(await getDownloadWatch(h.db, item.id)).toMatchObject({ ownSave: true, judged: true });
    expect(h.findings.map((f) => f.warning.code)).toEqual(['opened-by-browser']);
  });

  it('compares by name only bytes made in the browser, not a same-named file from elsewhere', async () => {
    const h = await harness();
    await downloadBundle(h, `blob:https://astra.datastax.com/0b7c6a52-1f3e-4d2a-9c8b-7e6f5d4c3b2a`, { fileSize: 12_001, totalBytes: 12_001 });
    expect(h.findings.map((f) => f.warning.code)).toEqual(['size-mismatch']);
    await downloadBundle(h, 'https://files.example.com/share/secure-connect-orders.zip', { fileSize: 12_001, totalBytes: 12_001 });
    expect(h.findings).toHaveLength(1);
    expect(h.good).toEqual([undefined]);
  });

  it('warns about a truncated body', async () => {
    const h = await harness();
    await downloadBundle(h, LINK, { fileSize: 6_144, totalBytes: BUNDLE_SIZE });
    expect(h.findings.map((f) => f.warning.code)).toEqual(['size-mismatch']);
    expect(h.findings[0]?.warning.message).toContain(`6144 of ${BUNDLE_SIZE} bytes`);
  });

  it('warns about a 200 answer with an XML body, confirmed by fetching the live link again', async () => {
    const recheck: BundleVerdictLike = {
      ok: false,
      problems: [{ code: 'storage-error', severity: 'error', message: 'This file is not a bundle: it holds an error from Amazon S3 (AccessDenied: Request has expired).', hint: 'Get Bundle again.' }],
      facts: { size: 367, kind: 'error-document' },
    };
    const h = await harness({ recheck });
    // As Chromium reports it: storage's headers said application/zip, the body was 367 bytes of XML.
    await downloadBundle(h, LINK, { fileSize: 367, totalBytes: 367, mime: 'application/zip' });
    expect(h.rechecks).toEqual([LINK]);
    expect(h.findings.map((f) => f.warning.code)).toEqual(['error-document']);
    expect(h.findings[0]?.warning.message).toContain('Request has expired');
    expect(h.good).toEqual([]);
  });

  it('warns when the browser opened the zip: the file is gone right after completion', async () => {
    const h = await harness();
    h.downloads.openedByBrowser.add(1);
    await downloadBundle(h, LINK);
    expect(h.findings.map((f) => f.warning.code)).toEqual(['opened-by-browser']);
    expect(h.findings[0]?.warning.actions).toEqual(['save-copy', 'browser-setting']);
    expect(h.findings[0]?.warning.hint).toContain('chrome://settings/downloads');
    expect(notificationFor(h.findings[0]!.warning).buttons.map((b) => b.title)).toEqual(['Save the verified copy', 'Stop the browser opening zips']);
  });

  it('judges a download that finished while the worker was stopped, once, at the next start', async () => {
    const h = await harness();
    const id = await downloadBundle(h, LINK, null);
    // The worker stops; the download completes with nobody listening.
    h.downloads.complete(id);
    const restarted = h.restart();
    expect(await restarted.sweep()).toBe(1);
    expect(h.good).toEqual([BUNDLE_ID]);
    // The event Chromium delivers late, and a second sweep, judge nothing again.
    await restarted.onChanged({ id, state: { previous: 'in_progress', current: 'complete' } });
    expect(await restarted.sweep()).toBe(0);
    expect(h.good).toEqual([BUNDLE_ID]);
  });

  it('judges a tiny download whose events come faster than the store answers', async () => {
    const h = await harness();
    const item = h.downloads.start(LINK, h.clock.now);
    // Chromium fires these within milliseconds; listeners are not awaited one after the other.
    const created = h.watcher.onCreated(item);
    const named = h.watcher.onChanged(h.downloads.change(item.id, { filename: '/home/ada/Downloads/secure-connect-orders.zip' }));
    const done = h.watcher.onChanged(h.downloads.complete(item.id));
    await Promise.all([created, named, done]);
    expect(h.good).toEqual([BUNDLE_ID]);

    // Known only by its name (from elsewhere than storage): the name and the end arrive together.
    const other = h.downloads.start('https://files.example.com/share/secure-connect-orders.zip', h.clock.now);
    await h.watcher.onCreated(other);
    let finished: Promise<void> = Promise.resolve();
    // It completes just after the watcher looked it up for its name, before the watch is stored.
    h.downloads.afterNextSearch = () => (finished = h.watcher.onChanged(h.downloads.complete(other.id)));
    await h.watcher.onChanged(h.downloads.change(other.id, { filename: '/home/ada/Downloads/secure-connect-orders (1).zip' }));
    await finished;
    expect(h.good).toEqual([BUNDLE_ID, undefined]);
  });

  it('judges once when an event and the startup sweep race', async () => {
    const h = await harness({ now: EXPIRES_AT + 1_000 });
    const id = await downloadBundle(h, LINK, null);
    const delta = h.downloads.change(id, { state: 'interrupted', error: 'SERVER_FORBIDDEN' });
    await Promise.all([h.watcher.onChanged(delta), h.watcher.sweep(), h.watcher.onChanged(delta)]);
    expect(h.findings).toHaveLength(1);
    expect(await listWarnings(h.db)).toHaveLength(1);
  });

  it('takes over a judgement whose worker died half-way, after a while', async () => {
    const h = await harness();
    const id = await downloadBundle(h, LINK, null);
    h.downloads.complete(id);
    const { updateDownloadWatch } = await import('../store/writes');
    await updateDownloadWatch(h.db, id, (w) => ({ ...w!, judgingAt: h.clock.now } as WatchRecord));
    const restarted = h.restart();
    expect(await restarted.sweep()).toBe(0);
    h.clock.now += 61_000;
    expect(await restarted.sweep()).toBe(1);
    expect(h.good).toEqual([BUNDLE_ID]);
  });

  it('watches storage downloads and secure-connect zips, and nothing else', async () => {
    const h = await harness({ bundles: [] });
    const fromStorage = h.downloads.start(`https://${STORAGE_HOST}/x-1/secure-connect-x.zip?X-Amz-Date=1`, h.clock.now);
    await h.watcher.onCreated(fromStorage);
    const named = h.downloads.start('https://github.com/acme/app/raw/main/secure-connect-orders.zip', h.clock.now);
    await h.watcher.onCreated(named);
    const other = h.downloads.start('https://example.com/report.pdf', h.clock.now);
    await h.watcher.onCreated(other);
    await h.watcher.onChanged(h.downloads.change(named.id, { filename: '/home/ada/Downloads/secure-connect-orders.zip' }));
    await h.watcher.onChanged(h.downloads.change(other.id, { filename: '/home/ada/Downloads/report.pdf' }));
    await h.watcher.onChanged(h.downloads.complete(other.id));

    expect(await getDownloadWatch(h.db, fromStorage.id)).toBeDefined();
    expect(await getDownloadWatch(h.db, named.id)).toMatchObject({ filename: '/home/ada/Downloads/secure-connect-orders.zip' });
    expect(await getDownloadWatch(h.db, other.id)).toBeUndefined();
    expect(h.good).toEqual([]);
  });

  it('stays quiet about a download the user cancelled, and about one erased before it was judged', async () => {
    const h = await harness();
    const cancelled = await downloadBundle(h, LINK, null);
    await h.watcher.onChanged(h.downloads.change(cancelled, { state: 'interrupted', error: 'USER_CANCELED' }));
    const erased = await downloadBundle(h, LINK, null);
    h.downloads.items.delete(erased);
    await h.watcher.sweep();
    expect(h.findings).toEqual([]);
    expect(h.good).toEqual([]);
    expect(((await getDownloadWatch(h.db, cancelled)) as WatchRecord).judged).toBe(true);
    expect(((await getDownloadWatch(h.db, erased)) as WatchRecord).judged).toBe(true);
    expect((await getBundle(h.db, BUNDLE_ID))?.downloaded).toBeUndefined();
  });
});

describe('the download-warning message to console tabs', () => {
  it('survives the trip to the content script, which refuses a forged one', async () => {
    const { readDownloadWarningMessage, isWarningForPage } = await import('../../components/console/download-warning-panel');
    const warning: WarningRecord = {
      id: warningIdFor(4, 'link-expired'),
      createdAt: SIGNED_AT,
      code: 'link-expired',
      message: 'The bundle link had expired…',
      hint: 'Save the verified copy…',
      bundleId: BUNDLE_ID,
      downloadId: 4,
      fileName: 'secure-connect-orders.zip',
      actions: ['save-copy', 'fresh-link'],
    };
    const connectUrl = `https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`;
    const sent = JSON.parse(JSON.stringify(downloadWarningMessage(warning, { bundle: record(), connectUrl }, 'chrome')));
    const read = readDownloadWarningMessage(sent);
    expect(read).toMatchObject({ type: 'download-warning', warning, dbId: DB_ID, connectUrl, settingsUrl: 'chrome://settings/downloads' });
    expect(readDownloadWarningMessage({ ...sent, connectUrl: 'https://evil.example/' })).toBeNull();
    expect(readDownloadWarningMessage({ ...sent, warning: { ...warning, actions: ['save-copy', 'run-script'] } })?.warning.actions).toEqual(['save-copy']);

    expect(isWarningForPage(read!, connectUrl, false)).toBe(true);
    expect(isWarningForPage(read!, `https://astra.datastax.com/org/${ORG_ID}/database/11111111-2222-3333-4444-555555555555/connect`, true)).toBe(false);
    expect(isWarningForPage({}, `https://astra.datastax.com/org/${ORG_ID}/settings/tokens`, true)).toBe(true);
    expect(isWarningForPage({}, `https://astra.datastax.com/org/${ORG_ID}/settings/tokens`, false)).toBe(false);
  });
});

describe('notifications', () => {
  it('offers the first two fixes as buttons where the browser has them, and runs the one clicked', async () => {
    const { notificationOptionsFor } = await import('../downloads/warning-text');
    const h = await harness({ now: EXPIRES_AT + 90_000 });
    const id = await downloadBundle(h, LINK, null);
    await h.watcher.onChanged(h.downloads.change(id, { state: 'interrupted', error: 'SERVER_FORBIDDEN' }));
    const warning = h.findings[0]!.warning;
    expect(notificationOptionsFor(warning, 'chrome')).toMatchObject({ type: 'basic', title: 'Bundle link had expired', buttons: [{ title: 'Save the verified copy' }, { title: 'Get a fresh link' }] });
    expect(notificationOptionsFor(warning, 'firefox')).not.toHaveProperty('buttons');
    expect(notificationOptionsFor(warning, 'chrome').iconUrl).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);

    const opened: string[] = [];
    const actions = createWarningActions({ db: async () => h.db, openTab: async (url) => void opened.push(url), saveKeptCopy: createSaveKeptCopy({ db: async () => h.db, watcher: h.watcher, saveFile: async () => 1, outcomeOf: async () => ({ state: 'started' }) }) });
    expect((await actions.runNotificationButton(warning.id, 1)).ok).toBe(true);
    expect(opened).toEqual([`https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`]);
    expect((await actions.runNotificationButton(warning.id, 0)).ok).toBe(false);
    expect((await actions.runNotificationButton('download-99-gone', 0)).ok).toBe(false);
  });
});
