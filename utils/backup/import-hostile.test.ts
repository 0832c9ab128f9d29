/**
 * Issue 11, weakness 5: hostile backups. Each file is a real export edited the way an attacker would (the zip is
 * rebuilt, its checksums and SHA-256s made consistent), so only the recomputed checks can stop it.
 */
import JSZip from 'jszip';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundleRecord, dbIdFor, freshStore, newVault, putBundle, putToken, realBundle, storageLink, T0 } from '../../tests/unit/fixtures/filled-store';
import { makeBundle } from '../../tests/replica/make-bundle';
import { tokenFor } from '../../tests/replica/mint-token';
import { exportStore, type BundlesDocument } from './export-store';
import { importStore } from './import-store';
import { getBundleFile, getToken, listBundles, listTokens } from '../store/queries';
import type { CompanionDb } from '../store/schema';
import type { Vault } from '../vault/vault';

async function plainExport(db: CompanionDb, vault: Vault): Promise<Uint8Array> {
  const result = await exportStore({ db, vault, extensionVersion: '0.1.0', now: () => T0, tokens: { mode: 'plain-csv' } });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Rebuilds the export with `edit` applied to its entries and bundles.json, keeping every recorded SHA-256 and size true. */
async function tamper(bytes: Uint8Array, edit: (files: Map<string, Uint8Array>, doc: BundlesDocument) => void | Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const files = new Map<string, Uint8Array>();
  for (const file of Object.values(zip.files)) if (!file.dir) files.set(file.name, await file.async('uint8array'));
  const doc = JSON.parse(new TextDecoder().decode(files.get('bundles.json'))) as BundlesDocument;
  await edit(files, doc);
  for (const entry of doc.bundles) {
    const data = entry.file ? files.get(entry.file.path) : undefined;
    if (entry.file && data) {
      entry.file.sha256 = createHash('sha256').update(data).digest('hex');
      entry.file.size = data.byteLength;
      if (entry.record.copySha256) entry.record.copySha256 = entry.file.sha256;
    }
  }
  files.set('bundles.json', new TextEncoder().encode(JSON.stringify(doc)));
  const out = new JSZip();
  for (const [name, data] of files) out.file(name, data, { createFolders: false });
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

async function oneBundleExport() {
  const bundle = await realBundle(dbIdFor(700), 'orders', 'us-east1');
  const source = await freshStore();
  const vault = newVault();
  await putBundle(source, bundleRecord(bundle, { id: 'orders|us-east1|external' }), bundle.bytes);
  return { bundle, vault, exported: await plainExport(source, vault) };
}

const importInto = (db: CompanionDb, vault: Vault, bytes: Uint8Array) => importStore({ db, vault, bytes, now: () => T0 });

describe('hostile backups through importStore', () => {
  it('a kept copy swapped for other bytes is not stored as verified, and the report says why', async () => {
    const { vault, exported } = await oneBundleExport();
    const junk = await tamper(exported, (files, doc) => void files.set(doc.bundles[0]!.file!.path, new TextEncoder().encode('<Error><Code>AccessDenied</Code></Error>')));
    const db = await freshStore();
    const result = await importInto(db, vault, junk);
    if (!result.ok) throw new Error(result.error.message);
    const [record] = await listBundles(db);
    expect(record).toMatchObject({ status: 'problem', hasCopy: false });
    expect(await getBundleFile(db, record!.id)).toBeUndefined();
    expect(result.value.refused.map((r) => r.reason).join('\n')).toMatch(/fails the bundle check/);
  });

  it('a kept copy swapped for a forged bundle (cert from another CA): certificate-untrusted, not verified', async () => {
    const { vault, exported } = await oneBundleExport();
    const forged = await makeBundle({ dbId: dbIdFor(700), dbName: 'orders', region: 'us-east1', signedBy: 'other-ca' });
    const hostile = await tamper(exported, (files, doc) => void files.set(doc.bundles[0]!.file!.path, forged));
    const db = await freshStore();
    const result = await importInto(db, vault, hostile);
    if (!result.ok) throw new Error(result.error.message);
    const [record] = await listBundles(db);
    expect(record).toMatchObject({ status: 'problem', hasCopy: false });
    expect(record!.problems.map((p) => p.code)).toContain('certificate-untrusted');
  });

  it('facts, status and file name are recomputed, not taken from the file; an off-host link is refused', async () => {
    const { bundle, vault, exported } = await oneBundleExport();
    const hostile = await tamper(exported, (_files, doc) => {
      const [kept] = doc.bundles;
      Object.assign(kept!.record, { certNotAfter: '2099-01-01T00:00:00.000Z', entryCount: 99, fileName: '../../.bashrc', problems: [{ code: 'x', severity: 'warning', message: 'm', hint: 'h' }] });
      // A second record: no copy, yet "verified", and a link to another host (it would feed Copy URL and curl).
      doc.bundles.push({ record: { ...kept!.record, id: 'evil|x|external', hasCopy: false, copySha256: undefined, status: 'verified', link: 'https://evil.example/secure-connect-orders.zip?X-Amz-Signature=1' }, file: null } as never);
      doc.bundles.push({ record: { ...kept!.record, id: 'nocopy|x|external', hasCopy: false, copySha256: undefined, status: 'verified', link: storageLink(dbIdFor(701), 'secure-connect-nocopy.zip') }, file: null } as never);
    });
    // The manifest counts the records: keep it consistent like an attacker would.
    const fixed = await tamperManifest(hostile, 3);
    const db = await freshStore();
    const result = await importInto(db, vault, fixed);
    if (!result.ok) throw new Error(result.error.message);
    const records = await listBundles(db);
    expect(records.map((r) => r.id).sort()).toEqual(['nocopy|x|external', 'orders|us-east1|external']);
    expect(records.find((r) => r.id === 'orders|us-east1|external')).toMatchObject({ status: 'verified', fileName: 'secure-connect-bashrc.zip', entryCount: 8, certNotAfter: bundle.certNotAfter, problems: [] });
    expect(records.find((r) => r.id === 'nocopy|x|external')).toMatchObject({ status: 'problem', hasCopy: false });
    expect(result.value.refused).toContainEqual({ path: 'bundles.json#evil|x|external', reason: expect.stringMatching(/not a signed bundle link on the storage host/) });
  });

  it('a token in the file never replaces a different kept token for the same client id; a secret that does not match is left out', async () => {
    const vault = newVault();
    const mine = await freshStore();
    const kept = await putToken(mine, vault, 1, {}, true);
    const before = await getToken(mine, kept.clientId);
    // Theirs: a made-up token for my client id, and an unknown token with a secret that is not its own.
    const theirs = await freshStore();
    const forgedSecret = 'Z'.repeat(128);
    await putToken(theirs, vault, 1, { capturedAt: T0 }, true, { clientId: kept.clientId, token: tokenFor(kept.clientId, forgedSecret), secret: forgedSecret });
    const other = await putToken(theirs, vault, 2, {}, true);
    const mismatched = await tamperCsv(await plainExport(theirs, vault), other.secret!, 'Y'.repeat(128));
    const result = await importInto(mine, vault, mismatched);
    if (!result.ok) throw new Error(result.error.message);
    expect(await getToken(mine, kept.clientId)).toEqual(before);
    const reasons = result.value.refused.map((r) => r.reason).join('\n');
    expect(reasons).toMatch(/A different token is already kept for this client id/);
    expect(reasons).toMatch(/does not belong to this token/);
    const added = (await listTokens(mine)).find((t) => t.clientId === other.clientId)!;
    expect(added).toMatchObject({ hasSecret: false, secretCheck: 'no-secret' });
    expect(await vault.open(added.sealed)).toEqual({ ok: true, value: { token: other.token } });
  });
});

async function tamperManifest(bytes: Uint8Array, bundles: number): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
  manifest.counts.bundles = bundles;
  zip.file('manifest.json', JSON.stringify(manifest));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

async function tamperCsv(bytes: Uint8Array, from: string, to: string): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  zip.file('tokens.csv', (await zip.file('tokens.csv')!.async('string')).replace(from, to));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
