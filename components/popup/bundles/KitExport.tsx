import { useEffect, useState } from 'preact/hooks';

/** What the kit's token choice offers: the kept tokens, and whether the vault is open to write one into `.env`. */
export interface KitTokenChoices {
  unlocked: boolean;
  tokens: Array<{ id: string; label: string }>;
}

/**
 * The connection kit's one question: which kept token goes into its `.env`, or none (a placeholder line). A token
 * can be chosen only with the vault unlocked; the background opens it, never this view.
 */
export function KitExport(props: { choices: () => Promise<KitTokenChoices>; onExport(tokenId?: string): void; onCancel(): void }) {
  const [choices, setChoices] = useState<KitTokenChoices | null>(null);
  const [tokenId, setTokenId] = useState('');
  useEffect(() => {
    let current = true;
    void props
      .choices()
      .then((next) => current && setChoices(next))
      .catch(() => current && setChoices({ unlocked: false, tokens: [] }));
    return () => {
      current = false;
    };
  }, []);
  const canPick = choices !== null && choices.unlocked && choices.tokens.length > 0;
  return (
    <div class="actions confirm kit-export" data-testid="kit-export">
      <label>
        Token in .env{' '}
        <select value={tokenId} disabled={!canPick} onChange={(event) => setTokenId((event.target as HTMLSelectElement).value)} aria-label="Token to write into the kit's .env">
          <option value="">None (a placeholder line)</option>
          {canPick && choices.tokens.map((token) => <option key={token.id} value={token.id}>{token.label}</option>)}
        </select>
      </label>
      <button type="button" class="btn primary" disabled={choices === null} onClick={() => props.onExport(tokenId || undefined)}>
        Export kit
      </button>
      <button type="button" class="btn" onClick={props.onCancel}>
        Cancel
      </button>
      {choices !== null && !choices.unlocked && choices.tokens.length > 0 && <p class="hint">Unlock the vault (Tokens tab) to put one of your tokens into the kit.</p>}
    </div>
  );
}
