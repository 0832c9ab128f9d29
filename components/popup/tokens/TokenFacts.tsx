/** A token card's facts: client id, organization, when it was generated and captured, the token and the secret (masked unless revealed). */
import { formatRelative } from '@/utils/shared/format';
import type { Revealed, ShownToken } from './token-card-types';

/** Captured this much after it was generated (say, from a file later): both times are worth showing. */
const CAPTURE_LATER_MS = 3_600_000;
const SECRET_DOTS = '\u2022'.repeat(16);

function When(props: { at: number; now: number }) {
  const date = new Date(props.at);
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString()}>
      {formatRelative(props.at, props.now)}
    </time>
  );
}

export function TokenFacts(props: { token: ShownToken; now: number; revealed: Revealed | null; factsId: string; orgName?: string }) {
  const { token, now, revealed, factsId } = props;
  const generatedMs = token.generatedOn ? Date.parse(token.generatedOn) : Number.NaN;
  const generatedAt = Number.isNaN(generatedMs) ? undefined : generatedMs;
  // The organization's name when the console told it (find-org-names.ts); else the start of its id.
  const shortOrg = props.orgName ?? (token.orgId && token.orgId.length > 8 ? `${token.orgId.slice(0, 8)}\u2026` : token.orgId);
  return (
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
            {revealed.token}
          </code>
        ) : (
          <span class="tok-mono">{token.maskedToken}</span>
        )}
      </dd>
      <dt>Secret</dt>
      <dd>
        {!token.hasSecret ? (
          <span class="tok-none">none captured</span>
        ) : revealed?.secret ? (
          <code class="tok-mono tok-plain" data-testid="revealed-secret">
            {revealed.secret}
          </code>
        ) : (
          <span class="tok-dots" role="img" aria-label="Secret hidden">
            {SECRET_DOTS}
          </span>
        )}
      </dd>
    </dl>
  );
}
