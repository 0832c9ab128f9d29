import { useEffect, useState } from 'preact/hooks';
import type { BackupProgressMessage } from '@/utils/protocol/messages';
import type { RuntimeLike } from '../shared/use-store-data';

const PHASE_TEXT: Record<BackupProgressMessage['phase'], string> = {
  tokens: 'Reading tokens from the vault',
  zip: 'Writing the zip',
  read: 'Reading the file',
  check: 'Checking bundles',
  seal: 'Sealing tokens in the vault',
  save: 'Saving',
};

/** A progress bar for an export or an import the background is running; it shows only while reports come in. */
export function BackupProgress(props: { runtime: RuntimeLike }) {
  const [progress, setProgress] = useState<BackupProgressMessage | null>(null);
  useEffect(() => {
    let hide: ReturnType<typeof setTimeout> | undefined;
    const onMessage = (message: unknown) => {
      if ((message as { type?: string } | null)?.type !== 'backup-progress') return;
      const next = message as BackupProgressMessage;
      setProgress(next);
      clearTimeout(hide);
      // Gone shortly after the last report, whatever the outcome.
      hide = setTimeout(() => setProgress(null), next.done >= next.total && (next.phase === 'zip' || next.phase === 'save') ? 500 : 10_000);
    };
    props.runtime.onMessage.addListener(onMessage);
    return () => {
      clearTimeout(hide);
      props.runtime.onMessage.removeListener(onMessage);
    };
  }, [props.runtime]);
  if (!progress) return null;
  const label = `${PHASE_TEXT[progress.phase]}: ${progress.done} of ${progress.total}`;
  return (
    <div class="backup-progress" role="status" data-testid="backup-progress">
      <label>
        {label}
        <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={label} style={{ display: 'block', width: '100%' }} />
      </label>
    </div>
  );
}
