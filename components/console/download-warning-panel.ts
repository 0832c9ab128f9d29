/**
 * In the console tab: when the background warns about a bundle download (expired link, error document, short
 * file, browser-opened zip), show what happened and the fix in a corner panel, at once. Shown in the tab of the
 * warning's database, or, when the database is unknown, in the console tab the person is looking at.
 *
 * Try it: https://astra.datastax.com/org/{orgId}/database/{dbId}/connect > Get Bundle, wait 5 minutes, Download.
 */
import type { FixAction } from '@/utils/downloads/judge-download';
import { databaseIdOf } from '@/utils/astra/routes';
import { createPanelHost, el, onUserClick, type PanelHost } from './panel-host';
import { isRecord } from '@/utils/shared/guards';
import type { WarningRecord } from '@/utils/downloads/types';
import type { DownloadWarningMessage } from '@/utils/protocol/messages';
import { CONSOLE_ORIGIN } from '@/utils/astra/hosts';
import { parseBundleLink } from '@/utils/bundle/bundle-link';
import { linkTime } from '@/utils/downloads/link-clock';
import { productMark } from './product-mark';

export interface DownloadWarningEnv {
  document: Document;
  now?(): number;
  pageUrl(): string;
  /** Calls back for every 'download-warning' message; returns the unsubscribe. */
  onWarning(listener: (message: unknown) => void): () => void;
  /** The background's store-changed announcements: a warning removed or dismissed elsewhere leaves this panel too. */
  onStoreChanged(listener: (message: unknown) => void): () => void;
  /** Saves the kept copy; the words to show afterwards. */
  saveCopy(bundleId: string): Promise<string | null>;
}

const ACTIONS: readonly FixAction[] = ['retry-download', 'save-copy', 'fresh-link', 'browser-setting'];
const CONSOLE_PREFIX = `${CONSOLE_ORIGIN}/`;

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/** Checks a message from the background before anything of it reaches the page. */
export function readDownloadWarningMessage(value: unknown): DownloadWarningMessage | null {
  if (!isRecord(value) || value.type !== 'download-warning' || !isRecord(value.warning)) return null;
  const w = value.warning;
  const id = text(w.id, 200);
  const code = text(w.code, 50);
  const message = text(w.message, 2000);
  const hint = text(w.hint, 2000);
  const connectUrl = text(value.connectUrl, 500);
  if (!id || !code || message === undefined || hint === undefined || !connectUrl?.startsWith(CONSOLE_PREFIX)) return null;
  const actions = Array.isArray(w.actions) ? w.actions.filter((a): a is FixAction => ACTIONS.includes(a as FixAction)) : [];
  const warning: WarningRecord = { id, code, message, hint, createdAt: typeof w.createdAt === 'number' ? w.createdAt : 0, actions };
  const bundleId = text(w.bundleId, 300);
  if (bundleId) warning.bundleId = bundleId;
  const fileName = text(w.fileName, 300);
  if (fileName) warning.fileName = fileName;
  if (typeof w.downloadId === 'number') warning.downloadId = w.downloadId;
  if (typeof w.linkExpiresAt === 'number') warning.linkExpiresAt = w.linkExpiresAt;
  // Only a signed link on the bundle storage host may become a link in the page.
  const retry = text(value.retryUrl, 4096);
  const retryUrl = retry && parseBundleLink(retry).ok ? retry : undefined;
  const settingsUrl = text(value.settingsUrl, 200);
  const dbId = text(value.dbId, 100);
  return {
    type: 'download-warning',
    warning,
    connectUrl,
    ...(dbId ? { dbId } : {}),
    ...(settingsUrl ? { settingsUrl } : {}),
    ...(retryUrl ? { retryUrl } : {}),
    settingSteps: text(value.settingSteps, 1000) ?? '',
  };
}

/** Is this tab the one to tell? Its database's tab; any visible console tab when the database is unknown. */
export function isWarningForPage(message: Pick<DownloadWarningMessage, 'dbId'>, pageUrl: string, visible: boolean): boolean {
  const pageDb = databaseIdOf(pageUrl);
  if (message.dbId) return pageDb === message.dbId.toLowerCase();
  return visible;
}

