import { loadPassphraseJudge, usePassphraseStrength } from '../shared/passphrase-strength';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Problem, Result } from '@/utils/shared/result';
import type { ImportReport, TokenExportChoice } from '@/utils/backup/types';

/** Matches the vault's minimum for export passphrases. */
const MIN_PASSPHRASE = 8;

/**
 * Everything comes in through props, so the popup decides where the work runs (and loads the zip code only when
 * it is used): `exportAll`/`importAll` are exportStore/importStore with db, vault and clock bound.
 */
export interface ExportPanelProps {
  exportAll(tokens: TokenExportChoice): Promise<Result<Uint8Array | Blob>>;
  /** The chosen file as it is (a Blob): the background reads it, the popup never copies its bytes. */
  importAll(file: Blob, options: { passphrase?: string; skipTokens?: boolean }): Promise<Result<ImportReport>>;
  /** Hands the bytes to the browser's download (or a test). */
  saveFile(bytes: Uint8Array | Blob, fileName: string): void | Promise<void>;
  tokenCount: number;
  bundleCount: number;
  /** Locked vault: tokens cannot be exported until it is unlocked (bundles still can). */
  vaultLocked?: boolean;
  /** Called after an import changed the store, to reload the lists. */
  onImported?(): void;
  /** Opens this panel in a tab: some browsers (Firefox) close the popup while their file picker is open. */
  openInTab?: () => void;
  now?: () => number;
}

type TokenChoice = 'encrypted' | 'none' | 'plain-csv';

/** Form rows stack; the popup's stylesheet has no form rules of its own. */
const ROW = { display: 'block', margin: '4px 0' } as const;
const FIELD = { display: 'block', width: '100%', margin: '2px 0 6px' } as const;

/** `astra-companion-export-2026-11-23.zip`, as exportFileName in utils/export-store names it. */
function exportName(now: number): string {
  return `astra-companion-export-${new Date(now).toISOString().slice(0, 10)}.zip`;
}

function ProblemText(props: { problem: Problem }) {
  return (
    <p class="problem" role="alert">
      <strong>{props.problem.message}</strong> {props.problem.hint}
    </p>
  );
}

