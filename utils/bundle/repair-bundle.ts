/**
 * Rebuilds a flat secure connect bundle from a re-zipped one (its files under a folder, `__MACOSX/` and `.DS_Store`
 * beside them) or from the files of an unpacked folder: the bundle's own files, at the root, in Astra's entry order.
 * It never invents a file: what is missing stays missing, for the checker to report. Pure: runs in the popup and Node.
 */
import JSZip from 'jszip';
import { fail, ok, type Result } from '../shared/result';
import { crc32, readZipDirectory, type ZipEntryRecord } from '../zip/zip-directory';
import { BUNDLE_LIMITS, OPTIONAL_ENTRIES, REQUIRED_ENTRIES } from './check-bundle';

/** The eight entries of a bundle, in the order Astra writes them. */
export const BUNDLE_ENTRY_ORDER = ['ca.crt', 'key', 'cert', 'identity.jks', 'trustStore.jks', 'config.json', 'cqlshrc', 'cert.pfx'] as const;

export type BundleEntryName = (typeof BUNDLE_ENTRY_ORDER)[number];

/** One file of an unpacked folder: its path relative to what was dropped or chosen ('/' separated). */
export interface BundleFile {
  path: string;
  data: Uint8Array;
}

export interface RepairedBundle {
  /** The flat bundle, deflated with data descriptors as Astra writes it. */
  bytes: Uint8Array;
  /** The entries written, in order. */
  entries: BundleEntryName[];
  /** Bundle entries that were not found: not written, never made up. */
  missing: BundleEntryName[];
  /** The folder the files sat under ('' when they were already at the root). */
  folder: string;
  /** Paths left out: `__MACOSX/` twins, `.DS_Store`, anything that is not a bundle file. */
  dropped: string[];
}

export type RepairProblemCode = 'not-a-bundle' | 'unsafe-input';

const KNOWN: readonly string[] = BUNDLE_ENTRY_ORDER;
const NOT_A_BUNDLE_HINT =
  "Give a secure-connect-<database>.zip, a zip of its unpacked folder, or the folder itself; or download the bundle again from the database's Connect tab.";

/** A flat bundle from a zip whose bundle files may sit under a folder. Reads only the bundle's own entries. */
export async function repairBundleZip(input: Uint8Array, options: { name?: string; date?: Date } = {}): Promise<Result<RepairedBundle, RepairProblemCode>> {
  const label = options.name ?? 'This file';
  if (input.length > BUNDLE_LIMITS.fileBytes) {
    return fail('not-a-bundle', `${label} is far larger than a bundle (about 12 KB), so it is not one.`, NOT_A_BUNDLE_HINT);
  }
  const read = readZipDirectory(input, { maxEntries: BUNDLE_LIMITS.entries });
  if (!read.ok) {
    const why =
      read.failure.kind === 'not-a-zip'
        ? 'is not a zip archive'
        : read.failure.kind === 'too-many-entries'
          ? `lists ${read.failure.count} entries, far more than a bundle's 8`
          : `is a damaged zip (${read.failure.detail})`;
    return fail('not-a-bundle', `${label} ${why}, so there is no bundle in it to repair.`, NOT_A_BUNDLE_HINT);
  }
  const records = read.directory.entries.filter((r) => !r.isDirectory);
  const names = new Set<string>();
  for (const r of records) {
    if (names.has(r.name)) {
      return fail('unsafe-input', `${label} holds "${printable(r.name)}" twice, so which copy is the real one cannot be told.`, NOT_A_BUNDLE_HINT);
    }
    names.add(r.name);
  }
  const layout = chooseFiles(records.map((r) => r.name));
  if (!layout) return notABundle(label);
  const byName = new Map(records.map((r) => [r.name, r]));
  const contents = new Map<BundleEntryName, Uint8Array>();
  for (const [entry, path] of layout.chosen) {
    const data = await inflateEntry(input, byName.get(path)!);
    if (!data) {
      return fail(
        'unsafe-input',
        `${label} is damaged: ${printable(path)} does not unpack to the size and checksum the zip declares, so it was not used.`,
        NOT_A_BUNDLE_HINT,
      );
    }
    contents.set(entry, data);
  }
  return ok(await writeFlat(contents, layout, options.date));
}

