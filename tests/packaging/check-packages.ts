/**
 * `npm run zip` ends here: the store checks (store-checks.ts) on both builds, both store zips and the Firefox
 * sources zip, then `web-ext lint` on the Firefox zip: 0 errors, and warnings only from the libraries the README
 * lists. Ends with `N passed, N failed` (one check per package).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { checkBuiltExtension, checkSourcesZip, type PackageFiles, type Target } from './store-checks';

const OUTPUT = path.resolve('.output');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * web-ext lint warnings we accept, one entry per warning, each from a library (README, "Store checks"): its code and
 * the piece of minified source only that library has. A file may carry as many of a code as its library pieces.
 */
export const LIBRARY_WARNINGS = [
  { code: 'DANGEROUS_EVAL', library: 'setimmediate (used by jszip)', source: /setImmediate=function\(\w+\)\{typeof \w+!=`function`&&\(\w+=Function\(``\+\w+\)\)/g },
  { code: 'DANGEROUS_EVAL', library: 'reflect-metadata (needed by @peculiar/x509)', source: /return Function\(`return this;`\)\(\)/g },
  { code: 'DANGEROUS_EVAL', library: 'reflect-metadata (needed by @peculiar/x509)', source: /return\(0,eval\)\(`\(function\(\) \{ return this; \}\)\(\)`\)/g },
  { code: 'UNSAFE_VAR_ASSIGNMENT', library: 'preact (dangerouslySetInnerHTML, which we never use)', source: /\(\w+\.innerHTML=\w+\.__html\)/g },
];

function folderFiles(root: string): PackageFiles {
  const list: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else list.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return { list: () => list, read: (file) => (list.includes(file) ? new Uint8Array(readFileSync(path.join(root, file))) : undefined) };
}

async function zipFiles(file: string): Promise<PackageFiles> {
  const zip = await JSZip.loadAsync(readFileSync(file), { checkCRC32: true });
  const entries = new Map<string, Uint8Array>();
  for (const [name, entry] of Object.entries(zip.files)) if (!entry.dir) entries.set(name, await entry.async('uint8array'));
  return { list: () => [...entries.keys()], read: (name) => entries.get(name) };
}

interface LintMessage { code: string; file?: string; message: string }

/** web-ext lint's findings beyond what the libraries' pieces in each file account for. */
export function unexplainedLint(messages: LintMessage[], readFile: (file: string) => string): LintMessage[] {
  const allowance = new Map<string, number>();
  const unexplained: LintMessage[] = [];
  for (const message of messages) {
    const key = `${message.file}\n${message.code}`;
    if (!allowance.has(key)) {
      const source = message.file ? readFile(message.file) : '';
      const known = LIBRARY_WARNINGS.filter((entry) => entry.code === message.code);
      allowance.set(key, known.reduce((sum, entry) => sum + (source.match(entry.source)?.length ?? 0), 0));
    }
    const left = allowance.get(key)!;
    if (left > 0) allowance.set(key, left - 1);
    else unexplained.push(message);
  }
  return unexplained;
}

async function main() {
  let passed = 0;
  let failed = 0;
  const report = (label: string, problems: string[]) => {
    if (problems.length) failed++;
    else passed++;
    console.log(`${problems.length ? '✘' : '✔'} ${label}${problems.map((p) => `\n    ${p}`).join('')}`);
  };
  const builds: Array<[Target, string, string]> = [
    ['chrome', path.join(OUTPUT, 'chrome-mv3'), path.join(OUTPUT, `astra-companion-${version}-chrome.zip`)],
    ['firefox', path.join(OUTPUT, 'firefox-mv2'), path.join(OUTPUT, `astra-companion-${version}-firefox.zip`)],
  ];
  for (const [target, dir, zip] of builds) {
    report(`${target} build (${path.relative('.', dir)})`, existsSync(dir) ? checkBuiltExtension(target, folderFiles(dir)) : [`no build: run npm run zip`]);
    report(`${target} store zip (${path.basename(zip)})`, existsSync(zip) ? checkBuiltExtension(target, await zipFiles(zip)) : ['no zip: run npm run zip']);
  }
  const sources = path.join(OUTPUT, `astra-companion-${version}-sources.zip`);
  report(`Firefox sources zip (${path.basename(sources)})`, existsSync(sources) ? checkSourcesZip(await zipFiles(sources)) : ['no sources zip: run npm run zip']);

  const firefoxZip = builds[1]![2];
  const lint = spawnSync('npx', ['web-ext', 'lint', '--source-dir', builds[1]![1], '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
  let lintProblems: string[];
  try {
    const result = JSON.parse(lint.stdout.slice(lint.stdout.indexOf('{')));
    const firefoxFiles = folderFiles(builds[1]![1]);
    const readFile = (file: string) => new TextDecoder().decode(firefoxFiles.read(file) ?? new Uint8Array());
    lintProblems = [
      ...result.errors.map((m: LintMessage) => `error ${m.code} in ${m.file}: ${m.message}`),
      ...unexplainedLint([...result.warnings, ...result.notices], readFile).map((m) => `warning ${m.code} in ${m.file}: ${m.message}`),
    ];
    console.log(`  web-ext lint: ${result.summary.errors} errors, ${result.summary.warnings} warnings (${result.warnings.length - unexplainedLint(result.warnings, readFile).length} from libraries, see README), ${result.summary.notices} notices`);
  } catch {
    lintProblems = [`web-ext lint did not run: ${lint.stderr || lint.stdout}`.slice(0, 500)];
  }
  report(`web-ext lint (${path.basename(firefoxZip)} contents)`, lintProblems);
  mkdirSync(path.resolve('tests/.artifacts'), { recursive: true });
  writeFileSync(path.resolve('tests/.artifacts/packages.json'), JSON.stringify({ passed, failed }));
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) await main();