function ExportSection(props: ExportPanelProps) {
  // Encrypted unless the user picks otherwise (token counts arrive after the first render).
  const [choice, setChoice] = useState<TokenChoice>('encrypted');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [plainConfirmed, setPlainConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const withTokens = props.tokenCount > 0 && choice !== 'none';
  // Judged like the vault's passphrase: the file may travel, and its passphrase stands against offline guessing.
  const judged = usePassphraseStrength(choice === 'encrypted' ? passphrase : '', MIN_PASSPHRASE);
  const passphraseIssue =
    choice !== 'encrypted' || props.tokenCount === 0
      ? null
      : passphrase.length < MIN_PASSPHRASE
        ? `At least ${MIN_PASSPHRASE} characters.`
        : !judged
          ? 'Checking how hard it is to guess…'
          : !judged.strongEnough
            ? `Too easy to guess (${judged.label}). ${judged.advice || 'Add a few more unrelated words.'}`
            : passphrase !== repeat
              ? 'The two passphrases differ.'
              : null;
  const typed = passphrase !== '' || repeat !== '';
  const passphraseHelp =
    typed && passphraseIssue
      ? passphraseIssue
      : `${judged ? `Strength: ${judged.label}. ` : `At least ${MIN_PASSPHRASE} characters, hard to guess. `}Not stored anywhere: without it the tokens in the file cannot be read. README.txt in the zip says how to decrypt them.`;
  const blocked = busy || (withTokens && props.vaultLocked) || passphraseIssue !== null || (choice === 'plain-csv' && !plainConfirmed);

  const run = async () => {
    setBusy(true);
    setProblem(null);
    setStatus('Exporting…');
    const tokens: TokenExportChoice =
      !withTokens ? { mode: 'none' } : choice === 'encrypted' ? { mode: 'encrypted', passphrase } : { mode: 'plain-csv' };
    try {
      const result = await props.exportAll(tokens);
      if (!result.ok) {
        setProblem(result.error);
        setStatus(null);
        return;
      }
      const fileName = exportName((props.now ?? Date.now)());
      await props.saveFile(result.value, fileName);
      setStatus(
        `Saved ${fileName}: ${props.bundleCount} bundles, ` +
          (tokens.mode === 'none' ? 'no tokens.' : tokens.mode === 'encrypted' ? `${props.tokenCount} tokens encrypted with your passphrase.` : `${props.tokenCount} tokens in plain text.`),
      );
      setPassphrase('');
      setRepeat('');
      setPlainConfirmed(false);
    } finally {
      setBusy(false);
    }
  };

  const pickChoice = (next: TokenChoice) => {
    setChoice(next);
    setPlainConfirmed(false);
  };

  return (
    <section class="group" aria-labelledby="export-heading">
      <h2 id="export-heading">Export everything</h2>
      <p class="hint">
        One zip with every bundle record, each kept bundle byte for byte, and (if you choose) your tokens. Import it here or
        in another browser.
      </p>
      {props.tokenCount > 0 && (
        <fieldset class="export-tokens" style={{ border: '1px solid var(--line)', borderRadius: '6px', margin: '6px 0', padding: '6px 8px' }}>
          <legend>Tokens ({props.tokenCount})</legend>
          <label style={ROW}>
            <input type="radio" name="export-tokens" value="encrypted" checked={choice === 'encrypted'} onChange={() => pickChoice('encrypted')} />{' '}
            Encrypted with a passphrase (recommended)
          </label>
          <label style={ROW}>
            <input type="radio" name="export-tokens" value="none" checked={choice === 'none'} onChange={() => pickChoice('none')} /> Leave tokens out
          </label>
          {/* One choice, one control: plain CSV is the third way to export tokens, not a checkbox beside the radios. */}
          <label style={ROW}>
            <input type="radio" name="export-tokens" value="plain-csv" checked={choice === 'plain-csv'} onChange={() => pickChoice('plain-csv')} /> Plain CSV,
            not encrypted
          </label>
          {choice === 'encrypted' && (
            <div class="passphrase">
              <label for="export-passphrase" style={ROW}>Export passphrase</label>
              <input
                id="export-passphrase"
                style={FIELD}
                type="password"
                autoComplete="new-password"
                value={passphrase}
                aria-describedby="export-passphrase-help"
                onFocus={() => void loadPassphraseJudge().catch(() => {})}
                onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)}
              />
              <label for="export-passphrase-repeat" style={ROW}>Repeat the passphrase</label>
              <input
                id="export-passphrase-repeat"
                style={FIELD}
                type="password"
                autoComplete="new-password"
                value={repeat}
                aria-invalid={repeat !== '' && repeat !== passphrase}
                aria-describedby="export-passphrase-help"
                onInput={(e) => setRepeat((e.target as HTMLInputElement).value)}
              />
              <p class="hint" id="export-passphrase-help">
                {passphraseHelp}
              </p>
            </div>
          )}
          {choice === 'plain-csv' && (
            <div class="warning-text" role="alert">
              <p>
                <strong>Anyone who gets this file can use your tokens.</strong> tokens.csv holds every token and client secret
                in the clear, in the console's GeneratedToken.csv layout. Keep it private and delete it when done.
              </p>
              <label style={ROW}>
                <input type="checkbox" checked={plainConfirmed} onChange={(e) => setPlainConfirmed((e.target as HTMLInputElement).checked)} /> I understand:
                export my secrets unencrypted
              </label>
            </div>
          )}
          {withTokens && props.vaultLocked && <p class="warning-text">The vault is locked: unlock it in the Tokens tab to export tokens, or leave them out.</p>}
        </fieldset>
      )}
      <div class="actions">
        <button type="button" class={`btn ${choice === 'plain-csv' ? 'danger' : 'primary'}`} disabled={blocked} onClick={run}>
          {choice === 'plain-csv' && withTokens ? 'Export with plain tokens' : 'Export everything'}
        </button>
      </div>
      {problem && <ProblemText problem={problem} />}
      <p class="hint" role="status" aria-live="polite">
        {status}
      </p>
    </section>
  );
}

