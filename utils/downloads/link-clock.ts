/**
 * One clock for a bundle link's countdown, wherever it shows (in-page panel, popup, download toast): the link's
 * own signed expiry (X-Amz-Date + X-Amz-Expires, parsed once into `expiresAt`), whole seconds left rounded down
 * like the console's own countdown, redrawn on the second boundary of that expiry so every view ticks together.
 */
import { isLinkAlive } from '../bundle/bundle-link';

export interface LinkTime {
  /** isLinkAlive: true while a download started now still reaches storage in time. */
  alive: boolean;
  /** "Link valid for 4:58", "Link expired" or "Link expiry unknown". */
  text: string;
  /** "4:58" while alive, else ''. */
  left: string;
}

export function linkTime(expiresAt: number | undefined, now: number): LinkTime {
  if (expiresAt === undefined) return { alive: false, text: 'Link expiry unknown', left: '' };
  const ms = expiresAt - now;
  if (ms <= 0) return { alive: false, text: 'Link expired', left: '' };
  const total = Math.floor(ms / 1000);
  const left = `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  // The countdown is the signed expiry, like the console's; actions stop LINK_SAFETY_MARGIN_MS before it.
  return { alive: isLinkAlive({ expiresAt }, now), text: `Link valid for ${left}`, left };
}

/** Milliseconds until the shown countdown of `expiresAt` changes next (a few ms late, never early). */
export function msUntilNextTick(expiresAt: number | undefined, now: number): number {
  if (expiresAt === undefined) return 1000;
  const ms = expiresAt - now;
  if (ms <= 0) return 1000;
  return (ms % 1000 || 1000) + 5;
}

/** Calls `draw` on every change of the countdown of `expiresAt()` until `signal` aborts. */
export function tickWithLink(expiresAt: () => number | undefined, now: () => number, draw: () => void, signal: AbortSignal): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const next = () => {
    if (signal.aborted) return;
    timer = setTimeout(() => {
      draw();
      next();
    }, msUntilNextTick(expiresAt(), now()));
  };
  next();
  signal.addEventListener('abort', () => clearTimeout(timer));
}
