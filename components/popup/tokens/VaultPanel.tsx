import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { loadPassphraseJudge, usePassphraseStrength } from '../shared/passphrase-strength';
import { AUTO_LOCK_CHOICES, MIN_PASSPHRASE_LENGTH } from '@/utils/vault/vault';
import type { Problem, Result } from '@/utils/shared/result';
import './tokens.css';
import type { AutoLock, VaultStatus } from '@/utils/vault/types';

export interface VaultPanelActions {
  unlock(passphrase: string): Promise<Result<VaultStatus>>;
  lock(): Promise<Result<VaultStatus>>;
  /** `current` null when no passphrase is set; `next` null removes the passphrase. */
  setPassphrase(current: string | null, next: string | null): Promise<Result<VaultStatus>>;
  setAutoLock(choice: AutoLock): Promise<Result<VaultStatus>>;
}

export interface VaultPanelProps {
  /** null while the background has not answered (nothing is shown then). */
  status: VaultStatus | null;
  actions: VaultPanelActions;
}

const FAILED: Problem = { code: 'popup-error', message: 'The vault did not answer.', hint: 'Try again; if it keeps failing, reopen the popup.' };

export function autoLockLabel(choice: AutoLock): string {
  if (choice === 'immediately') return 'Immediately';
  if (choice === 'restart') return 'When the browser restarts';
  if (choice === 'never') return 'Never';
  if (choice >= 60 && choice % 60 === 0) return `After ${choice / 60} hour${choice === 60 ? '' : 's'}`;
  return `After ${choice} minute${choice === 1 ? '' : 's'}`;
}

/** For the closed Security summary, which shares its line with "Lock now". */
function autoLockShort(choice: AutoLock): string {
  if (choice === 'immediately') return 'locks when idle';
  if (choice === 'restart') return 'locks on restart';
  if (choice === 'never') return 'never locks';
  return choice >= 60 ? `locks after ${choice / 60} h` : `locks after ${choice} min`;
}

function autoLockHint(choice: AutoLock, hasPassphrase: boolean): string {
  if (!hasPassphrase) return 'Applies once a passphrase is set: without one there is nothing to unlock.';
  if (choice === 'immediately') return 'Locks whenever the extension’s background stops, which the browser does after a short idle time.';
  if (choice === 'restart') return 'Stays unlocked until the browser restarts.';
  if (choice === 'never') return 'Stays unlocked, even across restarts, until you click Lock now; meanwhile a copy of the profile can open it.';
  return `Locks after ${autoLockLabel(choice).slice(6)} without use.`;
}

/** A small padlock drawn in the text colour (emoji fonts are missing on some systems). */
export function LockIcon() {
  return (
    <svg class="lock-icon" width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M8 1a4 4 0 0 0-4 4v2H3a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-1V5a4 4 0 0 0-4-4Zm-2.5 6V5a2.5 2.5 0 0 1 5 0v2h-5Z" />
    </svg>
  );
}

function ProblemText(props: { problem: Problem; id?: string }) {
  return (
    <p class="problem" role="alert" id={props.id}>
      <strong>{props.problem.message}</strong> {props.problem.hint}
    </p>
  );
}

/** Calls a vault action; a thrown error becomes a Problem like any other. */
async function attempt(work: () => Promise<Result<VaultStatus>>): Promise<Result<VaultStatus>> {
  try {
    return await work();
  } catch {
    return { ok: false, error: FAILED };
  }
}

function UnlockForm(props: { actions: VaultPanelActions; focus: boolean }) {
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useLayoutEffect(() => {
    if (props.focus) inputRef.current?.focus();
  }, [props.focus]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!passphrase || busy) return;
    setBusy(true);
    setProblem(null);
    const answer = await attempt(() => props.actions.unlock(passphrase));
    setBusy(false);
    if (answer.ok) {
      setPassphrase('');
      return;
    }
    setProblem(answer.error);
    // Typing again replaces the wrong passphrase.
    requestAnimationFrame(() => inputRef.current?.select());
  };

  return (
    <form class="vault-unlock" onSubmit={submit}>
      <p class="vault-state">
        <LockIcon /> Secrets are locked
      </p>
      <div class="vault-row">
        <label for="vault-unlock-passphrase" class="vault-inline-label">
          Passphrase
        </label>
        <input
          id="vault-unlock-passphrase"
          ref={inputRef}
          class="vault-input"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          disabled={busy}
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'vault-unlock-problem' : undefined}
          onInput={(event) => setPassphrase((event.target as HTMLInputElement).value)}
        />
        <button type="submit" class="btn primary" disabled={busy || passphrase === ''}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
      {problem && <ProblemText problem={problem} id="vault-unlock-problem" />}
    </form>
  );
}

