/**
 * Calls `callback` after DOM changes under `target`, at most once per frame and right after the console's
 * next paint, never before it: our scans must not delay what the user sees. Stops with `signal`.
 */
export function observeAfterPaint(target: Node, options: MutationObserverInit, callback: () => void, signal: AbortSignal): void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() =>
      setTimeout(() => {
        pending = false;
        if (!signal.aborted) callback();
      }),
    );
  });
  observer.observe(target, options);
  signal.addEventListener('abort', () => observer.disconnect());
}
