/**
 * The background, assembled: the store, the vault, the download guard, the warning fixes and the request table,
 * on the ports it is given (the browser in production, recording fakes in tests). It returns the listeners the
 * entry file registers; nothing lives only in worker globals: these are caches of what IndexedDB and
 * storage.session hold, so a restarted MV3 worker picks up where it was.
 */
import { parseBundleLink } from '../bundle/bundle-link';
import { checkBundle } from '../bundle/check-bundle';
import { badgeFor, notificationOptionsFor } from '../downloads/warning-text';
import type { DownloadWarningMessage, StoreArea, StoreChangedMessage } from '../protocol/messages';
import type { BackgroundServices } from './services';
import { databaseIdOf } from '../astra/routes';
import { STORAGE_HOSTS } from '../astra/hosts';
import { openStore, type CompanionDb } from '../store/schema';
import { getKv, listWarnings } from '../store/queries';
import { putWarning, setKv } from '../store/writes';
import type { SaveOutcome } from '../downloads/types';
import type { WarningRecord } from '../downloads/types';
import type { BundleRecord } from '../bundle/types';

const DOWNLOADS_RECHECK_ALARM = 'downloads-recheck';
/** Chromium runs alarms at most every 30 s. */
const RECHECK_FIRST_MS = 30_000;
const RECHECK_AGAIN_MS = 60_000;
import { createVault, type Vault } from '../vault/vault';
import { createRequestHandler, type SenderInfo } from './handle-requests';
import { fetchBundle } from './keep-bundle';
import type { BackgroundPorts, FileToSave } from './ports';
import { createSaveFollower, saveAndFollow } from './follow-saves';
import { createSaveKeptCopy } from './save-kept-copy';
import { CLIPBOARD_ALARM, onClipboardAlarm, scheduleClipboardClear, type ClipboardScheduleDeps } from './schedule-clipboard-clear';
import { createWarningActions, downloadWarningMessage } from './warning-actions';
import { createDownloadWatcher, type DownloadDelta, type DownloadItemLike } from './watch-downloads';
import { upkeepAtStart } from './store-upkeep';

export interface BackgroundOptions {
  /** IndexedDB name; tests pass a fresh one each. */
  storeName?: string;
  trustedHosts?: readonly string[];
}

