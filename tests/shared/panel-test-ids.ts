/** Our in-page panels' host elements, by the data-testid the console features give them (components/console/). */
export const PANEL_TEST_IDS = {
  bundle: 'astra-companion-bundle-panel',
  token: 'astra-companion-token-panel',
  floating: 'astra-companion-floating-panel',
  'download-warning': 'astra-companion-download-warning',
  'storage-error': 'astra-companion-storage-error',
} as const;

export type PanelKind = keyof typeof PANEL_TEST_IDS;
