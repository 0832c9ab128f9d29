/**
 * Debian's firefox-esr driven over WebDriver BiDi (puppeteer-core, no browser download), with the PRODUCTION
 * Firefox build installed as a temporary add-on and the Astra host names piped to the local replica through a
 * CONNECT proxy (Firefox preferences; the manifest stays unchanged). Flags and prefs: shared/TOOLCHAIN.md.
 */
import { after, before } from 'node:test';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { API_HOST, ASTRA_HOST, startReplica, STORAGE_HOST, type Replica } from '../replica/server';
import { startConnectProxy, type ConnectProxy } from './connect-proxy';

export const FIREFOX_BUILD = path.resolve('.output/firefox-mv2');
/** Pinned through `extensions.webextensions.uuids`, so extension pages have a known address. */
export const EXTENSION_UUID = '6f1d3c2a-1b2c-4d5e-8f90-a57a0c0de001';

export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean) as string[];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('No Firefox found: install Debian\'s "firefox-esr" package or set FIREFOX_PATH.');
  return found;
}

export function geckoId(): string {
  const manifest = JSON.parse(readFileSync(path.join(FIREFOX_BUILD, 'manifest.json'), 'utf8'));
  return manifest.browser_specific_settings.gecko.id;
}

export interface FirefoxSession {
  browser: Browser;
  /** Downloads land here under their real names. */
  downloadDir: string;
  popupUrl: string;
  /** Uncaught errors Firefox reported from our extension's own scripts (background, content scripts, popup). */
  extensionErrors: string[];
  proxy: ConnectProxy;
  openPage(url: string): Promise<Page>;
  openPopup(): Promise<Page>;
  close(): Promise<void>;
}

export async function startFirefox(replica: Replica, prefs: Record<string, unknown> = {}): Promise<FirefoxSession> {
  if (!existsSync(path.join(FIREFOX_BUILD, 'manifest.json'))) throw new Error(`No Firefox build at ${FIREFOX_BUILD}: run "npm run build:firefox" first.`);
  const proxy = await startConnectProxy({ hosts: [ASTRA_HOST, API_HOST, STORAGE_HOST], targetPort: replica.port });
  const downloadDir = mkdtempSync(path.join(tmpdir(), 'astra-companion-firefox-downloads-'));
  const id = geckoId();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    acceptInsecureCerts: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [id]: EXTENSION_UUID }),
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxy.port,
      'network.proxy.allow_hijacking_localhost': true,
      'network.proxy.no_proxies_on': '',
      // Our scripts' uncaught errors are printed to stdout, where the session collects them.
      'devtools.console.stdout.content': true,
      'browser.download.folderList': 2,
      'browser.download.dir': downloadDir,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      'browser.download.alwaysOpenPanel': false,
      // Optional permissions (clipboardRead) are granted without the doorhanger a test cannot click.
      'extensions.webextOptionalPermissionPrompts': false,
      ...prefs,
    },
  });
  const extensionErrors: string[] = [];
  const ours = `moz-extension://${EXTENSION_UUID}/`;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.includes(ours) && /error|exception/i.test(line)) extensionErrors.push(line.trim());
    }
  };
  browser.process()?.stdout?.on('data', collect);
  browser.process()?.stderr?.on('data', collect);
  await browser.installExtension(FIREFOX_BUILD);
  await answerSaveDialogs(browser, downloadDir);
  const popupUrl = `moz-extension://${EXTENSION_UUID}/popup.html`;

  return {
    browser,
    downloadDir,
    popupUrl,
    extensionErrors,
    proxy,
    async openPage(url) {
      const page = await browser.newPage();
      await page.goto(url);
      return page;
    },
    async openPopup() {
      const page = await browser.newPage();
      await page.setViewport({ width: 400, height: 600 });
      // Firefox never reports the load of an extension page over BiDi: start it, then wait for the content.
      await page.goto(popupUrl, { timeout: 1500 }).catch(() => undefined);
      await page.waitForSelector('[role="tablist"]', { timeout: 15_000 });
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await proxy.close();
    },
  };
}

/** The replica and the Firefox a spec file shares: started before its first test, closed after its last. */
export interface FirefoxSuite {
  replica: Replica;
  firefox: FirefoxSession;
}

