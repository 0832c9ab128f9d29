/**
 * On the storage host, when the browser shows storage's XML error instead of downloading the bundle (the
 * console's Download button after the link expired): say in plain words what happened and when, offer the kept
 * verified copy in one click, and a way back to the database's Connect page for a fresh link.
 *
 * The page is an XML document. Chromium turns it into its XHTML tree view before content scripts run (the
 * original `<Error>` moves into a hidden `#webkit-xml-viewer-source-xml`); without the tree view (Firefox's pretty
 * printer, or none) the root is `<Error>` itself and has no body. `document.createElement` makes no HTML elements
 * in an XML document, so every element here is created in the XHTML namespace.
 *
 * Try it: open an expired bundle link (https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/...zip?X-Amz-...).
 */
import { readStorageErrorPage, type ErrorFields, type StorageErrorReport } from '@/utils/downloads/storage-error-page';
import type { StorageErrorContext } from '@/utils/downloads/types';
import { CONSOLE_ORIGIN } from '@/utils/astra/hosts';
import { onUserClick } from './panel-host';

const XHTML = 'http://www.w3.org/1999/xhtml';

export interface StorageErrorEnv {
  document: Document;
  url: string;
  now(): number;
  /** The link's own signing times, for bodies that do not state them (else the kept record's are used). */
  link?: { signedAt?: number; expiresAt?: number };
  /** Asks the background what it kept for this link (and tells it what the page shows); null when it cannot answer. */
  context(url: string, report: Pick<StorageErrorReport, 'code'>): Promise<StorageErrorContext | null>;
  /** Saves the kept copy; the words to show afterwards. */
  saveCopy(bundleId: string): Promise<string | null>;
  timeZone?: string;
}

type Child = Node | string | null | undefined | false;