/** A flat bundle from the files of an unpacked folder (paths relative to the folder, or to its parent). */
export async function repairBundleFiles(files: BundleFile[], options: { name?: string; date?: Date } = {}): Promise<Result<RepairedBundle, RepairProblemCode>> {
  const label = options.name ?? 'This folder';
  const byPath = new Map<string, Uint8Array>();
  for (const f of files) byPath.set(f.path.replace(/\\/g, '/').replace(/^\.?\/+/, ''), f.data);
  const layout = chooseFiles([...byPath.keys()]);
  if (!layout) return notABundle(label);
  const contents = new Map<BundleEntryName, Uint8Array>();
  for (const [entry, path] of layout.chosen) {
    const data = byPath.get(path)!;
    if (data.length > BUNDLE_LIMITS.entryBytes) {
      return fail('not-a-bundle', `${printable(path)} is far larger than any bundle file, so ${label} is not an unpacked bundle.`, NOT_A_BUNDLE_HINT);
    }
    contents.set(entry, data);
  }
  return ok(await writeFlat(contents, layout, options.date));
}

/** Whether a path of a folder could be one of a bundle's files: callers read only those. */
export function isBundleFilePath(path: string): boolean {
  const base = path.split(/[/\\]/).pop() ?? '';
  return KNOWN.includes(base) && !path.split(/[/\\]/).includes('__MACOSX');
}

interface Layout {
  folder: string;
  chosen: Map<BundleEntryName, string>;
  dropped: string[];
}

/** The shallowest folder that holds the bundle's files (as the checker finds it), and which path is which entry. */
function chooseFiles(paths: string[]): Layout | undefined {
  const candidates = paths.filter((p) => !p.split('/').includes('__MACOSX'));
  let folder: string | undefined;
  if (candidates.some((p) => KNOWN.includes(p))) folder = '';
  for (const anchor of ['config.json', 'cert', 'key', 'ca.crt']) {
    if (folder !== undefined) break;
    for (const p of candidates) {
      if (!p.endsWith(`/${anchor}`)) continue;
      const at = p.slice(0, p.length - anchor.length);
      if (folder === undefined || at.length < folder.length) folder = at;
    }
  }
  if (folder === undefined) return undefined;
  const chosen = new Map<BundleEntryName, string>();
  for (const entry of BUNDLE_ENTRY_ORDER) {
    if (candidates.includes(`${folder}${entry}`)) chosen.set(entry, `${folder}${entry}`);
  }
  if (![...chosen.keys()].some((e) => (REQUIRED_ENTRIES as readonly string[]).includes(e))) return undefined;
  const kept = new Set(chosen.values());
  return { folder: folder.replace(/\/$/, ''), chosen, dropped: paths.filter((p) => !kept.has(p)) };
}

function notABundle(label: string): { ok: false; error: { code: 'not-a-bundle'; message: string; hint: string } } {
  return fail(
    'not-a-bundle',
    `${label} holds none of a secure connect bundle's files (${REQUIRED_ENTRIES.join(', ')}), so there is nothing to repair.`,
    NOT_A_BUNDLE_HINT,
  );
}

async function writeFlat(contents: Map<BundleEntryName, Uint8Array>, layout: Layout, date = new Date()): Promise<RepairedBundle> {
  const zip = new JSZip();
  const entries = BUNDLE_ENTRY_ORDER.filter((e) => contents.has(e));
  for (const entry of entries) zip.file(entry, contents.get(entry)!, { date, createFolders: false });
  // streamFiles writes data descriptors (flag 0x08), as Astra's own bundles have.
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', streamFiles: true });
  const missing = [...REQUIRED_ENTRIES, ...OPTIONAL_ENTRIES].filter((e) => !contents.has(e));
  return { bytes, entries, missing: BUNDLE_ENTRY_ORDER.filter((e) => missing.includes(e)), folder: layout.folder, dropped: layout.dropped };
}

/** One entry's bytes, inflated chunk by chunk and stopped past its declared size; undefined when it does not match. */
async function inflateEntry(zip: Uint8Array, record: ZipEntryRecord): Promise<Uint8Array | undefined> {
  if (record.flags & 0x01 || record.uncompressedSize > BUNDLE_LIMITS.entryBytes) return undefined;
  const raw = zip.subarray(record.dataOffset, record.dataOffset + record.compressedSize);
  let data: Uint8Array;
  if (record.method === 0) data = raw.slice();
  else if (record.method === 8) {
    const inflated = await inflateRaw(raw, record.uncompressedSize);
    if (!inflated) return undefined;
    data = inflated;
  } else return undefined;
  if (data.length !== record.uncompressedSize || crc32(data) !== record.crc32) return undefined;
  return data;
}

async function inflateRaw(raw: Uint8Array, limit: number): Promise<Uint8Array | undefined> {
  try {
    const reader = new Blob([raw as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
      chunks.push(value);
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Names come from untrusted files: short, without control characters. */
function printable(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 80 ? `${clean.slice(0, 77)}...` : clean;
}
