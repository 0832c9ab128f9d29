import { useRef, useState } from 'preact/hooks';
import type { BundleVerdict, CheckBundleOptions } from '@/utils/bundle/check-bundle';
import { formatBytes, formatDate } from '@/utils/shared/format';
import { recognizeUnpackedBundle, type DownloadFinding } from '@/utils/downloads/judge-download';

/** How many entries of a dropped folder are looked at: an unpacked bundle has eight. */
const MAX_FOLDER_ENTRIES = 500;

/** What "Save repaired bundle" rebuilds from: a re-zipped file's bytes, or a folder's files (read on demand). */
type RepairSource =
  | { kind: 'zip'; name: string; bytes: Uint8Array }
  | { kind: 'folder'; name: string; files: FolderFile[] };

interface FolderFile {
  path: string;
  /** At most maxBytes of the file, so a huge file with a bundle file's name is never read whole. */
  read(maxBytes: number): Promise<Uint8Array>;
}

type Outcome =
  | { kind: 'checking'; name: string }
  | { kind: 'file'; name: string; verdict: BundleVerdict; repair?: RepairSource }
  | { kind: 'folder'; name: string; finding?: DownloadFinding; count: number; repair?: RepairSource }
  | { kind: 'error'; message: string };

type RepairState =
  | { kind: 'working' }
  | { kind: 'done'; name: string; saved: boolean; verdict: BundleVerdict; dropped: number }
  | { kind: 'refused'; message: string; hint: string };

type Checker = (bytes: Uint8Array, options: CheckBundleOptions) => Promise<BundleVerdict>;

/** The checker (zip and X.509 code) loads only when a file is checked, so the popup opens as fast as before. */
async function loadChecker(): Promise<{ check: Checker; maxBytes: number }> {
  const { checkBundle, BUNDLE_LIMITS } = await import('@/utils/bundle/check-bundle');
  return { check: checkBundle, maxBytes: BUNDLE_LIMITS.fileBytes };
}

export interface CheckFileProps {
  /** The bundle checker; the real one unless a test passes another. */
  check?: Checker;
  now?: () => number;
  /** Opens this check in a tab: some browsers (Firefox) close the popup while their file picker is open. */
  openInTab?: () => void;
  /** Saves the repaired bundle; a download of a blob URL unless a test passes another. */
  saveFile?: (bytes: Uint8Array, fileName: string) => void | Promise<void>;
}

function saveInBrowser(bytes: Uint8Array, fileName: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const anchor = Object.assign(document.createElement('a'), { href: url, download: fileName });
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The repaired bundle, checked; saved only when a driver will accept it (a bundle still missing a file is not offered). */
async function repairAndSave(
  source: RepairSource,
  check: Checker | undefined,
  now: Date,
  save: (bytes: Uint8Array, fileName: string) => void | Promise<void>,
): Promise<RepairState> {
  const { repairBundleFiles, repairBundleZip, isBundleFilePath } = await import('@/utils/bundle/repair-bundle');
  const checker = check ?? (await loadChecker()).check;
  let repaired;
  if (source.kind === 'zip') repaired = await repairBundleZip(source.bytes, { name: source.name });
  else {
    const { BUNDLE_LIMITS } = await import('@/utils/bundle/check-bundle');
    // Only the bundle's own files are read; the others only count as left out.
    const files = await Promise.all(
      source.files.map(async (f) => ({ path: f.path, data: isBundleFilePath(f.path) ? await f.read(BUNDLE_LIMITS.entryBytes + 1) : new Uint8Array(0) })),
    );
    repaired = await repairBundleFiles(files, { name: source.name });
  }
  if (!repaired.ok) return { kind: 'refused', message: repaired.error.message, hint: repaired.error.hint };
  const name = source.kind === 'zip' && /\.zip$/i.test(source.name) ? source.name : `${source.name}.zip`;
  const verdict = await checker(repaired.value.bytes, { name, now });
  if (verdict.ok) await save(repaired.value.bytes, name);
  return { kind: 'done', name, saved: verdict.ok, verdict, dropped: repaired.value.dropped.length };
}

/** Files of a dropped folder, paths relative to its parent; stops at MAX_FOLDER_ENTRIES. */
async function folderFiles(root: FileSystemDirectoryEntry): Promise<FolderFile[]> {
  const paths: FolderFile[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string, depth: number): Promise<void> => {
    const reader = dir.createReader();
    // readEntries answers in batches until an empty one.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) return;
      for (const entry of batch) {
        if (paths.length >= MAX_FOLDER_ENTRIES) return;
        const path = `${prefix}${entry.name}`;
        if (entry.isDirectory) {
          if (depth < 3) await walk(entry as FileSystemDirectoryEntry, `${path}/`, depth + 1);
        } else {
          const file = entry as FileSystemFileEntry;
          paths.push({
            path,
            read: (maxBytes) =>
              new Promise<File>((resolve, reject) => file.file(resolve, reject)).then(async (f) => new Uint8Array(await f.slice(0, maxBytes).arrayBuffer())),
          });
        }
      }
    }
  };
  await walk(root, `${root.name}/`, 0);
  return paths;
}

