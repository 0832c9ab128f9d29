/**
 * Playwright fixtures: a local Astra replica per worker, and per test a fresh Debian Chromium with the
 * PRODUCTION build of the extension loaded, on the real host names mapped to the replica.
 */
import { test as base, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startReplica, type Replica } from '../replica/server';
import { launchChromium } from './launch';

/** Screenshots go to the README's folder only when asked (`UPDATE_SCREENSHOTS=1`), so a test run leaves git clean. */
export const SCREENSHOT_DIR = path.resolve(process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'tests/.artifacts/screenshots');

export interface Fixtures {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  downloadDir: string;
  openPopup(): Promise<Page>;
  shoot(page: Page, name: string): Promise<void>;
}

export const test = base.extend<Fixtures, { replica: Replica }>({
  replica: [
    async ({}, use) => {
      const replica = await startReplica({ port: 0 });
      await use(replica);
      await replica.close();
    },
    { scope: 'worker' },
  ],

  downloadDir: async ({}, use) => {
    await use(mkdtempSync(path.join(tmpdir(), 'astra-companion-downloads-')));
  },

  context: async ({ replica }, use) => {
    replica.resetFaults();
    const context = await launchChromium({ withExtension: true, extraArgs: replica.chromiumArgs });
    await use(context);
    await context.close();
  },

  serviceWorker: async ({ context }, use) => {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    await use(worker);
  },

  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },

  openPopup: async ({ context, extensionId }, use) => {
    await use(async () => {
      const popup = await context.newPage();
      await popup.setViewportSize({ width: 400, height: 600 });
      await popup.goto(`chrome-extension://${extensionId}/popup.html`);
      return popup;
    });
  },

  shoot: async ({}, use) => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await use(async (page, name) => {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
    });
  },
});

export { expect } from '@playwright/test';
