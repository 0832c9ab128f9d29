import type { ComponentType } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { askBackground } from '@/utils/protocol/messages';
import { type CompanionDb } from '@/utils/store/schema';
import { BundleList } from './BundleList';
import type { ClipboardLike } from './CopyButton';
import type { ClipboardGuardPermission, TabProps } from './tab-props';
import { useNow, useStoreData, type RuntimeLike } from './use-store-data';
import type { BundleRecord } from '@/utils/bundle/types';
import { clearBundles, deleteBundle } from '@/utils/store/writes';

type Tab = 'bundles' | 'tokens' | 'warnings' | 'backup';
type BundleSort = 'newest' | 'database' | 'expiry';
const TABS: readonly Tab[] = ['bundles', 'tokens', 'warnings', 'backup'];
/** Rows drawn at first: a store of 1,000 bundles must not slow the popup's first frame. */
const FIRST_ROWS = 30;

export interface AppProps {
  openDb: () => Promise<CompanionDb>;
  runtime: RuntimeLike;
  clipboard: ClipboardLike;
  openTab?: (url: string) => void;
  saveFile?: (bytes: Uint8Array, fileName: string) => void | Promise<void>;
  clipboardGuard?: ClipboardGuardPermission;
}

// The other tabs load when first opened: the popup's first frame carries only the Bundles tab.
const loaders: Record<Exclude<Tab, 'bundles'>, () => Promise<{ default: ComponentType<any> }>> = {
  tokens: () => import('./TokensTab'),
  warnings: () => import('./WarningsTab'),
  backup: () => import('./BackupTab'),
};

function useTabComponent(tab: Tab): ComponentType<any> | null {
  const [loaded, setLoaded] = useState<Partial<Record<Tab, ComponentType<any>>>>({});
  useEffect(() => {
    if (tab === 'bundles' || loaded[tab]) return;
    void loaders[tab]().then((module) => setLoaded((current) => ({ ...current, [tab]: module.default })));
  }, [tab, loaded]);
  return loaded[tab] ?? null;
}

const matches = (query: string, ...fields: Array<string | undefined>) =>
  !query || fields.some((field) => field?.toLowerCase().includes(query));

export function sortBundles(records: BundleRecord[], sort: BundleSort): BundleRecord[] {
  const sorted = [...records];
  if (sort === 'database') sorted.sort((a, b) => a.dbName.localeCompare(b.dbName) || (a.region ?? '').localeCompare(b.region ?? ''));
  else if (sort === 'expiry') sorted.sort((a, b) => (b.expiresAt ?? 0) - (a.expiresAt ?? 0));
  else sorted.sort((a, b) => b.capturedAt - a.capturedAt);
  return sorted;
}

export function App(props: AppProps) {
  const [tab, setTab] = useState<Tab>(() => TABS.find((t) => location.hash === `#${t}`) ?? 'bundles');
  const data = useStoreData(props.openDb, props.runtime, { withTokens: tab === 'tokens' || tab === 'backup' });
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<BundleSort>('newest');
  const [showAll, setShowAll] = useState(false);
  const now = useNow(data.bundles.some((b) => b.expiresAt !== undefined && b.expiresAt > Date.now() - 1000) || tab === 'tokens');
  const TabComponent = useTabComponent(tab);

  useLayoutEffect(() => {
    // The bench reads this mark: the first frame that shows stored data (as its baseline page marks its own).
    if (!data.loading) requestAnimationFrame(() => performance.getEntriesByName('popup-ready').length || performance.mark('popup-ready'));
  }, [data.loading]);

  const bundleActions = {
    async saveCopy(id: string) {
      const answer = await askBackground(props.runtime, 'save-bundle-copy', { id });
      return answer.ok ? 'Saving the verified copy…' : `${answer.error.message} ${answer.error.hint}`;
    },
    async exportWithSnippets(id: string) {
      const answer = await askBackground(props.runtime, 'export-database', { id });
      return answer.ok ? `Saving ${answer.value.fileName} (bundle + driver snippets)…` : `${answer.error.message} ${answer.error.hint}`;
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

  const q = query.trim().toLowerCase();
  const bundles = useMemo(
    () => sortBundles(data.bundles.filter((b) => matches(q, b.dbName, b.region, b.dbId, b.fileName)), sort),
    [data.bundles, q, sort],
  );
  const tokens = useMemo(() => data.tokens.filter((t) => matches(q, t.role, t.clientId, t.label, t.orgId)), [data.tokens, q]);
  const openWarnings = data.warnings.filter((w) => !w.dismissed);
  const limit = <T,>(items: T[]) => (showAll ? items : items.slice(0, FIRST_ROWS));
  const more = (count: number, what: string) =>
    !showAll && count > FIRST_ROWS && (
      <button type="button" class="btn show-all" onClick={() => setShowAll(true)}>
        Show all {count} {what}
      </button>
    );

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
    ['bundles', 'Bundles', data.bundles.length],
    ['tokens', 'Tokens', data.tokenCount],
    ['warnings', 'Warnings', openWarnings.length],
    ['backup', 'Backup', null],
  ];

  return (
    <div class="popup" aria-busy={data.loading}>
      <header>
        <div class="title-row">
          <h1>Astra Companion</h1>
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
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
          {data.loading ? (
            <p class="loading">Loading…</p>
          ) : tab === 'bundles' ? (
            <>
              {data.bundles.length > 1 && (
                <label class="sort">
                  Sort{' '}
                  <select value={sort} onChange={(event) => setSort((event.target as HTMLSelectElement).value as BundleSort)}>
                    <option value="newest">Newest first</option>
                    <option value="database">Database</option>
                    <option value="expiry">Link expiry</option>
                  </select>
                </label>
              )}
              {q && bundles.length === 0 && data.bundles.length > 0 ? (
                <p class="empty">No bundle matches “{query}”.</p>
              ) : (
                <BundleList records={limit(bundles)} now={now} clipboard={props.clipboard} actions={bundleActions} />
              )}
              {more(bundles.length, 'bundles')}
            </>
          ) : !TabComponent || (tab === 'tokens' && data.tokenCount > 0 && data.tokens.length === 0 && !q) ? (
            <p class="loading">Loading…</p>
          ) : tab === 'tokens' ? (
            <>
              <TabComponent {...tabProps} tokens={limit(tokens)} />
              {more(tokens.length, 'tokens')}
            </>
          ) : (
            <TabComponent {...tabProps} />
          )}
        </div>
      </main>
    </div>
  );
}
