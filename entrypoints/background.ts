import { createRequestHandler } from '@/utils/background/handle-requests';
import { toolbarButtonOf } from '@/utils/platform/toolbar-button';
import { keepTokens } from '@/utils/background/keep-token';
import { openStore, type CompanionDb } from '@/utils/store/schema';
import { createBytesSaver } from '@/utils/platform/save-bytes';
import { createVault, type Vault } from '@/utils/vault/vault';
import { clearIfStillHolds } from '@/utils/platform/clipboard-guard';
import { CLIPBOARD_ALARM, onClipboardAlarm, scheduleClipboardClear, type ClipboardScheduleDeps } from '@/utils/background/schedule-clipboard-clear';

interface ChromeOffscreen {
  hasDocument?(): Promise<boolean>;
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}
import { checkBundle } from '@/utils/bundle/check-bundle';
import { parseBundleLink, TRUSTED_STORAGE_HOSTS } from '@/utils/bundle/bundle-link';
import { browserKindOf } from '@/utils/downloads/judge-download';
import { fetchBundle } from '@/utils/background/keep-bundle';
import { databaseIdOf } from '@/utils/astra/routes';
import {
  badgeFor,
  createDownloadWatcher,
  createWarningActions,
  downloadWarningMessage,
  notificationOptionsFor,
  type DownloadItemLike,
} from '@/utils/background/watch-downloads';
import { getKv, listWarnings, roleNameOf } from '@/utils/store/queries';
import { setKv } from '@/utils/store/writes';

