/**
 * The download guard: watches the browser's downloads of bundles (from a captured link, from the storage host,
 * or named secure-connect-*.zip), judges each once when it ends, stores a warning per finding and marks good
 * downloads on the bundle record. All state lives in IndexedDB, never in worker globals: the MV3 service worker
 * may be stopped between a download's start and end, and `sweep()` at startup judges what finished meanwhile.
 * Browser APIs are passed in (deps), so this runs under Vitest with a fake download manager.
 */
import { baseName, isGoodDownload, judgeDownload, type BrowserKind, type BundleVerdictLike, type DownloadFacts, type DownloadFinding } from '../downloads/judge-download';
import { connectUrlFor } from '../astra/routes';
import { isLinkAlive } from '../bundle/bundle-link';
import { type CompanionDb } from '../store/schema';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { BundleRecord } from '../bundle/types';
import { deleteDownloadWatch, putWarning, updateBundle, updateDownloadWatch } from '../store/writes';
import { findBundleByLink, getBundle, getDownloadWatch, listBundles, listDownloadWatches, listWarnings } from '../store/queries';
import { findBundleForStorageUrl } from './storage-tab-context';

/** A `downloads.DownloadItem` as far as the guard reads it. */
export interface DownloadItemLike extends DownloadFacts {
  id: number;
  /** Chromium: the extension that started the download (ours when it saves a kept copy). */
  byExtensionId?: string;
}

type Delta<T> = { current?: T; previous?: T };

/** A `downloads.onChanged` argument: only what changed. */
export interface DownloadDelta {
  id: number;
  url?: Delta<string>;
  finalUrl?: Delta<string>;
  filename?: Delta<string>;
  mime?: Delta<string>;
  state?: Delta<string>;
  error?: Delta<string>;
  exists?: Delta<boolean>;
  fileSize?: Delta<number>;
  totalBytes?: Delta<number>;
  endTime?: Delta<string>;
}

/** What the store keeps per watched download (DownloadWatch plus the guard's own bookkeeping). */
export interface WatchRecord extends DownloadWatch {
  finalUrl?: string;
  /** Astra Companion itself saved the kept copy: judge the file, not a link. */
  ownSave?: boolean;
  /** Set while one judgement runs, so a second event or a sweep does not judge it again. */
  judgingAt?: number;
  judgedAt?: number;
  /** Judged good, then found gone from where it was saved: reported once. */
  goneReported?: boolean;
  /** The judgement found nothing wrong: the only downloads whose later disappearance is news. */
  judgedGood?: boolean;
}

export interface FindingContext {
  finding: DownloadFinding;
  download: DownloadItemLike;
  bundle?: BundleRecord;
  /** The database's Connect page, for "Get a fresh link". */
  connectUrl: string;
}

export interface GoodDownloadContext {
  finding: DownloadFinding;
  download: DownloadItemLike;
  bundle?: BundleRecord;
}

export interface DownloadWatcherDeps {
  db: CompanionDb | (() => Promise<CompanionDb>);
  now(): number;
  /** `downloads.search`. Chromium re-checks `exists` (asynchronously) on a search by time, not on one by id. */
  search(query: { id: number } | { startedAfter: string }): Promise<DownloadItemLike[]>;
  /** Re-fetches a live link and checks the bytes; null when the fetch itself failed. */
  recheck?(url: string): Promise<BundleVerdictLike | null>;
  /** The link's own signing times (parseBundleLink), for links no record holds. */
  readLink?(url: string): { signedAt?: number; expiresAt?: number } | null;
  /** Called once per stored warning, after it is stored. */
  onFinding(warning: WarningRecord, context: FindingContext): void | Promise<void>;
  /** Called once per good download, after the bundle record is marked. */
  onGood(bundleId: string | undefined, context: GoodDownloadContext): void | Promise<void>;
  trustedHosts: readonly string[];
  /** Our extension id: Chromium names it on downloads we started. */
  extensionId?: string;
  browser?: BrowserKind;
  /** Waits before looking again whether the file still exists; tests pass one that does not wait. */
  wait?(ms: number): Promise<void>;
  settleMs?: number;
}

