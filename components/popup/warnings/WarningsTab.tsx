import { describeSave } from '@/utils/downloads/save-outcome-text';
import { askBackground } from '@/utils/protocol/messages';
import { browserKindOf, browserSettingUrl } from '@/utils/downloads/judge-download';
import { getBundle } from '@/utils/store/queries';
import { linkTime } from '@/utils/downloads/link-clock';
import { WarningList } from './WarningList';
import type { TabProps } from '../shared/tab-props';
import { connectUrlFor } from '@/utils/astra/routes';

/** The Warnings tab: download warnings with their fixes, and checking a file by hand. Loaded when first opened. */
export default function WarningsTab(props: TabProps) {
  const { data, runtime, openTab } = props;
  const settingsUrl = browserSettingUrl(browserKindOf(navigator.userAgent));
  return (
    <>
      <WarningList
        warnings={data.warnings}
        now={props.now}
        actions={{
          async retryDownload(id: string) {
            const bundle = data.db ? await getBundle(data.db, id) : undefined;
            if (!bundle || !linkTime(bundle.expiresAt, Date.now()).alive) return 'The link has expired: get a fresh link, or save the verified copy.';
            await browser.downloads.download({ url: bundle.link });
            return `Downloading ${bundle.fileName} again; Astra Companion checks it when it is done.`;
          },
          async saveCopy(id: string) {
            const answer = await askBackground(runtime, 'save-bundle-copy', { id });
            return answer.ok ? describeSave(answer.saved) : `${answer.error.message} ${answer.error.hint}`;
          },
          async freshLink(bundleId: string | undefined) {
            openTab(connectUrlFor(bundleId && data.db ? await getBundle(data.db, bundleId) : undefined));
          },
          async dismiss(id: string) {
            await askBackground(runtime, 'dismiss-warning', { id });
            await data.refresh();
          },
          ...(settingsUrl ? { openBrowserSettings: () => openTab(settingsUrl) } : {}),
        }}
      />
    </>
  );
}
