/**
 * One database's connection kit as a zip: every kept bundle of its kind (one per region), the `.env` and the
 * snippets (utils/bundle/connection-kit.ts). Saved by the background through the downloads API.
 */
import JSZip from 'jszip';
import { connectionKitFiles, zipConnectionKit } from '../bundle/connection-kit';
import { isKeyspaceName } from '../bundle/driver-snippets';
import { fail, ok, type Result } from '../shared/result';
import type { BundleFile, CompanionDb } from '../store/schema';
import type { BundleRecord } from '../bundle/types';
import { compareText, safeSegment } from './backup-format';

export type ExportDatabaseProblemCode = 'not-found' | 'no-copy' | 'store-failed' | 'zip-failed';

/**
 * One database's connection kit (utils/bundle/connection-kit.ts): every kept bundle of its kind, one per region,
 * the `.env` and the snippets. `token` is already opened by the background, and only when the user chose one.
 */
export async function exportDatabase(options: {
  db: CompanionDb;
  bundleId: string;
  token?: string;
}): Promise<Result<{ bytes: Uint8Array; fileName: string }, ExportDatabaseProblemCode>> {
  let record: BundleRecord | undefined;
  let kept: Array<{ record: BundleRecord; file: BundleFile }> = [];
  try {
    const tx = options.db.transaction(['bundles', 'bundleFiles'], 'readonly');
    record = await tx.objectStore('bundles').get(options.bundleId);
    const siblings = record?.dbId ? (await tx.objectStore('bundles').getAll()).filter((r) => r.dbId === record!.dbId && r.kind === record!.kind && r.hasCopy) : record ? [record] : [];
    // The chosen card's region first: it is the kit's default.
    siblings.sort((a, b) => (a.id === options.bundleId ? -1 : b.id === options.bundleId ? 1 : compareText(a.region ?? '', b.region ?? '')));
    const files = await Promise.all(siblings.map((r) => tx.objectStore('bundleFiles').get(r.id)));
    await tx.done;
    kept = siblings.flatMap((r, i) => (files[i] ? [{ record: r, file: files[i]! }] : []));
  } catch {
    return fail('store-failed', 'The extension could not read its store.', 'Close and reopen the popup, then try again.');
  }
  if (!record) return fail('not-found', 'That bundle is no longer in the extension.', 'Click Get Bundle again in the Astra console.');
  if (kept[0]?.record.id !== record.id) {
    return fail('no-copy', `No verified copy of the ${record.dbName} bundle is kept.`, 'Click Get Bundle in the Astra console while the extension runs; it keeps a verified copy.');
  }

  const bundles = await Promise.all(
    kept.map(async ({ record: r, file }) => ({ fileName: r.fileName, region: r.region, keyspace: await keyspaceOf(r, file.bytes), bytes: file.bytes })),
  );
  const files = connectionKitFiles({ dbId: record.dbId, dbName: record.dbName, bundles, token: options.token });
  const db = safeSegment(record.dbName, 'database');
  const fileName = `${db}${record.kind === 'external' ? '' : `-${safeSegment(record.kind, 'kind')}`}-connect.zip`;
  try {
    return ok({ bytes: await zipConnectionKit(files), fileName });
  } catch {
    return fail('zip-failed', 'The file could not be written.', 'Try again.');
  }
}

/** The keyspace from the checker's facts, else from the kept bundle's own config.json. */
async function keyspaceOf(record: BundleRecord, bytes: Uint8Array): Promise<string | undefined> {
  const fromFacts = (record.facts as { config?: { keyspace?: unknown } } | undefined)?.config?.keyspace;
  if (isKeyspaceName(fromFacts)) return fromFacts;
  try {
    const zip = await JSZip.loadAsync(bytes);
    const config = JSON.parse((await zip.file('config.json')?.async('string')) ?? '{}') as { keyspace?: unknown };
    return isKeyspaceName(config.keyspace) ? config.keyspace : undefined;
  } catch {
    return undefined;
  }
}
