import { useEffect, useState } from 'preact/hooks';
import { askBackground } from '@/utils/messages';
import { clearBundles, deleteBundle, type CompanionDb } from '@/utils/store';
import { BundleList } from './BundleList';
import { CheckFile } from './CheckFile';
import { WarningList } from './WarningList';
import { browserKindOf, browserSettingUrl } from '@/utils/judge-download';
import { connectUrlFor } from '@/utils/watch-downloads';
import type { ClipboardLike } from './CopyButton';
import { useNow, useStoreData, type RuntimeLike } from './use-store-data';

type Tab = 'bundles' | 'tokens' | 'warnings';

export function App(props: { openDb: () => Promise<CompanionDb>; runtime: RuntimeLike; clipboard: ClipboardLike; openTab?: (url: string) => void }) {
  const data = useStoreData(props.openDb, props.runtime);
  const [tab, setTab] = useState<Tab>('bundles');
  const now = useNow(data.bundles.some((b) => b.expiresAt !== undefined && b.expiresAt > Date.now() - 1000));

  useEffect(() => {
    // The bench reads this mark: the first frame that shows stored data.
    if (!data.loading) requestAnimationFrame(() => performance.getEntriesByName('popup-ready').length || performance.mark('popup-ready'));
  }, [data.loading]);

  const bundleActions = {
    async saveCopy(id: string) {
      const answer = await askBackground(props.runtime, 'save-bundle-copy', { id });
      return answer.ok ? 'Saving the verified copy…' : `${answer.error.message} ${answer.error.hint}`;
    },
    async remove(id: string) {
      if (data.db) await deleteBundle(data.db, id);
      await data.refresh();
    },
    async clearAll() {
      if (data.db) await clearBundles(data.db);
      await data.refresh();
    },
  };

  const settingsUrl = browserSettingUrl(browserKindOf(navigator.userAgent));
  const openTab = props.openTab ?? ((url: string) => void window.open(url, '_blank'));
  const warningActions = {
    saveCopy: bundleActions.saveCopy,
    freshLink(bundleId: string | undefined) {
      openTab(connectUrlFor(data.bundles.find((b) => b.id === bundleId)));
    },
    async dismiss(id: string) {
      await askBackground(props.runtime, 'dismiss-warning', { id });
      await data.refresh();
    },
    ...(settingsUrl ? { openBrowserSettings: () => openTab(settingsUrl) } : {}),
  };

  const tabs: Array<[Tab, string, number]> = [
    ['bundles', 'Bundles', data.bundles.length],
    ['tokens', 'Tokens', data.tokens.length],
    ['warnings', 'Warnings', data.warnings.filter((w) => !w.dismissed).length],
  ];

  return (
    <div class="popup" aria-busy={data.loading}>
      <header>
        <h1>Astra Companion</h1>
        <nav role="tablist" aria-label="Sections">
          {tabs.map(([id, label, count]) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`panel-${id}`}
              class="tab"
              onClick={() => setTab(id)}
            >
              {label} <span class="count">{count}</span>
            </button>
          ))}
        </nav>
      </header>
      <main>
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {data.loading ? (
          <p class="loading">Loading…</p>
        ) : tab === 'bundles' ? (
          <BundleList records={data.bundles} now={now} clipboard={props.clipboard} actions={bundleActions} />
        ) : tab === 'tokens' ? (
          <p class="empty">No tokens yet.</p>
        ) : (
          <>
            <WarningList warnings={data.warnings} now={now} actions={warningActions} />
            <CheckFile />
          </>
        )}
        </div>
      </main>
    </div>
  );
}
