import { installNetworkHook } from '@/utils/page/network-hook';
import { CONSOLE_MATCHES } from '@/utils/astra/hosts';

// MAIN world at document_start: runs before the console's own scripts, so every API call is seen.
export default defineContentScript({
  matches: [CONSOLE_MATCHES],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    try {
      installNetworkHook(window);
    } catch {
      // the console must keep working whatever happens here
    }
  },
});
