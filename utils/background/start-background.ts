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
import { setKv } from '../store/writes';
import { createVault, type Vault } from '../vault/vault';
import { createRequestHandler, type SenderInfo } from './handle-requests';
import { fetchBundle } from './keep-bundle';
import type { BackgroundPorts } from './ports';
import { createSaveKeptCopy } from './save-kept-copy';
import { CLIPBOARD_ALARM, onClipboardAlarm, scheduleClipboardClear, type ClipboardScheduleDeps } from './schedule-clipboard-clear';
import { createWarningActions, downloadWarningMessage } from './warning-actions';
import { createDownloadWatcher, type DownloadDelta, type DownloadItemLike } from './watch-downloads';

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
      await ports.notify(warning.id, notificationOptionsFor(warning, ports.browser)).catch(() => {});
      announce('warnings');
      await tellConsoleTabs(downloadWarningMessage(warning, context, ports.browser));
    },
    onGood() {
      announce('bundles');
      announce('warnings');
    },
  });

  const saveKeptCopy = createSaveKeptCopy({ db, saveFile: ports.saveFile, watcher });

  const warningActions = createWarningActions({ db, saveKeptCopy, openTab: ports.openTab, browser: ports.browser, announce });

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
    scheduleClipboardClear: (hash) => scheduleClipboardClear(clipboard, hash),
  };
  const handleRequest = createRequestHandler(services);

  void watcher.sweep().catch(() => {});
  void refreshBadge().catch(() => {});

  return {
    services,
    onMessage: (message: unknown, sender: SenderInfo) => handleRequest(message, sender),
    onDownloadCreated: (item: unknown) => void watcher.onCreated(item as DownloadItemLike).catch(() => {}),
    onDownloadChanged: (delta: unknown) => void watcher.onChanged(delta as DownloadDelta).catch(() => {}),
    onNotificationButton: (id: string, index: number) => void warningActions.runNotificationButton(id, index).catch(() => {}),
    onNotificationClicked: () => void ports.openPopup().catch(() => {}),
    onAlarm: (alarm: { name: string }) => {
      if (alarm.name === CLIPBOARD_ALARM) void onClipboardAlarm(clipboard).catch(() => {});
    },
  };
}

