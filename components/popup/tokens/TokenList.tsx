import { describeSave } from '@/utils/downloads/save-outcome-text';
import type { SaveOutcome } from '@/utils/downloads/types';
import { ActionMenu, type MenuItem } from '../shared/ActionMenu';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Problem, Result } from '@/utils/shared/result';
import { formatCountdown, formatRelative } from '@/utils/shared/format';
import { LockIcon } from './VaultPanel';
import './tokens.css';
import type { TokenRecord } from '@/utils/token/types';

/** Lists get tokens without their sealed boxes (store/queries' TokenRow). */
type ShownToken = Omit<TokenRecord, 'sealed'>;

export interface TokenListActions {
  /** The token and its secret in the clear (the vault must be unlocked). */
  reveal(id: string): Promise<Result<{ token: string; secret?: string }>>;
  /** Saves the token details (with the secret) through the browser's downloads. */
  saveFile(id: string, format: 'csv' | 'json'): Promise<Result<{ fileName: string; saved: SaveOutcome }>>;
  setLabel(id: string, label: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Copies and clears the clipboard later (copyThenClear). */
  copy(text: string): Promise<void>;
}

export interface TokenListProps {
  tokens: ShownToken[];
  now: number;
  /** The vault is locked: nothing secret can be read, so reveal, copy and download are off. */
  locked: boolean;
  actions: TokenListActions;
  /** Organization names by lowercase id, learned from the console. */
  orgNames?: Record<string, string>;
}

/** A revealed token and secret disappear again after this long. */
export const REVEAL_MS = 60_000;
const LOCKED_NOTE = 'Unlock to see or copy secrets';
const NO_SECRET_NOTE = 'No secret was captured with this token, only the token itself';
const LABEL_MAX = 100;
/** Captured this much after it was generated (say, from a file later): both times are worth showing. */
const CAPTURE_LATER_MS = 3_600_000;
const SECRET_DOTS = '•'.repeat(16);

type Revealed = { token: string; secret?: string };
type Busy = 'reveal' | 'copy-token' | 'copy-secret' | 'csv' | 'json' | 'label' | 'delete' | null;

function ProblemText(props: { problem: Problem }) {
  return (
    <p class="problem" role="alert">
      <strong>{props.problem.message}</strong> {props.problem.hint}
    </p>
  );
}

function When(props: { at: number; now: number }) {
  const date = new Date(props.at);
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {formatRelative(props.at, props.now)}
    </time>
  );
}

function LabelEditor(props: { token: ShownToken; onSave(label: string): Promise<void> }) {
  const { token } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const inputId = `token-label-${token.id}`;

  // Layout effects: focus moves in the same frame the field appears, so typed keys are never lost.
  useLayoutEffect(() => {
    if (editing) inputRef.current?.focus();
    else if (returnFocus.current) editRef.current?.focus();
    returnFocus.current = false;
  }, [editing]);

  const start = () => {
    setDraft(token.label ?? '');
    setEditing(true);
  };
  const stop = () => {
    returnFocus.current = true;
    setEditing(false);
  };
  const save = async () => {
    setSaving(true);
    try {
      await props.onSave(draft.trim());
      stop();
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <form
        class="tok-label-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label for={inputId} class="tok-label-caption">
          Label
        </label>
        <input
          id={inputId}
          ref={inputRef}
          class="tok-label-input"
          type="text"
          value={draft}
          maxLength={LABEL_MAX}
          placeholder="e.g. billing service, staging"
          disabled={saving}
          aria-describedby={`${inputId}-help`}
          onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              stop();
            }
          }}
        />
        <button type="submit" class="btn primary" disabled={saving}>
          Save
        </button>
        <button type="button" class="btn" onClick={stop} disabled={saving}>
          Cancel
        </button>
        <span id={`${inputId}-help`} class="tok-sr-only">
          Enter saves, Escape cancels.
        </span>
      </form>
    );
  }
  return (
    <div class="tok-label-row">
      {token.label ? <span class="tok-label">{token.label}</span> : <span class="tok-label-empty">No label</span>}
      <button
        ref={editRef}
        type="button"
        class="tok-icon-btn"
        aria-label={token.label ? `Edit label of token ${token.clientId}` : `Add label to token ${token.clientId}`}
        title={token.label ? 'Edit label' : 'Add a label'}
        onClick={start}
      >
        <span aria-hidden="true">✎</span> {token.label ? 'Edit' : 'Add label'}
      </button>
    </div>
  );
}

