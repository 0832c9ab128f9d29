/**
 * What every request handler may use: the background's services, built once by start-background.ts.
 */
import type { StoreArea, StoreChangedMessage } from '../protocol/messages';
import type { Result } from '../shared/result';
import type { CompanionDb } from '../store/schema';
import type { Vault } from '../vault/vault';
import type { BackgroundPorts, FileToSave } from './ports';
import type { WarningActions } from './warning-actions';
import type { DownloadWatcher } from './watch-downloads';
import type { WarningRecord } from '../downloads/types';
import type { BundleRecord } from '../bundle/types';
import type { SaveOutcome } from '../downloads/types';

export interface BackgroundServices {
  ports: BackgroundPorts;
  db(): Promise<CompanionDb>;
  vault(): Promise<Vault>;
  trustedHosts: readonly string[];
  /** After every write: tells the popup and every console tab, and keeps the badge true. */
  announce(what: StoreArea, removed?: StoreChangedMessage['removed']): void;
  watcher: DownloadWatcher;
  warningActions: WarningActions;
  /** The one way a kept copy is saved: the download manager, then the watcher told it is ours. */
  saveKeptCopy(bundleId: string): Promise<Result<SaveOutcome>>;
  /** Saves a file the background made through the download manager; how the save ended. */
  saveFile(file: FileToSave): Promise<SaveOutcome>;
  scheduleClipboardClear(hash: unknown): Promise<{ scheduled: boolean }>;
  /** Stores a warning and tells all four places the same way: badge, notification, Warnings tab, console page. */
  raiseWarning(warning: WarningRecord, context: { connectUrl: string; bundle?: BundleRecord; retryUrl?: string }): Promise<void>;
}

