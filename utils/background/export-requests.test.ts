// @vitest-environment node
/**
 * The export route end to end in Node: the background offers the zip on a real BroadcastChannel (the same offerFile
 * the browser ports use), the popup's side takes it under the id the answer named, as BackupTab does.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { startBackground } from './start-background';
import { fakePorts, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../../tests/unit/fixtures/fake-ports';
import { T0 } from '../../tests/unit/fixtures/filled-store';
import { FILE_CHANNEL, offerFile, wantFile } from '../protocol/file-handover';
import type { Result } from '../shared/result';

const popup = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}popup.html` };
const consoleTab = { id: TEST_EXTENSION_ID, url: 'https://astra.datastax.com/org/x/database/y/connect', tab: { id: 7 }, frameId: 0 };
const channel = () => new BroadcastChannel(FILE_CHANNEL) as unknown as Parameters<typeof offerFile>[0];

let n = 0;
function setup() {
  let stops = 0;
  const ports = fakePorts({
    now: () => T0,
    offerFile: (id, file) => {
      const stop = offerFile(channel(), id, file);
      return () => (stops++, stop());
    },
  });
  const background = startBackground(ports, { storeName: `export-requests-${++n}` });
  const handle = (message: unknown, sender: typeof popup | typeof consoleTab = popup) => background.onMessage(message, sender) as Promise<unknown>;
  return { handle, stops: () => stops };
}

type Exported = Result<{ handover: string; fileName: string; size: number }>;

describe('export over the extension channel', () => {
  it('hands the popup the zip under the id its answer names, and lets it go once saved', async () => {
    const { handle, stops } = setup();
    const answer = (await handle({ type: 'export-store', tokens: { mode: 'none' } })) as Exported;
    if (!answer.ok) throw new Error(answer.error.message);
    const file = await wantFile(channel(), answer.value.handover, { timeoutMs: 2_000, askEveryMs: 100 });
    expect(file?.size).toBe(answer.value.size);
    const zip = await JSZip.loadAsync(await file!.arrayBuffer(), { checkCRC32: true });
    expect(Object.keys(zip.files)).toContain('manifest.json');
    expect(await handle({ type: 'export-saved', handover: answer.value.handover })).toEqual({ ok: true });
    expect(stops()).toBe(1);
    // Once let go, nothing answers for that id any more, and saying so again is no error.
    expect(await wantFile(channel(), answer.value.handover, { timeoutMs: 300, askEveryMs: 100 })).toBeUndefined();
    expect(await handle({ type: 'export-saved', handover: answer.value.handover })).toEqual({ ok: false });
  });

  it('a newer export replaces one never taken; an id nobody offered gets nothing', async () => {
    const { handle, stops } = setup();
    const first = (await handle({ type: 'export-store', tokens: { mode: 'none' } })) as Exported;
    const second = (await handle({ type: 'export-store', tokens: { mode: 'none' } })) as Exported;
    if (!first.ok || !second.ok) throw new Error('export failed');
    expect(first.value.handover).not.toBe(second.value.handover);
    expect(stops()).toBe(1);
    expect(await wantFile(channel(), first.value.handover, { timeoutMs: 300, askEveryMs: 100 })).toBeUndefined();
    expect(await wantFile(channel(), 'f'.repeat(32), { timeoutMs: 300, askEveryMs: 100 })).toBeUndefined();
    expect((await wantFile(channel(), second.value.handover, { timeoutMs: 2_000, askEveryMs: 100 }))?.size).toBe(second.value.size);
    await handle({ type: 'export-saved', handover: second.value.handover });
  });

  it('is for the popup only: a console page gets neither an export nor a handover id', async () => {
    const { handle } = setup();
    expect(await handle({ type: 'export-store', tokens: { mode: 'plain-csv' } }, consoleTab)).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
    expect(await handle({ type: 'export-saved', handover: 'x' }, consoleTab)).toEqual({ ok: false });
  });
});
