import { relayNetworkCaptures } from '@/components/console/relay-network-captures';
import { askBackground, type CaptureSource } from '@/utils/messages';

// Isolated world: validates what the page reports, relays it, and draws the in-page panels.
export default defineContentScript({
  matches: ['https://astra.datastax.com/*'],
  runAt: 'document_start',
  main(ctx) {
    const page = () => location.href;
    const send = (source: CaptureSource) => ({
      links: (links: Parameters<typeof askBackground<'capture-links'>>[2]['links']) =>
        void askBackground(browser.runtime, 'capture-links', { links, page: page(), source }).catch(() => {}),
      tokens: (tokens: Parameters<typeof askBackground<'capture-tokens'>>[2]['tokens']) =>
        void askBackground(browser.runtime, 'capture-tokens', { tokens, page: page(), source }).catch(() => {}),
      dropped: () => {},
    });
    const controller = new AbortController();
    ctx.onInvalidated(() => controller.abort());
    relayNetworkCaptures(window, send('network'), controller.signal);
  },
});
