#!/usr/bin/env node
// Node launcher for scb-check: runs the TypeScript checker through tsx, and wires the real file system and streams.
import { readFile, readdir, stat } from 'node:fs/promises';
import { register } from 'tsx/esm/api';

// Our TypeScript needs no tsconfig paths; ignoring tsconfig keeps the tool working before `wxt prepare` has run.
register({ tsconfig: false });
const { runScbCheck } = await import('../cli/scb-check.ts');

process.exitCode = await runScbCheck(process.argv.slice(2), {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  stat: (path) => stat(path),
  readdir: (path) => readdir(path),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
