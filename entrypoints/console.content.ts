import { relayNetworkCaptures } from '@/components/console/relay-network-captures';
import { askBackground } from '@/utils/protocol/messages';
import { isDatabasePage, isTokensPage } from '@/utils/astra/routes';
import { CONSOLE_MATCHES } from '@/utils/astra/hosts';

// Runs on every console page, so it only relays: the in-page panels are injected by the background
// (entrypoints/console-ui.content.ts) when the route is a database or tokens page, or a capture was made.
export default defineContentScript({
  matches: [CONSOLE_MATCHES],
  runAt: 'document_start',
  main(ctx) {
    const lifetime = new AbortController();
    ctx.onInvalidated(() => lifetime.abort());
    relayNetworkCaptures(
      window,
      (response) => void askBackground(browser.runtime, 'page-response', { response, page: location.href }).catch(() => undefined),
      lifetime.signal,
    );
    const route = (url: URL | Location) => {
      if (isDatabasePage(url) || isTokensPage(url)) void askBackground(browser.runtime, 'inject-console-ui', {}).catch(() => undefined);
    };
    // The panels are needed when the user acts, not while the console loads: ask once the page is idle.
    // Called on `window`: Firefox's content-script sandbox refuses a detached Window method ("called on an object
    // that does not implement interface Window"), and the panels were never injected there.
    const whenIdle = () => (window.requestIdleCallback ? window.requestIdleCallback(() => route(location), { timeout: 2000 }) : setTimeout(() => route(location), 200));
    if (document.readyState === 'complete') whenIdle();
    else window.addEventListener('load', whenIdle, { once: true });
    ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => route(newUrl));
  },
});
