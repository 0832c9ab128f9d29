import { ActionMenu, type MenuItem } from '../shared/ActionMenu';
import { LOCKED_NOTE, REVEAL_MS, type Busy } from './token-card-types';

/**
 * A token card's buttons: Copy token leads (what people come for), Reveal and Copy secret beside it, the files and
 * Delete under "More": four at most. Copy buttons keep their width when they say "Copied".
 */
export function TokenActions(props: {
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