export default defineBackground(() => {
  // Nothing lives only in worker globals: these are caches of what IndexedDB and storage.session hold.
  let store: Promise<CompanionDb> | undefined;
  const db = () => (store ??= openStore());
  let vaultPromise: Promise<Vault> | undefined;
  const vault = () =>
    (vaultPromise ??= db().then((opened) =>
      createVault({
        kv: { get: (key) => getKv(opened, key), set: (key, value) => setKv(opened, key, value) },
        session: {
          get: async (key) => (await browser.storage.session.get(key))[key],
          set: (key, value) => browser.storage.session.set({ [key]: value }),
        },
      }),
    ));

  const saver = createBytesSaver({
    download: (options) => browser.downloads.download(options),
    objectUrls: typeof URL.createObjectURL === 'function' ? URL : undefined,
  });
  const save = saver.save;

  const browserKind = browserKindOf(navigator.userAgent);
  const toolbarButton = toolbarButtonOf(browser);
  const refreshBadge = async () => {
    const badge = badgeFor(await listWarnings(await db()));
    await toolbarButton.setBadgeText({ text: badge.text });
    await toolbarButton.setBadgeBackgroundColor({ color: badge.color });
  };
  const notifyChanged = (what: 'bundles' | 'tokens' | 'warnings', tabId?: number) => {
    const message = { type: 'store-changed', what };
    browser.runtime.sendMessage(message).catch(() => {});
    if (tabId !== undefined) browser.tabs.sendMessage(tabId, message).catch(() => {});
    if (what === 'warnings') void refreshBadge().catch(() => {});
  };
  const injectConsoleUi = async (tabId: number, frameId: number) => {
    await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/content-scripts/console-ui.js'] });
  };

  // The download guard: every state in IndexedDB; listeners registered synchronously so a woken worker gets the event.
  const watcher = createDownloadWatcher({
    db,
    now: () => Date.now(),
    search: (query) => browser.downloads.search(query) as Promise<DownloadItemLike[]>,
    async recheck(url) {
      const outcome = await fetchBundle((...args) => fetch(...args), url);
      return outcome.kind === 'body' ? checkBundle(outcome.bytes, { url, now: new Date() }) : null;
    },
    readLink(url) {
      const parsed = parseBundleLink(url);
      return parsed.ok ? parsed.value : null;
    },
    trustedHosts: TRUSTED_STORAGE_HOSTS,
    extensionId: browser.runtime.id,
    browser: browserKind,
    async onFinding(warning, context) {
      await browser.notifications.create(warning.id, notificationOptionsFor(warning, browserKind)).catch(() => {});
      notifyChanged('warnings');
      const message = downloadWarningMessage(warning, context, browserKind);
      for (const tab of await browser.tabs.query({ url: 'https://astra.datastax.com/*' })) {
        if (tab.id === undefined) continue;
        if (message.dbId ? databaseIdOf(tab.url ?? '') !== message.dbId : !tab.active) continue;
        await injectConsoleUi(tab.id, 0).catch(() => {});
        browser.tabs.sendMessage(tab.id, message).catch(() => {});
      }
    },
    onGood() {
      notifyChanged('bundles');
      notifyChanged('warnings');
    },
  });
  const warningActions = createWarningActions({
    db,
    saveFile: (bytes, fileName, saveAs) => save(bytes, fileName, saveAs),
    openTab: (url) => browser.tabs.create({ url }),
    browser: browserKind,
    watcher,
  });
  browser.downloads.onCreated.addListener((item) => void watcher.onCreated(item as DownloadItemLike).catch(() => {}));
  browser.downloads.onChanged.addListener((delta) => {
    saver.onChanged(delta);
    void watcher.onChanged(delta).catch(() => {});
  });
  browser.notifications.onButtonClicked.addListener((id, index) => void warningActions.runNotificationButton(id, index).catch(() => {}));
  browser.notifications.onClicked.addListener(() => void toolbarButton.openPopup?.().catch(() => {}));
  void watcher.sweep().catch(() => {});
  void refreshBadge().catch(() => {});

  // Copied secrets: cleared 30 s later where a document can reach the clipboard (Chrome: an offscreen document;
  // Firefox: this background page), and only with the clipboardRead permission the user chose to grant.
  const clipboard: ClipboardScheduleDeps = {
    mayReadClipboard: () => browser.permissions.contains({ permissions: ['clipboardRead'] }),
    session: {
      get: async (key) => (await browser.storage.session.get(key))[key],
      set: (key, value) => browser.storage.session.set({ [key]: value }),
    },
    createAlarm: (name, when) => void browser.alarms.create(name, { when }),
    now: () => Date.now(),
    async clearIfStillHolds(hash) {
      const offscreen = (globalThis as { chrome?: { offscreen?: ChromeOffscreen } }).chrome?.offscreen;
      if (!offscreen) return typeof document === 'undefined' ? 'unreadable' : clearIfStillHolds(document, hash);
      if (!(await offscreen.hasDocument?.())) {
        await offscreen.createDocument({ url: 'offscreen.html', reasons: ['CLIPBOARD'], justification: 'Clear a copied client secret from the clipboard' });
      }
      try {
        return String(await browser.runtime.sendMessage({ type: 'offscreen-clear-clipboard', hash }));
      } finally {
        await offscreen.closeDocument().catch(() => {});
      }
    },
  };
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CLIPBOARD_ALARM) void onClipboardAlarm(clipboard).catch(() => {});
  });

  const handleRequest = createRequestHandler({
    scheduleClipboardClear: (hash) => scheduleClipboardClear(clipboard, hash),
    db,
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    version: browser.runtime.getManifest().version,
    saveFile: (bytes, fileName, saveAs) => save(bytes, fileName, saveAs),
    notifyChanged,
    notifyTab(tabId, message) {
      browser.tabs.sendMessage(tabId, message).catch(() => {});
    },
    injectConsoleUi,
    dismissWarning: (id) => warningActions.dismiss(id),
    async keepTokens(tokens, page, source) {
      const opened = await db();
      return keepTokens({ db: opened, vault: await vault(), now: () => Date.now(), roleName: (id) => roleNameOf(opened, id) }, tokens, page, source);
    },
    exportRequests: {
      db,
      vault,
      now: () => Date.now(),
      version: browser.runtime.getManifest().version,
      saveFile: (bytes, fileName, saveAs) => save(bytes, fileName, saveAs),
      notifyProgress: (progress) => void browser.runtime.sendMessage({ type: 'backup-progress', ...progress }).catch(() => {}),
    },
    tokenRequests: {
      db,
      vault,
      async saveText(text, fileName, mime) {
        await save(new TextEncoder().encode(text), fileName, true, mime);
      },
    },
  });

  browser.runtime.onMessage.addListener((message, sender) => handleRequest(message, sender));
});
