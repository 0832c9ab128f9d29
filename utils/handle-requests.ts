/**
 * The background's answers to every request of the message protocol. Extension APIs are passed in,
 * so this is testable without a browser. Senders are checked: captures only from content scripts
 * on the Astra console, store actions only from the extension's own pages.
 */
import { BACKGROUND_REQUEST_TYPES, isRecord, type BackgroundMessage, type CapturedLink, type CapturedToken } from './messages';
import { keepBundles, summarize, type KeepBundleDeps } from './keep-bundle';
import { addToCounter, findBundleByLink, getBundle, getBundleFile, type CompanionDb } from './store';
import { fail, type Problem } from './result';

export const CONSOLE_ORIGIN = 'https://astra.datastax.com';

export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
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
  keepTokens?(tokens: CapturedToken[], page: string, source: string): Promise<{ accepted: number; dropped: number }>;
}

function fromConsole(sender: SenderInfo): boolean {
  return typeof sender.url === 'string' && sender.url.startsWith(`${CONSOLE_ORIGIN}/`);
}

function fromExtensionPage(sender: SenderInfo, deps: RequestDeps): boolean {
  return typeof sender.url === 'string' && sender.url.startsWith(deps.extensionOrigin) && !sender.tab?.id;
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
  const keepDeps = async (): Promise<KeepBundleDeps> => ({
    db: await deps.db(),
    fetch: deps.fetch,
    now: deps.now,
    trustedHosts: deps.trustedHosts,
  });

  return async function handleRequest(message: unknown, sender: SenderInfo): Promise<unknown> {
    if (sender.id !== deps.extensionId) return undefined;
    if (!isRecord(message) || !BACKGROUND_REQUEST_TYPES.includes(message.type as BackgroundMessage['type'])) return undefined;
    const request = message as BackgroundMessage;

    switch (request.type) {
      case 'ping':
        return { ok: true, version: deps.version };

      case 'capture-links': {
        if (!fromConsole(sender)) return { accepted: 0, dropped: 1 };
        const links = readLinks(request.links);
        const source = request.source === 'dom' ? 'dom' : 'network';
        const page = typeof request.page === 'string' ? request.page : '';
        const db = await deps.db();
        const kept = keepBundles(await keepDeps(), links, page, source);
        // Tell open views about the pending records at once, and again when verified.
        const result = await kept;
        if (result.dropped) await addToCounter(db, 'dropped-links', result.dropped);
        deps.notifyChanged('bundles', sender.tab?.id);
        return { accepted: result.accepted, dropped: result.dropped };
      }

      case 'capture-tokens': {
        if (!fromConsole(sender) || !deps.keepTokens) return { accepted: 0, dropped: 1 };
        const result = await deps.keepTokens(readTokens(request.tokens), String(request.page ?? ''), request.source === 'dom' ? 'dom' : 'network');
        deps.notifyChanged('tokens', sender.tab?.id);
        return result;
      }

      case 'bundle-summaries': {
        if (!fromConsole(sender) && !fromExtensionPage(sender, deps)) return [];
        const db = await deps.db();
        const urls = Array.isArray(request.urls) ? request.urls.filter((u): u is string => typeof u === 'string').slice(0, 20) : [];
        const records = await Promise.all(urls.map((url) => findBundleByLink(db, url)));
        return records.flatMap((record) => (record ? [summarize(record)] : []));
      }

      case 'save-bundle-copy': {
        if (!fromConsole(sender) && !fromExtensionPage(sender, deps)) return notFound('bundle');
        const db = await deps.db();
        const id = String(request.id);
        const [record, file] = await Promise.all([getBundle(db, id), getBundleFile(db, id)]);
        if (!record || !file) return notFound('bundle copy');
        await deps.saveFile(file.bytes, record.fileName, true);
        return { ok: true };
      }
    }
  };
}
