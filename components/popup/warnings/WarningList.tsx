import { useState } from 'preact/hooks';
import { formatRelative } from '@/utils/shared/format';
import type { FixAction } from '@/utils/downloads/judge-download';
import type { WarningRecord } from '@/utils/downloads/types';
import { linkTime } from '@/utils/downloads/link-clock';

export interface WarningListActions {
  /** Downloads the bundle's link again (offered only while it is valid); the words to show afterwards. */
  retryDownload?(bundleId: string): Promise<string | null>;
  /** Saves the kept copy; the words to show afterwards. */
  saveCopy(bundleId: string): Promise<string | null>;
  /** Opens the database's Connect page (the console's start page when the database is unknown). */
  freshLink(bundleId: string | undefined): void | Promise<void>;
  dismiss(id: string): Promise<void>;
  /** Opens the browser's download settings where an extension may (Chrome, Edge); absent elsewhere. */
  openBrowserSettings?(): void | Promise<void>;
}

const FIX_LABELS: Record<FixAction, string> = {
  'retry-download': 'Download again',
  'save-copy': 'Save the verified copy',
  'fresh-link': 'Get a fresh link',
  'browser-setting': 'Open download settings',
};

function WarningRow(props: { warning: WarningRecord; now: number; actions: WarningListActions }) {
  const { warning, actions } = props;
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: FixAction) => {
    setBusy(true);
    try {
      if (action === 'retry-download' && warning.bundleId) setNote((await actions.retryDownload?.(warning.bundleId)) ?? null);
      else if (action === 'save-copy' && warning.bundleId) setNote(await actions.saveCopy(warning.bundleId));
      else if (action === 'fresh-link') await actions.freshLink(warning.bundleId);
      else if (action === 'browser-setting') await actions.openBrowserSettings?.();
    } finally {
      setBusy(false);
    }
  };

  // "Download again" while the link is valid (the one clock: its signed expiry), then "Get a fresh link" in its place.
  const retry = warning.actions.includes('retry-download') ? linkTime(warning.linkExpiresAt, props.now) : undefined;
  const wanted: FixAction[] = retry && !retry.alive ? [...warning.actions.filter((a) => a !== 'retry-download'), 'fresh-link'] : warning.actions;
  const offered = [...new Set(wanted)].filter(
    (action) =>
      (action !== 'save-copy' || warning.bundleId) &&
      (action !== 'retry-download' || (warning.bundleId && actions.retryDownload)) &&
      (action !== 'browser-setting' || actions.openBrowserSettings),
  );
  return (
    <li class="bundle" data-testid="warning-row" data-code={warning.code}>
      <p class="problem">
        <strong>{warning.message}</strong>
      </p>
      {warning.hint && !(retry && !retry.alive) && <p class="hint">{warning.hint}</p>}
      {retry && !retry.alive && <p class="hint">The link has expired since: get a fresh link, or save the verified copy.</p>}
      <div class="bundle-facts">
        {warning.fileName && <span>{warning.fileName}</span>}
        <span>{formatRelative(warning.createdAt, props.now)}</span>
        {retry?.alive && <span data-testid="link-time">{retry.text}</span>}
      </div>
      <div class="actions">
        {offered.map((action, index) => (
          <button key={action} type="button" class={index === 0 ? 'btn primary' : 'btn'} disabled={busy} data-action={action} onClick={() => run(action)}>
            {FIX_LABELS[action]}
          </button>
        ))}
        <button type="button" class="btn subtle" aria-label={`Dismiss: ${warning.message}`} onClick={() => actions.dismiss(warning.id)}>
          Dismiss
        </button>
      </div>
      {note && (
        <p class="hint" role="status">
          {note}
        </p>
      )}
    </li>
  );
}

/** Download warnings that wait to be seen, newest first, each with its fixes. */
export function WarningList(props: { warnings: WarningRecord[]; now?: number; actions: WarningListActions }) {
  const open = props.warnings.filter((warning) => !warning.dismissed).sort((a, b) => b.createdAt - a.createdAt);
  const now = props.now ?? Date.now();
  if (open.length === 0) {
    return (
      <div class="empty" data-testid="warnings-empty">
        <h2>No warnings</h2>
        <p>Astra Companion watches bundle downloads and tells you here at once if one is expired, broken or opened by the browser.</p>
      </div>
    );
  }
  return (
    <ul aria-label="Download warnings">
      {open.map((warning) => (
        <WarningRow key={warning.id} warning={warning} now={now} actions={props.actions} />
      ))}
    </ul>
  );
}