function h(doc: Document, tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = doc.createElementNS(XHTML, tag) as HTMLElement;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** The `<Error>` element wherever the browser put it, or null. */
function errorElement(doc: Document): Element | null {
  const root = doc.documentElement;
  if (root?.localName === 'Error') return root;
  return doc.getElementsByTagNameNS('*', 'Error')[0] ?? doc.getElementsByTagName('Error')[0] ?? null;
}

/** What the page says: the fields of `<Error>` when the DOM has it, else the document's text. */
export function readErrorPageSource(doc: Document): ErrorFields | string | null {
  const error = errorElement(doc);
  if (error && error.children.length) {
    const fields: ErrorFields = {};
    for (const child of Array.from(error.children)) fields[child.localName] = child.textContent ?? '';
    return fields;
  }
  try {
    const text = new XMLSerializer().serializeToString(doc);
    if (/<Error[\s>]/.test(text)) return text;
  } catch {
    // not serializable: fall back to the visible text
  }
  return doc.documentElement?.textContent ?? null;
}

const STYLE = `
:host { all: initial; display: block; }
.panel { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: #1b1f24;
  background: #fff1f0; border: 1px solid #f6c4bf; border-left: 5px solid #b42318; border-radius: 8px;
  padding: 14px 18px; margin: 16px; max-width: 720px; }
.title { font-size: 17px; font-weight: 600; margin: 0 0 6px; }
p { margin: 6px 0; }
.muted { color: #5b6672; font-size: 13px; }
.row { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; margin-top: 10px; }
button, a.button { font: inherit; font-size: 14px; border-radius: 6px; border: 1px solid #4b3bdc; background: #4b3bdc;
  color: #fff; padding: 6px 14px; cursor: pointer; text-decoration: none; display: inline-block; }
a.button.secondary { background: #fff; color: #4b3bdc; }
button:focus-visible, a:focus-visible { outline: 2px solid #1f6feb; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  .panel { background: #3d1714; color: #e8eaed; border-color: #6b2a24; }
  .muted { color: #a4adb8; }
  a.button.secondary { background: transparent; color: #b4acff; border-color: #8f84ff; }
}
`;

const TITLES: Record<StorageErrorReport['code'], string> = {
  'link-expired': 'This bundle link has expired',
  'link-not-yet-valid': 'This bundle link is not valid yet',
  'link-altered': 'This bundle link was changed on the way',
  'no-such-bundle': 'There is no bundle at this link',
  'storage-error': 'Storage refused this bundle link',
};

/** Puts the host where it renders: top of the tree view's body, or a new XHTML page when the root is `<Error>`. */
function mount(doc: Document, host: HTMLElement): void {
  if (doc.body) {
    doc.body.prepend(host);
    return;
  }
  const root = doc.documentElement;
  const original = root ? new XMLSerializer().serializeToString(root) : '';
  const pre = h(doc, 'pre', { style: 'margin:16px;white-space:pre-wrap;word-break:break-all;font:12px ui-monospace,monospace;color:#5b6672' }, original);
  const page = h(doc, 'html', {}, h(doc, 'head', {}, h(doc, 'title', {}, 'Bundle link error')), h(doc, 'body', { style: 'margin:0' }, host, pre));
  if (root) doc.replaceChild(page, root);
  else doc.append(page);
}

/**
 * Explains the page when it is storage's error document; returns what it explained, or null (and touches
 * nothing) on any other page.
 */
export async function explainStorageError(env: StorageErrorEnv): Promise<StorageErrorReport | null> {
  const doc = env.document;
  const source = readErrorPageSource(doc);
  if (!source) return null;
  const read = (link: StorageErrorEnv['link']) => readStorageErrorPage(source, env.url, env.now(), { link, timeZone: env.timeZone });
  let report = read(env.link);
  if (!report) return null;

  const host = h(doc, 'astra-companion-storage-error', { 'data-testid': 'astra-companion-storage-error', 'data-code': report.code });
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = h(doc, 'style');
  style.textContent = STYLE;
  const panel = h(doc, 'div', { class: 'panel', role: 'alert', 'aria-label': 'Astra Companion' });
  shadow.append(style, panel);
  mount(doc, host);

  let context: StorageErrorContext | null = null;
  let note: string | null = null;
  const draw = () => {
    if (!report) return;
    const children: Child[] = [
      h(doc, 'p', { class: 'title' }, TITLES[report.code]),
      h(doc, 'p', { 'data-testid': 'storage-error-message' }, report.message),
    ];
    const row = h(doc, 'div', { class: 'row' });
    if (context?.hasCopy && context.bundleId) {
      const bundleId = context.bundleId;
      children.push(h(doc, 'p', {}, `Astra Companion kept a verified copy of ${context.fileName ?? 'this bundle'} while the link was alive.`));
      const save = h(doc, 'button', { type: 'button', 'data-action': 'save-copy' }, 'Save the verified copy');
      onUserClick(save, async () => {
        save.setAttribute('disabled', '');
        // The answer comes once the download ended: say what is happening meanwhile.
        note = 'Saving the verified copy\u2026';
        draw();
        note = await env.saveCopy(bundleId).catch(() => 'Astra Companion did not answer; open its popup and save the copy there.');
        draw();
      });
      row.append(save);
    } else if (context) {
      children.push(h(doc, 'p', {}, 'Astra Companion has no verified copy of this bundle: get a fresh link and download it within 5 minutes.'));
    }
    const fresh = h(doc, 'a', { class: `button${context?.hasCopy ? ' secondary' : ''}`, href: context?.connectUrl ?? `${CONSOLE_ORIGIN}/`, 'data-action': 'fresh-link' }, 'Get a fresh link');
    row.append(fresh);
    children.push(row);
    if (note) children.push(h(doc, 'p', { role: 'status' }, note));
    children.push(h(doc, 'p', { class: 'muted' }, `Storage said: ${report.storageCode}${report.storageMessage ? `: ${report.storageMessage}` : ''}.`));
    panel.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
  };
  draw();
  context = await env.context(env.url, { code: report.code }).catch(() => null);
  // The kept record knows when the link was signed, for bodies that do not say.
  if (context && !env.link && (context.signedAt !== undefined || context.expiresAt !== undefined)) {
    report = read({ signedAt: context.signedAt, expiresAt: context.expiresAt }) ?? report;
  }
  host.setAttribute('data-code', report.code);
  draw();
  return report;
}
