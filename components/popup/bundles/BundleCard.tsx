import { useState } from 'preact/hooks';
import { bundleCommands } from '@/utils/bundle/download-commands';
import { formatBytes, formatDate, formatRelative } from '@/utils/shared/format';
import { linkTime } from '@/utils/downloads/link-clock';
import { CopyButton, type ClipboardLike } from '../shared/CopyButton';
import { ActionMenu, type MenuItem } from '../shared/ActionMenu';
import { KitExport, type KitTokenChoices } from './KitExport';
import type { BundleRecord } from '@/utils/bundle/types';
import type { DatabaseStatus } from '@/utils/astra/database-status';
import { databaseStateText } from '@/utils/downloads/bundle-status-text';

export interface BundleActions {
  /** Saves the kept copy; resolves with the words of the result ("Saved …", or why not). */
  saveCopy(id: string): Promise<string | null>;
  /** The connection kit; `tokenId`: a kept token the background writes into its `.env`. */
  exportWithSnippets(id: string, tokenId?: string): Promise<string | null>;
  kitTokens(): Promise<KitTokenChoices>;
  remove(id: string): Promise<void>;
  clearAll(): Promise<void>;
}

const KIND_TEXT: Record<string, string> = {
  internal: 'VPC peering',
  'migration-proxy': 'migration proxy',
  'migration-proxy-internal': 'migration proxy, VPC',
  'custom-domain': 'custom domain',
};

const STATUS_TEXT: Record<BundleRecord['status'], string> = {
  checking: 'Checking…',
  verified: 'Verified',
  problem: 'Problem',
  'link-expired': 'Link expired',
};

/**
 * One bundle: what it is, whether it is good, how long its link lives, and at most four buttons: the one action
 * that fits its state (Copy curl while the link lives, Save copy after), two more, and the rest under "More".
 */
export function BundleCard(props: { record: BundleRecord; databaseStatus?: DatabaseStatus; now: number; clipboard: ClipboardLike; actions: BundleActions }) {
  const { record, now, clipboard, actions } = props;
  const databaseState = databaseStateText(props.databaseStatus);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [choosingKit, setChoosingKit] = useState(false);
  const clock = linkTime(record.expiresAt, now);
  const alive = clock.alive;
  const commands = bundleCommands(record.link, record.fileName);
  const problem = record.problems.find((p) => p.severity === 'error');
  const warning = record.problems.find((p) => p.severity === 'warning');

  const run = async (pending: string, job: () => Promise<string | null>) => {
    setBusy(true);
    setMessage(pending);
    try {
      setMessage(await job());
    } catch {
      setMessage('Astra Companion did not answer: try again.');
    } finally {
      setBusy(false);
    }
  };
  const save = () => run('Saving…', () => actions.saveCopy(record.id));
  const copyVia = (what: string, text: string) => async () => {
    try {
      await clipboard.writeText(text);
      setMessage(`Copied the ${what}.`);
    } catch {
      setMessage(`Could not copy the ${what}.`);
    }
  };

  const saveButton = (primary: boolean) => (
    <button type="button" class={`btn steady${primary ? ' primary' : ''}`} disabled={busy} onClick={save} title={`Save ${record.fileName}, the verified copy`}>
      Save copy
    </button>
  );
  const menu: MenuItem[] = [
    ...(alive
      ? [
          { label: 'Copy wget', run: copyVia('wget command', commands.wget), title: commands.wget },
          { label: 'Copy PowerShell', run: copyVia('PowerShell command', commands.powershell), title: commands.powershell },
        ]
      : []),
    ...(record.hasCopy
      ? [{ label: 'Export connection kit…', run: () => setChoosingKit(true), title: "A zip with the database's bundles, a .env and ready cqlsh, Python, Java, Node.js and Data API snippets" }]
      : []),
    { label: 'Delete…', danger: true, run: () => setConfirmDelete(true) },
  ];

  return (
    <li class={`bundle status-${record.status}`} data-testid="bundle-row" data-region={record.region ?? ''} data-kind={record.kind}>
      <div class="bundle-head">
        <span class="region">{record.region ?? 'unknown region'}</span>
        {record.kind !== 'external' && <span class="kind">{KIND_TEXT[record.kind] ?? record.kind}</span>}
        <span class={`badge badge-${record.status}`}>{STATUS_TEXT[record.status]}</span>
      </div>
      <div class="bundle-facts">
        <span class="file">{record.fileName}</span>
        {record.size !== undefined && <span>{formatBytes(record.size)}</span>}
        {record.certNotAfter && <span>cert until {formatDate(record.certNotAfter)}</span>}
        <span>{formatRelative(record.capturedAt, now)}</span>
      </div>
      <div class="bundle-link">
        <span class={alive ? 'live' : 'dead'} data-testid="link-time">
          {clock.text}
        </span>
        {record.hasCopy && <span class="kept"> · copy kept</span>}
        {record.downloaded && (
          <span class={record.downloaded.ok ? 'kept' : 'warning-inline'}> · {record.downloaded.ok ? 'downloaded and verified' : 'last download had a problem'}</span>
        )}
      </div>
      {databaseState && (
        <p class="warning-text db-state" data-testid="db-state" data-status={props.databaseStatus}>
          {databaseState}
        </p>
      )}
      {problem && (
        <p class="problem" role="alert">
          <strong>{problem.message}</strong> {problem.hint}
        </p>
      )}
      {!problem && warning && <p class="warning-text">{warning.message}</p>}
      {choosingKit && (
        <KitExport
          choices={actions.kitTokens}
          onCancel={() => setChoosingKit(false)}
          onExport={(tokenId) => {
            setChoosingKit(false);
            void run('Exporting…', () => actions.exportWithSnippets(record.id, tokenId));
          }}
        />
      )}
      {confirmDelete ? (
        <div class="actions confirm">
          <span>Delete {record.fileName} and its kept copy?</span>
          <button type="button" class="btn danger" onClick={() => actions.remove(record.id)}>
            Delete
          </button>
          <button type="button" class="btn" onClick={() => setConfirmDelete(false)}>
            Keep
          </button>
        </div>
      ) : (
        <div class="actions">
          {alive ? (
            <>
              <CopyButton primary label="Copy curl" text={commands.curl} clipboard={clipboard} title={commands.curl} />
              <CopyButton label="Copy URL" text={record.link} clipboard={clipboard} title="Copy the download link" />
              {record.hasCopy && saveButton(false)}
            </>
          ) : record.hasCopy ? (
            saveButton(true)
          ) : null}
          <ActionMenu label={`More for ${record.fileName} (${record.region ?? 'unknown region'})`} items={menu} />
        </div>
      )}
      {!alive && record.expiresAt !== undefined && !message && (
        <p class="hint">{record.hasCopy ? 'The link has expired; the verified copy is kept: save it any time.' : 'The link has expired and no verified copy was kept: click Get Bundle in the console again.'}</p>
      )}
      {message && (
        <p class="hint" role="status">
          {message}
        </p>
      )}
    </li>
  );
}
