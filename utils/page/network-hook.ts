/**
 * Wraps the page's fetch and XMLHttpRequest so the extension sees API responses as text.
 *
 * Runs in the page's MAIN world before the console's own scripts. The page must never notice:
 * the page gets the original Response at once, bodies are read from a clone, large or streaming
 * bodies are skipped, and any error inside the hook is swallowed.
 */
import { mightContainDatabaseStatus } from '../astra/database-status';
import { MAX_SCANNED_BODY, PAGE_RESPONSE_EVENT, type PageResponse } from '../protocol/messages';

/** Cheap test: only bodies that could hold a bundle link, a token, role names or a database status are handed over. */
export function isWorthScanning(body: string, url = ''): boolean {
  return (
    body.length <= MAX_SCANNED_BODY &&
    (body.includes('secure-connect') ||
      body.includes('AstraCS:') ||
      body.includes('"roles"') ||
      // The organization's name (find-org-names.ts): the console's GraphQL currentOrg, the DevOps API's /v2/currentOrg.
      body.includes('"currentOrg"') ||
      url.endsWith('/v2/currentOrg') ||
      mightContainDatabaseStatus(body))
  );
}

const TEXTUAL = /json|text\/plain|graphql|javascript|xml|html/i;

export function isTextualResponse(contentType: string | null, contentLength: string | null): boolean {
  if (contentType && !TEXTUAL.test(contentType)) return false;
  if (contentType && /event-stream/i.test(contentType)) return false;
  if (contentLength && Number(contentLength) > MAX_SCANNED_BODY) return false;
  return true;
}

/** Reads at most MAX_SCANNED_BODY characters of a cloned body; `null` when it is larger. */
async function readCapped(response: Response): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return null;
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
    if (text.length > MAX_SCANNED_BODY) {
      void reader.cancel();
      return null;
    }
  }
}

export function installNetworkHook(win: Window & typeof globalThis): void {
  // Reported in a task of its own, after the page's own code has handled the response and drawn it.
  const report = (via: PageResponse['via'], url: string, status: number, body: string) =>
    setTimeout(() => {
      if (!isWorthScanning(body, url)) return;
      const detail: PageResponse = { via, url, status, body };
      win.dispatchEvent(new CustomEvent(PAGE_RESPONSE_EVENT, { detail: JSON.stringify(detail) }));
    }, 0);

  const originalFetch = win.fetch;
  if (typeof originalFetch === 'function') {
    const wrappedFetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
      const pending = originalFetch.apply(this, args);
      pending.then(
        (response) => {
          try {
            const headers = response.headers;
            if (!isTextualResponse(headers.get('content-type'), headers.get('content-length'))) return;
            readCapped(response.clone()).then(
              (body) => body !== null && report('fetch', response.url, response.status, body),
              () => {},
            );
          } catch {
            // never disturb the page
          }
        },
        () => {},
      );
      return pending;
    };
    win.fetch = wrappedFetch as typeof fetch;
  }

  const XHR = win.XMLHttpRequest;
  if (typeof XHR === 'function') {
    const originalSend = XHR.prototype.send;
    XHR.prototype.send = function (this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['send']>) {
      try {
        this.addEventListener('load', () => {
          try {
            const type = this.responseType;
            let body: string | null = null;
            if (type === '' || type === 'text') body = this.responseText;
            else if (type === 'json') body = JSON.stringify(this.response);
            if (body !== null) report('xhr', this.responseURL, this.status, body);
          } catch {
            // never disturb the page
          }
        });
      } catch {
        // never disturb the page
      }
      return originalSend.apply(this, args);
    };
  }
}
