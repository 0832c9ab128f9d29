// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { FILE_CHANNEL, offerFile, wantFile } from './file-handover';

const channel = () => new BroadcastChannel(FILE_CHANNEL) as unknown as Parameters<typeof offerFile>[0];
const bytesOf = async (blob: Blob | undefined) => (blob ? new Uint8Array(await blob.arrayBuffer()) : undefined);

describe('handing a file to the background over the extension channel', () => {
  it('gives the offered Blob, byte for byte, to the one asking for its id', async () => {
    const content = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
    const stop = offerFile(channel(), 'id-1', new Blob([content]));
    try {
      const got = await wantFile(channel(), 'id-1', { timeoutMs: 5_000 });
      expect(got).toBeInstanceOf(Blob);
      expect(await bytesOf(got)).toEqual(content);
    } finally {
      stop();
    }
  });

  it('asks again until a page that was still connecting answers', async () => {
    const wanted = wantFile(channel(), 'id-2', { timeoutMs: 5_000, askEveryMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stop = offerFile(channel(), 'id-2', new Blob(['late but there']));
    try {
      expect(new TextDecoder().decode(await bytesOf(await wanted))).toBe('late but there');
    } finally {
      stop();
    }
  });

  it('takes nothing offered under another id, and gives up when no page answers', async () => {
    const stop = offerFile(channel(), 'someone-else', new Blob(['not yours']));
    try {
      expect(await wantFile(channel(), 'id-3', { timeoutMs: 300, askEveryMs: 50 })).toBeUndefined();
    } finally {
      stop();
    }
  });

  it('a page that stopped offering no longer answers', async () => {
    offerFile(channel(), 'id-4', new Blob(['gone']))();
    expect(await wantFile(channel(), 'id-4', { timeoutMs: 300, askEveryMs: 50 })).toBeUndefined();
  });
});
