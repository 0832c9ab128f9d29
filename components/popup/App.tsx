import type { ComponentType } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { askBackground } from '@/utils/protocol/messages';
import { type CompanionDb } from '@/utils/store/schema';
import { BundleList } from './bundles/BundleList';
import type { ClipboardLike } from './shared/CopyButton';
import type { ClipboardGuardPermission, TabProps } from './shared/tab-props';
import { useNow, useStoreData, type RuntimeLike } from './shared/use-store-data';
import { useListWindow, type ListOrder, type ListSource } from './shared/use-list-window';
import { MoreRows } from './shared/MoreRows';
import { StorageSpace, type StorageLike } from './shared/StorageSpace';
import { bundleSummaries, newestBundles, newestTokens, tokenSummaries, type TokenRow } from '@/utils/store/queries';
import type { BundleRecord } from '@/utils/bundle/types';
import { describeSave } from '@/utils/downloads/save-outcome-text';
import { CheckFileSection } from './bundles/CheckFileSection';
import markUrl from '@/assets/icon.svg';
import { useDatabaseStatuses } from './bundles/use-database-statuses';
import { kitTokenChoices } from './bundles/kit-token-choices';

type Tab = 'bundles' | 'tokens' | 'warnings' | 'backup';
type BundleSort = 'newest' | 'database' | 'expiry';
const TABS: readonly Tab[] = ['bundles', 'tokens', 'warnings', 'backup'];
/** Rows in the first frame: what the popup's first screen shows. More load as the user scrolls, a page at a time. */
const FIRST_ROWS = 8;
const PAGE_ROWS = 30;
const ORDER_OF: Record<BundleSort, ListOrder> = { newest: 'newest', database: 'name', expiry: 'expiry' };
const bundleSource: ListSource<BundleRecord> = { newest: newestBundles, summaries: bundleSummaries };
const tokenSource: ListSource<TokenRow> = { newest: newestTokens, summaries: tokenSummaries };

export interface AppProps {
  openDb: () => Promise<CompanionDb>;
  runtime: RuntimeLike;
  clipboard: ClipboardLike;
  openTab?: (url: string) => void;
  saveFile?: (bytes: Uint8Array | Blob, fileName: string) => void | Promise<void>;
  clipboardGuard?: ClipboardGuardPermission;
  /** navigator.storage: persistence asked for, low space warned about. */
  storage?: StorageLike;
}

// The other tabs load when first opened: the popup's first frame carries only the Bundles tab.
const loaders: Record<Exclude<Tab, 'bundles'>, () => Promise<{ default: ComponentType<any> }>> = {
  tokens: () => import('./tokens/TokensTab'),
  warnings: () => import('./warnings/WarningsTab'),
  backup: () => import('./backup/BackupTab'),
};

function useTabComponent(tab: Tab): ComponentType<any> | null {
  const [loaded, setLoaded] = useState<Partial<Record<Tab, ComponentType<any>>>>({});
  useEffect(() => {
    if (tab === 'bundles' || loaded[tab]) return;
    void loaders[tab]().then((module) => setLoaded((current) => ({ ...current, [tab]: module.default })));
  }, [tab, loaded]);
  return loaded[tab] ?? null;
}

