/**
 * What a console tab reports: API responses the page hook saw, links and tokens read from dialogs, a token
 * details file the page saved. Everything here comes from the page, so every field is checked again; the links
 * and tokens are found and validated by the domain code, then kept.
 */
import type { CaptureSource } from '../astra/types';
import { findBundleLinks, mightContainBundleLinks } from '../bundle/find-bundle-links';
import { checkPageResponse, type CapturedLink, type CapturedToken } from '../protocol/messages';
import { isRecord } from '../shared/guards';
import { addToCounter, learnOrgNames, learnRoleNames } from '../store/writes';
import { roleNameOf } from '../store/queries';
import { findOrgNames, mightContainOrgNames } from '../token/find-org-names';
import { findRoleNames, mightContainRoleNames } from '../token/find-role-names';
import { findTokens, mightContainTokens } from '../token/find-tokens';
import { parseTokenFile } from '../token/token-file';
import { limitCaptures, type LimitedCaptures } from './capture-limits';
import { keepBundles } from './keep-bundle';
import { keepTokens } from './keep-token';
import { learnDatabaseStatus } from './learn-database-status';
import type { Routes } from './request-table';
import type { BackgroundServices } from './services';

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

/** Keeps links and tokens captured in a console tab, and tells the tab what was accepted (for its panels). */
async function keepCaptures(services: BackgroundServices, allLinks: CapturedLink[], allTokens: CapturedToken[], page: string, source: CaptureSource, tabId?: number) {
  // Per-tab bounds (capture-limits.ts): a page can forge captures, never flood the store or the storage host.
  const limited = await limitCaptures(await services.db(), `tab:${tabId ?? 'none'}`, services.ports.now, allLinks, allTokens);
  try {
    return await keepLimited(services, limited, page, source, tabId);
  } finally {
    if (await limited.finish()) services.announce('warnings');
  }
}

async function keepLimited(services: BackgroundServices, { links, tokens, admitFetches }: LimitedCaptures<CapturedLink, CapturedToken>, page: string, source: CaptureSource, tabId?: number) {
  const { ports } = services;
  let keptTokens = { accepted: 0, dropped: 0 };
  if (tokens.length) {
    const db = await services.db();
    const kept = await keepTokens({ db, vault: await services.vault(), now: ports.now, roleName: (id) => roleNameOf(db, id) }, tokens, page, source);
    keptTokens = kept;
    if (kept.conflicts) services.announce('warnings');
    if (kept.accepted) {
      services.announce('tokens');
      if (tabId !== undefined) {
        const captured = kept.records.map((record) => ({ clientId: record.clientId, role: record.role, secretCheck: record.secretCheck }));
        ports.sendToTab(tabId, { type: 'captured', bundleUrls: [], tokens: captured });
      }
    }
  }
  if (!links.length) return { links: 0, tokens: keptTokens.accepted, dropped: keptTokens.dropped };
  const db = await services.db();
  const kept = await keepBundles(
    {
      db,
      fetch: ports.fetch,
      now: ports.now,
      trustedHosts: services.trustedHosts,
      onChange: () => services.announce('bundles'),
      onWarning: () => services.announce('warnings'),
      admitFetches,
      // The tab hears of the links (as stored) before they are fetched, so its panel can show "checking".
      onAccepted: (bundleUrls) => tabId !== undefined && ports.sendToTab(tabId, { type: 'captured', bundleUrls, tokens: [] }),
    },
    links,
    page,
    source,
  );
  if (kept.dropped) await addToCounter(db, 'dropped-links', kept.dropped);
  return { links: kept.accepted, tokens: keptTokens.accepted, dropped: kept.dropped + keptTokens.dropped };
}

const pageOf = (value: unknown) => String(value ?? '').slice(0, 4096);

export const captureRoutes: Routes<'page-response' | 'inject-console-ui' | 'capture-links' | 'capture-tokens' | 'capture-token-file'> = {
  'page-response': {
    from: ['console'],
    refused: { links: 0, tokens: 0 },
    async handle(request, sender, services) {
      const response = checkPageResponse(request.response);
      if (!response) return { links: 0, tokens: 0 };
      const links = mightContainBundleLinks(response.body) ? findBundleLinks(response.body) : [];
      const tokens = mightContainTokens(response.body) ? findTokens(response.body) : [];
      if (mightContainRoleNames(response.url, response.body)) await learnRoleNames(await services.db(), findRoleNames(response.url, response.body));
      if (mightContainOrgNames(response.url, response.body) && (await learnOrgNames(await services.db(), findOrgNames(response.url, response.body)))) services.announce('tokens');
      await learnDatabaseStatus(services, response);
      const kept = await keepCaptures(services, links, tokens, pageOf(request.page), 'network', sender.tab?.id);
      return { links: kept.links, tokens: kept.tokens };
    },
  },
  'inject-console-ui': {
    from: ['console'],
    refused: { ok: false },
    async handle(_request, sender, services) {
      if (sender.tab?.id === undefined) return { ok: false };
      await services.ports.injectConsoleUi(sender.tab.id, sender.frameId ?? 0);
      return { ok: true };
    },
  },
  'capture-links': {
    from: ['console'],
    refused: { accepted: 0, dropped: 1 },
    async handle(request, sender, services) {
      const kept = await keepCaptures(services, readLinks(request.links), [], pageOf(request.page), 'dom', sender.tab?.id);
      return { accepted: kept.links, dropped: kept.dropped };
    },
  },
  'capture-tokens': {
    from: ['console'],
    refused: { accepted: 0, dropped: 1 },
    async handle(request, sender, services) {
      const kept = await keepCaptures(services, [], readTokens(request.tokens), pageOf(request.page), 'dom', sender.tab?.id);
      return { accepted: kept.tokens, dropped: kept.dropped };
    },
  },
  'capture-token-file': {
    from: ['console'],
    refused: { accepted: 0, dropped: 1 },
    async handle(request, sender, services) {
      if (typeof request.text !== 'string' || request.text.length > 200_000) return { accepted: 0, dropped: 1 };
      const parsed = parseTokenFile(request.text, String(request.fileName ?? ''));
      if (!parsed.ok) return { accepted: 0, dropped: 1 };
      const tokens = parsed.value.map((details) => ({ token: details.token, clientId: details.clientId, secret: details.secret, role: details.role }));
      const kept = await keepCaptures(services, [], tokens, pageOf(sender.url), 'file', sender.tab?.id);
      return { accepted: kept.tokens, dropped: kept.dropped };
    },
  },
};
