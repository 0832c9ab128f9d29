/** How tests and the bench start Debian's Chromium with the production build of the extension. */
import { chromium, type BrowserContext } from '@playwright/test';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const EXTENSION_DIR = path.resolve('.output/chrome-mv3');

/** Flags a closed, root, GPU-less machine needs (see shared/TOOLCHAIN.md). */
export const BASE_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('No Chromium found: install Debian\'s "chromium" package or set CHROME_PATH.');
  return found;
}

export async function launchChromium(options: { withExtension: boolean; extraArgs: string[] }): Promise<BrowserContext> {
  if (options.withExtension && !existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No extension build at ${EXTENSION_DIR}: run "npm run build" first.`);
  }
  const extension = options.withExtension
    ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`]
    : ['--disable-extensions'];
  return chromium.launchPersistentContext('', {
    executablePath: chromiumPath(),
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    args: [...BASE_FLAGS, ...extension, ...options.extraArgs],
  });
}
