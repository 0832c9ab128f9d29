/**
 * Our in-page panels live in closed shadow roots: Playwright locators cannot enter them, and neither can a page
 * script. The browser's own protocol can: `DOM.getDocument({ pierce: true })` lists closed roots too. This helper
 * reads panels through a CDP session, finds controls by their accessible name, and clicks at their centre with
 * `page.mouse` (a trusted click, as a user's). Every read retries until a timeout, like `expect(locator)`, and a
 * panel that is not there fails: it never reads as empty text.
 */
import type { CDPSession, Page } from '@playwright/test';
import { PANEL_TEST_IDS, type PanelKind } from '../shared/panel-test-ids';

/** The whole document, closed shadow roots included. */
const pierceDocument = (session: CDPSession) => session.send('DOM.getDocument', { depth: -1, pierce: true });
type DomNode = Awaited<ReturnType<typeof pierceDocument>>['root'];

export interface PanelScope {
  /** Only the panel inside the dialog with this accessible name (as `page.getByRole('dialog', { name })`). */
  dialog?: string | RegExp;
  /** The first of several matching panels (as `locator.first()`); otherwise several are an error (strict mode). */
  first?: boolean;
}

interface Timeout {
  timeout?: number;
}

const DEFAULT_TIMEOUT = 10_000;
const POLL_MS = 100;
const sessions = new WeakMap<Page, Promise<CDPSession>>();

function cdpOf(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  return session;
}

const attribute = (node: DomNode, name: string): string | null => {
  const list = node.attributes ?? [];
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1] ?? '';
  return null;
};

/** Children as a user's browser renders them: a host's shadow roots (closed ones too), then its light children. */
const childrenOf = (node: DomNode): DomNode[] => [...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : []), ...(node.children ?? [])];

function* walk(node: DomNode, ancestors: DomNode[] = []): Generator<{ node: DomNode; ancestors: DomNode[] }> {
  yield { node, ancestors };
  for (const child of childrenOf(node)) yield* walk(child, [...ancestors, node]);
}

const SKIPPED = new Set(['style', 'script', 'template']);

