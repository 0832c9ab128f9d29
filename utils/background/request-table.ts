/**
 * The shape of the background's request table (handle-requests.ts): each request type names who may send it and
 * how it is answered. One handler file per area fills its part: capture-, bundle-, token-, backup- and
 * warning-requests.ts.
 */
import type { BackgroundMessage, BackgroundRequests, BackgroundRequestType } from '../protocol/messages';
import type { BackgroundServices } from './services';

export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

/**
 * Who may ask: a content script on the console, the extension's own pages (popup, offscreen), or the storage
 * host's error page (its content script, about its own link only).
 */
export type Origin = 'console' | 'extension' | 'storage';

export type RequestOf<K extends BackgroundRequestType> = Extract<BackgroundMessage, { type: K }>;

export interface Route<K extends BackgroundRequestType> {
  from: readonly Origin[];
  /** The answer to a sender not in `from`. */
  refused: BackgroundRequests[K]['response'];
  /** `request` has the right type tag only: every other field comes from a sender and is checked here. */
  handle(request: RequestOf<K>, sender: SenderInfo, services: BackgroundServices): Promise<BackgroundRequests[K]['response']>;
}

export type Routes<K extends BackgroundRequestType> = { [P in K]: Route<P> };
