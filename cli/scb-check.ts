/**
 * `scb-check [--json] [--probe ...] PATH...` and `scb-check --repair INPUT -o OUTPUT.zip`: checks secure connect
 * bundles on disk with the same checker the extension uses, asks their metadata service, or repairs a re-zipped or
 * unpacked one. The file system, the probe and output are passed in, so the tool is testable without Node;
 * bin/scb-check.mjs wires Node.
 */
import type { ProbeOptions, ProbeResult } from './probe-metadata';
import {
  BUNDLE_LIMITS,
  checkBundle,
  checkBundleSize,
  type BundleFacts,
  type BundleProblem,
  type BundleVerdict,
} from '../utils/bundle/check-bundle';
import { quotePosix } from '../utils/bundle/download-commands';
import { isBundleFilePath, repairBundleFiles, repairBundleZip, type BundleFile, type RepairedBundle } from '../utils/bundle/repair-bundle';
import type { Problem, Result } from '../utils/shared/result';

/** What `stat` tells; the optional kinds word the refusal of a path that is not a regular file. */
export interface PathInfo {
  isDirectory(): boolean;
  isFile(): boolean;
  isFIFO?(): boolean;
  isCharacterDevice?(): boolean;
  isBlockDevice?(): boolean;
  isSocket?(): boolean;
  size: number;
}

export interface ScbCheckIo {
  /** Reads at most `maxBytes` of a regular file; rejects anything else (a FIFO, a device) without blocking on it. */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  stat(path: string): Promise<PathInfo>;
  readdir(path: string): Promise<string[]>;
  /** Writes a whole file (the repaired bundle); only --repair writes. */
  writeFile?(path: string, bytes: Uint8Array): Promise<void>;
  stdout(text: string): void;
  stderr(text: string): void;
  now?: () => Date;
  /** Asks the metadata service of a checked bundle (cli/probe-metadata.ts); without it --probe is refused. */
  probe?: (bytes: Uint8Array, verdict: BundleVerdict, options: ProbeOptions) => Promise<Result<ProbeResult>>;
  /** Parses --connect-to's HOST:PORT (cli/probe-metadata.ts). */
  parseConnectTo?: (text: string) => { host: string; port: number } | undefined;
}

export type CliProblem = Omit<BundleProblem, 'code'> & {
  code: BundleProblem['code'] | 'extracted-folder' | 'unreadable' | 'not-a-file' | 'not-a-bundle' | 'unsafe-input' | 'unwritable';
};

/** What --repair did: where the files sat, what was written in order, what was missing and what was left out. */
export interface RepairReport {
  input: string;
  folder: string;
  entries: string[];
  missing: string[];
  dropped: string[];
}

export interface CliReport {
  path: string;
  ok: boolean;
  problems: CliProblem[];
  facts: BundleFacts | null;
  /** With --probe, when the bundle holds what a probe needs. */
  probe?: ProbeResult;
  /** With --repair: the report is on the written OUTPUT. */
  repair?: RepairReport;
}

export const USAGE = `Usage: scb-check [--json] [--probe [--connect-to HOST:PORT] [--timeout SECONDS]] BUNDLE.zip...
       scb-check --repair INPUT -o OUTPUT.zip [--json] [--probe ...]

Checks that each BUNDLE.zip is a secure connect bundle a driver will accept, and says why not.
  --json                print an array of { path, ok, problems, facts[, probe] } instead of lines
  --probe               then ask the bundle's metadata service, as every driver does first: a mutual-TLS
                        GET https://<config.host>:<config.port>/metadata with the bundle's cert and key,
                        trusting only its ca.crt, and say at which stage (dns, tcp, tls, http, metadata)
                        and why it fails
  --connect-to HOST:PORT  connect there instead (a proxy, a private endpoint, a test server); the TLS name
                        and its check stay on config.host
  --timeout SECONDS     limit of each probe stage (default 10)
  --repair INPUT        rebuild a flat bundle from an unpacked folder or a re-zipped one (files under a folder,
                        __MACOSX/, .DS_Store): its own files at the root in Astra's order, nothing made up;
                        then check it (missing files stay reported as missing)
  -o, --output FILE     where --repair writes the bundle
  -h, --help            print this help

Exit status: 0 when every bundle (or the repaired one) is good and, with --probe, its metadata service
answered; 1 when any is not, or INPUT holds no bundle; 2 on usage errors, a path that is unreadable or not a
regular file (a pipe, a device), or an OUTPUT that cannot be written.
`;

