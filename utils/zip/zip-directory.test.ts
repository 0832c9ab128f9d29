import { beforeAll, describe, expect, it } from 'vitest';
import { makeBundleParts, zipBundle } from '../../tests/replica/make-bundle';
import { rawZip } from '../../tests/unit/fixtures/raw-zip';
import { crc32, findEndRecord, readZipDirectory } from './zip-directory';

const text = (s: string) => new TextEncoder().encode(s);
const limits = { maxEntries: 64 };
let bundle: Uint8Array;
let parts: Record<string, Uint8Array>;

beforeAll(async () => {
  parts = await makeBundleParts({ dbId: '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d', dbName: 'dir', region: 'us-west-2' });
  bundle = await zipBundle(parts);
});

describe('crc32', () => {
  it('gives the standard check value, in one go or in chunks', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(text('56789'), crc32(text('1234')))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('readZipDirectory', () => {
  it('reads the sizes and CRCs of a bundle written with data descriptors from its central directory', () => {
    const read = readZipDirectory(bundle, limits);
    if (!read.ok) throw new Error(JSON.stringify(read.failure));
    expect(read.directory.entries.map((e) => e.name)).toEqual(Object.keys(parts));
    for (const e of read.directory.entries) {
      expect(e.flags & 0x08).toBe(0x08);
      expect(e.method).toBe(8);
      expect(e.uncompressedSize).toBe(parts[e.name]!.length);
      expect(e.crc32).toBe(crc32(parts[e.name]!));
    }
  });

  it('finds the end record behind a comment', () => {
    const zip = rawZip([{ name: 'a', stored: text('hello') }], { comment: 'PK\u0005\u0006 looks like an end record' });
    expect(findEndRecord(zip)).toBe(zip.length - 22 - 'PK\u0005\u0006 looks like an end record'.length);
    const read = readZipDirectory(zip, limits);
    expect(read.ok && read.directory.entries[0]!.name).toBe('a');
  });

  it('tells a truncated zip from bytes that are no zip at all', () => {
    expect(readZipDirectory(bundle.subarray(0, 5000), limits)).toMatchObject({ ok: false, failure: { kind: 'truncated' } });
    expect(readZipDirectory(text('just text, no zip'), limits)).toEqual({ ok: false, failure: { kind: 'not-a-zip' } });
  });

  it('says truncated when an entry runs past the end of the data', () => {
    const zip = rawZip([{ name: 'a', stored: text('hello') }]);
    const view = new DataView(zip.buffer);
    const record = view.getUint32(zip.length - 6, true);
    view.setUint32(record + 20, 5000, true);
    expect(readZipDirectory(zip, limits)).toMatchObject({ ok: false, failure: { kind: 'truncated' } });
  });

  it('stops at the entry count without walking a huge directory', () => {
    const zip = rawZip([{ name: 'a' }], { declaredCount: 65535 });
    expect(readZipDirectory(zip, limits)).toEqual({ ok: false, failure: { kind: 'too-many-entries', count: 65535 } });
  });

  it('reads zip64 sizes from the extra field', () => {
    const zip = rawZip([{ name: 'big', stored: text('x'), zip64UncompressedSize: BigInt(5e9) }]);
    const read = readZipDirectory(zip, limits);
    expect(read.ok && read.directory.entries[0]!.uncompressedSize).toBe(5e9);
  });

  it('refuses entries that share their data', () => {
    const zip = rawZip([{ name: 'a', stored: text('hello') }, { name: 'b', shareDataWith: 0 }]);
    expect(readZipDirectory(zip, limits)).toMatchObject({ ok: false, failure: { kind: 'corrupt' } });
  });

  it('refuses a directory that claims more entries than it holds', () => {
    const zip = rawZip([{ name: 'a', stored: text('hello') }], { declaredCount: 3 });
    expect(readZipDirectory(zip, limits)).toMatchObject({ ok: false, failure: { kind: 'corrupt' } });
  });
});
