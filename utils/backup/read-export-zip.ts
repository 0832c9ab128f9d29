/**
 * Reading an export zip: the directory checked before any entry is inflated (names, sizes, count, no tricks),
 * then one entry at a time, inflated no further than it declares and checked against its CRC-32.
 * Nothing here knows what an export holds; validate-records.ts does.
 */
import { fail, ok, type Problem, type Result } from '../shared/result';
import { crc32, readZipDirectory, type ZipEntryRecord } from '../zip/zip-directory';
import { MAX_BUNDLE_DOWNLOAD } from '../bundle/check-bundle';
import type { ImportProblemCode } from './types';

export interface ImportLimits {
  /** The zip file itself. */
  maxBytes: number;
  maxEntries: number;
  /** All entries inflated, as their directory declares them (checked before inflating anything). */
  maxTotalSize: number;
  maxJsonSize: number;
  maxBundleSize: number;
  maxRecords: number;
}

export const IMPORT_LIMITS: ImportLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxEntries: 20_000,
  maxTotalSize: 512 * 1024 * 1024,
  maxJsonSize: 64 * 1024 * 1024,
  maxBundleSize: MAX_BUNDLE_DOWNLOAD,
  maxRecords: 10_000,
};


type Failure = { ok: false; error: Problem<ImportProblemCode> };

export const PICK_EXPORT_HINT = 'Choose a zip saved with "Export everything" in Astra Companion, as it was saved.';
const DAMAGED_HINT = 'The file was changed or damaged after it was exported: export again from the original browser, or use another copy. Nothing was imported.';

export const damaged = (why: string): Failure => fail('damaged', `This export is damaged: ${why}.`, DAMAGED_HINT);

export function readEntries(bytes: Uint8Array, limits: ImportLimits): Result<Map<string, ZipEntryRecord>, ImportProblemCode> {
  const directory = readZipDirectory(bytes, { maxEntries: limits.maxEntries });
  if (!directory.ok) {
    const failure = directory.failure;
    if (failure.kind === 'not-a-zip') return fail('not-a-zip', 'This file is not a zip.', PICK_EXPORT_HINT);
    if (failure.kind === 'too-many-entries') {
      return fail('too-large', `This zip holds ${failure.count} entries, more than an export can (${limits.maxEntries}).`, PICK_EXPORT_HINT);
    }
    return damaged(failure.kind === 'truncated' ? `it is cut short (${failure.detail})` : failure.detail);
  }
  const files = new Map<string, ZipEntryRecord>();
  let total = 0;
  for (const entry of directory.directory.entries) {
    if (!isSafeEntryPath(entry.name)) {
      return fail('unsafe-path', `This zip holds an entry with an unsafe name (${printable(entry.name)}).`, 'It was not made by Astra Companion: nothing was imported.');
    }
    if (entry.flags & 1) return damaged(`${printable(entry.name)} is encrypted`);
    if (entry.isDirectory) continue;
    if (files.has(entry.name)) return damaged(`${printable(entry.name)} appears twice`);
    if (entry.method !== 0 && entry.method !== 8) return damaged(`${printable(entry.name)} uses a compression this reader does not know`);
    total += entry.uncompressedSize;
    if (total > limits.maxTotalSize) {
      return fail('too-large', `This zip unpacks to more than ${megabytes(limits.maxTotalSize)} MB, more than an export can hold.`, PICK_EXPORT_HINT);
    }
    files.set(entry.name, entry);
  }
  return ok(files);
}

/**
 * A relative path whose every segment is a plain name: no `..` or `.`, no empty segment, no leading `/`, no
 * backslash, colon (drive letters, NTFS streams), control or invisible format characters, and already in NFC.
 */
export function isSafeEntryPath(name: string): boolean {
  if (name.length === 0 || name.length > 512 || name !== name.normalize('NFC')) return false;
  const path = name.endsWith('/') ? name.slice(0, -1) : name;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\:*?"<>|]/u.test(segment));
}

export function printable(name: string): string {
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  return shown.replace(/[\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function megabytes(n: number): number {
  return Math.round(n / (1024 * 1024));
}

/** One entry's bytes, inflated no further than its declared size, and checked against its CRC-32. */
export async function readEntry(bytes: Uint8Array, entry: ZipEntryRecord, limit: number): Promise<Uint8Array | string> {
  if (entry.uncompressedSize > limit) return 'is larger than an export ever holds';
  const raw = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  let data: Uint8Array | undefined;
  if (entry.method === 0) data = entry.compressedSize === entry.uncompressedSize ? raw.slice() : undefined;
  else data = await inflateRaw(raw, entry.uncompressedSize);
  if (!data) return 'cannot be unpacked';
  if (crc32(data) !== entry.crc32) return 'does not match its checksum';
  return data;
}

/** Raw deflate with the platform's DecompressionStream, stopped as soon as it outgrows `expected`. */
async function inflateRaw(input: Uint8Array, expected: number): Promise<Uint8Array | undefined> {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  writer.write(input.slice()).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const out = new Uint8Array(expected);
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > expected) {
        await reader.cancel().catch(() => undefined);
        return undefined;
      }
      out.set(value, at);
      at += value.length;
    }
  } catch {
    return undefined;
  }
  return at === expected ? out : undefined;
}

export function parseJsonEntry(data: Uint8Array | string, path: string): Result<unknown, ImportProblemCode> {
  if (typeof data === 'string') return damaged(`${path} ${data}`);
  try {
    return ok(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)));
  } catch {
    return damaged(`${path} is not valid JSON`);
  }
}
