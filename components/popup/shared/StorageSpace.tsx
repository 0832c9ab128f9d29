import { useEffect, useRef, useState } from 'preact/hooks';
import { spaceWarningFor, type SpaceWarning } from '@/utils/store/space';

/** The parts of navigator.storage the popup uses (persist exists in windows only, so it is optional). */
export interface StorageLike {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted?(): Promise<boolean>;
  persist?(): Promise<boolean>;
}

/**
 * After the first frame: asks the browser to keep the store (persistent storage, so it is not evicted under disk
 * pressure; Chrome answers without a prompt), and shows a warning when space runs low.
 */
export function StorageSpace(props: { storage?: StorageLike; version: number }) {
  const [warning, setWarning] = useState<SpaceWarning | null>(null);
  const { storage, version } = props;
  useEffect(() => {
    if (!storage) return;
    const timer = setTimeout(() => {
      void storage.persisted?.().then((kept) => kept || storage.persist?.()).catch(() => undefined);
    }, 3000);
    return () => clearTimeout(timer);
  }, [storage]);
  // Asked two seconds after the first frame, and at most every 30 s: the browser sums the store's files to answer,
  // and the store's own reads would wait behind it.
  const asked = useRef(0);
  useEffect(() => {
    if (!storage) return;
    const timer = setTimeout(() => {
      if (Date.now() - asked.current < 30_000) return;
      asked.current = Date.now();
      storage.estimate().then((estimate) => setWarning(spaceWarningFor(estimate)), () => setWarning(null));
    }, 2000);
    return () => clearTimeout(timer);
  }, [storage, version]);
  if (!warning) return null;
  return (
    <p class="problem" role="alert" data-testid="space-warning">
      <strong>{warning.message}</strong> {warning.hint}
    </p>
  );
}