const BUNDLE_FILES = ['config.json', 'cert', 'key', 'ca.crt', 'identity.jks', 'trustStore.jks'];
const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_TIMEOUT_SECONDS = 600;

interface CliOptions {
  json: boolean;
  probe?: ProbeOptions;
  paths: string[];
  /** --repair's OUTPUT; paths then holds the one INPUT. */
  repairTo?: string;
}

/** The options, 'help', or a usage error to print. */
function parseArguments(argv: string[], io: ScbCheckIo): CliOptions | 'help' | { usage: string } {
  let json = false;
  let probe = false;
  let connectToText: string | undefined;
  let timeoutText: string | undefined;
  let repair = false;
  let output: string | undefined;
  const paths: string[] = [];
  let optionsEnded = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const valueOf = (name: string): string | undefined => {
      const inline = arg.startsWith(`${name}=`) ? arg.slice(name.length + 1) : undefined;
      if (inline !== undefined) return inline;
      i++;
      return argv[i];
    };
    if (optionsEnded || arg === '-' || !arg.startsWith('-')) paths.push(arg);
    else if (arg === '--') optionsEnded = true;
    else if (arg === '--json') json = true;
    else if (arg === '--probe') probe = true;
    else if (arg === '--repair') repair = true;
    else if (arg === '-o' || arg === '--output' || arg.startsWith('--output=')) {
      output = valueOf('--output');
      if (output === undefined || output === '') return { usage: `${arg} needs the path of the bundle to write` };
    }
    else if (arg === '--connect-to' || arg.startsWith('--connect-to=')) {
      connectToText = valueOf('--connect-to');
      if (connectToText === undefined) return { usage: '--connect-to needs HOST:PORT' };
    } else if (arg === '--timeout' || arg.startsWith('--timeout=')) {
      timeoutText = valueOf('--timeout');
      if (timeoutText === undefined) return { usage: '--timeout needs a number of seconds' };
    } else if (arg === '-h' || arg === '--help') return 'help';
    else return { usage: `unknown option ${arg}` };
  }
  if ((connectToText !== undefined || timeoutText !== undefined) && !probe) {
    return { usage: `${connectToText !== undefined ? '--connect-to' : '--timeout'} only goes with --probe` };
  }
  if (paths.length === 0) return { usage: repair ? '--repair needs an INPUT folder or zip' : 'no bundle given' };
  if (output !== undefined && !repair) return { usage: '-o only goes with --repair' };
  if (repair && output === undefined) return { usage: '--repair needs -o OUTPUT.zip' };
  if (repair && paths.length > 1) return { usage: '--repair takes one INPUT' };
  const options: CliOptions = { json, paths, ...(repair ? { repairTo: output } : {}) };
  if (probe) {
    const seconds = timeoutText === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(timeoutText);
    if (!/^\d+(\.\d+)?$/.test(timeoutText ?? '10') || !(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
      return { usage: `--timeout takes a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, not "${timeoutText}"` };
    }
    options.probe = { timeoutMs: Math.round(seconds * 1000) };
    if (connectToText !== undefined) {
      const connectTo = io.parseConnectTo?.(connectToText);
      if (!connectTo) return { usage: `--connect-to takes HOST:PORT (e.g. 127.0.0.1:29080 or [::1]:29080), not "${connectToText}"` };
      options.probe.connectTo = connectTo;
    }
  }
  return options;
}

