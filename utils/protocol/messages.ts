/**
 * Every message between the parts of the extension, defined in one place.
 *
 *   page (MAIN world) --CustomEvent--> content script --runtime message--> background <--> popup
 *
 * Anything that comes from the page is untrusted: the content script validates it with the
 * `read*` functions below before it relays anything, and the background validates again.
 */
import type { Problem, Result } from '../shared/result';
import type { SaveOutcome, StorageErrorContext, WarningRecord } from '../downloads/types';
import type { AutoLock, VaultStatus } from '../vault/types';
import type { LinkContext } from '../bundle/types';
import type { ImportReport, TokenExportChoice } from '../backup/types';
import { isRecord } from '../shared/guards';
import type { CaptureSource } from '../astra/types';
import type { BundleSummary } from '../bundle/types';

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

/** Parses an event detail from the page; anything malformed is `null`. */
export function readPageResponse(detail: unknown): PageResponse | null {
  if (typeof detail !== 'string' || detail.length > MAX_SCANNED_BODY + 10_000) return null;
  try {
    return checkPageResponse(JSON.parse(detail));
  } catch {
    return null;
  }
}

/** Checks the shape of a page response (again in the background: a content script relays page data). */
export function checkPageResponse(value: unknown): PageResponse | null {
  if (!isRecord(value)) return null;
  const { via, url, status, body } = value;
  if (via !== 'fetch' && via !== 'xhr') return null;
  if (typeof url !== 'string' || url.length > 4096) return null;
  if (typeof status !== 'number' || !Number.isInteger(status)) return null;
  if (typeof body !== 'string' || body.length > MAX_SCANNED_BODY) return null;
  return { via, url, status, body };
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

/** Requests to the background, each with the shape of its answer. */
export interface BackgroundRequests {
  /** A response the MAIN-world hook saw; the background finds the links and tokens in it. */
  'page-response': { request: { response: PageResponse; page: string }; response: { links: number; tokens: number } };
  /** The console's route is one where in-page panels may be needed: inject them (once). */
  'inject-console-ui': { request: Record<string, never>; response: { ok: boolean } };
  'capture-links': { request: { links: CapturedLink[]; page: string; source: CaptureSource }; response: { accepted: number; dropped: number } };
  'capture-tokens': { request: { tokens: CapturedToken[]; page: string; source: CaptureSource }; response: { accepted: number; dropped: number } };
  /** A "Download Token Details" file the page saved (CSV or JSON), read by the console script. */
  'capture-token-file': { request: { text: string; fileName: string }; response: { accepted: number; dropped: number } };
  'bundle-summaries': { request: { urls: string[] }; response: BundleSummary[] };
  /** Answered once the download ended (or after 20 s: "started"), so every Save ends in words the person can see. */
  'save-bundle-copy': { request: { id: string }; response: { ok: true; saved: SaveOutcome } | { ok: false; error: Problem } };
  /** The popup deletes one bundle record (and its kept copy and warnings); every open view hears of it. */
  'delete-bundle': { request: { id: string }; response: { ok: boolean } };
  'clear-bundles': { request: Record<string, never>; response: { ok: boolean } };
  'ping': { request: Record<string, never>; response: { ok: true; version: string } };
  'vault-status': { request: Record<string, never>; response: Result<VaultStatus> };
  'vault-unlock': { request: { passphrase: string }; response: Result<VaultStatus> };
  'vault-lock': { request: Record<string, never>; response: Result<VaultStatus> };
  'vault-set-passphrase': { request: { current: string | null; next: string | null }; response: Result<VaultStatus> };
  'vault-set-auto-lock': { request: { choice: AutoLock }; response: Result<VaultStatus> };
  'token-reveal': { request: { id: string }; response: Result<{ token: string; secret?: string }> };
  'token-save-file': { request: { id: string; format: 'csv' | 'json' }; response: Result<{ fileName: string; saved: SaveOutcome }> };
  'token-set-label': { request: { id: string; label: string }; response: Result<{ label?: string }> };
  'token-delete': { request: { id: string }; response: Result<{ id: string }> };
  /**
   * Everything, as the export zip. Runs where the vault lives; the background then offers the zip under `handover` on
   * the extension's BroadcastChannel (a message could not carry it: Chrome's limit is 64 MiB of JSON), the popup takes
   * it there (utils/protocol/file-handover.ts) and says 'export-saved' once the browser has it.
   */
  'export-store': { request: { tokens: TokenExportChoice }; response: Result<{ handover: string; fileName: string; size: number }> };
  'export-saved': { request: { handover: string }; response: { ok: boolean } };
  /**
   * An import, in two steps: 'import-begin' gives the page a one-time id; 'import-store' with that id has the
   * background take the file from the page over the extension's BroadcastChannel (utils/protocol/file-handover.ts).
   */
  'import-begin': { request: { size: number }; response: Result<{ id: string }> };
  'import-store': { request: { id: string; passphrase?: string; skipTokens?: boolean }; response: Result<ImportReport> };
  /** One database's connection kit (bundles, .env, snippets), saved through the download manager; `tokenId`: a kept token to write into .env. */
  'export-database': { request: { id: string; tokenId?: string }; response: Result<{ fileName: string; saved: SaveOutcome }> };
  /** The popup copied a secret: clear it 30 s later if the clipboard still holds it (hash only, never the text). */
  'clear-clipboard-later': { request: { hash: string }; response: { scheduled: boolean } };
  /** The storage host's error page: what was kept for the link the tab shows (the sender's own URL is used). */
  /** `report`: what the page shows (a dead link opened in a tab), so it becomes a warning like any other. */
  'storage-error-context': { request: { report?: { code: string } }; response: StorageErrorContext | null };
  /** The popup opened: look again whether recent good bundle downloads are still where they were saved. */
  'recheck-downloads': { request: Record<string, never>; response: { watching: number } };
  /** The popup dismissed a download warning (the badge follows). */
  'dismiss-warning': { request: { id: string }; response: { ok: boolean } };
}

export type BackgroundRequestType = keyof BackgroundRequests;

export type BackgroundMessage = {
  [K in BackgroundRequestType]: { type: K } & BackgroundRequests[K]['request'];
}[BackgroundRequestType];

/** Sent by the background to the console tab that made a capture, for the in-page panels. */
export interface CapturedInTabMessage {
  type: 'captured';
  bundleUrls: string[];
  tokens: Array<{ clientId: string; role?: string; secretCheck: string }>;
}

/** Broadcast by the background while an export or an import runs, for the popup's progress bar. */
export interface BackupProgressMessage {
  type: 'backup-progress';
  /** Export: 'tokens', 'zip'. Import: 'read' (the file reaching the background), 'check' (bundles), 'seal' (tokens), 'save'. */
  phase: 'tokens' | 'zip' | 'read' | 'check' | 'seal' | 'save';
  done: number;
  total: number;
}

/** `databases`: the states learned from the console's responses (utils/store/database-statuses.ts). */
export type StoreArea = 'bundles' | 'tokens' | 'warnings' | 'databases';

/**
 * Announced by the background after every write, to the popup and every console tab: open views redraw from it.
 * `removed` names what is gone, so a panel showing it can take it down without asking.
 */
export interface StoreChangedMessage {
  type: 'store-changed';
  what: StoreArea;
  removed?: { bundleIds?: string[]; warningIds?: string[] };
}

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

/** Sent by the background to console tabs when a download warning is stored (propose for messages.ts). */
export interface DownloadWarningMessage {
  type: 'download-warning';
  warning: WarningRecord;
  dbId?: string;
  connectUrl: string;
  /** With a 'retry-download' fix: the same link, to download again while it is valid. */
  retryUrl?: string;
  settingsUrl?: string;
  settingSteps: string;
}
