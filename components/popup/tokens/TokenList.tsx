/** The Tokens tab's list: one card per kept token (TokenCard.tsx), or how to get the first one. */
import { LockIcon } from './VaultPanel';
import { TokenCard } from './TokenCard';
import { LOCKED_NOTE, type ShownToken, type TokenListActions } from './token-card-types';
import './tokens.css';

export type { TokenListActions } from './token-card-types';

export interface TokenListProps {
  tokens: ShownToken[];
  now: number;
  /** The vault is locked: nothing secret can be read, so reveal, copy and download are off. */
  locked: boolean;
  actions: TokenListActions;
  /** Organization names by lowercase id, learned from the console. */
  orgNames?: Record<string, string>;
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
          <TokenCard key={token.id} token={token} now={props.now} locked={props.locked} actions={props.actions} orgName={token.orgId ? props.orgNames?.[token.orgId.toLowerCase()] : undefined} />
        ))}
      </ul>
    </div>
  );
}