function warningView(entry: DownloadWarningMessage, env: DownloadWarningEnv, now: number, redraw: () => void, state: { note?: string; stepsOpen?: boolean }): Node {
  const { warning } = entry;
  const row = el('div', { class: 'row' });
  // The same link again while its signature is valid; once it is not, a fresh link is the fix.
  const retry = warning.actions.includes('retry-download') && entry.retryUrl ? linkTime(warning.linkExpiresAt, now) : undefined;
  if (retry?.alive) {
    row.append(el('a', { href: entry.retryUrl!, 'data-action': 'retry-download', style: LINK_BUTTON }, 'Download again'), el('span', { class: 'muted', 'data-testid': 'link-time' }, retry.text));
  }
  if (warning.actions.includes('save-copy') && warning.bundleId) {
    const bundleId = warning.bundleId;
    const save = el('button', { type: 'button', 'data-action': 'save-copy', ...(retry?.alive ? { class: 'secondary' } : {}) }, 'Save the verified copy');
    onUserClick(save, async () => {
      // The answer comes once the download ended: say what is happening meanwhile.
      state.note = 'Saving the verified copy\u2026';
      redraw();
      state.note = (await env.saveCopy(bundleId).catch(() => null)) ?? 'Astra Companion did not answer; open its popup and save the copy there.';
      redraw();
    });
    row.append(save);
  }
  if (warning.actions.includes('fresh-link') || (retry && !retry.alive)) {
    // A plain link: the Connect page is in this same console.
    const fresh = el('a', { href: entry.connectUrl, 'data-action': 'fresh-link' }, 'Get a fresh link');
    row.append(fresh);
  }
  // The steps are usually in the hint already; a toggle would only repeat them.
  if (warning.actions.includes('browser-setting') && entry.settingSteps && !warning.hint.includes(entry.settingSteps)) {
    const toggle = el('button', { type: 'button', class: 'secondary', 'data-action': 'browser-setting', 'aria-expanded': String(Boolean(state.stepsOpen)) }, 'Stop the browser opening zips');
    onUserClick(toggle, () => {
      state.stepsOpen = !state.stepsOpen;
      redraw();
    });
    row.append(toggle);
  }
  return el(
    'div',
    { 'data-testid': 'download-warning', 'data-code': warning.code },
    el('div', { class: 'title' }, warning.message),
    warning.hint && !(retry && !retry.alive) ? el('div', {}, warning.hint) : null,
    retry && !retry.alive ? el('div', {}, 'The link has expired since: get a fresh link, or save the verified copy.') : null,
    row,
    state.stepsOpen && entry.settingSteps ? el('div', { class: 'muted' }, entry.settingSteps) : null,
    state.note ? el('div', { class: 'muted', role: 'status' }, state.note) : null,
  );
}

// Styled here, not in the shared panel style: a link that looks like the panel's primary button.
const LINK_BUTTON = 'font:inherit;font-size:12px;border-radius:4px;background:#4b3bdc;color:#fff;padding:3px 10px;text-decoration:none;display:inline-block';

/** The open bundle dialog's content, where the warning sits under the verdict (a corner toast would cover its buttons). */
function openBundleDialogSlot(doc: Document): Element | null {
  const verdict = doc.querySelector('[role="dialog"] [data-testid="astra-companion-bundle-panel"]');
  return verdict?.parentElement ?? null;
}

/** Listens for download warnings while `signal` lives, showing them in one panel (newest first). */
export function watchDownloadWarnings(env: DownloadWarningEnv, signal: AbortSignal): void {
  const shown = new Map<string, { entry: DownloadWarningMessage; state: { note?: string; stepsOpen?: boolean } }>();
  let panel: PanelHost | null = null;
  let placedIn: Element | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  const now = () => (env.now ? env.now() : Date.now());

  const close = () => {
    panel?.remove();
    panel = null;
    placedIn = null;
    clearInterval(timer);
    timer = undefined;
    shown.clear();
  };
  const draw = () => {
    if (!shown.size) return close();
    const slot = openBundleDialogSlot(env.document);
    // In the Get Bundle dialog while it is open, else in the corner; moved when the dialog opens or closes.
    if (!panel || !panel.host.isConnected || (slot ?? null) !== placedIn) {
      panel?.remove();
      panel = createPanelHost('astra-companion-download-warning', { floating: !slot, label: 'Astra Companion download warning' });
      if (slot) slot.append(panel.host);
      else env.document.body.append(panel.host);
      placedIn = slot;
      // In the dialog it lands under the verdict, often below its scrolled part: bring it into view once.
      if (slot) requestAnimationFrame(() => panel?.host.scrollIntoView?.({ block: 'nearest' }));
    }
    // Redraws once a second while shown: the countdown of "Download again", and the dialog opening or closing.
    timer ??= setInterval(draw, 1000);
    panel.setTone('bad');
    const closeButton = el('button', { type: 'button', class: 'close', 'aria-label': 'Close the Astra Companion warning' }, '\u00D7');
    onUserClick(closeButton, close);
    const entries = [...shown.values()].reverse().slice(0, 3);
    const at = now();
    panel.render(
      el('div', { class: 'row' }, productMark(), el('span', { class: 'title' }, 'Astra Companion: bundle download problem'), closeButton),
      ...entries.map(({ entry, state }) => warningView(entry, env, at, draw, state)),
    );
  };

  const unsubscribe = env.onWarning((value) => {
    const entry = readDownloadWarningMessage(value);
    if (!entry || signal.aborted) return;
    if (!isWarningForPage(entry, env.pageUrl(), env.document.visibilityState !== 'hidden')) return;
    shown.delete(entry.warning.id);
    shown.set(entry.warning.id, { entry, state: {} });
    draw();
  });
  const unsubscribeChanges = env.onStoreChanged((value) => {
    const removed = isRecord(value) && isRecord(value.removed) ? value.removed : undefined;
    const ids = (list: unknown) => new Set(Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : []);
    const warningIds = ids(removed?.warningIds);
    const bundleIds = ids(removed?.bundleIds);
    let changed = false;
    for (const [id, { entry }] of shown) {
      if (warningIds.has(id) || (entry.warning.bundleId && bundleIds.has(entry.warning.bundleId))) changed = shown.delete(id) || changed;
    }
    if (changed) draw();
  });
  signal.addEventListener('abort', () => {
    unsubscribe();
    unsubscribeChanges();
    close();
  });
}