/** The text a user reads: text nodes in order, without styles, scripts or aria-hidden parts, white space collapsed. */
function textOf(node: DomNode): string {
  const parts: string[] = [];
  const visit = (n: DomNode) => {
    if (n.nodeType === 3) parts.push(n.nodeValue);
    if (n.nodeType === 1 && (SKIPPED.has(n.localName) || attribute(n, 'aria-hidden') === 'true')) return;
    for (const child of childrenOf(n)) visit(child);
  };
  visit(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

const matches = (actual: string, wanted: string | RegExp) => (typeof wanted === 'string' ? actual === wanted : wanted.test(actual));

/** Thrown while a panel is not (yet) there; the last one is what a timed-out wait reports. */
class NotFound extends Error {}

interface Found {
  session: CDPSession;
  host: DomNode;
  root: DomNode;
  /** The element a `part` scoped to, else the shadow root. */
  scope: DomNode;
}

async function dialogName(session: CDPSession, dialog: DomNode): Promise<string> {
  const { nodes } = await session.send('Accessibility.getPartialAXTree', { backendNodeId: dialog.backendNodeId, fetchRelatives: false });
  const name = nodes[0]?.name?.value;
  return typeof name === 'string' ? name : '';
}

/** Every matching panel (or part of one), in document order. */
async function findAll(page: Page, kind: PanelKind, scope: PanelScope, part: string | undefined): Promise<{ found: Found[]; where: string }> {
  const session = await cdpOf(page);
  const testId = PANEL_TEST_IDS[kind];
  const { root: document } = await pierceDocument(session);
  let hosts: Array<{ node: DomNode; ancestors: DomNode[] }> = [];
  for (const entry of walk(document)) if (entry.node.nodeType === 1 && attribute(entry.node, 'data-testid') === testId) hosts.push(entry);
  if (scope.dialog !== undefined) {
    const inDialog: typeof hosts = [];
    for (const entry of hosts) {
      const dialogs = entry.ancestors.filter((a) => a.nodeType === 1 && attribute(a, 'role') === 'dialog');
      for (const dialog of dialogs) {
        if (matches(await dialogName(session, dialog), scope.dialog)) {
          inDialog.push(entry);
          break;
        }
      }
    }
    hosts = inDialog;
  }
  const where = `${part ? `${part} in ` : ''}${testId}${scope.dialog === undefined ? ' on the page' : ` in the dialog ${String(scope.dialog)}`}`;
  const found: Found[] = [];
  for (const { node: host } of hosts) {
    const root = host.shadowRoots?.[0];
    if (!root) continue;
    if (part === undefined) found.push({ session, host, root, scope: root });
    else for (const { node } of walk(root)) if (node.nodeType === 1 && attribute(node, 'data-testid') === part) found.push({ session, host, root, scope: node });
  }
  return { found, where };
}

async function findPanel(page: Page, kind: PanelKind, scope: PanelScope, part: string | undefined): Promise<Found> {
  const { found, where } = await findAll(page, kind, scope, part);
  if (!found.length) throw new NotFound(`no ${where}`);
  if (found.length > 1 && !scope.first) throw new Error(`strict mode: ${found.length} of ${where}; scope it or pass first: true`);
  return found[0]!;
}

/** Polls `probe` until it returns a value; a timeout fails with the last reason. */
async function retry<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing was read';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      // A panel being redrawn: its nodes can go between two protocol calls.
      if (!(error instanceof NotFound) && !/Protocol error/.test(String(error))) throw error;
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const ROLE_TAGS = { button: ['button'], link: ['a'] } as const;

function accessibleName(node: DomNode): string {
  return (attribute(node, 'aria-label') ?? textOf(node)).replace(/\s+/g, ' ').trim();
}

function findControl(scope: DomNode, role: keyof typeof ROLE_TAGS, name: string | RegExp): DomNode | undefined {
  for (const { node } of walk(scope)) {
    if (node.nodeType !== 1) continue;
    const isRole = attribute(node, 'role') === role || (attribute(node, 'role') === null && (ROLE_TAGS[role] as readonly string[]).includes(node.localName));
    if (isRole && matches(accessibleName(node), name)) return node;
  }
  return undefined;
}

async function centreOf(session: CDPSession, node: DomNode): Promise<{ x: number; y: number }> {
  await session.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: node.backendNodeId });
  const { quads } = await session.send('DOM.getContentQuads', { backendNodeId: node.backendNodeId });
  const quad = quads[0];
  if (!quad) throw new NotFound('the control has no box on screen');
  return { x: (quad[0]! + quad[2]! + quad[4]! + quad[6]!) / 4, y: (quad[1]! + quad[3]! + quad[5]! + quad[7]!) / 4 };
}

/** A button or link inside a panel, found by role and accessible name. */
export class PanelControl {
  constructor(
    private readonly panel: Panel,
    private readonly role: keyof typeof ROLE_TAGS,
    private readonly name: string | RegExp,
  ) {}

  private describe(): string {
    return `the ${this.role} ${String(this.name)} in ${this.panel.describe()}`;
  }

  private async find(): Promise<Found & { control: DomNode }> {
    const found = await this.panel.resolve();
    const control = findControl(found.scope, this.role, this.name);
    if (!control) throw new NotFound(`no ${this.role} named ${String(this.name)} (the panel reads: ${textOf(found.scope)})`);
    return { ...found, control };
  }

  /** A trusted click at the control's centre, once it is there, enabled, and the topmost thing at that point. */
  async click(options: Timeout = {}): Promise<void> {
    const page = this.panel.page;
    const point = await retry(`${this.describe()} to be clickable`, options.timeout ?? DEFAULT_TIMEOUT, async () => {
      const { session, control } = await this.find();
      if (attribute(control, 'disabled') !== null || attribute(control, 'aria-disabled') === 'true') throw new NotFound('the control is disabled');
      const centre = await centreOf(session, control);
      const hit = await session.send('DOM.getNodeForLocation', { x: Math.round(centre.x), y: Math.round(centre.y) });
      const inside = [...walk(control)].some(({ node }) => node.backendNodeId === hit.backendNodeId);
      if (!inside) throw new NotFound('something else is on top of the control');
      return centre;
    });
    await page.mouse.click(point.x, point.y);
  }