/** A bundle's name as browsers save it, `(1)` copies included. */
const BUNDLE_FILE = /(^|[\\/])secure-connect-[^\\/]*\.zip$/i;
const COPY_SUFFIX = /\s?\(\d+\)(?=\.zip$)/i;
/** A judgement that started this long ago without ending died with its worker; it may be claimed again. */
const CLAIM_MS = 60_000;
/** Judged watches are forgotten after a week. */
const KEEP_JUDGED_MS = 7 * 24 * 3600 * 1000;
const SETTLE_MS = 1500;
/** How long after a good download its file is looked for again (a browser opens or unpacks a zip within minutes). */
export const RECENT_DOWNLOAD_MS = 30 * 60 * 1000;
/** Pauses before each look again: ask, read the answer, ask again once Chromium's 10 s limit has passed, read. */
const RECHECK_PAUSES_MS = [0, 1500, 9500, 1500];

export function isBundleFileName(path: string | undefined): boolean {
  return typeof path === 'string' && BUNDLE_FILE.test(path);
}

function hostOf(url: string | undefined): string {
  try {
    return url ? new URL(url).hostname.toLowerCase() : '';
  } catch {
    return '';
  }
}

function isTerminal(state: string | undefined): state is 'complete' | 'interrupted' {
  return state === 'complete' || state === 'interrupted';
}

export function warningIdFor(downloadId: number, code: string): string {
  return `download-${downloadId}-${code}`;
}

