/**
 * A file between an extension page and the background as a Blob, not base64 in a runtime message (Chrome refuses
 * messages over 64 MiB, and JSON copies the bytes several times). The carrier is a BroadcastChannel: only pages of
 * the extension's own origin (its pages, Chrome's service worker, Firefox's background page) share it; content
 * scripts and web pages have the web page's origin and never reach it. The background asks for the file by the
 * one-time id it issued to an extension page ('import-begin'), until it arrives; the page answers only for that id.
 *
 *   popup --import-begin--> background: id      popup --import-store {id}--> background
 *   background --file-wanted {id}--> channel --> popup --file {id, Blob}--> channel --> background
 *
 * An export goes the other way on the same channel: the background offers the zip under an id of its own, named in
 * its answer to 'export-store'; the popup asks for it (wantFile) and says 'export-saved' once the browser has it.
 */

export const FILE_CHANNEL = 'astra-companion:files';

export type FileChannelMessage = { type: 'file-wanted'; id: string } | { type: 'file'; id: string; file: Blob };

/** The part of BroadcastChannel used here (Node's and the browsers' alike). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  close(): void;
}

/** A post that fails (a channel closing, a Blob that cannot be cloned) is a file that never arrives: the asker times out. */
function post(channel: ChannelLike, message: FileChannelMessage): void {
  try {
    channel.postMessage(message);
  } catch {
    // Nothing to do here: see above.
  }
}

const isMessage = (data: unknown, type: FileChannelMessage['type'], id: string): boolean =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === type && (data as { id?: unknown }).id === id;

/** The page's side: answers every ask for `id` with `file` until stopped (the page stops once the import answered). */
export function offerFile(channel: ChannelLike, id: string, file: Blob): () => void {
  let open = true;
  const onMessage = (event: { data: unknown }) => {
    // An ask already queued when the page stopped finds the channel closed: nothing to answer.
    if (open && isMessage(event.data, 'file-wanted', id)) post(channel, { type: 'file', id, file });
  };
  channel.addEventListener('message', onMessage);
  return () => {
    open = false;
    channel.removeEventListener('message', onMessage);
    channel.close();
  };
}

/**
 * The background's side: asks for `id` at once and again every `askEveryMs` (a page's channel may still be
 * connecting) until the file comes or `timeoutMs` passes (undefined: the page closed, or never offered it).
 */
export function wantFile(channel: ChannelLike, id: string, { timeoutMs = 15_000, askEveryMs = 500 } = {}): Promise<Blob | undefined> {
  return new Promise((resolve) => {
    const ask = () => post(channel, { type: 'file-wanted', id });
    const finish = (file: Blob | undefined) => {
      clearInterval(again);
      clearTimeout(giveUp);
      channel.removeEventListener('message', onMessage);
      channel.close();
      resolve(file);
    };
    const onMessage = (event: { data: unknown }) => {
      if (!isMessage(event.data, 'file', id)) return;
      const file = (event.data as { file?: unknown }).file;
      if (file instanceof Blob) finish(file);
    };
    channel.addEventListener('message', onMessage);
    const again = setInterval(ask, askEveryMs);
    const giveUp = setTimeout(() => finish(undefined), timeoutMs);
    ask();
  });
}
