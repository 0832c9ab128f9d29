/**
 * The words the in-page panel shows about one captured link, weighed against the link's own clock: a problem
 * storage reported as "expired" while the link's signature is still valid is an error body, not an expiry.
 */
import { formatBytes, formatDate } from '../shared/format';
import { linkTime } from './link-clock';
import type { BundleSummary } from '../bundle/types';
import type { DatabaseStatus } from '../astra/database-status';

export type PanelAction = 'save-copy' | 'check-again';

export interface BundleStatusWords {
  tone: 'info' | 'ok' | 'bad';
  title: string;
  detail?: string;
  /** "Link valid for 4:58" / "Link expired" / '' while nothing is known. */
  time: string;
  actions: PanelAction[];
}

export function describeBundleStatus(summary: BundleSummary | undefined, now: number): BundleStatusWords {
  if (!summary) return { tone: 'info', title: 'Astra Companion is looking at this bundle link…', time: '', actions: [] };
  const clock = linkTime(summary.expiresAt, now);
  const time = summary.expiresAt === undefined ? '' : clock.text;
  const save: PanelAction[] = summary.hasCopy ? ['save-copy'] : [];
  if (summary.status === 'checking') return { tone: 'info', title: 'Astra Companion is checking the bundle…', time, actions: [] };
  if (summary.status === 'verified') {
    const facts = [
      summary.size !== undefined ? formatBytes(summary.size) : null,
      summary.entryCount !== undefined ? `${summary.entryCount} files` : null,
      summary.certNotAfter ? `cert valid until ${formatDate(summary.certNotAfter)}` : null,
      'copy kept',
    ].filter(Boolean);
    // A verified bundle's problem is a warning (unusual-host, certificate-expiring): said under the verdict.
    const warning = summary.problem ? `${summary.problem.message} ${summary.problem.hint}` : undefined;
    return { tone: 'ok', title: `Verified: ${facts.join(', ')}`, ...(warning ? { detail: warning } : {}), time, actions: save };
  }
  const problem = summary.problem;
  const code = problem?.code ?? '';
  const retry: PanelAction[] = clock.alive ? ['check-again'] : [];
  if (code === 'fetch-cut' || code === 'fetch-failed') {
    return {
      tone: 'bad',
      title: problem!.message,
      detail: clock.alive
        ? 'The link is still valid: check it again, or download it with the console\u2019s button (Astra Companion checks that download too).'
        : `The link has expired since. ${summary.hasCopy ? 'The verified copy from earlier is kept.' : 'Click Get Bundle for a new link.'}`,
      time,
      actions: [...retry, ...save],
    };
  }
  if (code === 'storage-error' && clock.alive && summary.status !== 'link-expired') {
    const said = summary.storageSaid ? ` (${summary.storageSaid})` : '';
    return {
      tone: 'bad',
      title: `Storage sent an error message instead of the bundle${said}, although this link has not expired.`,
      detail: 'Storage may have had a hiccup: check the link again. If it repeats, click Get Bundle for a new link.',
      time,
      actions: [...retry, ...save],
    };
  }
  return {
    tone: 'bad',
    title: problem?.message ?? 'This bundle has a problem.',
    detail: problem?.hint,
    time,
    // A bundle that arrived whole and is wrong stays wrong when fetched again: only the copy helps.
    actions: save,
  };
}

const DATABASE_STATE_TEXT: Partial<Record<DatabaseStatus, string>> = {
  HIBERNATED: 'Hibernated: drivers fail until you resume it in the console.',
  HIBERNATING: 'Hibernating: drivers fail until you resume it in the console.',
  RESUMING: 'Resuming: drivers connect once it is active again, usually within minutes.',
  PARKED: 'Parked: drivers fail until you unpark it in the console.',
  PARKING: 'Parking: drivers fail until you unpark it in the console.',
  UNPARKING: 'Unparking: drivers connect once it is active again.',
  PENDING: 'Being created: drivers connect once it is active.',
  INITIALIZING: 'Being created: drivers connect once it is active.',
  MAINTENANCE: 'In maintenance: connections may fail until it is active again.',
  RESIZING: 'Resizing: connections may be slow or fail for a while.',
  TERMINATING: 'Terminating: this bundle will not connect again.',
  TERMINATED: 'Terminated: this bundle will never connect again.',
  ERROR: 'In error: drivers may fail; open the database in the console.',
};

/** The database's state in one line, for its cards and the panel; nothing while it is active or unknown. */
export function databaseStateText(status: DatabaseStatus | undefined): string | undefined {
  return status ? DATABASE_STATE_TEXT[status] : undefined;
}