/**
 * A token card's buttons: Copy token leads (what people come for), Reveal and Copy secret beside it, the files and
 * Delete under "More": four at most. Copy buttons keep their width when they say "Copied".
 */
function TokenActions(props: {
  locked: boolean;
  busy: Busy;
  copied: 'token' | 'secret' | null;
  revealed: boolean;
  hasSecret: boolean;
  clientId: string;
  factsId: string;
  confirmDelete: boolean;
  secretTitle?: string;
  onReveal(): void;
  onCopy(what: 'token' | 'secret'): void;
  onDownload(format: 'csv' | 'json'): void;
  onDelete(): void;
}) {
  const { locked, busy } = props;
  const steady = (label: string, shown: boolean, busyLabel?: string) => (
    <>
      <span class={shown ? 'held' : 'shown'} aria-hidden={shown ? 'true' : undefined}>
        {busyLabel ?? label}
      </span>
      <span class={shown ? 'shown' : 'held'} aria-hidden={shown ? undefined : 'true'}>
        Copied
      </span>
    </>
  );
  const menu: MenuItem[] = [
    { label: busy === 'csv' ? 'Saving CSV…' : 'Download CSV', disabled: locked || busy !== null, title: locked ? LOCKED_NOTE : "Save the token details as a CSV file like the console's GeneratedToken.csv", run: () => props.onDownload('csv') },
    { label: busy === 'json' ? 'Saving JSON…' : 'Download JSON', disabled: locked || busy !== null, title: locked ? LOCKED_NOTE : "Save the token details as a JSON file like the console's token.json", run: () => props.onDownload('json') },
    ...(props.confirmDelete ? [] : [{ label: 'Delete…', danger: true, run: props.onDelete }]),
  ];
  return (
    <div class="tok-actions actions">
      <button type="button" class="btn steady primary" disabled={locked || busy !== null} title={locked ? LOCKED_NOTE : 'Copy the token (AstraCS:…)'} onClick={() => props.onCopy('token')}>
        {steady('Copy token', props.copied === 'token')}
      </button>
      <button
        type="button"
        class="btn"
        aria-pressed={props.revealed}
        aria-controls={props.factsId}
        disabled={locked || (busy !== null && busy !== 'reveal')}
        title={locked ? LOCKED_NOTE : props.revealed ? 'Hide the token and secret' : `Show the token and secret for ${REVEAL_MS / 1000} seconds`}
        onClick={props.onReveal}
      >
        {busy === 'reveal' ? 'Opening…' : props.revealed ? 'Hide' : 'Reveal'}
      </button>
      <button type="button" class="btn steady" disabled={locked || !props.hasSecret || busy !== null} title={props.secretTitle ?? 'Copy the client secret'} onClick={() => props.onCopy('secret')}>
        {steady('Copy secret', props.copied === 'secret')}
      </button>
      <ActionMenu label={`More for token ${props.clientId}`} items={menu} />
    </div>
  );
}

