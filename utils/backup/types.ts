export type TokenExportChoice = { mode: 'encrypted'; passphrase: string } | { mode: 'plain-csv' } | { mode: 'none' };

export type TokenExportMode = TokenExportChoice['mode'];

export interface ImportCounts {
  bundles: number;
  tokens: number;
}

export interface ImportReport {
  added: ImportCounts;
  updated: ImportCounts;
  skipped: ImportCounts;
  refused: Array<{ path: string; reason: string }>;
  /** How the file held its tokens. */
  tokens: TokenExportMode;
}

export type ImportProblemCode =
  | 'not-a-zip'
  | 'damaged'
  | 'too-large'
  | 'unsafe-path'
  | 'not-an-export'
  | 'newer-format'
  | 'passphrase-needed'
  | 'wrong-passphrase'
  | 'vault-failed'
  | 'store-failed';
