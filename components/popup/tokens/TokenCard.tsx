/**
 * One kept token, as a card: role, label, facts, the secret's actions (use-token-secret.ts) and a confirmed delete.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Problem } from '@/utils/shared/result';
import { formatCountdown } from '@/utils/shared/format';
import { LabelEditor } from './LabelEditor';
import { TokenActions } from './TokenActions';
import { TokenFacts } from './TokenFacts';
import { LOCKED_NOTE, NO_SECRET_NOTE, REVEAL_MS, type ShownToken, type TokenListActions } from './token-card-types';
import { useTokenSecret } from './use-token-secret';
import './tokens.css';

function ProblemText(props: { problem: Problem }) {
  return (
    <p class="problem" role="alert">
      <strong>{props.problem.message}</strong> {props.problem.hint}
    </p>
  );
}

export function TokenCard(props: { token: ShownToken; now: number; locked: boolean; actions: TokenListActions; orgName?: string }) {
  const { token, now, locked, actions } = props;
  const { revealed, busy, copied, message, problem, run, toggleReveal, copy, download } = useTokenSecret(token, locked, actions);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const deleteRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const confirmTouched = useRef(false);
  const factsId = `token-facts-${token.id}`;

  useLayoutEffect(() => {
    if (!confirmTouched.current) return;
    (confirmDelete ? keepRef : deleteRef).current?.focus();
  }, [confirmDelete]);

  const askDelete = (open: boolean) => {
    confirmTouched.current = true;
    setConfirmDelete(open);
  };

  const secretTitle = locked ? LOCKED_NOTE : !token.hasSecret ? NO_SECRET_NOTE : undefined;
  const revealLeft = revealed ? Math.min(REVEAL_MS, revealed.at + REVEAL_MS - now) : 0;

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
      <TokenFacts token={token} now={now} revealed={revealed?.value ?? null} factsId={factsId} orgName={props.orgName} />
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
