/**
 * Calls back when the console's own URL changes (a single-page-app route change), and only then.
 *
 * Not WXT's `wxt:locationchange`: it reports the Navigation API's `navigate` event, which also fires when a click
 * starts a download from the storage host ("Download Secure Bundle", "Download SCB"); the page stays where it is,
 * but every in-page feature was stopped as if it had left. Here the URL counts only once the document has it.
 */
interface NavigationLike {
  addEventListener(type: 'currententrychange', listener: () => void, options?: { signal?: AbortSignal }): void;
}

export function followRoute(onChange: (url: URL) => void, signal: AbortSignal, win: Window = window): void {
  let last = win.location.href;
  const check = () => {
    if (signal.aborted || win.location.href === last) return;
    last = win.location.href;
    onChange(new URL(last));
  };
  const navigation = (win as unknown as { navigation?: NavigationLike }).navigation;
  if (typeof navigation?.addEventListener === 'function') {
    // Fires once a same-document navigation (push, replace, back/forward) has committed; never for a download.
    navigation.addEventListener('currententrychange', check, { signal });
    return;
  }
  win.addEventListener('popstate', check, { signal });
  // No Navigation API (older Firefox): pushState has no event, so look once a second.
  const timer = win.setInterval(check, 1000);
  signal.addEventListener('abort', () => win.clearInterval(timer));
}