function TokenRow(props: { token: ShownToken; now: number; locked: boolean; actions: TokenListActions; orgName?: string }) {
  const { token, now, locked, actions } = props;
  const [revealed, setRevealed] = useState<{ value: Revealed; at: number } | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [copied, setCopied] = useState<'token' | 'secret' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const confirmTouched = useRef(false);
  const factsId = `token-facts-${token.id}`;

  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(null), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [revealed]);

  // Locking (by hand or auto-lock) hides whatever was shown.
  useEffect(() => {
    if (locked) setRevealed(null);
  }, [locked]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  useLayoutEffect(() => {
    if (!confirmTouched.current) return;
    (confirmDelete ? keepRef : deleteRef).current?.focus();
  }, [confirmDelete]);

  const run = async (kind: Exclude<Busy, null>, work: () => Promise<void>) => {
    setBusy(kind);
    setProblem(null);
    setMessage(null);
    try {
      await work();
    } catch {
      setProblem({ code: 'popup-error', message: 'That did not work.', hint: 'Try again; if it keeps failing, reopen the popup.' });
    } finally {
      setBusy(null);
    }
  };

  /** The plaintext, from what is shown or freshly from the vault; kept only in this call unless revealed. */
  const plaintext = async (): Promise<Revealed | null> => {
    if (revealed) return revealed.value;
    const answer = await actions.reveal(token.id);
    if (!answer.ok) {
      setProblem(answer.error);
      return null;
    }
    return answer.value;
  };

  const toggleReveal = () =>
    run('reveal', async () => {
      if (revealed) {
        setRevealed(null);
        return;
      }
      const value = await plaintext();
      if (value) setRevealed({ value, at: Date.now() });
    });

  const copy = (what: 'token' | 'secret') =>
    run(what === 'token' ? 'copy-token' : 'copy-secret', async () => {
      const value = await plaintext();
      if (!value) return;
      const text = what === 'token' ? value.token : value.secret;
      if (!text) {
        setProblem({ code: 'no-secret', message: 'No secret is kept for this token.', hint: 'Only the token was captured; use it with the username "token".' });
        return;
      }
      try {
        await actions.copy(text);
      } catch {
        setProblem({
          code: 'clipboard',
          message: 'The browser did not let Astra Companion use the clipboard.',
          hint: 'Click inside the popup and try again.',
        });
        return;
      }
      setCopied(what);
      setMessage(`${what === 'token' ? 'Token' : 'Secret'} copied.`);
    });

  const download = (format: 'csv' | 'json') =>
    run(format, async () => {
      const answer = await actions.saveFile(token.id, format);
      if (!answer.ok) setProblem(answer.error);
      else setMessage(`${describeSave(answer.value.saved)}${answer.value.saved.state !== 'failed' && token.hasSecret ? ' It holds the secret in plain text: keep it somewhere safe.' : ''}`);
    });

  const askDelete = (open: boolean) => {
    confirmTouched.current = true;
    setConfirmDelete(open);
  };

  const secretTitle = locked ? LOCKED_NOTE : !token.hasSecret ? NO_SECRET_NOTE : undefined;
  const revealLeft = revealed ? Math.min(REVEAL_MS, revealed.at + REVEAL_MS - now) : 0;
  const generatedMs = token.generatedOn ? Date.parse(token.generatedOn) : Number.NaN;
  const generatedAt = Number.isNaN(generatedMs) ? undefined : generatedMs;
  // The organization's name when the console told it (find-org-names.ts); else the start of its id.
  const shortOrg = props.orgName ?? (token.orgId && token.orgId.length > 8 ? `${token.orgId.slice(0, 8)}…` : token.orgId);

  return (
    <li
      class={`token${token.secretCheck === 'mismatch' ? ' token-mismatch' : ''}`}
      data-testid="token-row"
      data-client-id={token.clientId}
    >
      <div class="tok-head">
        <h2 class="tok-title" id={`token-title-${token.id}`}>
          {token.role ?? 'Role unknown'}
        </h2>
        {token.secretCheck === 'match' && (
          <span class="tok-badge tok-badge-match" title="The secret's SHA-256 equals the token's hash part">
            Secret verified
          </span>
        )}
        {token.secretCheck === 'no-secret' && (
          <span class="tok-badge tok-badge-none" title={NO_SECRET_NOTE}>
            Token only
          </span>
        )}
      </div>
      <LabelEditor token={token} onSave={(label) => actions.setLabel(token.id, label)} />
      {token.secretCheck === 'mismatch' && (
        <div class="tok-warning" data-testid="secret-mismatch">
          <strong>
            <span aria-hidden="true">⚠ </span>Secret does not match this token
          </strong>
          <span>
            The kept secret is not the one Astra generated with this token, so client id + secret will not log in. The token on its
            own still works (username <code>token</code>); for a matching pair, generate a new token in the console.
          </span>
        </div>
      )}
      <dl class="tok-facts" id={factsId}>
        <dt>Client ID</dt>
        <dd class="tok-mono">{token.clientId}</dd>
        {token.orgId && (
          <>
            <dt>Organization</dt>
            <dd class={props.orgName ? undefined : 'tok-mono'} title={token.orgId} data-testid="token-org">
              {shortOrg}
            </dd>
          </>
        )}
        {generatedAt !== undefined ? (
          <>
            <dt>Generated</dt>
            <dd>
              <When at={generatedAt} now={now} />
              {token.capturedAt - generatedAt > CAPTURE_LATER_MS && (
                <>
                  {' · captured '}
                  <When at={token.capturedAt} now={now} />
                </>
              )}
            </dd>
          </>
        ) : (
          <>
            <dt>Captured</dt>
            <dd>
              <When at={token.capturedAt} now={now} />
            </dd>
          </>
        )}
        <dt>Token</dt>
        <dd>
          {revealed ? (
            <code class="tok-mono tok-plain" data-testid="revealed-token">
              {revealed.value.token}
            </code>
          ) : (
            <span class="tok-mono">{token.maskedToken}</span>
          )}
        </dd>
        <dt>Secret</dt>
        <dd>
          {!token.hasSecret ? (
            <span class="tok-none">none captured</span>
          ) : revealed?.value.secret ? (
            <code class="tok-mono tok-plain" data-testid="revealed-secret">
              {revealed.value.secret}
            </code>
          ) : (
            <span class="tok-dots" role="img" aria-label="Secret hidden">
              {SECRET_DOTS}
            </span>
          )}
        </dd>
      </dl>
      {revealed && (
        <p class="hint tok-reveal-note">
          Visible for {formatCountdown(revealLeft)} more; then hidden again.
        </p>
      )}
      <TokenActions
        locked={locked}
        busy={busy}
        copied={copied}
        revealed={revealed !== null}
        hasSecret={token.hasSecret}
        clientId={token.clientId}
        factsId={factsId}
        confirmDelete={confirmDelete}
        secretTitle={secretTitle}
        onReveal={toggleReveal}
        onCopy={copy}
        onDownload={download}
        onDelete={() => askDelete(true)}
      />
      {confirmDelete && (
        <div class="tok-confirm" role="group" aria-label={`Delete token ${token.clientId}?`}>
          <p>Delete it from Astra Companion? It stays valid in Astra until you revoke it in the console.</p>
          <div class="confirm">
            <button type="button" class="btn danger" disabled={busy !== null} onClick={() => run('delete', () => actions.remove(token.id))}>
              Delete
            </button>
            <button ref={keepRef} type="button" class="btn" onClick={() => askDelete(false)}>
              Keep
            </button>
          </div>
        </div>
      )}
      {problem && <ProblemText problem={problem} />}
      <p class="hint tok-status" role="status">
        {message}
      </p>
    </li>
  );
}

export function TokenList(props: TokenListProps) {
  if (props.tokens.length === 0) {
    return (
      <div class="empty" data-testid="tokens-empty">
        <h2>No tokens yet</h2>
        <p>
          In the Astra console, go to <strong>Settings › Tokens</strong> (or a database's <strong>Connect</strong> tab) and click{' '}
          <strong>Generate Token</strong>: Astra Companion keeps the token and its secret, encrypted.
        </p>
      </div>
    );
  }
  return (
    <div class="tok-wrap">
      {props.locked && (
        <p class="tok-locked" data-testid="tokens-locked">
          <LockIcon /> {LOCKED_NOTE}
        </p>
      )}
      <ul class="tok-list">
        {props.tokens.map((token) => (
          <TokenRow key={token.id} token={token} now={props.now} locked={props.locked} actions={props.actions} orgName={token.orgId ? props.orgNames?.[token.orgId.toLowerCase()] : undefined} />
        ))}
      </ul>
    </div>
  );
}
