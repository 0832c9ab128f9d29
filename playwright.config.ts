import { defineConfig } from '@playwright/test';

// Each test launches its own Chromium with the production build loaded (see tests/e2e/fixtures.ts);
// launch options live there, because `use:` does not reach a persistent context launched by hand.
export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: 0,
  outputDir: 'tests/.artifacts/playwright',
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
});