function RepairResult(props: { state: RepairState }) {
  const { state } = props;
  if (state.kind === 'working') return <p class="hint">Repairing…</p>;
  if (state.kind === 'refused') {
    return (
      <p class="problem" data-testid="repair-result">
        <strong>Not repaired: {state.message}</strong> {state.hint}
      </p>
    );
  }
  return (
    <div data-testid="repair-result">
      <p class="hint">
        {state.saved
          ? `Saved ${state.name}: the bundle's files at the top of the zip, in Astra's order${state.dropped ? `, without the ${state.dropped} other file${state.dropped === 1 ? '' : 's'} (__MACOSX/, .DS_Store…)` : ''}.`
          : `Not saved: rebuilt as ${state.name}, it would still fail in the drivers.`}
      </p>
      <Verdict outcome={{ kind: 'file', name: state.name, verdict: state.verdict }} />
    </div>
  );
}

function Verdict(props: { outcome: Outcome }) {
  const { outcome } = props;
  if (outcome.kind === 'checking') return <p class="hint">Checking {outcome.name}…</p>;
  if (outcome.kind === 'error') return <p class="problem">{outcome.message}</p>;
  if (outcome.kind === 'folder') {
    if (!outcome.finding) {
      return (
        <p class="warning-text">
          <strong>{outcome.name}</strong> is a folder without bundle files ({outcome.count} files looked at). Drop the secure-connect-*.zip itself.
        </p>
      );
    }
    return (
      <div>
        <p class="problem">
          <strong>{outcome.name}</strong>: {outcome.finding.message}
        </p>
        <p class="hint">{outcome.finding.hint}</p>
      </div>
    );
  }
  const { verdict, name } = outcome;
  const errors = verdict.problems.filter((p) => p.severity === 'error');
  const warnings = verdict.problems.filter((p) => p.severity === 'warning');
  const facts = verdict.facts;
  const cert = facts.certificates.cert?.notAfter;
  return (
    <div>
      {verdict.ok ? (
        <p class="bundle-link">
          <span class="badge badge-verified">Good bundle</span> <strong>{name}</strong>: {formatBytes(facts.size)}, {facts.entries.length} files
          {facts.config?.host ? `, host ${facts.config.host}` : ''}
          {cert ? `, cert valid until ${formatDate(cert)}` : ''}. A driver will accept it.
        </p>
      ) : (
        <p class="bundle-link">
          <span class="badge badge-problem">Not usable</span> <strong>{name}</strong> ({formatBytes(facts.size)}) will fail in the drivers.
        </p>
      )}
      <ul>
        {[...errors, ...warnings].map((problem) => (
          <li key={problem.code + problem.message} class={problem.severity === 'error' ? 'problem' : 'warning-text'} data-code={problem.code}>
            <strong>{problem.message}</strong> {problem.hint}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Check a bundle by hand: drop a file (or an unpacked folder) or choose one. The bytes stay in the popup: the
 * checker runs here and nothing is uploaded anywhere.
 */
export function CheckFile(props: CheckFileProps) {
  const now = props.now ?? Date.now;
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [repair, setRepair] = useState<RepairState | null>(null);

  const checkFile = async (file: File) => {
    setRepair(null);
    setOutcome({ kind: 'checking', name: file.name });
    try {
      const checker = props.check ? { check: props.check, maxBytes: 1024 * 1024 } : await loadChecker();
      // A bundle is ~12 KB: past the checker's limit one more byte is enough for it to say "too large".
      const bytes = new Uint8Array(await file.slice(0, checker.maxBytes + 1).arrayBuffer());
      const verdict = await checker.check(bytes, { name: file.name, now: new Date(now()) });
      const rezipped = verdict.problems.some((p) => p.code === 'nested-folder');
      setOutcome({ kind: 'file', name: file.name, verdict, ...(rezipped ? { repair: { kind: 'zip', name: file.name, bytes } } : {}) });
    } catch {
      setOutcome({ kind: 'error', message: `${file.name} could not be read. Choose the file again.` });
    }
  };

  const checkFolder = (name: string, files: FolderFile[]) => {
    setRepair(null);
    const finding = recognizeUnpackedBundle(files.map((f) => f.path));
    setOutcome({ kind: 'folder', name, finding, count: files.length, ...(finding ? { repair: { kind: 'folder', name, files } } : {}) });
  };

  const saveRepaired = async (source: RepairSource) => {
    setRepair({ kind: 'working' });
    try {
      setRepair(await repairAndSave(source, props.check, new Date(now()), props.saveFile ?? saveInBrowser));
    } catch {
      setRepair({ kind: 'refused', message: `${source.name} could not be repaired here.`, hint: 'Choose it again, or use scb-check --repair on the command line.' });
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const item = event.dataTransfer?.items?.[0];
    // The entry must be taken during the event: the items are gone after it.
    const entry = item?.webkitGetAsEntry?.() ?? null;
    if (entry?.isDirectory) {
      setOutcome({ kind: 'checking', name: entry.name });
      folderFiles(entry as FileSystemDirectoryEntry)
        .then((files) => checkFolder(entry.name, files))
        .catch(() => setOutcome({ kind: 'error', message: `The folder ${entry.name} could not be read.` }));
      return;
    }
    const file = item?.getAsFile() ?? event.dataTransfer?.files?.[0];
    if (file) void checkFile(file);
  };

  const onFolderChosen = (input: HTMLInputElement) => {
    const files = Array.from(input.files ?? []);
    if (!files.length) return;
    const chosen = files.slice(0, MAX_FOLDER_ENTRIES).map((file) => ({
      path: file.webkitRelativePath || file.name,
      read: async (maxBytes: number) => new Uint8Array(await file.slice(0, maxBytes).arrayBuffer()),
    }));
    checkFolder(chosen[0]?.path.split('/')[0] ?? 'folder', chosen);
    input.value = '';
  };

  return (
    <section aria-labelledby="check-file-title" data-testid="check-file">
      <h2 id="check-file-title" style={{ fontSize: '13px', margin: '10px 0 6px' }}>
        Check a bundle file
      </h2>
      <button
        type="button"
        class="bundle"
        data-testid="drop-zone"
        style={{
          display: 'block',
          width: '100%',
          padding: '18px 10px',
          border: `2px dashed ${over ? 'var(--accent)' : 'var(--line)'}`,
          cursor: 'pointer',
          font: 'inherit',
          color: 'inherit',
          textAlign: 'center',
        }}
        onClick={() => fileInput.current?.click()}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <strong>Drop a secure-connect-*.zip or its unpacked folder here</strong>
        <br />
        <span class="hint">or press to choose a file. It is checked here; nothing is uploaded.</span>
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".zip,application/zip,application/x-zip-compressed"
        hidden
        data-testid="file-input"
        onChange={(event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          if (file) void checkFile(file);
          input.value = '';
        }}
      />
      <input
        ref={(node) => {
          folderInput.current = node;
          node?.setAttribute('webkitdirectory', '');
        }}
        type="file"
        hidden
        data-testid="folder-input"
        onChange={(event) => onFolderChosen(event.currentTarget)}
      />
      <div class="actions">
        <button type="button" class="btn subtle" onClick={() => folderInput.current?.click()}>
          Check an unpacked folder…
        </button>
        {props.openInTab && (
          <button type="button" class="btn subtle" onClick={props.openInTab} title="Some browsers close this popup while their file picker is open">
            Open in a tab
          </button>
        )}
      </div>
      <div role="status" aria-live="polite" data-testid="check-result">
        {outcome && <Verdict outcome={outcome} />}
        {outcome && (outcome.kind === 'file' || outcome.kind === 'folder') && outcome.repair && (
          <div class="actions">
            <button
              type="button"
              class="btn"
              data-testid="save-repaired"
              disabled={repair?.kind === 'working'}
              title="Puts the bundle's own files back at the top of a new zip, in Astra's order, checks it and saves it; no file is made up"
              onClick={() => void saveRepaired(outcome.repair!)}
            >
              Save repaired bundle
            </button>
          </div>
        )}
        {repair && <RepairResult state={repair} />}
      </div>
    </section>
  );
}
