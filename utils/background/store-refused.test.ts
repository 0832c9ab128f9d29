import 'fake-indexeddb/auto';
import 'reflect-metadata';
import { afterEach, describe, expect, it } from 'vitest';
import { keepBundles } from './keep-bundle';
import { openStore, type CompanionDb } from '../store/schema';
import { getBundle, getBundleFile, listBundles, listWarnings } from '../store/queries';
import { updateBundle } from '../store/writes';
import { makeBundle } from '../../tests/replica/make-bundle';
import { createStorageSigner } from '../../tests/replica/sign-storage-link';
import type { CapturedLink } from '../protocol/messages';

const DB_ID = '3f6a1c2e-9b7d-4e21-8c55-0d4b7a9e1f23';
const signer = createStorageSigner();
const linkFor = (name: string) => signer.presign(`${DB_ID}-1/secure-connect-${name}.zip`, new Date(), 300);
const captured = (url: string): CapturedLink => ({ url, context: { region: 'us-east1', dbId: DB_ID, dbName: 'orders' } });

/** The disk fills up: IndexedDB refuses every write of kept bytes, as Chrome does with a QuotaExceededError. */
function refuseBundleBytes(): () => void {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === 'bundleFiles') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  };
  return () => void (IDBObjectStore.prototype.put = put);
}

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

async function storeWithOneKept(): Promise<{ db: CompanionDb; bytes: Uint8Array }> {
  const db = await openStore(`store-refused-${Math.random().toString(36).slice(2)}`);
  const bytes = await makeBundle({ dbId: DB_ID, dbName: 'orders', region: 'us-east1', keyspace: 'shop' });
  return { db, bytes };
}

describe('a capture whose final write is refused (QuotaExceededError)', () => {
  it('is recorded as a problem with the reason, not left at "Checking…", and a warning says what to do', async () => {
    const { db, bytes } = await storeWithOneKept();
    restore = refuseBundleBytes();
    const fetch = (async () => new Response(bytes as BodyInit, { status: 200, headers: { 'content-type': 'application/zip' } })) as typeof globalThis.fetch;
    const result = await keepBundles({ db, fetch, now: () => Date.now() }, [captured(linkFor('orders'))], 'https://astra.datastax.com/', 'network');
    restore();

    expect(result.records).toHaveLength(1);
    const stored = await listBundles(db);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('problem');
    expect(stored[0]!.hasCopy).toBe(false);
    expect(stored[0]!.problems.map((p) => p.code)).toEqual(['store-full']);
    expect(await getBundleFile(db, stored[0]!.id)).toBeUndefined();
    const warnings = await listWarnings(db);
    expect(warnings.map((w) => w.code)).toEqual(['store-full']);
    expect(warnings[0]!.message).toContain('orders (us-east1)');
  });

  it('leaves a bundle kept before exactly as it was, bytes included', async () => {
    const { db, bytes } = await storeWithOneKept();
    const fetch = (async () => new Response(bytes as BodyInit, { status: 200 })) as typeof globalThis.fetch;
    await keepBundles({ db, fetch, now: () => Date.now() }, [captured(linkFor('orders'))], 'https://astra.datastax.com/', 'network');
    const [kept] = await listBundles(db);
    expect(kept!.status).toBe('verified');
    expect(kept!.hasCopy).toBe(true);

    restore = refuseBundleBytes();
    await keepBundles({ db, fetch, now: () => Date.now() + 1000 }, [captured(linkFor('orders') + '&x-id=GetObject')], 'https://astra.datastax.com/', 'network');
    restore();

    expect(await getBundle(db, kept!.id)).toEqual(kept);
    expect((await getBundleFile(db, kept!.id))?.bytes).toEqual(bytes);
  });

  it('writes the record and its bytes together or not at all', async () => {
    const { db, bytes } = await storeWithOneKept();
    restore = refuseBundleBytes();
    const record = { id: 'a|b|external', dbName: 'a', kind: 'external', fileName: 'f.zip', link: 'x', capturedAt: 1, updatedAt: 1, page: '', source: 'network' as const, status: 'verified' as const, problems: [], hasCopy: true };
    await expect(updateBundle(db, record.id, () => record, { id: record.id, bytes, sha256: 'x', savedAt: 1 })).rejects.toMatchObject({ name: 'QuotaExceededError' });
    restore();
    expect(await getBundle(db, record.id)).toBeUndefined();
  });
});
