import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBundleParts, zipBundle } from '../../tests/replica/make-bundle';
import { rawZip } from '../../tests/unit/fixtures/raw-zip';
import { S3_EXPIRED } from '../../tests/unit/fixtures/storage-errors';
import { readZipDirectory } from '../zip/zip-directory';
import { checkBundle } from './check-bundle';
import { BUNDLE_ENTRY_ORDER, isBundleFilePath, repairBundleFiles, repairBundleZip } from './repair-bundle';

const spec = { dbId: '3b9c1d7e-5f2a-4c8b-9e6d-0a1f2b3c4d5e', dbName: 'billing', region: 'us-west-2' };
let parts: Record<string, Uint8Array>;

beforeAll(async () => {
  parts = await makeBundleParts(spec);
});

/** The entry names of a zip, in their stored order, with the general-purpose flags of each. */
function layoutOf(bytes: Uint8Array) {
  const read = readZipDirectory(bytes, { maxEntries: 64 });
  if (!read.ok) throw new Error('not a zip');
  return read.directory.entries.map((e) => ({ name: e.name, descriptor: (e.flags & 0x08) !== 0, method: e.method }));
}

/** A Finder-style re-zip: folder entry, files in the folder in another order, __MACOSX twins and a .DS_Store. */
async function finderZip(files: Record<string, Uint8Array>, folder = 'secure-connect-billing'): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.folder(folder);
  for (const name of Object.keys(files).reverse()) zip.file(`${folder}/${name}`, files[name]!, { createFolders: false });
  zip.file(`${folder}/.DS_Store`, new Uint8Array([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]));
  for (const name of Object.keys(files)) zip.file(`__MACOSX/${folder}/._${name}`, new Uint8Array(26), { createFolders: true });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

describe('repairBundleZip', () => {
  it('turns a re-zipped folder with __MACOSX and .DS_Store into a flat bundle in Astra order that the checker passes', async () => {
    const rezipped = await finderZip(parts);
    expect((await checkBundle(rezipped)).problems.map((p) => p.code)).toContain('nested-folder');

    const repaired = await repairBundleZip(rezipped, { name: 'secure-connect-billing.zip' });
    if (!repaired.ok) throw new Error(repaired.error.message);
    expect(repaired.value.folder).toBe('secure-connect-billing');
    expect(repaired.value.missing).toEqual([]);
    expect(repaired.value.dropped).toEqual(
      expect.arrayContaining(['secure-connect-billing/.DS_Store', '__MACOSX/secure-connect-billing/._config.json']),
    );
    expect(layoutOf(repaired.value.bytes)).toEqual(BUNDLE_ENTRY_ORDER.map((name) => ({ name, descriptor: true, method: 8 })));

    const verdict = await checkBundle(repaired.value.bytes);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    const flat = await JSZip.loadAsync(repaired.value.bytes, { checkCRC32: true });
    for (const name of BUNDLE_ENTRY_ORDER) expect(await flat.file(name)!.async('uint8array'), name).toEqual(parts[name]);
  });

  it('never invents a file: a missing key stays missing, and the checker still says so', async () => {
    const { key: _key, ...withoutKey } = parts;
    const repaired = await repairBundleZip(await zipBundle(withoutKey, { folder: 'secure-connect-billing', macosx: true }));
    if (!repaired.ok) throw new Error(repaired.error.message);
    expect(repaired.value.missing).toEqual(['key']);
    expect(repaired.value.entries).not.toContain('key');
    const verdict = await checkBundle(repaired.value.bytes);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems.find((p) => p.code === 'missing-entry')?.message).toMatch(/lacks key/);
  });

  it('takes the shallowest folder when a bundle folder holds another copy deeper down', async () => {
    const zip = new JSZip();
    for (const [name, data] of Object.entries(parts)) zip.file(`outer/${name}`, data);
    zip.file('outer/old/config.json', '{"host":"stale"}');
    const repaired = await repairBundleZip(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
    if (!repaired.ok) throw new Error(repaired.error.message);
    expect(repaired.value.folder).toBe('outer');
    expect(repaired.value.dropped).toEqual(['outer/old/config.json']);
    expect((await checkBundle(repaired.value.bytes)).ok).toBe(true);
  });

  it('refuses what is not a bundle at all, in words', async () => {
    const xml = await repairBundleZip(new TextEncoder().encode(S3_EXPIRED), { name: 'secure-connect-billing.zip' });
    expect(xml).toMatchObject({ ok: false, error: { code: 'not-a-bundle' } });
    expect(!xml.ok && xml.error.message).toBe('secure-connect-billing.zip is not a zip archive, so there is no bundle in it to repair.');

    const photos = new JSZip();
    photos.file('holiday/beach.jpg', new Uint8Array([0xff, 0xd8, 0xff]));
    const other = await repairBundleZip(await photos.generateAsync({ type: 'uint8array' }), { name: 'photos.zip' });
    expect(other).toMatchObject({ ok: false, error: { code: 'not-a-bundle' } });
    expect(!other.ok && other.error.message).toMatch(/^photos.zip holds none of a secure connect bundle's files/);
  });

  it('does not inflate an entry past the size it declares (a zip bomb dressed as a re-zipped bundle)', async () => {
    const bomb = deflateRawSync(Buffer.alloc(8 * 1024 * 1024));
    const zip = rawZip([{ name: 'secure-connect-billing/config.json', stored: new Uint8Array(bomb), method: 8, uncompressedSize: 100, crc: 0 }]);
    const repaired = await repairBundleZip(zip);
    expect(repaired).toMatchObject({ ok: false, error: { code: 'unsafe-input' } });
  });

  it('refuses an archive holding the same path twice', async () => {
    const zip = rawZip([
      { name: 'x/config.json', stored: parts['config.json'] },
      { name: 'x/config.json', stored: new TextEncoder().encode('{}') },
    ]);
    expect(await repairBundleZip(zip)).toMatchObject({ ok: false, error: { code: 'unsafe-input' } });
  });
});

describe('repairBundleFiles', () => {
  it('zips the files of an unpacked folder flat, whatever order and whatever else they came with', async () => {
    const files = [
      { path: 'secure-connect-billing/.DS_Store', data: new Uint8Array([0, 0, 0, 1]) },
      ...Object.entries(parts)
        .reverse()
        .map(([name, data]) => ({ path: `secure-connect-billing/${name}`, data })),
    ];
    const repaired = await repairBundleFiles(files, { name: 'secure-connect-billing' });
    if (!repaired.ok) throw new Error(repaired.error.message);
    expect(repaired.value.entries).toEqual([...BUNDLE_ENTRY_ORDER]);
    expect(repaired.value.dropped).toEqual(['secure-connect-billing/.DS_Store']);
    expect((await checkBundle(repaired.value.bytes)).ok).toBe(true);
  });

  it('refuses a folder without bundle files', async () => {
    const repaired = await repairBundleFiles([{ path: 'notes/readme.txt', data: new Uint8Array(3) }], { name: 'notes' });
    expect(repaired).toMatchObject({ ok: false, error: { code: 'not-a-bundle' } });
  });
});

describe('isBundleFilePath', () => {
  it('picks the names a bundle has, not their __MACOSX twins', () => {
    expect(isBundleFilePath('secure-connect-billing/config.json')).toBe(true);
    expect(isBundleFilePath('key')).toBe(true);
    expect(isBundleFilePath('__MACOSX/secure-connect-billing/config.json')).toBe(false);
    expect(isBundleFilePath('secure-connect-billing/._config.json')).toBe(false);
    expect(isBundleFilePath('secure-connect-billing/photo.jpg')).toBe(false);
  });
});
