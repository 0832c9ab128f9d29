/**
 * In-page UI inside a closed shadow root, so the console's styles cannot reach it and ours cannot leak out, and page
 * scripts cannot read it (`host.shadowRoot` is null for them): bundle status and file names stay ours. Plain DOM, not
 * Preact: this runs on every console page and must stay small. Text is only ever set with textContent, never parsed
 * as HTML. Every button still acts only on a trusted click (`onUserClick`). Tests read it the way a user does, through
 * the browser's own protocol (`tests/e2e/panel.ts`, `tests/firefox/firefox-panel.ts`).
 */
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Runs `handler` only for a click the user made (`isTrusted`): a page script's synthetic click or dispatched event is ignored. */
export function onUserClick(node: Element, handler: (event: MouseEvent) => void, options: { signal?: AbortSignal } = {}): void {
  node.addEventListener(
    'click',
    (event) => {
      if (!event.isTrusted) {
        event.preventDefault();
        event.stopImmediatePropagation();
        return;
      }
      handler(event as MouseEvent);
    },
    options,
  );
}

const STYLE = `
:host { all: initial; display: block; }
.panel { font: 13px/1.45 Roboto, "Helvetica Neue", Arial, sans-serif; color: #1b1f24; background: #f5f4ff;
  border: 1px solid #d4d0fb; border-left: 4px solid #4b3bdc; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.panel.ok { background: #effaf1; border-color: #b7e4c2; border-left-color: #1a7f37; }
.panel.bad { background: #fff1f0; border-color: #f6c4bf; border-left-color: #b42318; }
.title { font-weight: 600; }
.muted { color: #5b6672; }
.row { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin-top: 4px; }
button { font: inherit; font-size: 12px; border-radius: 4px; border: 1px solid #4b3bdc; background: #4b3bdc; color: #fff;
  padding: 3px 10px; cursor: pointer; }
button.secondary { background: transparent; color: #4b3bdc; }
button:focus-visible { outline: 2px solid #1f6feb; outline-offset: 2px; }
.floating { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; max-width: 380px;
  box-shadow: 0 6px 24px rgba(0,0,0,.18); margin: 0; }
.close { margin-left: auto; background: none; border: 0; color: #5b6672; font-size: 16px; padding: 0 4px; }
`;

export interface PanelHost {
  host: HTMLElement;
  render(...children: Child[]): void;
  setTone(tone: 'info' | 'ok' | 'bad'): void;
  remove(): void;
}

/** Creates the host element; the caller decides where it goes in the page. */
export function createPanelHost(testId: string, options: { floating?: boolean; label: string }): PanelHost {
  const host = document.createElement('astra-companion-panel');
  host.setAttribute('data-testid', testId);
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = el('style');
  style.textContent = STYLE;
  const panel = el('div', { class: `panel${options.floating ? ' floating' : ''}`, role: 'status', 'aria-label': options.label });
  shadow.append(style, panel);
  return {
    host,
    render(...children) {
      panel.replaceChildren(...children.filter((c): c is Node | string => Boolean(c)));
    },
    setTone(tone) {
      panel.className = `panel${options.floating ? ' floating' : ''}${tone === 'info' ? '' : ` ${tone}`}`;
    },
    remove() {
      host.remove();
    },
  };
}
