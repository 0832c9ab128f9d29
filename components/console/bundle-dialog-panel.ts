/**
 * In the console's "Secure Connect Bundle Download" dialog: read the link it shows (the DOM fallback
 * for captures the network hook missed), and show what Astra Companion knows of it: verified, or the
 * problem and its hint, and the time left on the link. Outside a dialog (serverless "Download SCB"),
 * the same status shows in a small floating panel.
 *
 * Try it: https://astra.datastax.com/org/{orgId}/database/{dbId}/connect > Get Bundle.
 */
import { findBundleLinks, mightContainBundleLinks } from '@/utils/bundle/find-bundle-links';
import { databaseStateText, describeBundleStatus, type PanelAction } from '@/utils/downloads/bundle-status-text';
import { tickWithLink } from '@/utils/downloads/link-clock';
import { productMark } from './product-mark';
import type { CapturedLink } from '@/utils/protocol/messages';
import { createPanelHost, el, onUserClick, type PanelHost } from './panel-host';
import { observeAfterPaint } from './observe-after-paint';
import type { BundleSummary } from '@/utils/bundle/types';

export interface BundlePanelEnv {
  document: Document;
  now(): number;
  captureLinks(links: CapturedLink[]): void;
  summaries(urls: string[]): Promise<BundleSummary[]>;
  saveCopy(id: string): Promise<string | null>;
  /** Fetches and checks the bundle's link again (while it is valid); the words to show afterwards. */
  checkAgain?(id: string): Promise<string | null>;
  /** Calls back whenever the background says stored bundles changed; returns the unsubscribe. */
  onStoreChanged(listener: () => void): () => void;
  /** The content script's own life (an extension reload ends it); panels never outlive it. */
  lifetime?: AbortSignal;
}

const DIALOG_TITLE = /secure connect bundle|download scb|secure bundle/i;

/** Links shown in a dialog: anchors' hrefs and the text of its code boxes. */
export function linksInDialog(dialog: Element): CapturedLink[] {
  const texts: string[] = [];
  for (const anchor of dialog.querySelectorAll('a[href]')) texts.push((anchor as HTMLAnchorElement).href);
  for (const code of dialog.querySelectorAll('code, pre, textarea, input')) {
    texts.push(code instanceof HTMLInputElement || code instanceof HTMLTextAreaElement ? code.value : code.textContent ?? '');
  }
  const text = texts.join('\n');
  return mightContainBundleLinks(text) ? findBundleLinks(text) : [];
}

/** The panel's content for one summary: the words from bundle-status-text.ts, the actions as buttons. */
function describe(
  summary: BundleSummary | undefined,
  now: number,
  offered: ReadonlySet<PanelAction>,
  act: (action: PanelAction, id: string) => void,
  removed = false,
): { tone: 'info' | 'ok' | 'bad'; children: Array<Node | string> } {
  if (!summary && removed) {
    return { tone: 'info', children: [el('div', { class: 'row' }, productMark(), el('span', { class: 'title' }, 'Deleted from Astra Companion.')), el('div', { class: 'muted' }, 'Close this dialog and click Get Bundle again to check and keep this bundle.')] };
  }
  const words = describeBundleStatus(summary, now);
  const buttons = summary
    ? words.actions
        .filter((action) => offered.has(action))
        .map((action, index) => {
          const button = el('button', { type: 'button', 'data-action': action, ...(index ? { class: 'secondary' } : {}) }, ACTION_LABELS[action]);
          onUserClick(button, () => act(action, summary.id));
          return button;
        })
    : [];
  const time = words.time ? el('span', { class: 'muted', 'data-testid': 'link-time' }, words.time) : null;
  return {
    tone: words.tone,
    children: [
      el('div', { class: 'row' }, productMark(), el('span', { class: 'title' }, words.title)),
      words.detail ? el('div', {}, words.detail) : '',
      databaseStateText(summary?.databaseStatus) ? el('div', { 'data-testid': 'db-state' }, databaseStateText(summary?.databaseStatus)!) : '',
      time || buttons.length ? el('div', { class: 'row' }, time, ...buttons) : '',
    ].filter(Boolean),
  };
}

const SAVING = 'Saving the verified copy\u2026';
const ACTION_LABELS: Record<PanelAction, string> = { 'save-copy': 'Save verified copy', 'check-again': 'Check again' };

/** Shows and keeps up to date the status of the link(s) a dialog (or a floating panel) is about. */
function statusView(panel: PanelHost, env: BundlePanelEnv, signal: AbortSignal) {
  let urls: string[] = [];
  let summaries: BundleSummary[] = [];
  let message: string | null = null;
  // Set when the popup deleted what this panel showed: the announcement says so, and the panel says it too.
  let removed = false;
  const offered = new Set<PanelAction>(['save-copy', ...(env.checkAgain ? (['check-again'] as const) : [])]);
  const shown = () => summaries.find((s) => s.url === urls[0]) ?? summaries[0];
  const draw = () => {
    const view = describe(shown(), env.now(), offered, async (action, id) => {
      if (action === 'save-copy') {
        // The answer comes once the download ended: say what is happening meanwhile.
        message = SAVING;
        draw();
      }
      message = action === 'save-copy' ? await env.saveCopy(id) : ((await env.checkAgain?.(id)) ?? null);
      draw();
    }, removed);
    panel.setTone(view.tone);
    panel.render(...view.children, message ? el('div', { class: 'muted', role: 'status' }, message) : null);
  };
  const refresh = async () => {
    if (!urls.length) return draw();
    try {
      const next = await env.summaries(urls);
      removed = next.length === 0 && (removed || summaries.length > 0);
      summaries = next;
    } catch {
      // the extension was reloaded: keep the last view
    }
    if (!signal.aborted) draw();
  };
  const unsubscribe = env.onStoreChanged(() => void refresh());
  // The countdown redraws when its shown second changes (one clock: the link's signed expiry); stops with the dialog.
  tickWithLink(() => shown()?.expiresAt, env.now, draw, signal);
  signal.addEventListener('abort', () => {
    unsubscribe();
    panel.remove();
  });
  return {
    show(next: string[]) {
      if (next.join() === urls.join()) return;
      urls = next;
      message = null;
      void refresh();
    },
    refresh,
  };
}

