import { useEffect, useState } from 'preact/hooks';

export interface ClipboardLike {
  writeText(text: string): Promise<void>;
}

/**
 * A button that copies text and says "Copied" for a moment (and says so to screen readers). Every label it can
 * show sits in the same grid cell, so the button is as wide as the widest one and nothing moves when it changes.
 */
export function CopyButton(props: { label: string; text: string; clipboard: ClipboardLike; title?: string; disabled?: boolean; primary?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await props.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  const labels = { idle: props.label, copied: 'Copied', failed: 'Copy failed' } as const;
  return (
    <button type="button" class={`btn steady${props.primary ? ' primary' : ''}`} title={props.title} disabled={props.disabled} onClick={copy} aria-live="polite">
      {(Object.keys(labels) as Array<keyof typeof labels>).map((key) => (
        <span key={key} class={key === state ? 'shown' : 'held'} aria-hidden={key === state ? undefined : 'true'}>
          {labels[key]}
        </span>
      ))}
    </button>
  );
}
