/**
 * `scb-check [--json] PATH...`: checks secure connect bundles on disk with the same checker the extension uses.
 * The file system and output are passed in, so the whole tool is testable without Node; bin/scb-check.mjs wires Node.
 */
import { BUNDLE_LIMITS, checkBundle, checkBundleSize, type BundleFacts, type BundleProblem } from '../utils/bundle/check-bundle';

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
  stdout(text: string): void;
  stderr(text: string): void;
  now?: () => Date;
}

export type CliProblem = Omit<BundleProblem, 'code'> & {
  code: BundleProblem['code'] | 'extracted-folder' | 'unreadable' | 'not-a-file';
};

export interface CliReport {
  path: string;
  ok: boolean;
  problems: CliProblem[];
  facts: BundleFacts | null;
}

export const USAGE = `Usage: scb-check [--json] PATH...

Checks that each PATH is a secure connect bundle a driver will accept, and says why not.
  --json      print an array of { path, ok, problems, facts } instead of one line per file
  -h, --help  print this help

Exit status: 0 when every bundle is good, 1 when any is not, 2 on usage errors or a path that is unreadable
or not a regular file (a pipe, a device).
`;

const BUNDLE_FILES = ['config.json', 'cert', 'key', 'ca.crt', 'identity.jks', 'trustStore.jks'];

export async function runScbCheck(argv: string[], io: ScbCheckIo): Promise<number> {
  let json = false;
  const paths: string[] = [];
  let optionsEnded = false;
  for (const arg of argv) {
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && arg === '--json') json = true;
    else if (!optionsEnded && (arg === '-h' || arg === '--help')) {
      io.stdout(USAGE);
      return 0;
    } else if (!optionsEnded && arg.startsWith('-') && arg !== '-') {
      io.stderr(`scb-check: unknown option ${arg}\n\n${USAGE}`);
      return 2;
    } else paths.push(arg);
  }
  if (paths.length === 0) {
    io.stderr(`scb-check: no bundle given\n\n${USAGE}`);
    return 2;
  }

  const reports: CliReport[] = [];
  let unreadable = false;
  for (const path of paths) {
    const report = await checkPath(path, io);
    if (report.problems.some((p) => p.code === 'unreadable' || p.code === 'not-a-file')) unreadable = true;
    reports.push(report);
    if (!json) io.stdout(`${formatLine(report)}\n`);
  }
  if (json) io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
  if (unreadable) return 2;
  return reports.every((r) => r.ok) ? 0 : 1;
}

async function checkPath(path: string, io: ScbCheckIo): Promise<CliReport> {
  let info: PathInfo;
  try {
    info = await io.stat(path);
  } catch (e) {
    return unreadableReport(path, e);
  }
  const size = info.size;
  if (info.isDirectory()) {
    let names: string[] = [];
    try {
      names = await io.readdir(path);
    } catch (e) {
      return unreadableReport(path, e);
    }
    if (names.some((n) => BUNDLE_FILES.includes(n))) {
      return {
        path,
        ok: false,
        problems: [
          {
            code: 'extracted-folder',
            severity: 'error',
            message: 'This is a folder holding the files of an unpacked bundle, not the bundle itself; drivers need the .zip.',
            hint: "Use the original secure-connect-<database>.zip as downloaded (a browser that opens downloads unpacks it into this folder), or download it again from the database's Connect tab.",
          },
        ],
        facts: null,
      };
    }
    return {
      path,
      ok: false,
      problems: [
        {
          code: 'unreadable',
          severity: 'error',
          message: 'This is a folder, not a bundle file.',
          hint: 'Give the path of the secure-connect-<database>.zip file.',
        },
      ],
      facts: null,
    };
  }
  // A FIFO would block the read until a writer comes, and /dev/zero never ends: only regular files are read.
  if (!info.isFile()) return notAFileReport(path, info);
  // A file far too large to be a bundle is judged by its size, without reading it into memory.
  const bySize = checkBundleSize(size, { name: baseName(path) });
  if (bySize) return { path, ...bySize };
  let bytes: Uint8Array;
  try {
    // One byte past the limit is enough for the checker to say "too large" if the file grew since stat.
    bytes = await io.readFile(path, BUNDLE_LIMITS.fileBytes + 1);
  } catch (e) {
    if (errorCode(e) === 'ENOTREGULAR') return notAFileReport(path, info);
    return unreadableReport(path, e);
  }
  const verdict = await checkBundle(bytes, { name: baseName(path), ...(io.now ? { now: io.now() } : {}) });
  return { path, ok: verdict.ok, problems: verdict.problems, facts: verdict.facts };
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
