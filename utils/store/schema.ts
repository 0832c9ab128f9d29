/**
 * The extension's IndexedDB store: bundle records, their verified bytes, tokens, warnings,
 * download watches and a small key-value area. Owned by the background; the popup reads it too
 * (same extension origin). Every multi-step change runs in one transaction, so writes from
 * several tabs at once lose nothing.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { BundleRecord } from '../bundle/types';
import type { DownloadWatch, WarningRecord } from '../downloads/types';
import type { TokenRecord } from '../token/types';
import { COUNTS_KEY, CHECKED_KEY, countEverything, NO_COUNTS, type StoreCounts } from './counts';

export const DB_NAME = 'astra-companion';
/**
 * 2: indexes for paging and counting (bundles and tokens by capture time, warnings by creation time), and the outbox:
 * files the background made for an extension page to save (an export is too large for a message). Since then
 * exports go to the popup over the extension's BroadcastChannel; the outbox only holds what an older version left,
 * removed at the background's start (store-upkeep.ts).
 */
/**
 * 3: each token's sealed box in its own store (`tokenBoxes`), so lists and search never read one, and the counters
 * the popup draws (`counts`, kept by every write: counts.ts) instead of counting, which walks every entry.
 */
export const DB_VERSION = 3;

/** A token as the `tokens` store keeps it: everything but the sealed box, which is in `tokenBoxes` under the same id. */
export type TokenRow = Omit<TokenRecord, 'sealed'>;

/** A token's sealed box (the vault's `seal` output), kept apart from the row lists read. */
export interface TokenBox {
  id: string;
  sealed: unknown;
}

export interface BundleFile {
  id: string;
  bytes: Uint8Array;
  sha256: string;
  savedAt: number;
}

export interface CompanionSchema extends DBSchema {
  bundles: { key: string; value: BundleRecord; indexes: { byLink: string; byCapturedAt: number } };
  bundleFiles: { key: string; value: BundleFile };
  tokens: { key: string; value: TokenRow; indexes: { byCapturedAt: number } };
  tokenBoxes: { key: string; value: TokenBox };
  counts: { key: string; value: StoreCounts | number };
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
      if (oldVersion < 3) {
        db.createObjectStore('tokenBoxes', { keyPath: 'id' });
        db.createObjectStore('counts');
        // Requests made here keep the upgrade's transaction open: the store opens once the boxes moved and the counters are set.
        void (oldVersion === 0 ? tx.objectStore('counts').put({ ...NO_COUNTS }, COUNTS_KEY) : moveBoxesAndCount(tx)).catch(() => {
          // A failed move leaves version 2 as it was: the open fails, and the next open tries again.
          try {
            tx.abort();
          } catch {
            // already aborted by the browser
          }
        });
      }
    },
  });
}

type UpgradeTx = IDBPTransaction<CompanionSchema, StoreNames<CompanionSchema>[], 'versionchange'>;

/** Version 2 kept each token with its sealed box: the box moves to `tokenBoxes`, the row stays, nothing else changes. */
async function moveBoxesAndCount(tx: UpgradeTx): Promise<void> {
  const tokens = tx.objectStore('tokens');
  const boxes = tx.objectStore('tokenBoxes');
  const writes: Array<Promise<unknown>> = [];
  for (const record of (await tokens.getAll()) as Array<TokenRow & { sealed?: unknown }>) {
    if (!('sealed' in record)) continue;
    const { sealed, ...row } = record;
    writes.push(boxes.put({ id: row.id, sealed }), tokens.put(row));
  }
  await Promise.all(writes);
  const counts = tx.objectStore('counts');
  await Promise.all([counts.put(await countEverything(tx), COUNTS_KEY), counts.put(Date.now(), CHECKED_KEY)]);
}

export function bundleIdOf(parts: { dbId?: string; dbName: string; region?: string; kind: string; datacenterId?: string }): string {
  return [parts.dbId ?? parts.dbName, parts.datacenterId ?? parts.region ?? '', parts.kind].join('|');
}
