import { saveCopyInWords } from '@/components/console/save-copy-words';
import { watchBundleDialogs } from '@/components/console/bundle-dialog-panel';
import { runFeatures, type ConsoleFeature } from '@/components/console/features';
import { askBackground, type CapturedInTabMessage } from '@/utils/protocol/messages';
import { isDatabasePage, isTokensPage } from '@/utils/astra/routes';
import { watchTokenDisplays } from '@/components/console/token-capture';
import { watchDownloadWarnings } from '@/components/console/download-warning-panel';
import { followRoute } from '@/components/console/follow-route';
import { CONSOLE_MATCHES } from '@/utils/astra/hosts';

interface Env {
  /** Called when the background captured something from this tab's network traffic. */
  onCaptured: Set<(message: CapturedInTabMessage) => void>;
  onStoreChanged: Set<(message: unknown) => void>;
  onDownloadWarning: Set<(message: unknown) => void>;
}

const INSTALLED = Symbol.for('astra-companion.console-ui');

// Injected by the background on database and tokens pages (never declared for every page).
export default defineContentScript({
  registration: 'runtime',
  matches: [CONSOLE_MATCHES],
  main(ctx) {
    const scope = globalThis as { [INSTALLED]?: boolean };
    if (scope[INSTALLED]) return;
    scope[INSTALLED] = true;
    const lifetime = new AbortController();
    ctx.onInvalidated(() => {
      lifetime.abort();
      scope[INSTALLED] = false;
    });

    const env: Env = { onCaptured: new Set(), onStoreChanged: new Set(), onDownloadWarning: new Set() };
    browser.runtime.onMessage.addListener((message: unknown) => {
      const type = (message as { type?: string } | null)?.type;
      if (type === 'store-changed') env.onStoreChanged.forEach((listener) => listener(message));
      if (type === 'download-warning') env.onDownloadWarning.forEach((listener) => listener(message));
      if (type === 'captured') env.onCaptured.forEach((listener) => listener(message as CapturedInTabMessage));
    });

    const bundlePanels: ConsoleFeature<Env> = {
      id: 'bundle-dialog-panel',
      applies: (url) => isDatabasePage(url),
      init(shared, signal) {
        const watcher = watchBundleDialogs(
          {
            document,
            now: () => Date.now(),
            captureLinks: (links) => void askBackground(browser.runtime, 'capture-links', { links, page: location.href, source: 'dom' }).catch(() => undefined),
            summaries: (urls) => askBackground(browser.runtime, 'bundle-summaries', { urls }),
            saveCopy: (id) => saveCopyInWords(browser.runtime, id),
            onStoreChanged(listener) {
              shared.onStoreChanged.add(listener);
              return () => shared.onStoreChanged.delete(listener);
            },
            lifetime: lifetime.signal,
          },
          signal,
        );
        const onCaptured = (message: CapturedInTabMessage) => message.bundleUrls.length && watcher.floating(message.bundleUrls);
        shared.onCaptured.add(onCaptured);
        signal.addEventListener('abort', () => shared.onCaptured.delete(onCaptured));
      },
    };

    const downloadWarnings: ConsoleFeature<Env> = {
      id: 'download-warning-panel',
      applies: () => true,
      init(shared, signal) {
        watchDownloadWarnings(
          {
            document,
            pageUrl: () => location.href,
            onWarning(listener) {
              shared.onDownloadWarning.add(listener);
              return () => shared.onDownloadWarning.delete(listener);
            },
            onStoreChanged(listener) {
              shared.onStoreChanged.add(listener);
              return () => shared.onStoreChanged.delete(listener);
            },
            saveCopy: (id) => saveCopyInWords(browser.runtime, id),
          },
          signal,
        );
      },
    };

    const tokenDisplays: ConsoleFeature<Env> = {
      id: 'token-capture',
      applies: (url) => isTokensPage(url) || isDatabasePage(url),
      init(shared, signal) {
        watchTokenDisplays(
          {
            document,
            captureTokens: (tokens) => void askBackground(browser.runtime, 'capture-tokens', { tokens, page: location.href, source: 'dom' }).catch(() => undefined),
            captureTokenFile: (text, fileName) => void askBackground(browser.runtime, 'capture-token-file', { text, fileName }).catch(() => undefined),
            onCaptured(listener) {
              shared.onCaptured.add(listener);
              return () => shared.onCaptured.delete(listener);
            },
          },
          signal,
        );
      },
    };

    const features = runFeatures([bundlePanels, tokenDisplays, downloadWarnings], env, lifetime.signal);
    features.update(new URL(location.href));
    followRoute((url) => features.update(url), lifetime.signal);
  },
});
