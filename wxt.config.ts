import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// The manifest is a function of the target browser: least privilege, nothing hand-kept.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'Astra Companion',
    description:
      'Captures and verifies DataStax Astra secure connect bundles and application tokens before they expire.',
    permissions: ['storage', 'downloads', 'notifications', 'clipboardWrite'],
    host_permissions: [
      'https://astra.datastax.com/*',
      'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/*',
    ],
    action: { default_title: 'Astra Companion' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'astra-companion@astra-companion.dev',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
