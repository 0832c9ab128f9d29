/**
 * The extension's IndexedDB store: bundle records, their verified bytes, tokens, warnings,
 * download watches and a small key-value area. Owned by the background; the popup reads it too
 * (same extension origin). Every multi-step change runs in one transaction, so writes from
 * several tabs at once lose nothing.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { BundleRecord } from '../bundle/types';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { TokenRecord } from '../token/types';

export const DB_NAME = 'astra-companion';
/**
 * 2: indexes for paging and counting (bundles and tokens by capture time, warnings by creation time), and the outbox:
 * files the background made for an extension page to save (an export is too large for a message).
 */
export const DB_VERSION = 2;

export interface BundleFile {
  id: string;
  bytes: Uint8Array;
  sha256: string;
  savedAt: number;
}

interface CompanionSchema extends DBSchema {
  bundles: { key: string; value: BundleRecord; indexes: { byLink: string; byCapturedAt: number } };
  bundleFiles: { key: string; value: BundleFile };
  tokens: { key: string; value: TokenRecord; indexes: { byCapturedAt: number } };
  warnings: { key: string; value: WarningRecord; indexes: { byCreatedAt: number } };
  downloads: { key: number; value: DownloadWatch };
  kv: { key: string; value: unknown };
  outbox: { key: string; value: OutboxFile };
}

/** A file the background wrote for the popup to hand to the browser's download. */
export interface OutboxFile {
  blob: Blob;
  fileName: string;
  createdAt: number;
}

export type CompanionDb = IDBPDatabase<CompanionSchema>;

/** Opens (and creates or upgrades) the store. Tests pass a fresh name per test to isolate themselves. */
export function openStore(name = DB_NAME): Promise<CompanionDb> {
  return openDB<CompanionSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const bundles = db.createObjectStore('bundles', { keyPath: 'id' });
        bundles.createIndex('byLink', 'link', { unique: false });
        db.createObjectStore('bundleFiles', { keyPath: 'id' });
        db.createObjectStore('tokens', { keyPath: 'id' });
        db.createObjectStore('warnings', { keyPath: 'id' });
        db.createObjectStore('downloads', { keyPath: 'downloadId' });
        db.createObjectStore('kv');
      }
      if (oldVersion < 2) {
        // Indexes are built from the records already there: an upgrade keeps every record as it was.
        tx.objectStore('bundles').createIndex('byCapturedAt', 'capturedAt', { unique: false });
        tx.objectStore('tokens').createIndex('byCapturedAt', 'capturedAt', { unique: false });
        tx.objectStore('warnings').createIndex('byCreatedAt', 'createdAt', { unique: false });
        db.createObjectStore('outbox');
      }
    },
  });
}

export function bundleIdOf(parts: { dbId?: string; dbName: string; region?: string; kind: string; datacenterId?: string }): string {
  return [parts.dbId ?? parts.dbName, parts.datacenterId ?? parts.region ?? '', parts.kind].join('|');
}
