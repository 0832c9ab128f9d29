import { useState } from 'preact/hooks';
import { isLinkAlive, linkTimeLeft } from '@/utils/bundle/bundle-link';
import { bundleCommands } from '@/utils/bundle/download-commands';
import { formatBytes, formatCountdown, formatDate, formatRelative } from '@/utils/shared/format';
import { CopyButton, type ClipboardLike } from './CopyButton';
import type { BundleRecord } from '@/utils/bundle/types';

export interface BundleActions {
  saveCopy(id: string): Promise<string | null>;
  exportWithSnippets(id: string): Promise<string | null>;
  remove(id: string): Promise<void>;
  clearAll(): Promise<void>;
}

interface Group {
  key: string;
  dbName: string;
  dbId?: string;
  records: BundleRecord[];
}

/** Bundles grouped by database, newest database first; regions in a stable order inside. */
export function groupBundles(records: BundleRecord[]): Group[] {
  const groups = new Map<string, Group>();
  for (const record of records) {
    const key = record.dbId ?? record.dbName;
    const group = groups.get(key) ?? { key, dbName: record.dbName, dbId: record.dbId, records: [] };
    group.records.push(record);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    group.records.sort((a, b) => (a.region ?? '').localeCompare(b.region ?? '') || a.kind.localeCompare(b.kind));
  }
  return [...groups.values()];
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

function BundleRow(props: { record: BundleRecord; now: number; clipboard: ClipboardLike; actions: BundleActions }) {
  const { record, now } = props;
  const [message, setMessage] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const left = record.expiresAt !== undefined ? linkTimeLeft(record, now) : undefined;
  const alive = isLinkAlive(record, now);
  const commands = bundleCommands(record.link, record.fileName);
  const problem = record.problems.find((p) => p.severity === 'error');
  const warning = record.problems.find((p) => p.severity === 'warning');
  const expiredNote = 'The link has expired: save the kept copy instead, or click Get Bundle again in the console.';

  const save = async () => setMessage(await props.actions.saveCopy(record.id));

  return (
    <li class={`bundle status-${record.status}`} data-testid="bundle-row" data-region={record.region ?? ''} data-kind={record.kind}>
      <div class="bundle-head">
        <span class="region">{record.region ?? 'unknown region'}</span>
        {record.kind !== 'external' && <span class="kind">{KIND_TEXT[record.kind] ?? record.kind}</span>}
        <span class={`badge badge-${record.status}`}>{STATUS_TEXT[record.status]}</span>
      </div>
      <div class="bundle-facts">
        <span>{record.fileName}</span>
        {record.size !== undefined && <span>{formatBytes(record.size)}</span>}
        {record.certNotAfter && <span>cert valid until {formatDate(record.certNotAfter)}</span>}
        <span>{formatRelative(record.capturedAt, now)}</span>
      </div>
      <div class="bundle-link" data-testid="link-time">
        {left === undefined ? 'Link expiry unknown' : alive ? `Link valid for ${formatCountdown(left)}` : 'Link expired'}
        {record.hasCopy && <span class="kept"> · verified copy kept</span>}
        {record.downloaded && (
          <span class={record.downloaded.ok ? 'kept' : 'warning-inline'}>
            {' '}· {record.downloaded.ok ? 'downloaded and verified' : 'last download had a problem'}
          </span>
        )}
      </div>
      {problem && (
        <p class="problem" role="alert">
          <strong>{problem.message}</strong> {problem.hint}
        </p>
      )}
      {!problem && warning && <p class="warning-text">{warning.message}</p>}
      <div class="actions">
        <CopyButton label="Copy URL" text={record.link} clipboard={props.clipboard} disabled={!alive} title={alive ? 'Copy the download link' : expiredNote} />
        <CopyButton label="Copy curl" text={commands.curl} clipboard={props.clipboard} disabled={!alive} title={alive ? commands.curl : expiredNote} />
        <CopyButton label="Copy wget" text={commands.wget} clipboard={props.clipboard} disabled={!alive} title={alive ? commands.wget : expiredNote} />
        <CopyButton label="Copy PowerShell" text={commands.powershell} clipboard={props.clipboard} disabled={!alive} title={alive ? commands.powershell : expiredNote} />
        <button type="button" class="btn primary" disabled={!record.hasCopy} onClick={save} title={record.hasCopy ? `Save ${record.fileName}` : 'No verified copy was kept'}>
          Save copy
        </button>
        {record.hasCopy && (
          <button type="button" class="btn" onClick={async () => setMessage(await props.actions.exportWithSnippets(record.id))} title="A zip with the bundle and ready cqlsh, Python, Java and Node.js snippets">
            Export with snippets
          </button>
        )}
        {confirmDelete ? (
          <span class="confirm">
            <button type="button" class="btn danger" onClick={() => props.actions.remove(record.id)}>
              Delete
            </button>
            <button type="button" class="btn" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" class="btn subtle" aria-label={`Delete ${record.fileName}`} onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        )}
      </div>
      {!alive && left !== undefined && <p class="hint">{record.hasCopy ? 'Link expired: copy buttons are off. Save the kept copy instead.' : expiredNote}</p>}
      {message && <p class="hint" role="status">{message}</p>}
    </li>
  );
}

export function BundleList(props: { records: BundleRecord[]; total?: number; now: number; clipboard: ClipboardLike; actions: BundleActions }) {
  const [confirmClear, setConfirmClear] = useState(false);
  if (props.records.length === 0) {
    return (
      <div class="empty" data-testid="bundles-empty">
        <h2>No bundles yet</h2>
        <p>
          In the Astra console, open a database, go to its <strong>Connect</strong> tab and click <strong>Get Bundle</strong>
          {' '}(serverless databases: <strong>Region › More › Download SCB</strong>). Astra Companion checks the bundle while its
          link is alive and keeps a verified copy here.
        </p>
      </div>
    );
  }
  return (
    <div>
      {groupBundles(props.records).map((group) => (
        <section class="group" key={group.key} aria-label={`Database ${group.dbName}`}>
          <h2>
            {group.dbName}
            {group.dbId && <span class="muted"> {group.dbId.slice(0, 8)}</span>}
          </h2>
          <ul>
            {group.records
              .filter((record) => record.kind === 'external')
              .map((record) => (
                <BundleRow key={record.id} record={record} now={props.now} clipboard={props.clipboard} actions={props.actions} />
              ))}
          </ul>
          {group.records.some((record) => record.kind !== 'external') && (
            <details class="other-kinds">
              <summary>
                {group.records.filter((record) => record.kind !== 'external').length} more: VPC peering and migration proxy bundles
              </summary>
              <ul>
                {group.records
                  .filter((record) => record.kind !== 'external')
                  .map((record) => (
                    <BundleRow key={record.id} record={record} now={props.now} clipboard={props.clipboard} actions={props.actions} />
                  ))}
              </ul>
            </details>
          )}
        </section>
      ))}
      <div class="footer-actions">
        {confirmClear ? (
          <span class="confirm">
            Delete all {props.total ?? props.records.length} bundles?{' '}
            <button type="button" class="btn danger" onClick={() => props.actions.clearAll().then(() => setConfirmClear(false))}>
              Delete all
            </button>
            <button type="button" class="btn" onClick={() => setConfirmClear(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" class="btn subtle" onClick={() => setConfirmClear(true)}>
            Clear all…
          </button>
        )}
      </div>
    </div>
  );
}
