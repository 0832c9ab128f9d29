import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { CONSOLE_MATCHES, STORAGE_MATCHES } from './utils/astra/hosts';

// The polyfill is for the background. Content scripts run on every console page and must stay small (budget:
// 15 KB for all of them), and the popup must open fast: they use the native `browser`/`chrome`, which in
// Chrome MV3 and Firefox already return promises for all they call (runtime.sendMessage, tabs.create).
const NATIVE_BROWSER = fileURLToPath(new URL('./node_modules/wxt/dist/browser.mjs', import.meta.url));

const ICON_SIZES = [16, 32, 48, 128] as const;

// The manifest is a function of the target browser: least privilege, nothing hand-kept.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/auto-icons'],
  // One SVG source; the PNGs (16, 32, 48, 128) are made at build time. Rasterized at 512 px, then scaled down.
  autoIcons: { baseIconPath: 'assets/icon.svg', sizes: [...ICON_SIZES] },
  vite: () => ({
    plugins: [preact()],
    build: {
      // The largest chunks load from disk, never the network: the background's checker and the passphrase meter's
      // dictionaries (loaded only once a passphrase is typed). Warn only above them.
      chunkSizeWarningLimit: 1300,
      // Plugin timings depend on how busy the machine is, not on our code: no warning about them.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  }),
  // Firefox's sources zip, for AMO's reviewers: what rebuilds the add-on, not test keys or screenshots.
  zip: { excludeSources: ['docs/screenshots/**', 'tests/.artifacts/**', '.env*'] },
  hooks: {
    'vite:build:extendConfig'(entrypoints, config) {
      if (!entrypoints.every((entry) => ['content-script', 'popup', 'unlisted-page'].includes(entry.type))) return;
      const alias = config.resolve?.alias;
      const rest = Array.isArray(alias) ? alias.filter((a) => a.find !== 'wxt/browser') : Object.entries(alias ?? {}).filter(([find]) => find !== 'wxt/browser').map(([find, replacement]) => ({ find, replacement: String(replacement) }));
      config.resolve = { ...config.resolve, alias: [...rest, { find: /^wxt\/browser$/, replacement: NATIVE_BROWSER }] };
    },
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Astra Companion',
    description:
      'Captures and verifies DataStax Astra secure connect bundles and application tokens before they expire.',
    permissions: ['storage', 'downloads', 'notifications', 'clipboardWrite', 'scripting', 'alarms', ...(browser === 'firefox' ? [] : ['offscreen'])],
    // Asked for only when the user turns on "clear copied secrets": it lets us check the clipboard still holds ours.
    optional_permissions: ['clipboardRead'],
    host_permissions: [CONSOLE_MATCHES, ...STORAGE_MATCHES],
    // MV2 (Firefox) names it browser_action: WXT's popup entry writes that key, and would drop `action`'s icon.
    [manifestVersion === 2 ? 'browser_action' : 'action']: { default_title: 'Astra Companion', default_icon: Object.fromEntries(ICON_SIZES.map((size) => [size, `icons/${size}.png`])) },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'astra-companion@astra-companion.dev',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            // Firefox for Android learned data_collection_permissions in 142.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
