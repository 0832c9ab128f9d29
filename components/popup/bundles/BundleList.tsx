import { useState } from 'preact/hooks';
import type { ClipboardLike } from '../shared/CopyButton';
import type { BundleRecord } from '@/utils/bundle/types';
import { BundleCard, type BundleActions } from './BundleCard';
import type { DatabaseStatusMap } from '@/utils/store/database-statuses';

export type { BundleActions } from './BundleCard';

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

export function BundleList(props: { records: BundleRecord[]; statuses?: DatabaseStatusMap; total?: number; now: number; clipboard: ClipboardLike; actions: BundleActions }) {
  const [confirmClear, setConfirmClear] = useState(false);
  if (props.records.length === 0) {
    return (
      <div class="empty" data-testid="bundles-empty">
        <h2>No bundles yet</h2>
        <p>
          In the Astra console, open a database, go to its <strong>Connect</strong> tab and click <strong>Get Bundle</strong>
          {' '}(serverless databases: <strong>Region › More › Download SCB</strong>). Astra Companion checks the bundle while its
          link is alive and keeps a verified copy here. Already have a bundle file? Check it below.
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
                <BundleCard key={record.id} record={record} databaseStatus={record.dbId ? props.statuses?.[record.dbId.toLowerCase()]?.status : undefined} now={props.now} clipboard={props.clipboard} actions={props.actions} />
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
                    <BundleCard key={record.id} record={record} databaseStatus={record.dbId ? props.statuses?.[record.dbId.toLowerCase()]?.status : undefined} now={props.now} clipboard={props.clipboard} actions={props.actions} />
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
