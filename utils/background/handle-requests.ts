/**
 * The background's answers to every request of the message protocol. Extension APIs are passed in,
 * so this is testable without a browser. Senders are checked: captures only from content scripts
 * on the Astra console, store actions only from the extension's own pages.
 */
import { BACKGROUND_REQUEST_TYPES, checkPageResponse, type BackgroundMessage, type CapturedInTabMessage, type CapturedLink, type CapturedToken } from '../protocol/messages';
import { parseTokenFile } from '../token/token-file';
import { findBundleLinks, mightContainBundleLinks } from '../bundle/find-bundle-links';
import { findTokens, mightContainTokens } from '../token/find-tokens';
import { findRoleNames, mightContainRoleNames } from '../token/find-role-names';
import { parseBundleLink } from '../bundle/bundle-link';
import { keepBundles, summarize, type KeepBundleDeps } from './keep-bundle';
import { type CompanionDb } from '../store/schema';
import { fail, type Problem } from '../shared/result';
import { storageErrorContext } from './watch-downloads';
import { TRUSTED_STORAGE_HOSTS } from '../bundle/bundle-link';
import { limitCaptures, type LimitedCaptures } from './capture-limits';
import { handleTokenRequest, isTokenRequest, type TokenRequestDeps } from './handle-token-requests';
import { handleExportRequest, isExportRequest, type ExportRequestDeps } from './handle-export-requests';
import { isRecord } from '../shared/guards';
import type { CaptureSource } from '../astra/types';
import type { TokenRecord } from '../token/types';
import { addToCounter, learnRoleNames } from '../store/writes';
import { findBundleByLink, getBundle, getBundleFile } from '../store/queries';

export const CONSOLE_ORIGIN = 'https://astra.datastax.com';

export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

export interface RequestDeps {
  db: () => Promise<CompanionDb>;
  fetch: typeof fetch;
  now: () => number;
  extensionId: string;
  extensionOrigin: string;
  version: string;
  trustedHosts?: readonly string[];
  /** Saves bytes through the browser's download manager; returns the download id. */
  saveFile(bytes: Uint8Array, fileName: string, saveAs: boolean): Promise<number>;
  notifyChanged(what: 'bundles' | 'tokens' | 'warnings', tabId?: number): void;
  /** Tells the console tab what was captured from its traffic (for the in-page panels). */
  notifyTab(tabId: number, message: CapturedInTabMessage): void;
  injectConsoleUi(tabId: number, frameId: number): Promise<void>;
  keepTokens?(tokens: CapturedToken[], page: string, source: string): Promise<{ accepted: number; dropped: number; conflicts: number; records: TokenRecord[] }>;
  tokenRequests?: TokenRequestDeps;
  exportRequests?: ExportRequestDeps;
  dismissWarning?(id: string): Promise<void>;
  scheduleClipboardClear?(hash: unknown): Promise<{ scheduled: boolean }>;
}

function fromConsole(sender: SenderInfo): boolean {
  return typeof sender.url === 'string' && sender.url.startsWith(`${CONSOLE_ORIGIN}/`);
}

/** The bundle bucket's error page (storage-error.content.ts): only about its own link. */
function fromStorageHost(sender: SenderInfo, deps: RequestDeps): boolean {
  try {
    return typeof sender.url === 'string' && (deps.trustedHosts ?? TRUSTED_STORAGE_HOSTS).includes(new URL(sender.url).hostname);
  } catch {
    return false;
  }
}

function fromExtensionPage(sender: SenderInfo, deps: RequestDeps): boolean {
  // The popup, or the same page opened in a tab: content scripts report the web page's URL, never ours.
  return typeof sender.url === 'string' && sender.url.startsWith(deps.extensionOrigin);
}

function readLinks(value: unknown): CapturedLink[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, 50).flatMap((item) => {
    if (!isRecord(item) || typeof item.url !== 'string' || item.url.length > 4096) return [];
    const context: Record<string, string> = {};
    if (isRecord(item.context)) {
      for (const key of ['region', 'datacenterId', 'dbId', 'dbName', 'kind']) {
        const v = item.context[key];
        if (typeof v === 'string' && v.length <= 200) context[key] = v;
      }
    }
    return [{ url: item.url, context }];
  });
}

