/**
 * Tokens the console shows once: the "Token Details" dialog (JSON block), the older three-field panel,
 * the token-only display of vector databases, and the "Download Token Details" file. Captures each
 * token once (the network capture usually got it first; the background merges them into one record)
 * and confirms "Saved in Astra Companion" with the role and client id, never the secret.
 *
 * Try it: https://astra.datastax.com/org/{orgId}/settings/tokens > Generate Token.
 */
import { findTokens, mightContainTokens } from '@/utils/token/find-tokens';
import type { CapturedInTabMessage, CapturedToken } from '@/utils/protocol/messages';
import { createPanelHost, el, onUserClick, type PanelHost } from './panel-host';
import { observeAfterPaint } from './observe-after-paint';

export interface TokenCaptureEnv {
  document: Document;
  captureTokens(tokens: CapturedToken[]): void;
  captureTokenFile(text: string, fileName: string): void;
  onCaptured(listener: (message: CapturedInTabMessage) => void): () => void;
}

const TOKEN_FILE = /(^GeneratedToken.*\.csv$)|(-token\.json$)/i;
const MAX_FILE = 200_000;

function labelOf(field: HTMLInputElement | HTMLTextAreaElement): string {
  return field.labels?.[0]?.textContent ?? field.getAttribute('aria-label') ?? field.name ?? '';
}

/** The text of everything that may show a token: dialogs, code blocks and read-only fields (with their labels). */
export function visibleTokenText(doc: Document): string {
  const parts: string[] = [];
  for (const node of doc.querySelectorAll('[role="dialog"], pre, code')) parts.push(node.textContent ?? '');
  for (const field of doc.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[readonly], textarea[readonly], input[type="text"], textarea')) {
    if (field.value.length > 0 && field.value.length < 1000) parts.push(`${labelOf(field)}: ${field.value}`);
  }
  // The token-only display: a plain element holding just the token.
  for (const node of doc.querySelectorAll('[data-token], output, [class*="token" i]')) parts.push(node.textContent ?? '');
  return parts.join('\n');
}

/**
 * The role picked in the console's role select ("Select a Token Role"), by its shown name: the token answer often
 * carries only the role's id, and the name the user chose is what the console's own CSV would hold.
 */
export function pickedRoleName(doc: Document): string | undefined {
  for (const select of doc.querySelectorAll('select')) {
    const label = select.labels?.[0]?.textContent ?? select.getAttribute('aria-label') ?? '';
    const name = select.selectedOptions[0]?.textContent?.trim();
    if (/role/i.test(label) && name && name.length <= 80 && select.value !== '') return name;
  }
  return undefined;
}

/** Shows (or updates in place) the confirmation; the network and the dialog often report a token moments apart. */
function showSaved(doc: Document, message: CapturedInTabMessage, existing: PanelHost | null): PanelHost {
  const panel = existing?.host.isConnected ? existing : createPanelHost('astra-companion-token-panel', { floating: true, label: 'Astra Companion token capture' });
  const lines = message.tokens.map((token) => {
    const who = `${token.role ?? 'Token'} · client id ${token.clientId}`;
    return token.secretCheck === 'mismatch'
      ? el('div', {}, `${who}: the secret shown does not match this token. Copy both from the console again.`)
      : el('div', { class: 'muted' }, who);
  });
  const close = el('button', { type: 'button', class: 'close', 'aria-label': 'Close' }, '×');
  onUserClick(close, () => panel.remove());
  panel.setTone(message.tokens.some((t) => t.secretCheck === 'mismatch') ? 'bad' : 'ok');
  panel.render(el('div', { class: 'row' }, el('span', { class: 'title' }, 'Saved in Astra Companion'), close), ...lines);
  if (!panel.host.isConnected) doc.body.append(panel.host);
  return panel;
}

export function watchTokenDisplays(env: TokenCaptureEnv, signal: AbortSignal): void {
  const sent = new Set<string>();
  const scan = () => {
    const text = visibleTokenText(env.document);
    if (!mightContainTokens(text)) return;
    const fresh = findTokens(text).filter((token) => {
      const key = `${token.token}|${token.secret ?? ''}`;
      if (sent.has(key)) return false;
      sent.add(key);
      return true;
    });
    const role = pickedRoleName(env.document);
    if (fresh.length) env.captureTokens(role ? fresh.map((token) => (token.role || token.roles ? token : { ...token, role })) : fresh);
  };
  observeAfterPaint(env.document.body, { childList: true, subtree: true, characterData: true }, scan, signal);
  scan();

  // "Download Token Details": the page builds the file itself (a blob: URL), so we can read what it saves.
  env.document.addEventListener(
    'click',
    (event) => {
      const anchor = (event.target as Element | null)?.closest?.('a[download]') as HTMLAnchorElement | null;
      if (!anchor || !TOKEN_FILE.test(anchor.download) || !/^(blob|data):/.test(anchor.href)) return;
      fetch(anchor.href)
        .then((response) => response.text())
        .then((text) => text.length <= MAX_FILE && env.captureTokenFile(text, anchor.download))
        .catch(() => {});
    },
    { capture: true, signal },
  );

  let shown: PanelHost | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = env.onCaptured((message) => {
    if (!message.tokens.length) return;
    shown = showSaved(env.document, message, shown);
    clearTimeout(timer);
    timer = setTimeout(() => shown?.remove(), 20_000);
  });
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    shown?.remove();
  });
  signal.addEventListener('abort', unsubscribe);
}