function PassphraseForm(props: { hasPassphrase: boolean; actions: VaultPanelActions }) {
  const { hasPassphrase } = props;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState<'set' | 'remove' | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  // The estimator (1.6 MB of dictionaries) loads only once a new passphrase is being typed: a dynamic import.
  const judged = usePassphraseStrength(next, MIN_PASSPHRASE_LENGTH);

  const nextIssue =
    next.length < MIN_PASSPHRASE_LENGTH
      ? `At least ${MIN_PASSPHRASE_LENGTH} characters.`
      : !judged
        ? 'Checking how hard it is to guess…'
        : !judged.strongEnough
          ? `Too easy to guess (${judged.label}). ${judged.advice || 'Add a few more unrelated words.'}`
          : repeat !== next
            ? 'The two new passphrases differ.'
            : null;
  const currentMissing = hasPassphrase && current === '';
  const shownIssue = next !== '' || repeat !== '' ? nextIssue : null;

  const run = async (kind: 'set' | 'remove') => {
    setBusy(kind);
    setProblem(null);
    setDone(null);
    const answer = await attempt(() => props.actions.setPassphrase(hasPassphrase ? current : null, kind === 'remove' ? null : next));
    setBusy(null);
    if (!answer.ok) {
      setProblem(answer.error);
      return;
    }
    setCurrent('');
    setNext('');
    setRepeat('');
    setDone(
      kind === 'remove'
        ? 'Passphrase removed: secrets are now encrypted with this browser profile’s key.'
        : hasPassphrase
          ? 'Passphrase changed.'
          : 'Passphrase set: Astra Companion asks for it whenever the vault has locked.',
    );
  };

  const value = (setter: (text: string) => void) => (event: Event) => setter((event.target as HTMLInputElement).value);

  return (
    <form
      class="vault-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!nextIssue && !currentMissing && !busy) void run('set');
      }}
    >
      <fieldset class="vault-fieldset">
      <legend class="vault-heading">{hasPassphrase ? 'Change or remove the passphrase' : 'Set a passphrase'}</legend>
      <p class="hint vault-explain">
        Without a passphrase, the key that opens your tokens is stored in this browser profile: anyone with a copy of the profile
        (a backup, a synced disk, another user of this computer) can open them. With a passphrase, the tokens open only with it, and
        only while unlocked. A forgotten passphrase cannot be recovered: the tokens would have to be captured again.
      </p>
      {hasPassphrase && (
        <>
          <label for="vault-current" class="vault-label">
            Current passphrase
          </label>
          <input id="vault-current" class="vault-input" type="password" autoComplete="current-password" value={current} disabled={busy !== null} onInput={value(setCurrent)} />
        </>
      )}
      <label for="vault-next" class="vault-label">
        New passphrase
      </label>
      <input
        id="vault-next"
        class="vault-input"
        type="password"
        autoComplete="new-password"
        minLength={MIN_PASSPHRASE_LENGTH}
        value={next}
        disabled={busy !== null}
        aria-describedby="vault-next-help"
        onFocus={() => void loadPassphraseJudge().catch(() => {})}
        onInput={value(setNext)}
      />
      <label for="vault-repeat" class="vault-label">
        Repeat the new passphrase
      </label>
      <input
        id="vault-repeat"
        class="vault-input"
        type="password"
        autoComplete="new-password"
        value={repeat}
        disabled={busy !== null}
        aria-invalid={repeat !== '' && repeat !== next}
        aria-describedby="vault-next-help"
        onInput={value(setRepeat)}
      />
      <p class={`hint${shownIssue ? ' vault-issue' : ''}`} id="vault-next-help">
        {shownIssue ?? (judged ? `Strength: ${judged.label}.` : `At least ${MIN_PASSPHRASE_LENGTH} characters, hard to guess; a few unrelated words are strong and easy to type.`)}
      </p>
      <div class="vault-buttons">
        <button type="submit" class="btn primary" disabled={busy !== null || nextIssue !== null || currentMissing}>
          {busy === 'set' ? 'Saving…' : hasPassphrase ? 'Change passphrase' : 'Set passphrase'}
        </button>
        {hasPassphrase && (
          <button
            type="button"
            class="btn"
            disabled={busy !== null || currentMissing}
            title={currentMissing ? 'Enter the current passphrase first' : 'Go back to the key stored in this browser profile'}
            onClick={() => void run('remove')}
          >
            {busy === 'remove' ? 'Removing…' : 'Remove passphrase'}
          </button>
        )}
      </div>
      </fieldset>
      {problem && <ProblemText problem={problem} />}
      <p class="hint vault-done" role="status">
        {done}
      </p>
    </form>
  );
}