/** Call at the top of a spec file: `const suite = firefoxSuite();`, then `suite.firefox`, `suite.replica` in tests. */
export function firefoxSuite(prefs: Record<string, unknown> = {}): FirefoxSuite {
  const suite = {} as FirefoxSuite;
  before(async () => {
    suite.replica = await startReplica({ port: 0 });
    suite.firefox = await startFirefox(suite.replica, prefs);
  });
  after(async () => {
    await suite.firefox?.close();
    await suite.replica?.close();
  });
  return suite;
}

// Runs in Firefox's parent process (allowed by --remote-allow-system-access): a file picker that accepts the
// suggested name in the download folder, as a user pressing Enter in the Save As dialog would. `downloads.download`
// with `saveAs: true` otherwise waits for a native dialog that headless Firefox never shows.
const ANSWER_SAVE_DIALOGS = (dir: string) => `(() => {
  const registrar = Components.manager.QueryInterface(Ci.nsIComponentRegistrar);
  const cid = Components.ID('{4f0c6b0e-2f7a-4c61-9d0e-a57a0c0de002}');
  if (registrar.isCIDRegistered(cid)) return 'already';
  class SaveAsAnswer {
    constructor() { this.defaultString = ''; this.defaultExtension = ''; this.displayDirectory = null; this.filterIndex = 0; }
    init() {}
    appendFilters() {}
    appendFilter() {}
    get file() { const file = Cc['@mozilla.org/file/local;1'].createInstance(Ci.nsIFile); file.initWithPath(${JSON.stringify(dir)}); file.append(this.defaultString); return file; }
    open(callback) { Services.tm.dispatchToMainThread(() => (typeof callback === 'function' ? callback(Ci.nsIFilePicker.returnOK) : callback.done(Ci.nsIFilePicker.returnOK))); }
  }
  SaveAsAnswer.prototype.QueryInterface = ChromeUtils.generateQI(['nsIFilePicker']);
  registrar.registerFactory(cid, 'Save As answered by the test', '@mozilla.org/filepicker;1', { createInstance: (iid) => new SaveAsAnswer().QueryInterface(iid) });
  return 'registered';
})()`;

async function answerSaveDialogs(browser: Browser, dir: string): Promise<void> {
  const connection = (browser as unknown as { connection: { send(method: string, params: object): Promise<{ result: any }> } }).connection;
  const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const context = tree.result.contexts[0]?.context;
  const answer = await connection.send('script.evaluate', { expression: ANSWER_SAVE_DIALOGS(dir), target: { context }, awaitPromise: true });
  if (answer.result.type !== 'success') throw new Error(`Could not answer Save As dialogs: ${JSON.stringify(answer.result)}`);
}

/**
 * The name of a file that appeared in the download folder since `before` and is complete: no `.part` beside it,
 * not empty, and the same size on two looks (Firefox creates the target before it writes it).
 */
export async function newDownload(session: FirefoxSession, before: Set<string>, timeoutMs = 15_000): Promise<string> {
  let last = '';
  return waitUntil('a finished download', () => {
    const names = readdirSync(session.downloadDir);
    const name = names.find((file) => !before.has(file) && !file.endsWith('.part') && !names.includes(`${file}.part`));
    if (!name) return false;
    const seen = `${name}:${statSync(path.join(session.downloadDir, name)).size}`;
    const settled = seen === last && !seen.endsWith(':0');
    last = seen;
    return settled ? name : false;
  }, timeoutMs);
}

/** The download folder's names now, to pass to `newDownload`. */
export function downloadsNow(session: FirefoxSession): Set<string> {
  return new Set(readdirSync(session.downloadDir));
}

/** Fails with the lines Firefox printed when one of our scripts threw. */
export function assertNoExtensionErrors(session: FirefoxSession): void {
  if (session.extensionErrors.length) throw new Error(`Uncaught errors from the extension:\n${session.extensionErrors.join('\n')}`);
}

/** Polls `probe` until it returns a truthy value; the last value or error is in the failure message. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | false | null | undefined> | T | false | null | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await probe();
      if (last) return last as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

// Page-side: the first element matching a selector in the document or any open shadow root (our in-page panels).
const DEEP_QUERY = `function (css) {
  const roots = [document];
  while (roots.length) {
    const root = roots.shift();
    const found = root.querySelector(css);
    if (found) return found;
    for (const child of root.querySelectorAll('*')) if (child.shadowRoot) roots.push(child.shadowRoot);
  }
  return null;
}`;

/** What a user reads in the first element matching `selector` (through open shadow roots, aria-hidden parts left out). */
export function textOf(page: Page, selector: string): Promise<string | null> {
  return page.evaluate(`(() => {
    const element = (${DEEP_QUERY})(${JSON.stringify(selector)});
    return element ? (${PAGE_READ_TEXT})(element) : null;
  })()`) as Promise<string | null>;
}

