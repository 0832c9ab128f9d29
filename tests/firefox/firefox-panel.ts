/**
 * Our in-page panels in Firefox, read the way a user sees them. Their shadow roots are closed, so a page script (and
 * puppeteer's selectors) cannot enter them; WebDriver BiDi can: with `includeShadowTree: 'all'` it serializes an
 * element's shadow root even when closed, as a shared reference later calls can use. Text is read and controls are
 * found in a sandbox realm (the page's own scripts cannot change what it sees), and a click is a BiDi pointer action
 * at the control's centre (`page.mouse`), trusted as a user's. A panel that is not there fails, never reads as empty.
 */
import type { Page } from 'puppeteer-core';
import { PAGE_READ_TEXT, waitUntil } from './firefox-session';
import { PANEL_TEST_IDS, type PanelKind } from '../shared/panel-test-ids';

type Send = (method: string, params: object) => Promise<{ result: any }>;
interface SharedReference {
  sharedId: string;
}

const SANDBOX = 'astra-companion-panel-probe';

function bidiOf(page: Page): { send: Send; context: string } {
  const connection = (page.browser() as unknown as { connection: { send: Send } }).connection;
  const context = (page.mainFrame() as unknown as { _id: string })._id;
  return { send: (method, params) => connection.send(method, params), context };
}

/** Runs `functionDeclaration` in the sandbox; it gets `args` and returns JSON text (the one thing sent back). */
async function call<T>(page: Page, functionDeclaration: string, args: object[], options: { shadowTrees?: boolean } = {}): Promise<{ value: T; raw: any }> {
  const { send, context } = bidiOf(page);
  const answer = await send('script.callFunction', {
    functionDeclaration,
    arguments: args,
    target: { context, sandbox: SANDBOX },
    awaitPromise: true,
    resultOwnership: 'none',
    ...(options.shadowTrees ? { serializationOptions: { maxDomDepth: 1, includeShadowTree: 'all' } } : {}),
  });
  if (answer.result.type !== 'success') throw new Error(`BiDi script failed: ${JSON.stringify(answer.result.exceptionDetails?.text ?? answer.result)}`);
  const remote = answer.result.result;
  return { value: (remote.type === 'string' ? JSON.parse(remote.value) : undefined) as T, raw: remote };
}

export interface PanelRoot extends SharedReference {
  /** 'closed' for ours, as the browser reports it. */
  mode: string;
}

/** Every panel of this kind on the page, as its shadow root (closed ones too). */
export async function panelRoots(page: Page, kind: PanelKind): Promise<PanelRoot[]> {
  const { raw } = await call<never>(page, 'function (testId) { return [...document.querySelectorAll(`[data-testid="${testId}"]`)]; }', [{ type: 'string', value: PANEL_TEST_IDS[kind] }], { shadowTrees: true });
  const hosts: any[] = raw.type === 'array' ? raw.value : [];
  return hosts.flatMap((host) => {
    const root = host.value?.shadowRoot;
    return root?.sharedId ? [{ sharedId: root.sharedId, mode: root.value?.mode ?? 'unknown' }] : [];
  });
}

/** The first panel's shadow root; throws while there is none. */
async function firstRoot(page: Page, kind: PanelKind): Promise<PanelRoot> {
  const [root] = await panelRoots(page, kind);
  if (!root) throw new Error(`no ${PANEL_TEST_IDS[kind]} on the page`);
  return root;
}

const jsonArg = (value: unknown) => ({ type: 'string', value: JSON.stringify(value) });

/** What a user reads in the first panel of this kind now (white space collapsed); throws when there is none. */
export async function panelText(page: Page, kind: PanelKind, part?: string): Promise<string> {
  const root = await firstRoot(page, kind);
  const { value } = await call<string | null>(
    page,
    `function (root, part) {
      const readText = ${PAGE_READ_TEXT};
      const wanted = JSON.parse(part);
      const node = wanted ? root.querySelector('[data-testid="' + wanted + '"]') : root;
      return JSON.stringify(node ? readText(node).replace(/\\s+/g, ' ').trim() : null);
    }`,
    [{ sharedId: root.sharedId }, jsonArg(part ?? null)],
  );
  if (value === null) throw new Error(`no ${part} in ${PANEL_TEST_IDS[kind]}`);
  return value;
}

/** Waits for the first panel of this kind (or its `part`, by data-testid) to match, and returns its text. */
export function waitForPanelText(page: Page, kind: PanelKind, pattern: RegExp, options: { part?: string; timeoutMs?: number } = {}): Promise<string> {
  let last = '';
  return waitUntil(`${PANEL_TEST_IDS[kind]}${options.part ? ` ${options.part}` : ''} to match ${pattern}`, async () => {
    last = await panelText(page, kind, options.part);
    if (pattern.test(last)) return last;
    throw new Error(`it read "${last}"`);
  }, options.timeoutMs ?? 15_000);
}

/** The `attribute` of the first element matching `css` inside the panel; null when it has none. */
export function panelAttribute(page: Page, kind: PanelKind, css: string, attribute: string): Promise<string | null> {
  return waitUntil(`${css} in ${PANEL_TEST_IDS[kind]}`, async () => {
    const root = await firstRoot(page, kind);
    const { value } = await call<{ found: boolean; value: string | null }>(
      page,
      `function (root, css, name) {
        const node = root.querySelector(JSON.parse(css));
        return JSON.stringify({ found: Boolean(node), value: node ? node.getAttribute(JSON.parse(name)) : null });
      }`,
      [{ sharedId: root.sharedId }, jsonArg(css), jsonArg(attribute)],
    );
    if (!value.found) throw new Error(`no ${css} in the panel`);
    return { value: value.value };
  }).then((answer) => answer.value);
}

/**
 * Clicks the button or link named `name` (visible text or aria-label) in the first panel of this kind: scrolled into
 * view, enabled and on top at its centre, then a BiDi pointer click there.
 */
export async function clickInPanel(page: Page, kind: PanelKind, name: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const wanted = typeof name === 'string' ? { text: name } : { regex: name.source, flags: name.flags };
  const point = await waitUntil(`a control named ${String(name)} in ${PANEL_TEST_IDS[kind]}`, async () => {
    const root = await firstRoot(page, kind);
    const { value } = await call<{ x: number; y: number } | string>(
      page,
      `function (root, wantedText) {
        const readText = ${PAGE_READ_TEXT};
        const wanted = JSON.parse(wantedText);
        const matches = (label) => (wanted.text !== undefined ? label === wanted.text : new RegExp(wanted.regex, wanted.flags).test(label));
        const control = [...root.querySelectorAll('button, a[href], [role="button"]')]
          .find((candidate) => matches((candidate.getAttribute('aria-label') ?? readText(candidate)).trim().replace(/\\s+/g, ' ')));
        if (!control) return JSON.stringify('no such control; the panel reads: ' + readText(root).replace(/\\s+/g, ' ').trim());
        if (control.disabled || control.getAttribute('aria-disabled') === 'true') return JSON.stringify('the control is disabled');
        control.scrollIntoView({ block: 'center', inline: 'center' });
        const box = control.getBoundingClientRect();
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        const hit = root.elementFromPoint(x, y);
        if (!hit || !control.contains(hit)) return JSON.stringify('something else is on top of the control');
        return JSON.stringify({ x, y });
      }`,
      [{ sharedId: root.sharedId }, jsonArg(wanted)],
    );
    if (typeof value === 'string') throw new Error(value);
    return value;
  }, timeoutMs);
  await page.mouse.click(Math.round(point.x), Math.round(point.y));
}