export function createDownloadWatcher(deps: DownloadWatcherDeps) {
  const db = typeof deps.db === 'function' ? deps.db : ((value) => () => Promise.resolve(value))(deps.db);
  const wait = deps.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const trusted = (url: string | undefined) => deps.trustedHosts.includes(hostOf(url));
  // Our own saves are the kept copies, made from bytes (data:/blob:); a storage link downloaded by anyone is judged.
  const ours = (item: Pick<DownloadItemLike, 'byExtensionId' | 'url'>) =>
    deps.extensionId !== undefined && item.byExtensionId === deps.extensionId && /^(?:data|blob):/.test(item.url ?? '');

  async function linkedBundle(store: CompanionDb, item: Pick<DownloadItemLike, 'url' | 'finalUrl'>): Promise<BundleRecord | undefined> {
    for (const url of [item.url, item.finalUrl]) {
      if (!url || url.startsWith('data:') || url.startsWith('blob:')) continue;
      const record = await findBundleByLink(store, url);
      if (record) return record;
    }
    return undefined;
  }

  /** Starts watching when the download is a bundle's; idempotent (merges with what is stored). */
  async function watch(item: DownloadItemLike, extra: Partial<WatchRecord> = {}): Promise<WatchRecord | undefined> {
    const store = await db();
    const bundle = await linkedBundle(store, item);
    const wanted = bundle !== undefined || trusted(item.url) || trusted(item.finalUrl) || isBundleFileName(item.filename) || extra.ownSave === true || ours(item);
    if (!wanted) return undefined;
    const { watch: stored } = await updateDownloadWatch(store, item.id, (current) => {
      const previous = current as WatchRecord | undefined;
      const next: WatchRecord = {
        ...previous,
        downloadId: item.id,
        url: previous?.url || item.url,
        startedAt: previous?.startedAt ?? (typeof item.startTime === 'string' ? Date.parse(item.startTime) || deps.now() : item.startTime ?? deps.now()),
        state: isTerminal(item.state) ? item.state : previous?.state ?? 'in_progress',
        ...extra,
      };
      const bundleId = extra.bundleId ?? previous?.bundleId ?? bundle?.id;
      if (bundleId) next.bundleId = bundleId;
      if (item.filename) next.filename = item.filename;
      if (item.finalUrl) next.finalUrl = item.finalUrl;
      if (ours(item)) next.ownSave = true;
      return next;
    });
    return stored as WatchRecord | undefined;
  }

  async function findBundle(store: CompanionDb, record: WatchRecord, item: DownloadItemLike): Promise<BundleRecord | undefined> {
    if (record.bundleId) {
      const known = await getBundle(store, record.bundleId);
      if (known) return known;
    }
    const linked = await linkedBundle(store, item);
    if (linked) return linked;
    if (trusted(item.url)) {
      const sameFile = await findBundleForStorageUrl(store, item.url);
      if (sameFile) return sameFile;
    }
    // By name only for bytes made in the browser (our own save, the console's blob): a file of the same name from
    // elsewhere may well be another organization's database of the same name.
    const local = record.ownSave || ours(item) || /^(?:data|blob):/.test(item.url);
    const name = baseName(item.filename).replace(COPY_SUFFIX, '');
    if (!local || !name) return undefined;
    return (await listBundles(store)).find((bundle) => bundle.fileName === name);
  }

  function linkFacts(record: WatchRecord, item: DownloadItemLike, bundle: BundleRecord | undefined) {
    if (record.ownSave) return undefined;
    if (bundle && (bundle.link === item.url || bundle.link === item.finalUrl)) return { signedAt: bundle.signedAt, expiresAt: bundle.expiresAt };
    return deps.readLink?.(item.url) ?? undefined;
  }

  /** Releases a claim without judging (the download turned out not to be finished). */
  async function release(store: CompanionDb, id: number) {
    await updateDownloadWatch(store, id, (current) => {
      if (!current) return undefined;
      const { judgingAt: _released, ...rest } = current as WatchRecord;
      return rest;
    });
  }

  async function markJudged(store: CompanionDb, id: number, item: DownloadItemLike | undefined, good = false) {
    await updateDownloadWatch(store, id, (current) => {
      if (!current) return undefined;
      const { judgingAt: _done, ...rest } = current as WatchRecord;
      const next: WatchRecord = { ...rest, judged: true, judgedAt: deps.now(), ...(good ? { judgedGood: true } : {}) };
      if (item && isTerminal(item.state)) next.state = item.state;
      if (item?.filename) next.filename = item.filename;
      return next;
    });
  }

  /** Judges one finished download, once, whoever asks first (an event, or the startup sweep). */
  async function judge(id: number): Promise<DownloadFinding[]> {
    const store = await db();
    const claimedAt = deps.now();
    const claim = await updateDownloadWatch(store, id, (current) => {
      const record = current as WatchRecord | undefined;
      if (!record || record.judged) return undefined;
      if (record.judgingAt !== undefined && claimedAt - record.judgingAt < CLAIM_MS) return undefined;
      return { ...record, judgingAt: claimedAt };
    });
    if (!claim.changed || !claim.watch) return [];
    const record = claim.watch as WatchRecord;

    try {
      let item = (await deps.search({ id }))[0];
      if (!item) {
        // Erased from the browser's list before we looked: nothing left to judge.
        await markJudged(store, id, undefined);
        return [];
      }
      if (!isTerminal(item.state)) {
        await release(store, id);
        return [];
      }
      if (item.state === 'complete') {
        // Chromium re-checks `exists` when asked, asynchronously: ask, let the check run, then read the answer.
        // A browser that opens or unpacks the zip has moved it by now.
        await wait(deps.settleMs ?? SETTLE_MS);
        for (let look = 0; look < 4; look++) {
          const startedAfter = new Date((record.startedAt ?? deps.now()) - 60_000).toISOString();
          item = (await deps.search({ startedAfter })).find((found) => found.id === id) ?? item;
          if (item.exists === false) break;
          await wait((deps.settleMs ?? SETTLE_MS) / 6);
        }
      }
      const ownSave = record.ownSave === true || ours(item);
      const bundle = await findBundle(store, record, item);
      const link = linkFacts({ ...record, ownSave }, item, bundle);
      const now = deps.now();
      const context = { bundle, now, link, ownSave, browser: deps.browser };
      let findings = judgeDownload(item, context);

      const alive = link?.expiresAt !== undefined ? isLinkAlive(link, now) : trusted(item.url);
      const unsure = !isGoodDownload(findings) || !bundle?.hasCopy;
      if (item.state === 'complete' && !ownSave && deps.recheck && trusted(item.url) && alive && unsure && findings.length) {
        const recheck = await deps.recheck(item.url).catch(() => null);
        if (recheck) findings = judgeDownload(item, { ...context, recheck });
      }
      await act(store, id, item, bundle, findings);
      return findings;
    } catch (error) {
      await release(store, id).catch(() => undefined);
      throw error;
    }
  }

  async function act(store: CompanionDb, id: number, item: DownloadItemLike, bundle: BundleRecord | undefined, findings: DownloadFinding[]) {
    const now = deps.now();
    const good = findings.length > 0 && isGoodDownload(findings);
    const warnings: WarningRecord[] = findings
      .filter((finding) => finding.code !== 'ok')
      .map((finding) => ({
        id: warningIdFor(id, finding.code),
        createdAt: now,
        code: finding.code,
        message: finding.message,
        hint: finding.hint,
        ...(bundle ? { bundleId: bundle.id } : {}),
        downloadId: id,
        fileName: baseName(item.filename) || bundle?.fileName,
        actions: finding.actions,
        ...(finding.linkExpiresAt !== undefined ? { linkExpiresAt: finding.linkExpiresAt } : {}),
      }));
    for (const warning of warnings) await putWarning(store, warning);
    if (bundle && findings.length) {
      const note = good ? 'verified' : warnings.map((w) => w.code).join(', ');
      await updateBundle(store, bundle.id, (current) => ({ ...(current ?? bundle), downloaded: { at: now, ok: good, note } }));
    }
    if (good && bundle) {
      // A good download of the same bundle is the fix working: earlier download warnings about it are settled.
      for (const earlier of await listWarnings(store)) {
        if (earlier.bundleId === bundle.id && earlier.downloadId !== id && earlier.id.startsWith('download-') && !earlier.dismissed) {
          await putWarning(store, { ...earlier, dismissed: true });
        }
      }
    }
    await markJudged(store, id, item, good);
    // Tell people only once everything is stored: a worker stopped here loses a notification, not a warning.
    const connectUrl = connectUrlFor(bundle);
    for (const [index, warning] of warnings.entries()) {
      const finding = findings.filter((f) => f.code !== 'ok')[index]!;
      await deps.onFinding(warning, { finding, download: item, bundle, connectUrl });
    }
    if (good) await deps.onGood(bundle?.id, { finding: findings[0]!, download: item, bundle });
  }

  async function changed(delta: DownloadDelta): Promise<void> {
    const store = await db();
    let record = (await getDownloadWatch(store, delta.id)) as WatchRecord | undefined;
    if (!record) {
      // The name arrives with the first change; so does, through search, the id of the extension that started it.
      // An end we never saw begin (the worker missed onCreated) is looked at too.
      const named = delta.filename?.current;
      const firstName = named !== undefined && (isBundleFileName(named) || (deps.extensionId !== undefined && !delta.filename?.previous));
      if (!firstName && !isTerminal(delta.state?.current)) return;
      const item = (await deps.search({ id: delta.id }))[0];
      if (!item) return;
      record = await watch(item);
      if (!record) return;
    }
    if (record.judged) {
      // Chromium says so when a search made it look again: the good zip is gone (opened, unpacked or moved).
      if (delta.exists?.current === false) await reportGone(delta.id);
      return;
    }
    const state = delta.state?.current;
    const { changed: stored } = await updateDownloadWatch(store, delta.id, (current) => {
      if (!current) return undefined;
      const next: WatchRecord = { ...(current as WatchRecord) };
      if (delta.filename?.current) next.filename = delta.filename.current;
      if (delta.finalUrl?.current) next.finalUrl = delta.finalUrl.current;
      if (isTerminal(state)) next.state = state;
      return next;
    });
    if (stored && (isTerminal(state) || isTerminal(record.state))) await judge(delta.id);
  }

  async function ownSave(downloadId: number, bundleId: string): Promise<void> {
    const store = await db();
    await updateDownloadWatch(store, downloadId, (current) => ({
      ...(current as WatchRecord | undefined),
      downloadId,
      url: current?.url ?? '',
      startedAt: current?.startedAt ?? deps.now(),
      state: current?.state ?? 'in_progress',
      bundleId,
      ownSave: true,
    } as WatchRecord));
    if (isTerminal((await getDownloadWatch(store, downloadId))?.state)) await judge(downloadId);
  }

  /** A download judged good whose file is gone now: the browser opened, unpacked or moved it. Reported once. */
  async function reportGone(id: number): Promise<WarningRecord | undefined> {
    const store = await db();
    const claim = await updateDownloadWatch(store, id, (current) => {
      const record = current as WatchRecord | undefined;
      if (!record?.judged || !record.judgedGood || record.goneReported) return undefined;
      return { ...record, goneReported: true };
    });
    if (!claim.changed || !claim.watch) return undefined;
    const record = claim.watch as WatchRecord;
    const item = (await deps.search({ id }))[0];
    if (!item || item.state !== 'complete') return undefined;
    const bundle = await findBundle(store, record, item);
    const ownSave = record.ownSave === true || ours(item);
    const finding = judgeDownload({ ...item, exists: false }, { bundle, now: deps.now(), link: linkFacts({ ...record, ownSave }, item, bundle), ownSave, browser: deps.browser }).find(
      (f) => f.code === 'opened-by-browser',
    );
    if (!finding) return undefined;
    const warning: WarningRecord = {
      id: warningIdFor(id, finding.code),
      createdAt: deps.now(),
      code: finding.code,
      message: finding.message,
      hint: finding.hint,
      ...(bundle ? { bundleId: bundle.id } : {}),
      downloadId: id,
      fileName: baseName(item.filename) || bundle?.fileName,
      actions: finding.actions,
    };
    await putWarning(store, warning);
    if (bundle) await updateBundle(store, bundle.id, (current) => ({ ...(current ?? bundle), downloaded: { at: deps.now(), ok: false, note: finding.code } }));
    await deps.onFinding(warning, { finding, download: item, bundle, connectUrl: connectUrlFor(bundle) });
    return warning;
  }

  /**
   * Looks again at the good bundle downloads of the last half hour (the popup opening, a short alarm after a
   * download): a search by time makes Chromium check that each file still exists, asynchronously; its answer
   * arrives as an `exists` change, or in a later search. Returns how many are still being watched.
   */
  async function recheckRecent(): Promise<number> {
    const store = await db();
    const since = deps.now() - RECENT_DOWNLOAD_MS;
    const recent = ((await listDownloadWatches(store)) as WatchRecord[]).filter(
      (w) => w.judged && w.judgedGood && !w.goneReported && (w.judgedAt ?? w.startedAt) >= since,
    );
    if (!recent.length) return 0;
    const startedAfter = new Date(Math.min(...recent.map((w) => w.startedAt)) - 60_000).toISOString();
    // Chromium checks files at most once every 10 s (measured): look, read the answer, and once more past that window.
    for (const pause of RECHECK_PAUSES_MS) {
      if (pause) await wait(deps.settleMs === undefined ? pause : Math.min(pause, deps.settleMs));
      const items = await deps.search({ startedAfter });
      for (const watch of recent) {
        if (items.find((item) => item.id === watch.downloadId)?.exists === false) await reportGone(watch.downloadId);
      }
    }
    return recent.length;
  }

  return {
    /** Re-checks that recent good downloads are still where they were saved. */
    recheckRecent,
    /** `downloads.onCreated`. Chromium sends `filename: ''` here; the name comes with the first change. */
    async onCreated(item: DownloadItemLike): Promise<void> {
      const record = await watch(item);
      if (record && isTerminal(item.state)) await judge(item.id);
    },

    /** `downloads.onChanged`. Events are not awaited one after the other: every step is a transaction of its own. */
    onChanged: changed,

    /** Astra Companion saved a kept copy as download `downloadId`: watch it as ours (the event may come first). */
    noteOwnSave: ownSave,
    /** At worker startup: judge what finished while the worker was stopped; forget old judged watches. */
    async sweep(): Promise<number> {
      const store = await db();
      let judged = 0;
      for (const current of (await listDownloadWatches(store)) as WatchRecord[]) {
        if (current.judged) {
          if (current.startedAt < deps.now() - KEEP_JUDGED_MS) await deleteDownloadWatch(store, current.downloadId);
          continue;
        }
        const item = (await deps.search({ id: current.downloadId }))[0];
        if (!item) {
          await markJudged(store, current.downloadId, undefined);
          continue;
        }
        if (!isTerminal(item.state)) continue;
        if ((await judge(current.downloadId)).length) judged++;
      }
      return judged;
    },

    judge,
  };
}

export type DownloadWatcher = ReturnType<typeof createDownloadWatcher>;