function AutoLockSelect(props: { status: VaultStatus; actions: VaultPanelActions }) {
  const [pending, setPending] = useState<AutoLock | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const shown = pending ?? props.status.autoLock;

  const choose = async (raw: string) => {
    const choice = AUTO_LOCK_CHOICES.find((c) => String(c) === raw);
    if (choice === undefined) return;
    setPending(choice);
    setProblem(null);
    const answer = await attempt(() => props.actions.setAutoLock(choice));
    setPending(null);
    if (!answer.ok) setProblem(answer.error);
  };

  return (
    <div class="vault-form">
      <label for="vault-auto-lock" class="vault-heading">
        Lock automatically
      </label>
      <select
        id="vault-auto-lock"
        class="vault-input"
        value={String(shown)}
        disabled={pending !== null}
        aria-describedby="vault-auto-lock-help"
        onChange={(event) => void choose((event.target as HTMLSelectElement).value)}
      >
        {AUTO_LOCK_CHOICES.map((choice) => (
          <option key={String(choice)} value={String(choice)}>
            {autoLockLabel(choice)}
          </option>
        ))}
      </select>
      <p class="hint" id="vault-auto-lock-help">
        {autoLockHint(shown, props.status.hasPassphrase)}
      </p>
      {problem && <ProblemText problem={problem} />}
    </div>
  );
}

/** What the vault does not protect against, said plainly while it is so. */
function exposure(status: VaultStatus): string | null {
  if (!status.hasPassphrase) return 'No passphrase: anyone with a copy of this browser profile can open your tokens. A passphrase stops that.';
  if (status.autoLock === 'never') return 'Auto-lock is "Never": while unlocked, anyone with a copy of this browser profile can open your tokens.';
  return null;
}

/** Unlocks the vault, or (unlocked) sets the passphrase and the auto-lock time. */
export function VaultPanel(props: VaultPanelProps) {
  const { status, actions } = props;
  const [lockProblem, setLockProblem] = useState<Problem | null>(null);
  const [locking, setLocking] = useState(false);
  const lockedByHand = useRef(false);

  if (!status) return null;

  if (status.locked) {
    const focus = lockedByHand.current;
    lockedByHand.current = false;
    return (
      <section class="vault vault-is-locked" data-testid="vault-panel" aria-label="Vault">
        <UnlockForm actions={actions} focus={focus} />
      </section>
    );
  }

  const lockNow = async () => {
    setLocking(true);
    setLockProblem(null);
    lockedByHand.current = true;
    const answer = await attempt(actions.lock);
    setLocking(false);
    if (!answer.ok) {
      lockedByHand.current = false;
      setLockProblem(answer.error);
    }
  };

  const summaryNote = status.hasPassphrase ? `unlocked · ${autoLockShort(status.autoLock)}` : 'no passphrase set';

  return (
    <section class="vault" data-testid="vault-panel" aria-label="Vault">
      <details class="vault-security">
        <summary>
          <span class="vault-summary-title">Security</span>
          <span class={`vault-summary-note${status.hasPassphrase ? '' : ' vault-summary-warn'}`}>{summaryNote}</span>
        </summary>
        <div class="vault-body">
          <PassphraseForm hasPassphrase={status.hasPassphrase} actions={actions} />
          <AutoLockSelect status={status} actions={actions} />
        </div>
      </details>
      {exposure(status) && (
        <p class="hint vault-exposure" data-testid="vault-exposure">
          {exposure(status)}
        </p>
      )}
      {status.hasPassphrase && (
        <button type="button" class="btn vault-lock-now" disabled={locking} onClick={() => void lockNow()}>
          <LockIcon /> {locking ? 'Locking…' : 'Lock now'}
        </button>
      )}
      {lockProblem && <ProblemText problem={lockProblem} />}
    </section>
  );
}