  async getAttribute(name: string, options: Timeout = {}): Promise<string | null> {
    return retry(`${this.describe()}`, options.timeout ?? DEFAULT_TIMEOUT, async () => attribute((await this.find()).control, name));
  }
}

/** One of our panels (or a `part` of it, by data-testid), read through CDP. */
export class Panel {
  constructor(
    readonly page: Page,
    readonly kind: PanelKind,
    readonly scope: PanelScope = {},
    private readonly partId?: string,
  ) {}

  describe(): string {
    const where = this.scope.dialog === undefined ? '' : ` in the dialog ${String(this.scope.dialog)}`;
    return `${this.partId ? `${this.partId} of ` : ''}the ${this.kind} panel${where}`;
  }

  resolve(): Promise<Found> {
    return findPanel(this.page, this.kind, this.scope, this.partId);
  }

  /** How many there are now (0 when none). */
  async count(): Promise<number> {
    return (await findAll(this.page, this.kind, this.scope, this.partId)).found.length;
  }

  /** An attribute of the panel's part (or of the host, for a whole panel), waiting for it to exist. */
  async getAttribute(name: string, options: Timeout = {}): Promise<string | null> {
    return retry(this.describe(), options.timeout ?? DEFAULT_TIMEOUT, () => this.attributeNow(name));
  }

  /** One look, no waiting: throws while the panel is not there. */
  async attributeNow(name: string): Promise<string | null> {
    const found = await this.resolve();
    return attribute(this.partId ? found.scope : found.host, name);
  }

  /** The element inside the panel with this data-testid. */
  part(testId: string): Panel {
    return new Panel(this.page, this.kind, this.scope, testId);
  }

  getByRole(role: keyof typeof ROLE_TAGS, options: { name: string | RegExp }): PanelControl {
    return new PanelControl(this, role, options.name);
  }

  /** What the panel reads now, waiting only for it to exist (as `locator.innerText()`). */
  async text(options: Timeout = {}): Promise<string> {
    return retry(this.describe(), options.timeout ?? DEFAULT_TIMEOUT, async () => textOf((await this.resolve()).scope));
  }

  /** The shadow root's mode as the browser reports it ('closed' for ours). */
  async shadowRootMode(options: Timeout = {}): Promise<string | undefined> {
    return retry(this.describe(), options.timeout ?? DEFAULT_TIMEOUT, async () => (await this.resolve()).root.shadowRootType ?? 'none');
  }

  /** The visible box of the panel's own card (the shadow root's first element after its style). */
  async boundingBox(options: Timeout = {}): Promise<{ x: number; y: number; width: number; height: number }> {
    return retry(`${this.describe()} to have a box`, options.timeout ?? DEFAULT_TIMEOUT, async () => {
      const { session, scope } = await this.resolve();
      const card = this.partId ? scope : (scope.children ?? []).find((n) => n.nodeType === 1 && !SKIPPED.has(n.localName));
      if (!card) throw new NotFound('the panel has no content');
      const { model } = await session.send('DOM.getBoxModel', { backendNodeId: card.backendNodeId });
      const xs = [model.border[0]!, model.border[2]!, model.border[4]!, model.border[6]!];
      const ys = [model.border[1]!, model.border[3]!, model.border[5]!, model.border[7]!];
      const box = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
      return box.width > 0 && box.height > 0 ? box : undefined;
    });
  }

  /** A screenshot of the panel's card only (the page around it may show secrets). */
  async screenshot(options: { path: string }): Promise<void> {
    await this.page.screenshot({ path: options.path, clip: await this.boundingBox() });
  }