function readTokens(value: unknown): CapturedToken[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, 20).filter((item): item is CapturedToken => isRecord(item) && typeof item.token === 'string' && typeof item.clientId === 'string');
}

const notFound = (what: string): { ok: false; error: Problem } =>
  fail('not-found', `That ${what} is no longer in Astra Companion.`, 'Open the popup again; it may have been deleted.');

export function createRequestHandler(deps: RequestDeps) {


  /** Keeps links and tokens captured in a console tab, and tells the tab what was accepted. */
  async function keepCaptures(allLinks: CapturedLink[], allTokens: CapturedToken[], page: string, source: CaptureSource, tabId?: number) {
    // Per-tab bounds (capture-limits.ts): a page can forge captures, never flood the store or the storage host.
    const limited = await limitCaptures(await deps.db(), `tab:${tabId ?? 'none'}`, deps.now, allLinks, allTokens);
    try {
      return await keepLimited(limited, page, source, tabId);
    } finally {
      if (await limited.finish()) deps.notifyChanged('warnings');
    }
  }

  async function keepLimited({ links, tokens, admitFetches }: LimitedCaptures<CapturedLink, CapturedToken>, page: string, source: CaptureSource, tabId?: number) {
    const keptTokens = tokens.length && deps.keepTokens ? await deps.keepTokens(tokens, page, source) : { accepted: 0, dropped: tokens.length, conflicts: 0, records: [] };
    if (keptTokens.conflicts) deps.notifyChanged('warnings');
    if (keptTokens.accepted) {
      deps.notifyChanged('tokens', tabId);
      if (tabId !== undefined) {
        deps.notifyTab(tabId, {
          type: 'captured',
          bundleUrls: [],
          tokens: keptTokens.records.map((record) => ({ clientId: record.clientId, role: record.role, secretCheck: record.secretCheck })),
        });
      }
    }
    if (!links.length) return { links: 0, tokens: keptTokens.accepted, dropped: keptTokens.dropped };
    const keepDeps: KeepBundleDeps = {
      db: await deps.db(),
      fetch: deps.fetch,
      now: deps.now,
      trustedHosts: deps.trustedHosts,
      onChange: () => deps.notifyChanged('bundles', tabId),
      onWarning: () => deps.notifyChanged('warnings'),
      admitFetches,
      // The tab hears of the links (as stored) before they are fetched, so its panel can show "checking".
      onAccepted: (bundleUrls) => tabId !== undefined && deps.notifyTab(tabId, { type: 'captured', bundleUrls, tokens: [] }),
    };
    const kept = await keepBundles(keepDeps, links, page, source);
    if (kept.dropped) await addToCounter(keepDeps.db, 'dropped-links', kept.dropped);
    return { links: kept.accepted, tokens: keptTokens.accepted, dropped: kept.dropped + keptTokens.dropped };
  }

  return async function handleRequest(message: unknown, sender: SenderInfo): Promise<unknown> {
    if (sender.id !== deps.extensionId) return undefined;
    if (!isRecord(message) || !BACKGROUND_REQUEST_TYPES.includes(message.type as BackgroundMessage['type'])) return undefined;
    const request = message as BackgroundMessage;
    if (isTokenRequest(request)) {
      if (!fromExtensionPage(sender, deps) || !deps.tokenRequests) return fail('not-allowed', 'Only Astra Companion\'s popup can ask for that.', 'Open the popup.');
      return handleTokenRequest(deps.tokenRequests, request);
    }
    if (isExportRequest(request)) {
      if (!fromExtensionPage(sender, deps) || !deps.exportRequests) return fail('not-allowed', 'Only Astra Companion\'s popup can ask for that.', 'Open the popup.');
      return handleExportRequest(deps.exportRequests, request);
    }

    switch (request.type) {
      case 'ping':
        return { ok: true, version: deps.version };

      case 'page-response': {
        if (!fromConsole(sender)) return { links: 0, tokens: 0 };
        const response = checkPageResponse(request.response);
        if (!response) return { links: 0, tokens: 0 };
        const links = mightContainBundleLinks(response.body) ? findBundleLinks(response.body) : [];
        const tokens = mightContainTokens(response.body) ? findTokens(response.body) : [];
        if (mightContainRoleNames(response.body)) await learnRoleNames(await deps.db(), findRoleNames(response.body));
        const kept = await keepCaptures(links, tokens, String(request.page ?? ''), 'network', sender.tab?.id);
        return { links: kept.links, tokens: kept.tokens };
      }

      case 'inject-console-ui': {
        if (!fromConsole(sender) || sender.tab?.id === undefined) return { ok: false };
        await deps.injectConsoleUi(sender.tab.id, sender.frameId ?? 0);
        return { ok: true };
      }

      case 'capture-links': {
        if (!fromConsole(sender)) return { accepted: 0, dropped: 1 };
        const kept = await keepCaptures(readLinks(request.links), [], String(request.page ?? ''), 'dom', sender.tab?.id);
        return { accepted: kept.links, dropped: kept.dropped };
      }

      case 'capture-tokens': {
        if (!fromConsole(sender)) return { accepted: 0, dropped: 1 };
        const kept = await keepCaptures([], readTokens(request.tokens), String(request.page ?? ''), 'dom', sender.tab?.id);
        return { accepted: kept.tokens, dropped: kept.dropped };
      }

      case 'capture-token-file': {
        if (!fromConsole(sender) || typeof request.text !== 'string' || request.text.length > 200_000) return { accepted: 0, dropped: 1 };
        const parsed = parseTokenFile(request.text, String(request.fileName ?? ''));
        if (!parsed.ok) return { accepted: 0, dropped: 1 };
        const tokens = parsed.value.map((details) => ({ token: details.token, clientId: details.clientId, secret: details.secret, role: details.role }));
        const kept = await keepCaptures([], tokens, String(sender.url ?? ''), 'file', sender.tab?.id);
        return { accepted: kept.tokens, dropped: kept.dropped };
      }

      case 'bundle-summaries': {
        if (!fromConsole(sender) && !fromExtensionPage(sender, deps)) return [];
        const db = await deps.db();
        const urls = Array.isArray(request.urls) ? request.urls.filter((u): u is string => typeof u === 'string').slice(0, 20) : [];
        // Stored links are normalized by parseBundleLink; a link read from the page may be escaped otherwise.
        const normalized = urls.map((url) => {
          const parsed = parseBundleLink(url, deps.trustedHosts ? { trustedHosts: deps.trustedHosts } : undefined);
          return parsed.ok ? parsed.value.url : url;
        });
        const records = await Promise.all(normalized.map((url) => findBundleByLink(db, url)));
        return records.flatMap((record) => (record ? [summarize(record)] : []));
      }

      case 'save-bundle-copy': {
        if (!fromConsole(sender) && !fromExtensionPage(sender, deps) && !fromStorageHost(sender, deps)) return notFound('bundle');
        const db = await deps.db();
        const id = String(request.id);
        const [record, file] = await Promise.all([getBundle(db, id), getBundleFile(db, id)]);
        if (!record || !file) return notFound('bundle copy');
        await deps.saveFile(file.bytes, record.fileName, true);
        return { ok: true };
      }

      case 'clear-clipboard-later': {
        if (!fromExtensionPage(sender, deps) || !deps.scheduleClipboardClear) return { scheduled: false };
        return deps.scheduleClipboardClear(request.hash);
      }

      case 'storage-error-context': {
        if (!fromStorageHost(sender, deps) || !sender.url) return null;
        return storageErrorContext(await deps.db(), sender.url);
      }

      case 'dismiss-warning': {
        if (!fromExtensionPage(sender, deps) || !deps.dismissWarning) return { ok: false };
        await deps.dismissWarning(String(request.id));
        deps.notifyChanged('warnings');
        return { ok: true };
      }
    }
  };
}
