#!/usr/bin/env node
// Node launcher for scb-check: runs the TypeScript checker through tsx, and wires the real file system and streams.
import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { register } from 'tsx/esm/api';

// Our TypeScript needs no tsconfig paths; ignoring tsconfig keeps the tool working before `wxt prepare` has run.
register({ tsconfig: false });
const { runScbCheck } = await import('../cli/scb-check.ts');
const { parseConnectTo, probeBundle } = await import('../cli/probe-metadata.ts');

/** At most maxBytes of a regular file; O_NONBLOCK so a path swapped for a FIFO after stat cannot block the open. */
async function readRegularFile(path, maxBytes) {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREGULAR' });
    const buffer = Buffer.alloc(maxBytes);
    let length = 0;
    while (length < maxBytes) {
      const { bytesRead } = await handle.read(buffer, length, maxBytes - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  } finally {
    await handle.close();
  }
}

/** Written beside the target and renamed over it, so a failed write never leaves half a bundle. */
async function writeWholeFile(path, bytes) {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const status = await runScbCheck(process.argv.slice(2), {
  readFile: readRegularFile,
  stat: (path) => stat(path),
  readdir: (path) => readdir(path),
  writeFile: writeWholeFile,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  probe: probeBundle,
  parseConnectTo,
});
// A DNS lookup that timed out cannot be cancelled and would hold the process open until the resolver gives up:
// exit once both streams are flushed (pipes are asynchronous on macOS).
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(status);