export function startBackground(ports: BackgroundPorts, options: BackgroundOptions = {}) {
  let store: Promise<CompanionDb> | undefined;
  const db = () => (store ??= openStore(options.storeName));
  let vaultPromise: Promise<Vault> | undefined;
  const vault = () =>
    (vaultPromise ??= db().then((opened) =>
      createVault({ kv: { get: (key) => getKv(opened, key), set: (key, value) => setKv(opened, key, value) }, session: ports.session, now: ports.now }),
    ));
  const trustedHosts = options.trustedHosts ?? STORAGE_HOSTS;

  const refreshBadge = async () => ports.setBadge(badgeFor(await listWarnings(await db())));
  const announce = (what: StoreArea, removed?: StoreChangedMessage['removed']) => {
    const message: StoreChangedMessage = { type: 'store-changed', what, ...(removed ? { removed } : {}) };
    ports.sendToExtensionPages(message);
    void ports.consoleTabs().then((tabs) => tabs.forEach((tab) => ports.sendToTab(tab.id, message)), () => {});
    if (what === 'warnings') void refreshBadge().catch(() => {});
  };

  /** A download warning goes to the console tab showing its database (or the active console tab when none). */
  const tellConsoleTabs = async (message: DownloadWarningMessage) => {
    for (const tab of await ports.consoleTabs()) {
      if (message.dbId ? databaseIdOf(tab.url) !== message.dbId : !tab.active) continue;
      await ports.injectConsoleUi(tab.id, 0).catch(() => {});
      ports.sendToTab(tab.id, message);
    }
  };

  /** Every warning kind the same way: after it is stored, the badge, the notification, every open view, the console tab. */
  const tellAboutWarning = async (warning: WarningRecord, context: { connectUrl: string; bundle?: BundleRecord; retryUrl?: string }) => {
    await ports.notify(warning.id, notificationOptionsFor(warning, ports.browser)).catch(() => {});
    announce('warnings');
    await tellConsoleTabs({ ...downloadWarningMessage(warning, context, ports.browser), ...(context.retryUrl ? { retryUrl: context.retryUrl } : {}) });
  };
  const raiseWarning = async (warning: WarningRecord, context: { connectUrl: string; bundle?: BundleRecord; retryUrl?: string }) => {
    const store = await db();
    const known = (await listWarnings(store)).find((w) => w.id === warning.id);
    await putWarning(store, warning);
    // The same dead link opened again: stored again (newest first), but told only once.
    if (!known || known.dismissed) await tellAboutWarning(warning, context);
    else announce('warnings');
  };
  /** Good downloads are looked at again shortly after: Chromium tells that a file is gone only when asked. */
  const armDownloadRecheck = (afterMs: number) => ports.createAlarm(DOWNLOADS_RECHECK_ALARM, ports.now() + afterMs);

  const watcher = createDownloadWatcher({
    db,
    now: ports.now,
    search: ports.searchDownloads,
    async recheck(url) {
      const outcome = await fetchBundle(ports.fetch, url);
      return outcome.kind === 'body' ? checkBundle(outcome.bytes, { url, now: new Date(ports.now()) }) : null;
    },
    readLink(url) {
      const parsed = parseBundleLink(url, { trustedHosts });
      return parsed.ok ? parsed.value : null;
    },
    trustedHosts,
    extensionId: ports.extensionId,
    browser: ports.browser,
    async onFinding(warning, context) {
      const retryUrl = warning.actions.includes('retry-download') ? context.download.url : undefined;
      await tellAboutWarning(warning, { ...context, ...(retryUrl ? { retryUrl } : {}) });
    },
    onGood() {
      announce('bundles');
      announce('warnings');
      armDownloadRecheck(RECHECK_FIRST_MS);
    },
  });

  const saves = createSaveFollower({ searchDownloads: ports.searchDownloads });
  const saveKeptCopy = createSaveKeptCopy({ db, saveFile: ports.saveFile, outcomeOf: saves.outcomeOf, watcher });
  const saveFile = (file: FileToSave): Promise<SaveOutcome> => saveAndFollow(() => ports.saveFile(file), saves, file.fileName);

  const warningActions = createWarningActions({ db, saveKeptCopy, openTab: ports.openTab, downloadUrl: ports.downloadUrl, now: ports.now, browser: ports.browser, announce });

  const clipboard: ClipboardScheduleDeps = {
    mayReadClipboard: ports.mayReadClipboard,
    session: ports.session,
    createAlarm: ports.createAlarm,
    now: ports.now,
    clearIfStillHolds: ports.clearClipboardIfStillHolds,
  };

  const services: BackgroundServices = {
    ports,
    db,
    vault,
    trustedHosts,
    announce,
    watcher,
    warningActions,
    saveKeptCopy,
    saveFile,
    scheduleClipboardClear: (hash) => scheduleClipboardClear(clipboard, hash),
    raiseWarning,
  };
  const handleRequest = createRequestHandler(services);

  void watcher.sweep().catch(() => {});
  void refreshBadge().catch(() => {});
  const upkeep = upkeepAtStart({ db, now: ports.now, wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), announce }).catch(() => undefined);

  return {
    services,
    /** Outbox tidied, counters checked (tests wait for it). */
    upkeep,
    onMessage: (message: unknown, sender: SenderInfo) => handleRequest(message, sender),
    onDownloadCreated: (item: unknown) => void watcher.onCreated(item as DownloadItemLike).catch(() => {}),
    onDownloadChanged: (delta: unknown) => {
      saves.onChanged(delta as DownloadDelta);
      void watcher.onChanged(delta as DownloadDelta).catch(() => {});
    },
    onNotificationButton: (id: string, index: number) => void warningActions.runNotificationButton(id, index).catch(() => {}),
    onNotificationClicked: () => void ports.openPopup().catch(() => {}),
    onAlarm: (alarm: { name: string }) => {
      if (alarm.name === CLIPBOARD_ALARM) void onClipboardAlarm(clipboard).catch(() => {});
      // Again each minute while a good download of the last half hour is still watched.
      if (alarm.name === DOWNLOADS_RECHECK_ALARM) void watcher.recheckRecent().then((watching) => watching && armDownloadRecheck(RECHECK_AGAIN_MS), () => {});
    },
  };
}

