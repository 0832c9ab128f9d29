import { watchBundleDialogs } from '@/components/console/bundle-dialog-panel';
import { runFeatures, type ConsoleFeature } from '@/components/console/features';
import { relayNetworkCaptures } from '@/components/console/relay-network-captures';
import { askBackground, type CapturedLink, type CapturedToken, type CaptureSource } from '@/utils/messages';
import { isDatabasePage } from '@/utils/pages';

type Env = { floating: (urls: string[]) => void };

// Isolated world: validates what the page reports, relays it, and draws the in-page panels.
export default defineContentScript({
  matches: ['https://astra.datastax.com/*'],
  runAt: 'document_start',
  main(ctx) {
    const lifetime = new AbortController();
    ctx.onInvalidated(() => lifetime.abort());

    const captureLinks = (links: CapturedLink[], source: CaptureSource) =>
      askBackground(browser.runtime, 'capture-links', { links, page: location.href, source }).catch(() => undefined);
    const captureTokens = (tokens: CapturedToken[], source: CaptureSource) =>
      askBackground(browser.runtime, 'capture-tokens', { tokens, page: location.href, source }).catch(() => undefined);
    const storeListeners = new Set<() => void>();
    browser.runtime.onMessage.addListener((message: unknown) => {
      if ((message as { type?: string } | null)?.type === 'store-changed') storeListeners.forEach((listener) => listener());
    });

    const env: Env = { floating: () => {} };
    const bundlePanels: ConsoleFeature<Env> = {
      id: 'bundle-dialog-panel',
      applies: (url) => isDatabasePage(url),
      init(shared, signal) {
        const watcher = watchBundleDialogs(
          {
            document,
            now: () => Date.now(),
            captureLinks: (links) => void captureLinks(links, 'dom'),
            summaries: (urls) => askBackground(browser.runtime, 'bundle-summaries', { urls }),
            async saveCopy(id) {
              const answer = await askBackground(browser.runtime, 'save-bundle-copy', { id });
              return answer.ok ? 'Saving the verified copy…' : `${answer.error.message} ${answer.error.hint}`;
            },
            onStoreChanged(listener) {
              storeListeners.add(listener);
              return () => storeListeners.delete(listener);
            },
          },
          signal,
        );
        shared.floating = watcher.floating;
        signal.addEventListener('abort', () => (shared.floating = () => {}));
      },
    };

    relayNetworkCaptures(
      window,
      {
        links(links) {
          void captureLinks(links, 'network');
          env.floating(links.map((link) => link.url));
        },
        tokens: (tokens) => void captureTokens(tokens, 'network'),
        dropped() {},
      },
      lifetime.signal,
    );

    const features = runFeatures([bundlePanels], env, lifetime.signal);
    const start = () => features.update(new URL(location.href));
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
    ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => features.update(newUrl));
  },
});
