import { clearIfStillHolds } from '@/utils/platform/clipboard-guard';
import { OFFSCREEN_OBJECT_URL, OFFSCREEN_REVOKE_URL } from '@/utils/platform/offscreen-document';
import { base64ToBytes } from '@/utils/shared/bytes';

// Chrome's offscreen document: the service worker has neither a clipboard nor URL.createObjectURL. It clears the
// clipboard if it still holds a hash, and makes (and later revokes) the blob URLs files are saved from.
browser.runtime.onMessage.addListener((message: unknown, sender: { url?: string }, sendResponse: (answer: unknown) => void) => {
  // Only the extension's own contexts (the service worker), never a content script on a web page.
  if (typeof sender.url !== 'string' || !sender.url.startsWith(location.origin)) return false;
  const { type, hash, base64, mime, url } = (message ?? {}) as { type?: string; hash?: unknown; base64?: unknown; mime?: unknown; url?: unknown };
  if (type === 'offscreen-clear-clipboard' && typeof hash === 'string') {
    clearIfStillHolds(document, hash).then(sendResponse, () => sendResponse('unreadable'));
    return true;
  }
  if (type === OFFSCREEN_OBJECT_URL && typeof base64 === 'string' && typeof mime === 'string') {
    sendResponse(URL.createObjectURL(new Blob([base64ToBytes(base64)], { type: mime })));
    return false;
  }
  if (type === OFFSCREEN_REVOKE_URL && typeof url === 'string' && url.startsWith('blob:')) {
    URL.revokeObjectURL(url);
    sendResponse(true);
    return false;
  }
  return false;
});
