import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { askBackground } from '@/utils/messages';
import { clearBundles, deleteBundle, deleteToken, updateToken, type BundleRecord, type CompanionDb, type TokenRecord } from '@/utils/store';
import { base64ToBytes, bytesToBase64 } from '@/utils/data-url';
import { browserKindOf, browserSettingUrl } from '@/utils/judge-download';
import { connectUrlFor } from '@/utils/watch-downloads';
import type { VaultStatus } from '@/utils/vault';
import { ok } from '@/utils/result';
import { BundleList } from './BundleList';
import { CheckFile } from './CheckFile';
import { ExportPanel } from './ExportPanel';
import { TokenList } from './TokenList';
import { VaultPanel } from './VaultPanel';
import { WarningList } from './WarningList';
import { copyThenClear } from './clipboard-clear';
import type { ClipboardLike } from './CopyButton';
import { useNow, useStoreData, type RuntimeLike } from './use-store-data';

type Tab = 'bundles' | 'tokens' | 'warnings' | 'backup';
type BundleSort = 'newest' | 'database' | 'expiry';

export interface AppProps {
  openDb: () => Promise<CompanionDb>;
  runtime: RuntimeLike;
  clipboard: ClipboardLike;
  openTab?: (url: string) => void;
  saveFile?: (bytes: Uint8Array, fileName: string) => void | Promise<void>;
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

function saveInBrowser(bytes: Uint8Array, fileName: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const anchor = Object.assign(document.createElement('a'), { href: url, download: fileName });
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function App(props: AppProps) {
  const data = useStoreData(props.openDb, props.runtime);
  const [tab, setTab] = useState<Tab>(() => (['bundles', 'tokens', 'warnings', 'backup'].find((t) => location.hash === `#${t}`) as Tab | undefined) ?? 'bundles');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<BundleSort>('newest');
  const [vault, setVault] = useState<VaultStatus | null>(null);
  const now = useNow(data.bundles.some((b) => b.expiresAt !== undefined && b.expiresAt > Date.now() - 1000) || tab === 'tokens');

  useEffect(() => {
    // The bench reads this mark: the first frame that shows stored data.
    if (!data.loading) requestAnimationFrame(() => performance.getEntriesByName('popup-ready').length || performance.mark('popup-ready'));
  }, [data.loading]);

  const refreshVault = useCallback(async () => {
    const status = await askBackground(props.runtime, 'vault-status', {}).catch(() => null);
    setVault(status?.ok ? status.value : null);
  }, [props.runtime]);
  useEffect(() => void refreshVault(), [refreshVault, data.tokens]);

  const vaultAction = async <T extends { ok: boolean }>(answer: Promise<T>): Promise<T> => {
    const result = await answer;
    await refreshVault();
    return result;
  };

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

  const tokenActions = {
    reveal: (id: string) => askBackground(props.runtime, 'token-reveal', { id }),
    saveFile: (id: string, format: 'csv' | 'json') => askBackground(props.runtime, 'token-save-file', { id, format }),
    async setLabel(id: string, label: string) {
      if (data.db) await updateToken(data.db, id, (current) => ({ ...(current as TokenRecord), label: label.trim().slice(0, 100) || undefined }));
      await data.refresh();
    },
    async remove(id: string) {
      if (data.db) await deleteToken(data.db, id);
      await data.refresh();
    },
    copy: (text: string) => copyThenClear(props.clipboard, text),
  };

  const vaultActions = {
    unlock: (passphrase: string) => vaultAction(askBackground(props.runtime, 'vault-unlock', { passphrase })),
    lock: () => vaultAction(askBackground(props.runtime, 'vault-lock', {})),
    setPassphrase: (current: string | null, next: string | null) => vaultAction(askBackground(props.runtime, 'vault-set-passphrase', { current, next })),
    setAutoLock: (choice: VaultStatus['autoLock']) => vaultAction(askBackground(props.runtime, 'vault-set-auto-lock', { choice })),
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

  const backup = {
    async exportAll(tokens: Parameters<typeof ExportPanel>[0] extends { exportAll(t: infer T): unknown } ? T : never) {
      const answer = await askBackground(props.runtime, 'export-store', { tokens });
      return answer.ok ? ok(base64ToBytes(answer.value.base64)) : answer;
    },
    importAll: (bytes: Uint8Array, options: { passphrase?: string; skipTokens?: boolean }) =>
      askBackground(props.runtime, 'import-store', { base64: bytesToBase64(bytes), ...options }),
  };

  const q = query.trim().toLowerCase();
  const bundles = useMemo(
    () => sortBundles(data.bundles.filter((b) => matches(q, b.dbName, b.region, b.dbId, b.fileName)), sort),
    [data.bundles, q, sort],
  );
  const tokens = useMemo(() => data.tokens.filter((t) => matches(q, t.role, t.clientId, t.label, t.orgId)), [data.tokens, q]);
  const openWarnings = data.warnings.filter((w) => !w.dismissed);

  const tabs: Array<[Tab, string, number | null]> = [
    ['bundles', 'Bundles', data.bundles.length],
    ['tokens', 'Tokens', data.tokens.length],
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
                <BundleList records={bundles} now={now} clipboard={props.clipboard} actions={bundleActions} />
              )}
            </>
          ) : tab === 'tokens' ? (
            <>
              <VaultPanel status={vault} actions={vaultActions} />
              {q && tokens.length === 0 && data.tokens.length > 0 ? (
                <p class="empty">No token matches “{query}”.</p>
              ) : (
                <TokenList tokens={tokens} now={now} locked={vault?.locked ?? false} actions={tokenActions} />
              )}
            </>
          ) : tab === 'warnings' ? (
            <>
              <WarningList warnings={data.warnings} now={now} actions={warningActions} />
              <CheckFile openInTab={() => openTab(`${location.origin}${location.pathname}#warnings`)} />
            </>
          ) : (
            <ExportPanel
              exportAll={backup.exportAll}
              importAll={backup.importAll}
              saveFile={props.saveFile ?? saveInBrowser}
              tokenCount={data.tokens.length}
              bundleCount={data.bundles.length}
              vaultLocked={vault?.locked ?? false}
              onImported={() => void data.refresh()}
              openInTab={() => openTab(`${location.origin}${location.pathname}#backup`)}
            />
          )}
        </div>
      </main>
    </div>
  );
}
