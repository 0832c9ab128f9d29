/** What the browser says about the extension's storage, and when that deserves a warning. Pure: the edge asks the browser. */
export interface SpaceEstimate {
  usage?: number;
  quota?: number;
}

export interface SpaceWarning {
  code: 'space-low';
  message: string;
  hint: string;
}

/** Warn when less than this is left: about 500 kept bundles. */
export const LOW_SPACE_BYTES = 6_000_000;
/** Or when this share of the quota is used. */
export const LOW_SPACE_SHARE = 0.9;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`;

export function spaceWarningFor(estimate: SpaceEstimate): SpaceWarning | null {
  const { usage, quota } = estimate;
  if (typeof usage !== 'number' || typeof quota !== 'number' || quota <= 0) return null;
  const left = Math.max(0, quota - usage);
  if (left >= LOW_SPACE_BYTES && usage / quota < LOW_SPACE_SHARE) return null;
  return {
    code: 'space-low',
    message: `Storage is running low: ${mb(left)} left for Astra Companion (${mb(usage)} used). New bundles may not be kept.`,
    hint: 'Free some disk space, or export a backup and delete bundles you no longer need.',
  };
}
