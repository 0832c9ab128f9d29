import { describe, expect, it } from 'vitest';
import { createBytesSaver, type SaveBytesDeps } from './save-bytes';

const BYTES = new TextEncoder().encode('PK\u0005\u0006 not really a zip');

function downloads() {
  const calls: Array<Parameters<SaveBytesDeps['download']>[0]> = [];
  return { calls, download: async (options: (typeof calls)[number]) => (calls.push(options), calls.length) };
}

describe('saving bytes through the downloads API', () => {
  it("Chrome's service worker (no object URLs): a data: URL with the bytes and the type", async () => {
    const api = downloads();
    const saver = createBytesSaver({ download: api.download });
    expect(await saver.save(BYTES, 'secure-connect-orders.zip', true)).toBe(1);
    expect(api.calls[0]).toMatchObject({ filename: 'secure-connect-orders.zip', saveAs: true, conflictAction: 'uniquify' });
    expect(api.calls[0]!.url).toBe(`data:application/zip;base64,${Buffer.from(BYTES).toString('base64')}`);
  });

  it("Firefox's background page: a blob: URL holding the same bytes, released only when the download has ended", async () => {
    const api = downloads();
    const revoked: string[] = [];
    const saver = createBytesSaver({ download: api.download, objectUrls: { createObjectURL: (blob) => URL.createObjectURL(blob), revokeObjectURL: (url) => void revoked.push(url) } });
    const id = await saver.save(BYTES, 'GeneratedToken.csv', true, 'text/csv');
    const url = api.calls[0]!.url;
    expect(url).toMatch(/^blob:/);
    const blob = await (await fetch(url)).blob();
    expect(blob.type).toBe('text/csv');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(BYTES);
    saver.onChanged({ id, state: { current: 'in_progress' } });
    expect(revoked).toEqual([]);
    saver.onChanged({ id, state: { current: 'complete' } });
    expect(revoked).toEqual([url]);
  });

  it('releases the blob: URL when the download could not start (the user cancelled Save As)', async () => {
    const revoked: string[] = [];
    const saver = createBytesSaver({
      download: async () => Promise.reject(new Error('Download canceled by the user')),
      objectUrls: { createObjectURL: () => 'blob:moz-extension://x/1', revokeObjectURL: (url) => void revoked.push(url) },
    });
    await expect(saver.save(BYTES, 'a.zip', true)).rejects.toThrow(/canceled/);
    expect(revoked).toEqual(['blob:moz-extension://x/1']);
  });
});
