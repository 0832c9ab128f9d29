/**
 * Every message between the parts of the extension, defined in one place.
 *
 *   page (MAIN world) --CustomEvent--> content script --runtime message--> background <--> popup
 *
 * Anything that comes from the page is untrusted: the content script validates it with the
 * `read*` functions below before it relays anything, and the background validates again.
 */
import type { Problem } from './result';

/** The MAIN-world hook dispatches this event on `window`; `detail` is a JSON string (objects do not cross worlds). */
export const PAGE_RESPONSE_EVENT = 'astra-companion:response';

/** Bodies larger than this are skipped by the hook and refused by the content script. */
export const MAX_SCANNED_BODY = 5_000_000;

export interface PageResponse {
  via: 'fetch' | 'xhr';
  url: string;
  status: number;
  body: string;
}

/** Parses an event detail from the page; anything malformed is `null` (and counted by the caller). */
export function readPageResponse(detail: unknown): PageResponse | null {
  if (typeof detail !== 'string' || detail.length > MAX_SCANNED_BODY + 10_000) return null;
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const { via, url, status, body } = value;
  if (via !== 'fetch' && via !== 'xhr') return null;
  if (typeof url !== 'string' || url.length > 4096) return null;
  if (typeof status !== 'number' || !Number.isInteger(status)) return null;
  if (typeof body !== 'string' || body.length > MAX_SCANNED_BODY) return null;
  return { via, url, status, body };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a capture was seen. */
export type CaptureSource = 'network' | 'dom';

/** Context found next to a link; every field is a hint from untrusted text, checked again in the background. */
export interface LinkContext {
  region?: string;
  datacenterId?: string;
  dbId?: string;
  dbName?: string;
  kind?: string;
}

export interface CapturedLink {
  url: string;
  context: LinkContext;
}

export interface CapturedToken {
  token: string;
  clientId: string;
  secret?: string;
  orgId?: string;
  role?: string;
  roles?: string[];
  generatedOn?: string;
}

/** A short view of a bundle record, for the in-page panel (never bytes, never passwords). */
export interface BundleSummary {
  id: string;
  url: string;
  fileName: string;
  dbName: string;
  region?: string;
  status: BundleStatus;
  expiresAt?: number;
  size?: number;
  entryCount?: number;
  certNotAfter?: string;
  problem?: Problem;
  hasCopy: boolean;
}

export type BundleStatus = 'checking' | 'verified' | 'problem' | 'link-expired';

/** Requests to the background, each with the shape of its answer. */
export interface BackgroundRequests {
  'capture-links': { request: { links: CapturedLink[]; page: string; source: CaptureSource }; response: { accepted: number; dropped: number } };
  'capture-tokens': { request: { tokens: CapturedToken[]; page: string; source: CaptureSource }; response: { accepted: number; dropped: number } };
  'bundle-summaries': { request: { urls: string[] }; response: BundleSummary[] };
  'save-bundle-copy': { request: { id: string }; response: { ok: true } | { ok: false; error: Problem } };
  'ping': { request: Record<string, never>; response: { ok: true; version: string } };
}

export type BackgroundRequestType = keyof BackgroundRequests;

export type BackgroundMessage = {
  [K in BackgroundRequestType]: { type: K } & BackgroundRequests[K]['request'];
}[BackgroundRequestType];

/** Broadcast by the background when stored data changed, so open views refresh. */
export interface StoreChangedMessage {
  type: 'store-changed';
  what: 'bundles' | 'tokens' | 'warnings';
}

export const BACKGROUND_REQUEST_TYPES: readonly BackgroundRequestType[] = [
  'capture-links',
  'capture-tokens',
  'bundle-summaries',
  'save-bundle-copy',
  'ping',
];

/** The minimal runtime surface the senders need; passed in, so this file stays free of extension globals. */
export interface MessageSender {
  sendMessage(message: unknown): Promise<unknown>;
}

export async function askBackground<K extends BackgroundRequestType>(
  runtime: MessageSender,
  type: K,
  request: BackgroundRequests[K]['request'],
): Promise<BackgroundRequests[K]['response']> {
  return (await runtime.sendMessage({ type, ...request })) as BackgroundRequests[K]['response'];
}