export async function runScbCheck(argv: string[], io: ScbCheckIo): Promise<number> {
  const options = parseArguments(argv, io);
  if (options === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if ('usage' in options) {
    io.stderr(`scb-check: ${options.usage}\n\n${USAGE}`);
    return 2;
  }
  if (options.probe && !io.probe) {
    io.stderr('scb-check: --probe is not available here\n');
    return 2;
  }

  if (options.repairTo !== undefined) return runRepair(options.paths[0]!, options.repairTo, options, io);

  const reports: CliReport[] = [];
  let unreadable = false;
  for (const path of options.paths) {
    const { report, bytes, verdict } = await checkPath(path, io);
    if (report.problems.some((p) => p.code === 'unreadable' || p.code === 'not-a-file')) unreadable = true;
    let skipped: Problem | undefined;
    if (options.probe && bytes && verdict) {
      const probed = await io.probe!(bytes, verdict, options.probe);
      if (probed.ok) report.probe = probed.value;
      else skipped = probed.error;
    }
    reports.push(report);
    if (!options.json) {
      io.stdout(`${formatLine(report)}\n`);
      if (options.probe && (report.probe || skipped)) io.stdout(`${formatProbeLine(report.probe, skipped)}\n`);
    }
  }
  if (options.json) io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
  if (unreadable) return 2;
  return reports.every((r) => r.ok && (!options.probe || r.probe?.ok)) ? 0 : 1;
}

/** How many paths of a folder --repair looks at, and how deep: an unpacked bundle has eight files in one folder. */
const MAX_FOLDER_PATHS = 500;
const MAX_FOLDER_DEPTH = 3;

async function runRepair(input: string, output: string, options: CliOptions, io: ScbCheckIo): Promise<number> {
  const refuse = (problem: CliProblem, status: number) => {
    const report: CliReport = { path: input, ok: false, problems: [problem], facts: null };
    io.stdout(options.json ? `${JSON.stringify([report], null, 2)}\n` : `${input}: NOT REPAIRED ${problem.code}: ${problem.message} Hint: ${problem.hint}\n`);
    return status;
  };
  if (!io.writeFile) {
    io.stderr('scb-check: --repair is not available here\n');
    return 2;
  }
  let info: PathInfo;
  try {
    info = await io.stat(input);
  } catch (e) {
    return refuse(unreadableReport(input, e).problems[0]!, 2);
  }
  let repaired: Result<RepairedBundle>;
  if (info.isDirectory()) {
    const files = await readBundleFolder(input, io);
    if (!files.ok) return refuse({ ...files.error, code: 'unreadable', severity: 'error' }, 2);
    repaired = await repairBundleFiles(files.value, { name: input });
  } else if (!info.isFile()) {
    return refuse(notAFileReport(input, info).problems[0]!, 2);
  } else {
    let bytes: Uint8Array;
    try {
      bytes = await io.readFile(input, BUNDLE_LIMITS.fileBytes + 1);
    } catch (e) {
      return refuse((errorCode(e) === 'ENOTREGULAR' ? notAFileReport(input, info) : unreadableReport(input, e)).problems[0]!, 2);
    }
    repaired = await repairBundleZip(bytes, { name: baseName(input) });
  }
  if (!repaired.ok) {
    return refuse({ ...repaired.error, code: repaired.error.code as CliProblem['code'], severity: 'error' }, 1);
  }
  try {
    await io.writeFile(output, repaired.value.bytes);
  } catch (e) {
    const problem: CliProblem = {
      code: 'unwritable',
      severity: 'error',
      message: `The repaired bundle could not be written to ${output} (${errorCode(e) || 'write failed'}).`,
      hint: 'Give -o a path in a folder you can write to, not a folder itself.',
    };
    return refuse(problem, 2);
  }
  const r = repaired.value;
  const verdict = await checkBundle(r.bytes, { name: baseName(output), ...(io.now ? { now: io.now() } : {}) });
  const report: CliReport = {
    path: output,
    ok: verdict.ok,
    problems: verdict.problems,
    facts: verdict.facts,
    repair: { input, folder: r.folder, entries: r.entries, missing: r.missing, dropped: r.dropped },
  };
  let skipped: Problem | undefined;
  if (options.probe && io.probe) {
    const probed = await io.probe(r.bytes, verdict, options.probe);
    if (probed.ok) report.probe = probed.value;
    else skipped = probed.error;
  }
  if (options.json) io.stdout(`${JSON.stringify([report], null, 2)}\n`);
  else {
    io.stdout(`${formatRepairLine(report.repair!, output)}\n${formatLine(report)}\n`);
    if (options.probe) io.stdout(`${formatProbeLine(report.probe, skipped)}\n`);
  }
  return report.ok && (!options.probe || report.probe?.ok) ? 0 : 1;
}

/** "Repaired IN -> OUT: ..." with where the files were, what was left out and what is missing. */
export function formatRepairLine(repair: RepairReport, output: string): string {
  const from = repair.folder ? `the files under "${repair.folder}"` : 'the files at its root';
  const left = repair.dropped.length
    ? `; left out ${repair.dropped.length} other path${repair.dropped.length === 1 ? '' : 's'} (${summarizePaths(repair.dropped)})`
    : '';
  const missing = repair.missing.length ? `; missing, not made up: ${repair.missing.join(', ')}` : '';
  return `Repaired ${repair.input} -> ${output}: ${repair.entries.length} entries from ${from}, flat, in Astra's order${left}${missing}.`;
}

function summarizePaths(paths: string[]): string {
  const macosx = paths.filter((p) => p.split('/').includes('__MACOSX')).length;
  const others = paths.filter((p) => !p.split('/').includes('__MACOSX'));
  const named = others.slice(0, 3).map((p) => baseName(p).replace(/[\u0000-\u001f\u007f]/g, '?'));
  return [
    ...(macosx ? [`${macosx} in __MACOSX/`] : []),
    ...named,
    ...(others.length > 3 ? [`${others.length - 3} more`] : []),
  ].join(', ');
}

/** The bundle files of a folder, read bounded; other paths are listed (so they are reported as left out) but not read. */
async function readBundleFolder(root: string, io: ScbCheckIo): Promise<Result<BundleFile[]>> {
  const files: BundleFile[] = [];
  let seen = 0;
  const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
    const names = await io.readdir(dir);
    for (const name of names.sort()) {
      if (++seen > MAX_FOLDER_PATHS) return;
      const path = `${dir.replace(/\/+$/, '')}/${name}`;
      const info = await io.stat(path);
      const relative = `${prefix}${name}`;
      if (info.isDirectory()) {
        if (depth < MAX_FOLDER_DEPTH) await walk(path, `${relative}/`, depth + 1);
      } else if (!info.isFile()) continue;
      // A bundle file past the entry limit is read one byte past it, so the repair refuses it rather than truncating it.
      else if (isBundleFilePath(relative)) files.push({ path: relative, data: await io.readFile(path, BUNDLE_LIMITS.entryBytes + 1) });
      else files.push({ path: relative, data: new Uint8Array(0) });
    }
  };
  try {
    await walk(root, '', 0);
  } catch (e) {
    return { ok: false, error: unreadableReport(root, e).problems[0]! };
  }
  return { ok: true, value: files };
}

