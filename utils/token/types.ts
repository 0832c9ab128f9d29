export interface TokenRecord {
  /** The client id: one record per generated token. */
  id: string;
  clientId: string;
  /** Encrypted `{ token, secret? }`, sealed by the vault. */
  sealed: unknown;
  maskedToken: string;
  hasSecret: boolean;
  secretCheck: 'match' | 'mismatch' | 'no-secret';
  role?: string;
  orgId?: string;
  generatedOn?: string;
  capturedAt: number;
  page: string;
  source: string;
  label?: string;
}
