/**
 * Reads a zip's central directory straight from the bytes, without inflating anything, so a caller can refuse a
 * truncated, oversized or hostile archive before any decompression starts. Pure TypeScript: runs anywhere.
 */

export interface ZipEntryRecord {
  /** The name as stored, decoded as UTF-8 (CP437 and UTF-8 agree on the ASCII names bundles use). */
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the entry's data starts, read from its local header. */
  dataOffset: number;
  isDirectory: boolean;
}

export interface ZipDirectory {
  entries: ZipEntryRecord[];
  centralDirectoryOffset: number;
  endRecordOffset: number;
  zip64: boolean;
}

export type ZipDirectoryFailure =
  /** Not a zip at all: no end record and no local header at the start. */
  | { kind: 'not-a-zip' }
  /** Cut short: the end record, the directory, or an entry's data lies past the end of the file. */
  | { kind: 'truncated'; detail: string }
  /** The structures are there but do not hold together. */
  | { kind: 'corrupt'; detail: string }
  /** More entries than the caller allows; nothing past the end record was read. */
  | { kind: 'too-many-entries'; count: number };

export type ZipDirectoryResult = { ok: true; directory: ZipDirectory } | { ok: false; failure: ZipDirectoryFailure };

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_RECORD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_RECORD = 0x06064b50;
const MAX_COMMENT = 0xffff;

export function startsLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && bytes[3] === bytes[2] + 1;
}

/** Finds the end-of-central-directory record, preferring one whose comment reaches exactly to the end. */
export function findEndRecord(bytes: Uint8Array): number {
  const view = viewOf(bytes);
  const lowest = Math.max(0, bytes.length - 22 - MAX_COMMENT);
  let loose = -1;
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (bytes[at] !== 0x50 || view.getUint32(at, true) !== END_RECORD) continue;
    const commentLength = view.getUint16(at + 20, true);
    if (at + 22 + commentLength === bytes.length) return at;
    if (loose < 0 && at + 22 + commentLength <= bytes.length) loose = at;
  }
  return loose;
}

export function readZipDirectory(bytes: Uint8Array, opts: { maxEntries: number }): ZipDirectoryResult {
  const view = viewOf(bytes);
  const end = findEndRecord(bytes);
  if (end < 0) {
    if (startsLikeZip(bytes)) return failure({ kind: 'truncated', detail: 'the end of the archive is missing' });
    return failure({ kind: 'not-a-zip' });
  }

  let count = view.getUint16(end + 10, true);
  let directorySize = view.getUint32(end + 12, true);
  let directoryOffset = view.getUint32(end + 16, true);
  let zip64 = false;
  const locator = end - 20;
  if (locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR) {
    const record = safeNumber(view.getBigUint64(locator + 8, true));
    if (record < 0 || record + 56 > locator || view.getUint32(record, true) !== ZIP64_END_RECORD) {
      return failure({ kind: 'corrupt', detail: 'the zip64 end record is missing or misplaced' });
    }
    zip64 = true;
    count = safeNumber(view.getBigUint64(record + 32, true));
    directorySize = safeNumber(view.getBigUint64(record + 40, true));
    directoryOffset = safeNumber(view.getBigUint64(record + 48, true));
    if (count < 0 || directorySize < 0 || directoryOffset < 0) {
      return failure({ kind: 'corrupt', detail: 'the zip64 end record holds impossible numbers' });
    }
  }
  if (count > opts.maxEntries) return failure({ kind: 'too-many-entries', count });

  const directoryEnd = zip64 ? locator - 56 : end;
  if (directoryOffset + directorySize > bytes.length) {
    return failure({ kind: 'truncated', detail: 'the directory of the archive lies past its end' });
  }
  if (directoryOffset + directorySize > Math.max(directoryEnd, end)) {
    return failure({ kind: 'corrupt', detail: 'the directory of the archive overlaps its end record' });
  }

  const entries: ZipEntryRecord[] = [];
  let at = directoryOffset;
  const limit = directoryOffset + directorySize;
  for (let i = 0; i < count; i++) {
    if (at + 46 > limit || view.getUint32(at, true) !== CENTRAL_HEADER) {
      return failure({ kind: 'corrupt', detail: `the directory lists ${count} entries but holds only ${i}` });
    }
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > limit) return failure({ kind: 'corrupt', detail: 'a directory record runs past the directory' });
    const entry = {
      name: decodeName(bytes.subarray(at + 46, at + 46 + nameLength)),
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      crc32: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
      dataOffset: -1,
      isDirectory: false,
    };
    if (!applyZip64Extra(view, at + 46 + nameLength, extraLength, entry)) {
      return failure({ kind: 'corrupt', detail: `the sizes of ${entry.name} are unreadable` });
    }
    entry.isDirectory = entry.name.endsWith('/') || entry.name.endsWith('\\');
    entries.push(entry);
    at = next;
  }

  for (const entry of entries) {
    const local = entry.localHeaderOffset;
    if (local + 30 > directoryOffset) {
      return failure({ kind: local + 30 > bytes.length ? 'truncated' : 'corrupt', detail: `${entry.name} starts past the data` });
    }
    if (view.getUint32(local, true) !== LOCAL_HEADER) {
      return failure({ kind: 'corrupt', detail: `${entry.name} has no local header where the directory says` });
    }
    entry.dataOffset = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (entry.dataOffset + entry.compressedSize > directoryOffset) {
      return failure({ kind: 'truncated', detail: `the data of ${entry.name} runs past the end` });
    }
  }
  // Entries sharing data are how "overlapping" zip bombs multiply a small file; no zip tool writes them.
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1]!;
    if (previous.dataOffset + previous.compressedSize > byOffset[i]!.localHeaderOffset) {
      return failure({ kind: 'corrupt', detail: `${previous.name} and ${byOffset[i]!.name} overlap` });
    }
  }
  return { ok: true, directory: { entries, centralDirectoryOffset: directoryOffset, endRecordOffset: end, zip64 } };
}

/** Replaces 0xFFFFFFFF sizes and offsets by their zip64 extra field values; false when they are missing. */
function applyZip64Extra(
  view: DataView,
  start: number,
  length: number,
  entry: { compressedSize: number; uncompressedSize: number; localHeaderOffset: number },
): boolean {
  const needs = [
    entry.uncompressedSize === 0xffffffff,
    entry.compressedSize === 0xffffffff,
    entry.localHeaderOffset === 0xffffffff,
  ];
  if (!needs.some(Boolean)) return true;
  for (let at = start; at + 4 <= start + length; ) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      const read = () => {
        if (field + 8 > at + 4 + size) return -1;
        const value = safeNumber(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (needs[0]) entry.uncompressedSize = read();
      if (needs[1]) entry.compressedSize = read();
      if (needs[2]) entry.localHeaderOffset = read();
      return entry.uncompressedSize >= 0 && entry.compressedSize >= 0 && entry.localHeaderOffset >= 0;
    }
    at += 4 + size;
  }
  return false;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as zip uses it; pass the previous result to continue over another chunk. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function safeNumber(value: bigint): number {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : -1;
}

const nameDecoder = new TextDecoder('utf-8');

function decodeName(bytes: Uint8Array): string {
  return nameDecoder.decode(bytes);
}

function failure(f: ZipDirectoryFailure): { ok: false; failure: ZipDirectoryFailure } {
  return { ok: false, failure: f };
}