/** The indented line under a bundle's line: what its metadata service said, or why it was not asked. */
export function formatProbeLine(probe: ProbeResult | undefined, skipped?: Problem): string {
  if (!probe) return `  probe skipped: ${skipped?.message ?? 'not probed.'}`;
  if (probe.ok && probe.metadata) {
    const m = probe.metadata;
    const points = `${m.contactPoints} contact point${m.contactPoints === 1 ? '' : 's'}`;
    return `  probe OK: the metadata service answered (${m.region ? `region ${m.region}, ` : ''}local DC ${m.localDc}, SNI proxy ${m.sniProxy}, ${points}); drivers can start connecting.`;
  }
  const p = probe.problem!;
  return `  probe FAILED at ${probe.stage}, ${p.code}: ${p.message} Hint: ${p.hint}`;
}

interface Checked {
  report: CliReport;
  /** The bytes read and their verdict, when the path was a file that was read. */
  bytes?: Uint8Array;
  verdict?: BundleVerdict;
}

async function checkPath(path: string, io: ScbCheckIo): Promise<Checked> {
  let info: PathInfo;
  try {
    info = await io.stat(path);
  } catch (e) {
    return { report: unreadableReport(path, e) };
  }
  const size = info.size;
  if (info.isDirectory()) {
    let names: string[] = [];
    try {
      names = await io.readdir(path);
    } catch (e) {
      return { report: unreadableReport(path, e) };
    }
    if (names.some((n) => BUNDLE_FILES.includes(n))) {
      const problem: CliProblem = {
        code: 'extracted-folder',
        severity: 'error',
        message: 'This is a folder holding the files of an unpacked bundle, not the bundle itself; drivers need the .zip.',
        hint: `Use the original secure-connect-<database>.zip as downloaded (a browser that opens downloads unpacks it into this folder), or download it again from the database's Connect tab. Or run: ${repairCommand(path)}`,
      };
      return { report: { path, ok: false, problems: [problem], facts: null } };
    }
    const problem: CliProblem = {
      code: 'unreadable',
      severity: 'error',
      message: 'This is a folder, not a bundle file.',
      hint: 'Give the path of the secure-connect-<database>.zip file.',
    };
    return { report: { path, ok: false, problems: [problem], facts: null } };
  }
  // A FIFO would block the read until a writer comes, and /dev/zero never ends: only regular files are read.
  if (!info.isFile()) return { report: notAFileReport(path, info) };
  // A file far too large to be a bundle is judged by its size, without reading it into memory.
  const bySize = checkBundleSize(size, { name: baseName(path) });
  if (bySize) return { report: { path, ...bySize } };
  let bytes: Uint8Array;
  try {
    // One byte past the limit is enough for the checker to say "too large" if the file grew since stat.
    bytes = await io.readFile(path, BUNDLE_LIMITS.fileBytes + 1);
  } catch (e) {
    if (errorCode(e) === 'ENOTREGULAR') return { report: notAFileReport(path, info) };
    return { report: unreadableReport(path, e) };
  }
  const verdict = await checkBundle(bytes, { name: baseName(path), ...(io.now ? { now: io.now() } : {}) });
  // On the command line the fix for a re-zipped bundle is one command away.
  const problems = verdict.problems.map((p) =>
    p.code === 'nested-folder' ? { ...p, hint: `${p.hint} Or run: ${repairCommand(path)}` } : p,
  );
  return { report: { path, ok: verdict.ok, problems, facts: verdict.facts }, bytes, verdict };
}

