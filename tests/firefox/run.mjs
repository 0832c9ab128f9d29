#!/usr/bin/env node
// `npm run test:firefox`: the Firefox end-to-end specs (node's test runner, one Firefox per spec file, one file at a
// time on 2 cores), then one closing line `N passed, N failed`; the counts also go to tests/.artifacts/firefox.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.spec.ts') && (!only.length || only.some((wanted) => name.includes(wanted))))
  .sort()
  .map((name) => path.join(here, name));
// The spec files are TypeScript: each child process loads them through tsx.
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim();

let passed = 0;
let failed = 0;
const stream = run({ files, concurrency: 1, timeout: 170_000 });
stream.on('test:pass', (event) => {
  if (event.nesting === 0 && !event.skip && !event.todo && event.details?.type !== 'suite') passed++;
});
stream.on('test:fail', (event) => {
  if (event.nesting === 0 && event.details?.type !== 'suite') failed++;
});
stream.compose(spec).pipe(process.stdout);
await new Promise((resolve) => stream.once('end', resolve));
if (!files.length) failed++;

const artifacts = path.resolve(here, '../.artifacts');
mkdirSync(artifacts, { recursive: true });
writeFileSync(path.join(artifacts, 'firefox.json'), JSON.stringify({ passed, failed }));
// Let the spec reporter flush before the closing line.
await new Promise((resolve) => setImmediate(resolve));
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
