import { browser } from 'wxt/browser';
import { startBackground } from '@/utils/background/start-background';
import { createBrowserPorts } from '@/utils/platform/browser-ports';

// Wiring only: the background runs on the browser's ports (utils/platform), its logic lives in utils/background.
// Listeners are registered synchronously, so a worker woken by an event gets that event.
export default defineBackground(() => {
  const background = startBackground(createBrowserPorts());
  browser.runtime.onMessage.addListener((message, sender) => background.onMessage(message, sender));
  browser.downloads.onCreated.addListener(background.onDownloadCreated);
  browser.downloads.onChanged.addListener(background.onDownloadChanged);
  browser.notifications.onButtonClicked.addListener(background.onNotificationButton);
  browser.notifications.onClicked.addListener(background.onNotificationClicked);
  browser.alarms.onAlarm.addListener(background.onAlarm);
});
