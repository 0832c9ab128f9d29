// @vitest-environment node
/**
 * The import route end to end in Node: the popup's side offers the file on a real BroadcastChannel, the background's
 * side (the same wantFile the browser ports use) takes it under the id it issued. Real export zips, real records.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackground } from './start-background';
import { fakePorts, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../../tests/unit/fixtures/fake-ports';
import { filledStore, T0 } from '../../tests/unit/fixtures/filled-store';
import { exportStore } from '../backup/export-store';
import { FILE_CHANNEL, offerFile, wantFile } from '../protocol/file-handover';
import { listBundles, listTokens } from '../store/queries';
import type { ImportReport } from '../backup/types';
import type { Result } from '../shared/result';

const popup = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}popup.html` };
const consoleTab = { id: TEST_EXTENSION_ID, url: 'https://astra.datastax.com/org/x/database/y/connect', tab: { id: 7 }, frameId: 0 };
const channel = () => new BroadcastChannel(FILE_CHANNEL) as unknown as Parameters<typeof offerFile>[0];

let exported: Uint8Array;
beforeAll(async () => {
  const store = await filledStore({ bundles: 4, tokens: 3 });
  const made = await exportStore({ db: store.db, vault: store.vault, extensionVersion: 'test', now: () => T0, tokens: { mode: 'plain-csv' } });
  if (!made.ok) throw new Error(made.error.message);
  exported = made.value;
});

let n = 0;
function setup() {
  const ports = fakePorts({ now: () => T0, receiveFile: (id) => wantFile(channel(), id, { timeoutMs: 1_000, askEveryMs: 100 }) });
  const background = startBackground(ports, { storeName: `import-requests-${++n}` });
  const handle = (message: unknown, sender: typeof popup | typeof consoleTab = popup) => background.onMessage(message, sender) as Promise<unknown>;
  return { handle, db: background.services.db, ports };
}

/** What BackupTab does: an id from the background, the file offered under it, then the import. */
async function importThroughChannel(handle: ReturnType<typeof setup>['handle'], file: Blob, offerAs?: string) {
  const begun = (await handle({ type: 'import-begin', size: file.size })) as Result<{ id: string }>;
  if (!begun.ok) return { begun, report: undefined };
  const stop = offerFile(channel(), offerAs ?? begun.value.id, file);
  try {
    return { begun, id: begun.value.id, report: (await handle({ type: 'import-store', id: begun.value.id })) as Result<ImportReport> };
  } finally {
    stop();
  }
}

describe('import through the extension channel', () => {
  it("takes the popup's file as a Blob under the id it issued, imports it, and honours that id only once", async () => {
    const { handle, db } = setup();
    const { report, id } = await importThroughChannel(handle, new Blob([exported as BlobPart]));
    expect(report).toMatchObject({ ok: true, value: { added: { bundles: 4, tokens: 3 } } });
    expect(await listBundles(await db())).toHaveLength(4);
    expect(await listTokens(await db())).toHaveLength(3);

    const stop = offerFile(channel(), id!, new Blob([exported as BlobPart]));
    try {
      expect(await handle({ type: 'import-store', id })).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    } finally {
      stop();
    }
  });

  it('refuses a content script both steps, and an id nobody issued', async () => {
    const { handle, db } = setup();
    expect(await handle({ type: 'import-begin', size: 10 }, consoleTab)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    const begun = (await handle({ type: 'import-begin', size: exported.length })) as Result<{ id: string }>;
    if (!begun.ok) throw new Error('no id');
    const stop = offerFile(channel(), begun.value.id, new Blob([exported as BlobPart]));
    try {
      expect(await handle({ type: 'import-store', id: begun.value.id }, consoleTab)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
      expect(await handle({ type: 'import-store', id: 'f'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
      expect(await handle({ type: 'import-store', id: { toString: () => begun.value.id } })).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    } finally {
      stop();
    }
    expect(await listBundles(await db())).toHaveLength(0);
  });

  it('stores nothing when the file never comes under its id, or is not an export, or is too large to start', async () => {
    const { handle, db } = setup();
    const elsewhere = await importThroughChannel(handle, new Blob([exported as BlobPart]), 'another-id');
    expect(elsewhere.report).toMatchObject({ ok: false, error: { code: 'not-a-zip', message: 'The file did not reach the extension.' } });
    const junk = await importThroughChannel(handle, new Blob([new Uint8Array(4096).fill(7)]));
    expect(junk.report).toMatchObject({ ok: false, error: { code: 'not-a-zip' } });
    const huge = await handle({ type: 'import-begin', size: 300 * 1024 * 1024 });
    expect(huge).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(await listBundles(await db())).toHaveLength(0);
    expect(await listTokens(await db())).toHaveLength(0);
  });
});
