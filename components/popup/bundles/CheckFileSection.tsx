import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { CheckFileProps } from './CheckFile';

/** Opens the file check on its own in a tab (this popup's page with #check): some browsers close the popup for their file picker. */
export const CHECK_HASH = '#check';

/**
 * "Check a bundle file" in the Bundles tab: folded under the list, open in the empty state (and in a tab opened
 * for it). The checker component loads when the section is first opened, so the popup's first frame stays small.
 */
export function CheckFileSection(props: { open?: boolean; openTab(url: string): void }) {
  const [open, setOpen] = useState(Boolean(props.open) || location.hash === CHECK_HASH);
  const [CheckFile, setCheckFile] = useState<ComponentType<CheckFileProps> | null>(null);
  useEffect(() => {
    if (open && !CheckFile) void import('./CheckFile').then((module) => setCheckFile(() => module.CheckFile));
  }, [open, CheckFile]);
  const openInTab = () => props.openTab(`${location.origin}${location.pathname}${CHECK_HASH}`);
  return (
    <details class="check-section" open={open} onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)} data-testid="check-file-section">
      <summary>Check a bundle file</summary>
      {open && (CheckFile ? <CheckFile openInTab={location.hash === CHECK_HASH ? undefined : openInTab} /> : <p class="loading">Loading…</p>)}
    </details>
  );
}
