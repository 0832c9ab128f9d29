import type { Problem } from '../shared/result';

import type { CaptureSource } from '../astra/types';
import type { DatabaseStatus } from '../astra/database-status';
export type StorageService = 's3' | 'gcs' | 'azure';

export type SigningScheme = 's3-sigv4' | 's3-legacy' | 'gcs-v4' | 'gcs-v2' | 'azure-sas';

export type BundleKind = 'external' | 'internal' | 'migration-proxy' | 'migration-proxy-internal' | 'custom-domain';

export interface LinkContext {
  region?: string;
  datacenterId?: string;
  dbId?: string;
  dbName?: string;
  kind?: BundleKind;
}

export type BundleStatus = 'checking' | 'verified' | 'problem' | 'link-expired';

export interface BundleProblemRecord extends Problem {
  severity: 'error' | 'warning';
}

export interface BundleRecord {
  /** One record per bundle: database, region and kind. A newer link for the same bundle updates it. */
  id: string;
  dbId?: string;
  dbName: string;
  region?: string;
  datacenterId?: string;
  kind: string;
  fileName: string;
  link: string;
  signedAt?: number;
  expiresAt?: number;
  capturedAt: number;
  updatedAt: number;
  page: string;
  source: CaptureSource;
  status: BundleStatus;
  problems: BundleProblemRecord[];
  /** The bundle checker's facts, without passwords. */
  facts?: unknown;
  size?: number;
  sha256?: string;
  entryCount?: number;
  certNotAfter?: string;
  /** True when a verified copy of the bytes is kept in `bundleFiles`. */
  hasCopy: boolean;
  copySha256?: string;
  downloaded?: { at: number; ok: boolean; note?: string };
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
  /** Storage's own words when it sent an error document ("AccessDenied: Request has expired"). */
  storageSaid?: string;
  hasCopy: boolean;
  /** The database's state as the console's API last said it (utils/astra/database-status.ts). */
  databaseStatus?: DatabaseStatus;
}
