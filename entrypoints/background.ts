import { createRequestHandler } from '@/utils/handle-requests';
import { keepTokens } from '@/utils/keep-token';
import { getKv, openStore, setKv, type CompanionDb } from '@/utils/store';
import { toDataUrl } from '@/utils/data-url';
import { createVault, type Vault } from '@/utils/vault';

export default defineBackground(() => {
  // Nothing lives only in worker globals: these are caches of what IndexedDB and storage.session hold.
  let store: Promise<CompanionDb> | undefined;
  const db = () => (store ??= openStore());
  let vaultPromise: Promise<Vault> | undefined;
  const vault = () =>
    (vaultPromise ??= db().then((opened) =>
      createVault({
        kv: { get: (key) => getKv(opened, key), set: (key, value) => setKv(opened, key, value) },
        session: {
          get: async (key) => (await browser.storage.session.get(key))[key],
          set: (key, value) => browser.storage.session.set({ [key]: value }),
        },
      }),
    ));

  const save = (url: string, filename: string, saveAs: boolean) =>
    browser.downloads.download({ url, filename, saveAs, conflictAction: 'uniquify' });

  const handleRequest = createRequestHandler({
    db,
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    version: browser.runtime.getManifest().version,
    saveFile: (bytes, fileName, saveAs) => save(toDataUrl(bytes), fileName, saveAs),
    notifyChanged(what, tabId) {
      const message = { type: 'store-changed', what };
      browser.runtime.sendMessage(message).catch(() => {});
      if (tabId !== undefined) browser.tabs.sendMessage(tabId, message).catch(() => {});
    },
    notifyTab(tabId, message) {
      browser.tabs.sendMessage(tabId, message).catch(() => {});
    },
    async injectConsoleUi(tabId, frameId) {
      await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/content-scripts/console-ui.js'] });
    },
    async keepTokens(tokens, page, source) {
      return keepTokens({ db: await db(), vault: await vault(), now: () => Date.now() }, tokens, page, source);
    },
    tokenRequests: {
      db,
      vault,
      async saveText(text, fileName, mime) {
        await save(toDataUrl(new TextEncoder().encode(text), mime), fileName, true);
      },
    },
  });

  browser.runtime.onMessage.addListener((message, sender) => handleRequest(message, sender));
});
