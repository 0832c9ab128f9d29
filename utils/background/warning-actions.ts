/**
 * The fixes behind every "Save the verified copy" / "Get a fresh link" / browser-setting button, from a
 * notification, the console panel or the popup, and the message that carries a warning to a console tab.
 */
import { connectUrlFor } from '../astra/routes';
import { browserSettingSteps, browserSettingUrl, type BrowserKind, type FixAction } from '../downloads/judge-download';
import type { SaveOutcome } from '../downloads/types';
import type { WarningRecord } from '../downloads/types';
import { notificationFor } from '../downloads/warning-text';
import type { DownloadWarningMessage } from '../protocol/messages';
import { fail, ok, type Result } from '../shared/result';
import type { CompanionDb } from '../store/schema';
import { getBundle, listWarnings } from '../store/queries';
import { putWarning } from '../store/writes';
import type { FindingContext } from './watch-downloads';

export function downloadWarningMessage(warning: WarningRecord, context: Pick<FindingContext, 'bundle' | 'connectUrl'>, browser: BrowserKind = 'other'): DownloadWarningMessage {
  const settingsUrl = browserSettingUrl(browser);
  return {
    type: 'download-warning',
    warning,
    ...(context.bundle?.dbId ? { dbId: context.bundle.dbId } : {}),
    connectUrl: context.connectUrl,
    ...(settingsUrl ? { settingsUrl } : {}),
    settingSteps: browserSettingSteps(browser),
  };
}

export interface WarningActionDeps {
  db: () => Promise<CompanionDb>;
  /** The background's one way to save a kept copy (it tells the download watcher too). */
  saveKeptCopy(bundleId: string): Promise<Result<SaveOutcome>>;
  openTab(url: string): Promise<unknown>;
  /** Downloads the bundle's own link again (the 'retry-download' fix, while the link is valid). */
  downloadUrl?(url: string): Promise<number>;
  now?(): number;
  browser?: BrowserKind;
  /** Announces a change to the warnings, so the badge and every open view follow. */
  announce?(what: 'warnings', removed?: { warningIds: string[] }): void;
}

/** The fixes behind every "Save the verified copy" / "Get a fresh link" / settings button. */
export function createWarningActions(deps: WarningActionDeps) {
  const notKept = fail('no-copy', 'Astra Companion has no verified copy of this bundle.', "Get a fresh link from the database's Connect tab.");
  return {
    saveCopy: (bundleId: string): Promise<Result<SaveOutcome>> => deps.saveKeptCopy(bundleId),
    async freshLink(bundleId: string | undefined): Promise<string> {
      const record = bundleId ? await getBundle(await deps.db(), bundleId) : undefined;
      const url = connectUrlFor(record);
      await deps.openTab(url);
      return url;
    },
    /** Opens the browser's download settings where an extension may; false where it must only show the steps. */
    async browserSetting(): Promise<boolean> {
      const url = browserSettingUrl(deps.browser ?? 'other');
      if (!url) return false;
      await deps.openTab(url);
      return true;
    },
    async dismiss(warningId: string): Promise<void> {
      const store = await deps.db();
      const warning = (await listWarnings(store)).find((w) => w.id === warningId);
      if (warning && !warning.dismissed) {
        await putWarning(store, { ...warning, dismissed: true });
        deps.announce?.('warnings', { warningIds: [warningId] });
      }
    },
    /** `notifications.onButtonClicked`: the notification's id is the warning's. */
    async runNotificationButton(warningId: string, buttonIndex: number): Promise<Result<unknown>> {
      const warning = (await listWarnings(await deps.db())).find((w) => w.id === warningId);
      const action = warning ? notificationFor(warning).buttons[buttonIndex]?.action : undefined;
      if (!action) return fail('not-found', 'That warning is no longer in Astra Companion.', 'Open the popup to see the current warnings.');
      return this.run(warningId, action);
    },
    /** A notification button or a panel button: the warning's n-th fix. */
    async run(warningId: string, action: FixAction): Promise<Result<unknown>> {
      const store = await deps.db();
      const warning = (await listWarnings(store)).find((w) => w.id === warningId);
      if (!warning) return fail('not-found', 'That warning is no longer in Astra Companion.', 'Open the popup to see the current warnings.');
      if (action === 'save-copy') return warning.bundleId ? this.saveCopy(warning.bundleId) : notKept;
      if (action === 'fresh-link') return ok(await this.freshLink(warning.bundleId));
      if (action === 'retry-download') {
        const record = warning.bundleId ? await getBundle(store, warning.bundleId) : undefined;
        const alive = record?.expiresAt !== undefined && record.expiresAt > (deps.now?.() ?? Date.now());
        if (!record || !alive || !deps.downloadUrl) return ok(await this.freshLink(warning.bundleId));
        return ok(await deps.downloadUrl(record.link));
      }
      return ok(await this.browserSetting());
    },
  };
}

export type WarningActions = ReturnType<typeof createWarningActions>;