function repairCommand(path: string): string {
  const quote = (s: string) => (/^[\w./@%+=:,-]+$/.test(s) ? s : quotePosix(s));
  return `scb-check --repair ${quote(path)} -o repaired.zip`;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}

function notAFileReport(path: string, info: PathInfo): CliReport {
  const what = info.isFIFO?.()
    ? 'a named pipe'
    : info.isCharacterDevice?.() || info.isBlockDevice?.()
      ? 'a device'
      : info.isSocket?.()
        ? 'a socket'
        : 'not a regular file';
  return {
    path,
    ok: false,
    problems: [
      {
        code: 'not-a-file',
        severity: 'error',
        message: what === 'not a regular file' ? 'This is not a regular file.' : `This is ${what}, not a file.`,
        hint: 'Give the path of the secure-connect-<database>.zip file itself; scb-check reads only regular files.',
      },
    ],
    facts: null,
  };
}

function unreadableReport(path: string, error: unknown): CliReport {
  const code = errorCode(error);
  const why =
    code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : 'it cannot be read';
  return {
    path,
    ok: false,
    problems: [{ code: 'unreadable', severity: 'error', message: `Cannot read this path: ${why}.`, hint: 'Check the path and try again.' }],
    facts: null,
  };
}

/** One line per file: "PATH: OK (...)" or "PATH: FAILED code: message Hint: ... | code: ...". */
export function formatLine(report: CliReport): string {
  const describe = (p: CliProblem) => `${p.severity === 'warning' ? 'warning ' : ''}${p.code}: ${p.message} Hint: ${p.hint}`;
  if (report.ok) {
    const f = report.facts;
    const bits = [
      f?.config?.dbId ? `database ${f.config.dbId}` : f?.config?.host ? `host ${f.config.host}` : '',
      f?.config?.region ? `region ${f.config.region}` : '',
      f?.certificates.cert ? `certificate valid until ${f.certificates.cert.notAfter.slice(0, 10)}` : '',
    ].filter(Boolean);
    const warnings = report.problems.filter((p) => p.severity === 'warning').map(describe);
    return `${report.path}: OK${bits.length ? ` (${bits.join(', ')})` : ''}${warnings.length ? ` | ${warnings.join(' | ')}` : ''}`;
  }
  return `${report.path}: FAILED ${report.problems.map(describe).join(' | ')}`;
}

function baseName(path: string): string {
  return path.split(/[/\\]/).filter(Boolean).pop() ?? path;
}
