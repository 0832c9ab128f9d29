export interface WarningRecord {
  id: string;
  createdAt: number;
  code: string;
  message: string;
  hint: string;
  bundleId?: string;
  downloadId?: number;
  fileName?: string;
  actions: Array<'retry-download' | 'save-copy' | 'fresh-link' | 'browser-setting'>;
  /** With 'retry-download': the link's signed expiry; after it, views offer a fresh link instead. */
  linkExpiresAt?: number;
  dismissed?: boolean;
}

export interface DownloadWatch {
  downloadId: number;
  url: string;
  bundleId?: string;
  startedAt: number;
  filename?: string;
  state: 'in_progress' | 'complete' | 'interrupted';
  judged?: boolean;
}

export interface StorageErrorContext {
  bundleId?: string;
  hasCopy: boolean;
  fileName?: string;
  dbName?: string;
  /** The database's Connect page (or the console's start page when the database is unknown). */
  connectUrl: string;
  signedAt?: number;
  expiresAt?: number;
}

/** How a save the extension started ended (background/follow-saves.ts follows it; save-outcome-text.ts words it). */
export type SaveOutcome =
  | { state: 'saved'; fileName: string }
  | { state: 'failed'; reason: string }
  /** Still running (a Save As dialog left open, a slow disk) when the background stopped waiting. */
  | { state: 'started' };
