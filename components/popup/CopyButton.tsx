import { useEffect, useState } from 'preact/hooks';

export interface ClipboardLike {
  writeText(text: string): Promise<void>;
}

/** A button that copies text and says "Copied" for a moment (and says so to screen readers). */
export function CopyButton(props: { label: string; text: string; clipboard: ClipboardLike; title?: string; disabled?: boolean }) {
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

  return (
    <button type="button" class="btn" title={props.title} disabled={props.disabled} onClick={copy} aria-live="polite">
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : props.label}
    </button>
  );
}
