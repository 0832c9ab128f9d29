/**
 * Relays what the MAIN-world hook saw to the background. The page can forge these events, so only
 * well-formed events within the size limit leave this script; the background then finds the links and
 * tokens and checks every link's host and signature before it fetches anything. (This script runs on
 * every console page, so the heavy parsing lives in the background, not here.)
 */
import { PAGE_RESPONSE_EVENT, readPageResponse, type PageResponse } from '@/utils/protocol/messages';

export function relayNetworkCaptures(win: Window, relay: (response: PageResponse) => void, signal: AbortSignal): void {
  win.addEventListener(
    PAGE_RESPONSE_EVENT,
    (event) => {
      const response = readPageResponse((event as CustomEvent).detail);
      if (response) relay(response);
    },
    { signal },
  );
}
