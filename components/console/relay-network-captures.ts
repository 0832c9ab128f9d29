/**
 * Relays what the MAIN-world hook saw to the background, after validating it: the page can forge
 * these events, so only well-formed bodies are scanned, and only bundle links and tokens that pass
 * the pattern checks leave this script (the background checks the links' hosts and signatures again).
 */
import { findBundleLinks, mightContainBundleLinks } from '@/utils/find-bundle-links';
import { findTokens, mightContainTokens } from '@/utils/find-tokens';
import { PAGE_RESPONSE_EVENT, readPageResponse, type CapturedLink, type CapturedToken } from '@/utils/messages';

export interface Relay {
  links(links: CapturedLink[]): void;
  tokens(tokens: CapturedToken[]): void;
  dropped(): void;
}

export function relayNetworkCaptures(win: Window, relay: Relay, signal: AbortSignal): void {
  win.addEventListener(
    PAGE_RESPONSE_EVENT,
    (event) => {
      const response = readPageResponse((event as CustomEvent).detail);
      if (!response) return relay.dropped();
      if (mightContainBundleLinks(response.body)) {
        const links = findBundleLinks(response.body);
        if (links.length) relay.links(links);
      }
      if (mightContainTokens(response.body)) {
        const tokens = findTokens(response.body);
        if (tokens.length) relay.tokens(tokens);
      }
    },
    { signal },
  );
}