/** Waits for the element's text to match, and returns it. */
export function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  return waitUntil(`${selector} to match ${pattern}`, async () => {
    const text = await textOf(page, selector);
    return text !== null && pattern.test(text) ? text : false;
  }, timeoutMs);
}

// Page-side: the text a user reads, through open shadow roots (closed ones: firefox-panel.ts), without aria-hidden parts (a steady-width button
// holds all its labels, hidden but one), styles or scripts.
export const PAGE_READ_TEXT = `function readText(node) {
  if (node.nodeType === 3) return node.data;
  if (node.nodeType !== 1 && node.nodeType !== 11) return '';
  if (node.nodeType === 1 && (node.getAttribute('aria-hidden') === 'true' || node.localName === 'style' || node.localName === 'script')) return '';
  let text = node.shadowRoot ? readText(node.shadowRoot) : '';
  for (const child of node.childNodes) text += readText(child);
  return text;
}`;

// Page-side source as text: tsx would wrap a function's inner names in a helper the page does not have.
const FIND_CONTROL = `function (css, wanted) {
  const readText = ${PAGE_READ_TEXT};
  const matches = (label) => (wanted.text !== undefined ? label === wanted.text : new RegExp(wanted.regex, wanted.flags).test(label));
  const roots = [...document.querySelectorAll(css)];
  while (roots.length) {
    const root = roots.shift();
    for (const candidate of root.querySelectorAll('button, a, [role="tab"], [role="menuitem"], summary, label')) {
      const label = (candidate.getAttribute('aria-label') ?? readText(candidate)).trim().replace(/\\s+/g, ' ');
      if (matches(label)) return candidate;
    }
    for (const child of root.querySelectorAll('*')) if (child.shadowRoot) roots.push(child.shadowRoot);
    if (root.shadowRoot) roots.push(root.shadowRoot);
  }
  return null;
}`;

/**
 * The button (or link, tab, option) whose visible text or aria-label is `name`, under `scope` (a CSS selector),
 * through open shadow roots. Clicking the handle is a real, trusted click.
 */
export async function control(page: Page, name: string | RegExp, scope = 'body', timeoutMs = 15_000): Promise<ElementHandle<Element>> {
  const source = typeof name === 'string' ? { text: name } : { regex: name.source, flags: name.flags };
  const handle = await waitUntil(`a control named ${String(name)} in ${scope}`, async () => {
    const found = await page.evaluateHandle(`(${FIND_CONTROL})(${JSON.stringify(scope)}, ${JSON.stringify(source)})`);
    const element = found.asElement();
    if (!element) {
      await found.dispose();
      return false;
    }
    return element as ElementHandle<Element>;
  }, timeoutMs);
  return handle;
}

/** Clicks the named control (see `control`). */
export async function click(page: Page, name: string | RegExp, scope = 'body'): Promise<void> {
  const handle = await control(page, name, scope);
  await handle.click();
  await handle.dispose();
}

/** The system clipboard's text, read the way a user would: a real Ctrl+V into a field of a fresh page. */
export async function pasteClipboard(session: FirefoxSession, options: { expectEmpty?: boolean } = {}): Promise<string> {
  const page = await session.browser.newPage();
  try {
    await page.goto('about:blank');
    await page.setContent('<textarea id="paste" rows="4" cols="80"></textarea>');
    await page.focus('#paste');
    await page.keyboard.down('Control');
    await page.keyboard.press('v');
    await page.keyboard.up('Control');
    if (options.expectEmpty) {
      // An empty clipboard pastes nothing: give the paste a moment, then read the field as it is.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return await page.$eval('#paste', (field) => (field as HTMLTextAreaElement).value);
    }
    return await waitUntil('the pasted clipboard text', () => page.$eval('#paste', (field) => (field as HTMLTextAreaElement).value), 5_000);
  } finally {
    await page.close();
  }
}