/** Attaches to one dialog: captures its link(s), shows the panel, follows region changes. */
function attachToDialog(dialog: Element, env: BundlePanelEnv, signal: AbortSignal) {
  const panel = createPanelHost('astra-companion-bundle-panel', { label: 'Astra Companion bundle check' });
  const content = dialog.querySelector('[class*="DialogContent"], [class*="dialogContent"]') ?? dialog.querySelector('[role="document"]') ?? dialog;
  content.append(panel.host);
  const view = statusView(panel, env, signal);
  // The console redraws its countdown every second: a link is reported once, when the dialog first shows it.
  let reported = '';
  const read = () => {
    const links = linksInDialog(dialog);
    const key = links.map((l) => l.url).join('\n');
    if (!links.length || key === reported) return;
    reported = key;
    env.captureLinks(links);
    view.show(links.map((l) => l.url));
  };
  read();
  const observer = new MutationObserver((records) => {
    // Our own panel's changes are not the console's.
    if (records.every((r) => panel.host.contains(r.target))) return;
    read();
  });
  observer.observe(dialog, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href', 'value'] });
  signal.addEventListener('abort', () => observer.disconnect());
}

function isBundleDialog(dialog: Element): boolean {
  return DIALOG_TITLE.test(dialog.textContent ?? '') || dialog.querySelector('a[href*="secure-connect"]') !== null;
}

/** Ends `controller` once `dialog` has left the page (or the content script ends). */
function endWithDialog(dialog: Element, controller: AbortController, doc: Document, lifetime: AbortSignal): void {
  if (lifetime.aborted || !dialog.isConnected) return controller.abort();
  const observer = new MutationObserver(() => {
    if (!dialog.isConnected) controller.abort();
  });
  observer.observe(doc.body ?? doc.documentElement, { childList: true, subtree: true });
  const end = () => controller.abort();
  lifetime.addEventListener('abort', end, { once: true });
  controller.signal.addEventListener('abort', () => {
    observer.disconnect();
    lifetime.removeEventListener('abort', end);
  });
}

/**
 * Watches for bundle dialogs while on a database page; `signal` ends the watching on a route change, but a panel
 * already in an open dialog lives as long as that dialog, and the floating panel its minute.
 */
export function watchBundleDialogs(env: BundlePanelEnv, signal: AbortSignal): { floating(urls: string[]): void } {
  const lifetime = env.lifetime ?? signal;
  const attached = new Map<Element, AbortController>();
  signal.addEventListener('abort', () => {
    for (const [dialog, controller] of attached) endWithDialog(dialog, controller, env.document, lifetime);
    attached.clear();
  });
  let onDialogAttached = () => {};
  const scan = () => {
    for (const [dialog, controller] of attached) {
      if (!dialog.isConnected) {
        controller.abort();
        attached.delete(dialog);
      }
    }
    for (const dialog of env.document.querySelectorAll('[role="dialog"]')) {
      if (attached.has(dialog) || !isBundleDialog(dialog)) continue;
      const controller = new AbortController();
      attached.set(dialog, controller);
      attachToDialog(dialog, env, controller.signal);
      onDialogAttached();
    }
  };
  observeAfterPaint(env.document.body ?? env.document.documentElement, { childList: true, subtree: true }, scan, signal);
  scan();

  let floating: { controller: AbortController; view: ReturnType<typeof statusView> } | null = null;
  const dialogOpen = () => [...attached.keys()].some((dialog) => dialog.isConnected);
  const showFloating = (urls: string[]) => {
    if (signal.aborted || dialogOpen()) return;
    if (!floating) {
      const controller = new AbortController();
      lifetime.addEventListener('abort', () => controller.abort(), { once: true });
      const panel = createPanelHost('astra-companion-floating-panel', { floating: true, label: 'Astra Companion bundle check' });
      env.document.body.append(panel.host);
      const current = { controller, view: statusView(panel, env, controller.signal) };
      floating = current;
      // Gone after a minute: the popup keeps the full story.
      setTimeout(() => {
        controller.abort();
        if (floating === current) floating = null;
      }, 60_000);
    }
    floating.view.show(urls);
  };
  onDialogAttached = () => {
    floating?.controller.abort();
    floating = null;
  };
  return {
    /** A link captured with no dialog open (serverless "Download SCB"): show its status in a corner. */
    floating(urls: string[]) {
      // The console opens its dialog right after the API answers: give it a moment to appear.
      setTimeout(() => showFloating(urls), 700);
    },
  };
}
