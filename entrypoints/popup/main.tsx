import { render } from 'preact';
import { App } from '@/components/popup/App';
import { openStore } from '@/utils/store';

render(
  <App
    openDb={() => openStore()}
    runtime={browser.runtime}
    clipboard={navigator.clipboard}
    openTab={(url) => void browser.tabs.create({ url })}
  />,
  document.getElementById('app')!,
);
