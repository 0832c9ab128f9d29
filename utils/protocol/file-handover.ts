/**
 * A file from an extension page to the background as a Blob, not base64 in a runtime message (Chrome refuses
 * messages over 64 MiB, and JSON copies the bytes several times). The carrier is a BroadcastChannel: only pages of
 * the extension's own origin (its pages, Chrome's service worker, Firefox's background page) share it; content
 * scripts and web pages have the web page's origin and never reach it. The background asks for the file by the
 * one-time id it issued to an extension page ('import-begin'), until it arrives; the page answers only for that id.
 *
 *   popup --import-begin--> background: id      popup --import-store {id}--> background
 *   background --file-wanted {id}--> channel --> popup --file {id, Blob}--> channel --> background
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

const isMessage = (data: unknown, type: FileChannelMessage['type'], id: string): boolean =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === type && (data as { id?: unknown }).id === id;

/** The page's side: answers every ask for `id` with `file` until stopped (the page stops once the import answered). */
export function offerFile(channel: ChannelLike, id: string, file: Blob): () => void {
  const onMessage = (event: { data: unknown }) => {
    if (isMessage(event.data, 'file-wanted', id)) channel.postMessage({ type: 'file', id, file } satisfies FileChannelMessage);
  };
  channel.addEventListener('message', onMessage);
  return () => {
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
    const ask = () => channel.postMessage({ type: 'file-wanted', id } satisfies FileChannelMessage);
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
