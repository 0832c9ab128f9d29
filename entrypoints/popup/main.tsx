import { render } from 'preact';
import { App } from '@/components/popup/App';
import { openStore } from '@/utils/store/schema';

// Opened before the first render, so the store is ready by the time the App asks for it.
const store = openStore();

render(
  <App
    openDb={() => store}
    runtime={browser.runtime}
    clipboard={navigator.clipboard}
    storage={navigator.storage}
    openTab={(url) => void browser.tabs.create({ url })}
    clipboardGuard={{
      granted: () => browser.permissions.contains({ permissions: ['clipboardRead'] }),
      request: () => browser.permissions.request({ permissions: ['clipboardRead'] }),
      revoke: () => browser.permissions.remove({ permissions: ['clipboardRead'] }),
    }}
  />,
  document.getElementById('app')!,
);
