import { createRequestHandler } from '@/utils/handle-requests';
import { openStore, type CompanionDb } from '@/utils/store';
import { toDataUrl } from '@/utils/data-url';

export default defineBackground(() => {
  let store: Promise<CompanionDb> | undefined;
  const db = () => (store ??= openStore());

  const handleRequest = createRequestHandler({
    db,
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    version: browser.runtime.getManifest().version,
    async saveFile(bytes, fileName, saveAs) {
      return browser.downloads.download({ url: toDataUrl(bytes), filename: fileName, saveAs, conflictAction: 'uniquify' });
    },
    notifyChanged(what, tabId) {
      const message = { type: 'store-changed', what };
      browser.runtime.sendMessage(message).catch(() => {});
      if (tabId !== undefined) browser.tabs.sendMessage(tabId, message).catch(() => {});
    },
  });

  browser.runtime.onMessage.addListener((message, sender) => handleRequest(message, sender));
});
