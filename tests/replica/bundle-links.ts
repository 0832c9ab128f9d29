/** Where each bundle lives in the bucket and the four freshly signed links Astra hands out for one region. */
import type { Database } from './fixtures';
import type { StorageSigner } from './sign-storage-link';

export type BundleKind = 'external' | 'internal' | 'proxy' | 'proxy-internal';
export const BUNDLE_KINDS: readonly BundleKind[] = ['external', 'internal', 'proxy', 'proxy-internal'];

export interface BundleLinks {
  downloadURL: string;
  downloadURLInternal: string;
  downloadURLMigrationProxy: string;
  downloadURLMigrationProxyInternal: string;
}

const LINK_FIELD: Record<BundleKind, keyof BundleLinks> = {
  external: 'downloadURL',
  internal: 'downloadURLInternal',
  proxy: 'downloadURLMigrationProxy',
  'proxy-internal': 'downloadURLMigrationProxyInternal',
};

/** `secure-connect-orders.zip`, `secure-connect-internal-orders-europe-west1.zip`: extra regions add `-<region>`. */
export function bundleFileName(db: Database, dcIndex: number, kind: BundleKind = 'external'): string {
  const prefix = kind === 'external' ? 'secure-connect-' : `secure-connect-${kind}-`;
  const suffix = dcIndex === 0 ? '' : `-${db.datacenters[dcIndex]!.region}`;
  return `${prefix}${db.name}${suffix}.zip`;
}

export function bundleObjectKey(db: Database, dcIndex: number, kind: BundleKind): string {
  return `${db.datacenters[dcIndex]!.id}/${bundleFileName(db, dcIndex, kind)}`;
}

export function signBundleLinks(
  signer: StorageSigner,
  db: Database,
  dcIndex: number,
  date: Date,
  lifetimeSeconds: number,
): BundleLinks {
  const links = {} as BundleLinks;
  for (const kind of BUNDLE_KINDS) {
    links[LINK_FIELD[kind]] = signer.presign(bundleObjectKey(db, dcIndex, kind), date, lifetimeSeconds);
  }
  return links;
}
