/**
 * What the background needs from the browser, as small interfaces. utils/platform/browser-ports.ts implements them
 * with the WebExtension APIs; unit tests pass recording fakes (tests/unit/fixtures/fake-ports.ts). Nothing in
 * utils/background touches `browser.*` itself.
 */
import type { BrowserKind } from '../downloads/judge-download';
import type { notificationOptionsFor } from '../downloads/warning-text';
import type { DownloadItemLike } from './watch-downloads';

export interface FileToSave {
  bytes: Uint8Array;
  fileName: string;
  mime: string;
  /** Show the Save As dialog. */
  saveAs: boolean;
}

export interface ConsoleTab {
  id: number;
  url: string;
  active: boolean;
}

export type NotificationContent = ReturnType<typeof notificationOptionsFor>;

export interface BackgroundPorts {
  now(): number;
  fetch: typeof fetch;
  /** This extension's id, its pages' origin (`chrome-extension://<id>/`) and version. */
  extensionId: string;
  extensionOrigin: string;
  version: string;
  browser: BrowserKind;
  /** `storage.session`: survives a worker restart, not a browser restart. */
  session: { get(key: string): Promise<unknown>; set(key: string, value: unknown): Promise<void> };
  /** Saves bytes through the download manager; the download id. */
  saveFile(file: FileToSave): Promise<number>;
  /** Downloads a (storage) link through the download manager, as the console's own button would. */
  downloadUrl?(url: string): Promise<number>;
  /** `downloads.search`. Chromium re-checks `exists` (asynchronously) on a search by time, not on one by id. */
  searchDownloads(query: { id: number } | { startedAfter: string }): Promise<DownloadItemLike[]>;
  /**
   * A file an extension page offers under `id` (utils/protocol/file-handover.ts: a BroadcastChannel of the extension's
   * origin, no message size limit, no base64); undefined when none comes in time.
   */
  receiveFile(id: string): Promise<Blob | undefined>;
  /** Offers a file to an extension page that asks for `id` on the same channel (an export for the popup); stops when called. */
  offerFile(id: string, file: Blob): () => void;
  /** Every message to extension pages (the popup); a closed popup is no error. */
  sendToExtensionPages(message: unknown): void;
  sendToTab(tabId: number, message: unknown): void;
  consoleTabs(): Promise<ConsoleTab[]>;
  /** Injects the in-page panels (entrypoints/console-ui.content.ts) into a console frame; once per frame is enough. */
  injectConsoleUi(tabId: number, frameId: number): Promise<void>;
  setBadge(badge: { text: string; color: string }): Promise<void>;
  notify(id: string, content: NotificationContent): Promise<void>;
  openTab(url: string): Promise<unknown>;
  openPopup(): Promise<void>;
  createAlarm(name: string, when: number): void;
  mayReadClipboard(): Promise<boolean>;
  /** Clears the clipboard where a document can reach it, only if it still holds what hashes to `hash`. */
  clearClipboardIfStillHolds(hash: string): Promise<string>;
}