function ReportView(props: { report: ImportReport }) {
  const { added, updated, skipped, refused } = props.report;
  const line = (label: string, counts: { bundles: number; tokens: number }) => (
    <li>
      {label}: {counts.bundles} bundles, {counts.tokens} tokens
    </li>
  );
  return (
    <div data-testid="import-report">
      <ul>
        {line('Added', added)}
        {line('Updated (newer in the file)', updated)}
        {line('Skipped (same or newer here)', skipped)}
      </ul>
      {refused.length > 0 && (
        <details open={refused.length <= 5}>
          <summary>Left out: {refused.length}</summary>
          <ul>
            {refused.slice(0, 100).map((r) => (
              <li key={r.path}>
                <code>{r.path}</code>: {r.reason}
              </li>
            ))}
            {refused.length > 100 && <li>…and {refused.length - 100} more.</li>}
          </ul>
        </details>
      )}
    </div>
  );
}

function ImportSection(props: ExportPanelProps) {
  const passphraseInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const outcome = useRef<HTMLDivElement>(null);
  // The result lands below the Import button, under the fold of a short popup: bring it into view.
  useEffect(() => {
    if (report || problem) outcome.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [report, problem]);

  const run = async (skipTokens: boolean) => {
    if (!file) return;
    setBusy(true);
    setProblem(null);
    setReport(null);
    try {
      const result = await props.importAll(file, { passphrase: passphrase || undefined, skipTokens });
      if (!result.ok) {
        setProblem(result.error);
        if (result.error.code === 'passphrase-needed' || result.error.code === 'wrong-passphrase') passphraseInput.current?.focus();
        return;
      }
      setReport(result.value);
      setPassphrase('');
      const changed = result.value.added.bundles + result.value.added.tokens + result.value.updated.bundles + result.value.updated.tokens;
      if (changed > 0) props.onImported?.();
    } catch {
      setProblem({ code: 'unreadable', message: 'The file could not be read.', hint: 'Choose the file again.' });
    } finally {
      setBusy(false);
    }
  };

  const needsPassphrase = problem?.code === 'passphrase-needed' || problem?.code === 'wrong-passphrase';

  return (
    <section class="group" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      <p class="hint">
        Merges an export into what is here: new records are added, a newer record replaces an older one, the same record is
        skipped. A damaged or foreign file changes nothing.
      </p>
      <label for="import-file" style={ROW}>
        Export file (.zip)
      </label>
      <input
        id="import-file"
        style={FIELD}
        type="file"
        accept=".zip,application/zip"
        onChange={(e) => {
          setFile((e.target as HTMLInputElement).files?.[0] ?? null);
          setProblem(null);
          setReport(null);
        }}
      />
      {props.openInTab && (
        <p class="hint">
          File picker closes the popup?{' '}
          <button type="button" class="btn subtle" onClick={props.openInTab}>
            Open in a tab
          </button>
        </p>
      )}
      <div class="passphrase">
        <label for="import-passphrase" style={ROW}>Passphrase of the export (for its tokens)</label>
        <input
          id="import-passphrase"
          style={FIELD}
          ref={passphraseInput}
          type="password"
          autoComplete="off"
          value={passphrase}
          aria-invalid={problem?.code === 'wrong-passphrase'}
          onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="actions">
        <button type="button" class="btn primary" disabled={!file || busy} onClick={() => run(false)}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        {needsPassphrase && (
          <button type="button" class="btn" disabled={busy} onClick={() => run(true)}>
            Import bundles only
          </button>
        )}
      </div>
      <div ref={outcome} role="status" aria-live="polite">
        {problem && <ProblemText problem={problem} />}
        {report && <ReportView report={report} />}
      </div>
    </section>
  );
}

/** Export everything to one zip, and import such a zip back. */
export function ExportPanel(props: ExportPanelProps) {
  return (
    <div class="export-panel">
      <ExportSection {...props} />
      <ImportSection {...props} />
    </div>
  );
}
