import { clearIfStillHolds } from '@/utils/platform/clipboard-guard';

// Chrome's offscreen document (reason CLIPBOARD): the only place an MV3 extension can touch the clipboard
// once the popup has closed. It answers one question: clear it, if it still holds this hash.
browser.runtime.onMessage.addListener((message: unknown, _sender: unknown, sendResponse: (answer: unknown) => void) => {
  const { type, hash } = (message ?? {}) as { type?: string; hash?: unknown };
  if (type !== 'offscreen-clear-clipboard' || typeof hash !== 'string') return false;
  clearIfStillHolds(document, hash).then(sendResponse, () => sendResponse('unreadable'));
  return true;
});
