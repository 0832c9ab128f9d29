/**
 * What a download warning says outside the popup: the fix buttons' labels, the system notification and the
 * toolbar badge. Pure: the background hands the results to the platform.
 */
import type { BrowserKind, FixAction } from './judge-download';
import type { WarningRecord } from './types';

export const FIX_LABELS: Record<FixAction, string> = {
  'retry-download': 'Download again',
  'save-copy': 'Save the verified copy',
  'fresh-link': 'Get a fresh link',
  'browser-setting': 'Stop the browser opening zips',
};

const NOTIFICATION_TITLES: Record<string, string> = {
  'link-expired': 'Bundle link had expired',
  'error-document': 'The download is not a bundle',
  'too-small': 'The download is not a bundle',
  'size-mismatch': 'The bundle download is damaged',
  interrupted: 'The bundle download failed',
  'opened-by-browser': 'The browser opened the bundle',
  'not-a-bundle': 'The link gives no usable bundle',
};

/** A system notification for a warning; Chromium shows at most two buttons. */
export function notificationFor(warning: WarningRecord): { title: string; message: string; buttons: Array<{ title: string; action: FixAction }> } {
  return {
    title: NOTIFICATION_TITLES[warning.code] ?? 'Bundle download problem',
    message: `${warning.message} ${warning.hint}`.trim().slice(0, 400),
    buttons: warning.actions.slice(0, 2).map((action) => ({ title: FIX_LABELS[action], action })),
  };
}

/** A 48 px red "!" for notifications (Chromium requires an icon; the extension ships none yet). */
export const NOTIFICATION_ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAAtklEQVR42u3aSwqAMAwE0B7DvfffeT9dSkGlkpn8mIBr54lWmziG6q5j386Vo2TodBhr8DAIOrgbhB2cCvEOD0VEhYcgosObEJYTvpUbwnrFGIBfiNIAxD3LAiwhSgNQqwYT8IkoDUCu22zAI0KASAD61e8BmBACCCCAAAIIUBqQaQOf4ltIgAx7gpA+EfNBdmt0qSsRDVBnLgOAgSjXodaMoMOURkO+VmPWNoPuNr8atPnZI7ou3yjEFJ2Ph38AAAAASUVORK5CYII=';

/**
 * `notifications.create` options for a warning. Firefox has no notification buttons: there a click on the
 * notification opens the fix list (the popup) instead.
 */
export function notificationOptionsFor(warning: WarningRecord, browser: BrowserKind = 'other') {
  const note = notificationFor(warning);
  return {
    type: 'basic' as const,
    iconUrl: NOTIFICATION_ICON,
    title: note.title,
    message: note.message,
    ...(browser === 'firefox' || browser === 'safari' ? {} : { buttons: note.buttons.map((button) => ({ title: button.title })) }),
  };
}

/** Badge colours per state: red when a saved file or link is bad, amber when only where the zip went needs a look. */
export const BADGE_COLORS = { bad: '#b42318', attention: '#b35c00', none: '#4b3bdc' } as const;

/** Warnings about where a good zip went (the browser opened or moved it), not about a bad file or a dead link. */
const ATTENTION_ONLY = new Set(['opened-by-browser']);

/** The toolbar badge: how many warnings wait to be seen, coloured by the worst of them. */
export function badgeFor(warnings: WarningRecord[]): { text: string; color: string } {
  const open = warnings.filter((warning) => !warning.dismissed);
  const text = open.length === 0 ? '' : open.length > 9 ? '9+' : String(open.length);
  const color = open.length === 0 ? BADGE_COLORS.none : open.every((w) => ATTENTION_ONLY.has(w.code)) ? BADGE_COLORS.attention : BADGE_COLORS.bad;
  return { text, color };
}