export function App(props: AppProps) {
  const [tab, setTab] = useState<Tab>(() => TABS.find((t) => location.hash === `#${t}`) ?? 'bundles');
  const data = useStoreData(props.openDb, props.runtime);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<BundleSort>('newest');
  const q = query.trim().toLowerCase();
  const bundleWindow = useListWindow(bundleSource, data.db, { active: tab === 'bundles', query: q, order: ORDER_OF[sort], version: data.version, firstPage: FIRST_ROWS, pageSize: PAGE_ROWS, total: data.bundleCount });
  const tokenWindow = useListWindow(tokenSource, data.db, { active: tab === 'tokens', query: q, order: 'newest', version: data.version, firstPage: FIRST_ROWS, pageSize: PAGE_ROWS, total: data.tokenCount });
  const now = useNow(bundleWindow.rows.some((b) => b.expiresAt !== undefined && b.expiresAt > Date.now() - 1000) || tab === 'tokens');
  const TabComponent = useTabComponent(tab);
  const databaseStatuses = useDatabaseStatuses(data.db, data.version);
  // Opening the popup is a moment to look again whether recent bundle downloads are still where they were saved.
  useEffect(() => {
    void askBackground(props.runtime, 'recheck-downloads', {}).catch(() => undefined);
  }, [props.runtime]);

  useLayoutEffect(() => {
    // The bench reads this mark: the first frame that shows stored data (as its baseline page marks its own).
    if (!data.loading && bundleWindow.ready) requestAnimationFrame(() => performance.getEntriesByName('popup-ready').length || performance.mark('popup-ready'));
  }, [data.loading, bundleWindow.ready]);

  const bundleActions = {
    async saveCopy(id: string) {
      const answer = await askBackground(props.runtime, 'save-bundle-copy', { id });
      return answer.ok ? describeSave(answer.saved) : `${answer.error.message} ${answer.error.hint}`;
    },
    async exportWithSnippets(id: string, tokenId?: string) {
      const answer = await askBackground(props.runtime, 'export-database', tokenId ? { id, tokenId } : { id });
      if (!answer.ok) return `${answer.error.message} ${answer.error.hint}`;
      const saved = answer.value.saved;
      return saved.state === 'saved' ? `Saved ${saved.fileName} (bundles, .env${tokenId ? ' with your token' : ''}, snippets) to your downloads.` : describeSave(saved);
    },
    kitTokens: () => kitTokenChoices(props.runtime, data.db),
    // Writes go through the background, which owns the store and announces the change to every open view.
    async remove(id: string) {
      await askBackground(props.runtime, 'delete-bundle', { id });
    },
    async clearAll() {
      await askBackground(props.runtime, 'clear-bundles', {});
    },
  };

  const tabProps: TabProps = {
    data,
    runtime: props.runtime,
    clipboard: props.clipboard,
    now,
    query: q,
    openTab: props.openTab ?? ((url: string) => void window.open(url, '_blank')),
    saveFile: props.saveFile,
    clipboardGuard: props.clipboardGuard,
  };

  const tabs: Array<[Tab, string, number | null]> = [
    ['bundles', 'Bundles', data.counts.shownBundles],
    ['tokens', 'Tokens', data.counts.tokens],
    ['warnings', 'Warnings', data.counts.openWarnings],
    ['backup', 'Backup', null],
  ];

  return (
    <div class="popup" aria-busy={data.loading}>
      <header>
        <div class="title-row">
          <h1 class="brand">
            <img src={markUrl} alt="" width={18} height={18} />
            Astra Companion
          </h1>
          {(tab === 'bundles' || tab === 'tokens') && (
            <input
              type="search"
              class="search"
              placeholder={tab === 'bundles' ? 'Search database or region' : 'Search role or client id'}
              aria-label={tab === 'bundles' ? 'Search bundles by database or region' : 'Search tokens by role, client id or label'}
              value={query}
              onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
            />
          )}
        </div>
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
              {label} {count !== null && <span class={`count${id === 'warnings' && count > 0 ? ' alert' : ''}`}>{count}</span>}
            </button>
          ))}
        </nav>
      </header>
      <main>
        {!data.loading && <StorageSpace storage={props.storage} version={data.version} />}
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
          {data.loading || (tab === 'bundles' && !bundleWindow.ready) ? (
            <p class="loading">Loading…</p>
          ) : tab === 'bundles' ? (
            <>
              {data.bundleCount > 1 && (
                <label class="sort">
                  Sort{' '}
                  <select value={sort} onChange={(event) => setSort((event.target as HTMLSelectElement).value as BundleSort)}>
                    <option value="newest">Newest first</option>
                    <option value="database">Database</option>
                    <option value="expiry">Link expiry</option>
                  </select>
                </label>
              )}
              {q && bundleWindow.matched === 0 && data.bundleCount > 0 ? (
                <p class="empty">No bundle matches “{query}”.</p>
              ) : (
                <BundleList records={bundleWindow.rows} statuses={databaseStatuses} total={data.bundleCount} now={now} clipboard={props.clipboard} actions={bundleActions} />
              )}
              <MoreRows hasMore={bundleWindow.hasMore} shown={bundleWindow.rows.length} total={bundleWindow.matched ?? data.bundleCount} what="bundles" onMore={bundleWindow.loadMore} />
              <CheckFileSection open={data.bundleCount === 0} openTab={tabProps.openTab} />
            </>
          ) : !TabComponent || (tab === 'tokens' && !tokenWindow.ready) || (tab === 'warnings' && !data.warningsLoaded) ? (
            <p class="loading">Loading…</p>
          ) : tab === 'tokens' ? (
            <>
              <TabComponent {...tabProps} tokens={tokenWindow.rows} matched={tokenWindow.matched} />
              <MoreRows hasMore={tokenWindow.hasMore} shown={tokenWindow.rows.length} total={tokenWindow.matched ?? data.tokenCount} what="tokens" onMore={tokenWindow.loadMore} />
            </>
          ) : (
            <TabComponent {...tabProps} />
          )}
        </div>
      </main>
    </div>
  );
}