  /**
   * The panel's shadow content as HTML (its style included), read through CDP: to run axe on a copy, since axe
   * cannot enter a closed root either.
   */
  async shadowHtml(options: Timeout = {}): Promise<string> {
    return retry(this.describe(), options.timeout ?? DEFAULT_TIMEOUT, async () => {
      const { session, root } = await this.resolve();
      const parts = await Promise.all((root.children ?? []).map(async (child) => (await session.send('DOM.getOuterHTML', { backendNodeId: child.backendNodeId })).outerHTML));
      return parts.join('');
    });
  }
}

export function panel(page: Page, kind: PanelKind, scope: PanelScope = {}): Panel {
  return new Panel(page, kind, scope);
}

/** A button in a panel by its accessible name: `await panelButton(page, 'bundle', 'Save verified copy').click()`. */
export function panelButton(page: Page, kind: PanelKind, name: string | RegExp, scope: PanelScope = {}): PanelControl {
  return panel(page, kind, scope).getByRole('button', { name });
}

const contains = (actual: string, wanted: string | RegExp) => (typeof wanted === 'string' ? actual.includes(wanted.replace(/\s+/g, ' ').trim()) : wanted.test(actual));

/** `expect(locator)`'s waiting assertions, for a panel: `await expectPanel(page, 'bundle').toContainText('Verified')`. */
export function expectPanel(target: Panel): PanelAssertions;
export function expectPanel(page: Page, kind: PanelKind, scope?: PanelScope): PanelAssertions;
export function expectPanel(target: Panel | Page, kind?: PanelKind, scope: PanelScope = {}): PanelAssertions {
  const subject = target instanceof Panel ? target : panel(target, kind!, scope);
  const waitFor = (what: string, timeout: number | undefined, accept: (text: string) => boolean) => {
    let last: string | undefined;
    return retry(`${subject.describe()} ${what}`, timeout ?? DEFAULT_TIMEOUT, async () => {
      last = textOf((await subject.resolve()).scope);
      if (accept(last)) return true;
      throw new NotFound(`it read "${last}"`);
    });
  };
  return {
    async toContainText(expected, options = {}) {
      await waitFor(`to contain ${String(expected)}`, options.timeout, (text) => contains(text, expected));
    },
    async toHaveText(expected, options = {}) {
      const wanted = typeof expected === 'string' ? expected.replace(/\s+/g, ' ').trim() : expected;
      await waitFor(`to read ${String(expected)}`, options.timeout, (text) => matches(text, wanted));
    },
    async toHaveAttribute(name, expected, options = {}) {
      let last: string | null = null;
      await retry(`${subject.describe()} to have ${name}=${String(expected)}`, options.timeout ?? DEFAULT_TIMEOUT, async () => {
        last = await subject.attributeNow(name);
        if (last !== null && matches(last, expected)) return true;
        throw new NotFound(`${name} was ${JSON.stringify(last)}`);
      });
    },
    async toHaveCount(expected, options = {}) {
      let last = -1;
      await retry(`${subject.describe()} to number ${expected}`, options.timeout ?? DEFAULT_TIMEOUT, async () => {
        last = await subject.count();
        if (last === expected) return true;
        throw new NotFound(`there were ${last}`);
      });
    },
    async toBeVisible(options = {}) {
      await subject.boundingBox(options);
    },
    not: {
      async toContainText(expected, options = {}) {
        await waitFor(`not to contain ${String(expected)}`, options.timeout, (text) => !contains(text, expected));
      },
      async toHaveText(expected, options = {}) {
        await waitFor(`not to read ${String(expected)}`, options.timeout, (text) => !matches(text, expected));
      },
    },
  };
}

export interface PanelAssertions {
  toContainText(expected: string | RegExp, options?: Timeout): Promise<void>;
  toHaveText(expected: string | RegExp, options?: Timeout): Promise<void>;
  toHaveAttribute(name: string, expected: string | RegExp, options?: Timeout): Promise<void>;
  toHaveCount(expected: number, options?: Timeout): Promise<void>;
  toBeVisible(options?: Timeout): Promise<void>;
  not: {
    toContainText(expected: string | RegExp, options?: Timeout): Promise<void>;
    toHaveText(expected: string | RegExp, options?: Timeout): Promise<void>;
  };
}
