/**
 * The background's ports (utils/background/ports.ts) on the real WebExtension APIs: the only file the background
 * reaches the browser through, with its neighbours (saving bytes, the toolbar button, the offscreen clipboard).
 */
import { browser } from 'wxt/browser';
import { CONSOLE_MATCHES } from '../astra/hosts';
import type { BackgroundPorts } from '../background/ports';
import type { DownloadItemLike } from '../background/watch-downloads';
import { browserKindOf } from '../downloads/judge-download';
import { clearClipboardIfStillHolds } from './offscreen-clipboard';
import { createBytesSaver } from './save-bytes';
import { chromeOffscreen, offscreenObjectUrls } from './offscreen-document';
import { bytesToBase64 } from '../shared/bytes';
import { toolbarButtonOf } from './toolbar-button';
import { FILE_CHANNEL, offerFile, wantFile } from '../protocol/file-handover';

const CONSOLE_UI_SCRIPT = '/content-scripts/console-ui.js';

export function createBrowserPorts(): BackgroundPorts {
  const offscreen = chromeOffscreen();
  const saver = createBytesSaver({
    download: (options) => browser.downloads.download(options),
    objectUrls: typeof URL.createObjectURL === 'function' ? URL : undefined,
    remoteObjectUrls: offscreen ? offscreenObjectUrls(offscreen, bytesToBase64) : undefined,
  });
  // Registered now, while the worker starts: a blob URL is released when its download ends.
  browser.downloads.onChanged.addListener((delta) => saver.onChanged(delta));
  const toolbar = toolbarButtonOf(browser);
  return {
    now: () => Date.now(),
    fetch: (...args) => fetch(...args),
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    version: browser.runtime.getManifest().version,
    browser: browserKindOf(navigator.userAgent),
    session: {
      get: async (key) => (await browser.storage.session.get(key))[key],
      set: (key, value) => browser.storage.session.set({ [key]: value }),
    },
    saveFile: (file) => saver.save(file.bytes, file.fileName, file.saveAs, file.mime),
    downloadUrl: (url) => browser.downloads.download({ url }),
    searchDownloads: (query) => browser.downloads.search(query) as Promise<DownloadItemLike[]>,
    // Same-origin only: the extension's pages and this worker (or Firefox's background page), never a content script.
    receiveFile: (id) => wantFile(new BroadcastChannel(FILE_CHANNEL), id),
    offerFile: (id, file) => offerFile(new BroadcastChannel(FILE_CHANNEL), id, file),
    sendToExtensionPages(message) {
      browser.runtime.sendMessage(message).catch(() => {});
    },
    sendToTab(tabId, message) {
      browser.tabs.sendMessage(tabId, message).catch(() => {});
    },
    async consoleTabs() {
      const tabs = await browser.tabs.query({ url: CONSOLE_MATCHES });
      return tabs.flatMap((tab) => (tab.id === undefined ? [] : [{ id: tab.id, url: tab.url ?? '', active: tab.active === true }]));
    },
    async injectConsoleUi(tabId, frameId) {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [CONSOLE_UI_SCRIPT] });
    },
    async setBadge(badge) {
      await toolbar.setBadgeText({ text: badge.text });
      await toolbar.setBadgeBackgroundColor({ color: badge.color });
    },
    async notify(id, content) {
      await browser.notifications.create(id, content);
    },
    openTab: (url) => browser.tabs.create({ url }),
    async openPopup() {
      await toolbar.openPopup?.();
    },
    createAlarm(name, when) {
      void browser.alarms.create(name, { when });
    },
    mayReadClipboard: () => browser.permissions.contains({ permissions: ['clipboardRead'] }),
    clearClipboardIfStillHolds,
  };
}
