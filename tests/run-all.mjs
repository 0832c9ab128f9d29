#!/usr/bin/env node
// `npm test`: every check, in order, and one closing line `N passed, N failed` summed over Vitest, Playwright,
// the store package checks and the Firefox suite (their JSON reports give the counts). A failing step that is not a test runner (typecheck,
// build, lint) counts as one failure, so the line never says "0 failed" while the run failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const artifacts = path.resolve('tests/.artifacts');
mkdirSync(artifacts, { recursive: true });
const vitestJson = path.join(artifacts, 'vitest.json');
const playwrightJson = path.join(artifacts, 'playwright.json');
const packagesJson = path.join(artifacts, 'packages.json');
const firefoxJson = path.join(artifacts, 'firefox.json');
const only = new Set(process.argv.slice(2));

let passed = 0;
let failed = 0;
const failedSteps = [];

function run(name, command, args, env = {}) {
  if (only.size && !only.has(name)) return true;
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`── ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!ok) failedSteps.push(name);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function countVitest() {
  const report = readJson(vitestJson);
  if (!report) return false;
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  return true;
}

function countPlaywright() {
  const report = readJson(playwrightJson);
  if (!report?.stats) return false;
  passed += (report.stats.expected ?? 0) + (report.stats.flaky ?? 0);
  failed += report.stats.unexpected ?? 0;
  return true;
}

/** The counts a runner of ours wrote ({passed, failed}): the package checks and the Firefox suite. */
function countOwn(file) {
  const report = readJson(file);
  if (!report) return false;
  passed += report.passed ?? 0;
  failed += report.failed ?? 0;
  return true;
}

const npx = 'npx';
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });
rmSync(packagesJson, { force: true });
rmSync(firefoxJson, { force: true });

run('prepare', npx, ['wxt', 'prepare']);
const typed = run('typecheck', npx, ['tsc', '--noEmit', '-p', 'tsconfig.json']);
const unitRan = run('unit', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (!countVitest() && (!only.size || only.has('unit'))) failed++;
// `wxt zip` builds, then packs: the store zips (and Firefox's sources zip) come from the same builds the tests load.
const built = run('build', npx, ['wxt', 'zip']);
const builtFirefox = run('build-firefox', npx, ['wxt', 'zip', '-b', 'firefox']);
if (existsSync('.output/firefox-mv2')) {
  run('packages', npx, ['tsx', 'tests/packaging/check-packages.ts']);
  if (!countOwn(packagesJson) && (!only.size || only.has('packages'))) failed++;
}
if (built) {
  run('e2e', npx, ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });
  if (!countPlaywright() && (!only.size || only.has('e2e'))) failed++;
}
if (builtFirefox) {
  run('firefox', 'node', ['tests/firefox/run.mjs']);
  if (!countOwn(firefoxJson) && (!only.size || only.has('firefox'))) failed++;
}

const stepFailures = failedSteps.filter((step) => !['unit', 'e2e', 'packages', 'firefox'].includes(step)).length;
failed += stepFailures;
if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
void typed;
void unitRan;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedSteps.length || failed ? 1 : 0);
