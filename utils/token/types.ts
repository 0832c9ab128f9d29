export interface TokenRecord {
  /** The client id: one record per generated token. */
  id: string;
  clientId: string;
  /** Encrypted `{ token, secret? }`, sealed by the vault. */
  sealed: unknown;
  maskedToken: string;
  /** SHA-256 of the whole token, hex: tells the kept token from another one under the same client id, vault locked or not. */
  tokenSha256?: string;
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
