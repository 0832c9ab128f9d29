/** A token's own label: shown, or edited in place (Enter saves, Escape cancels, focus comes back to Edit). */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ShownToken } from './token-card-types';

const LABEL_MAX = 100;

export function LabelEditor(props: { token: ShownToken; onSave(label: string): Promise<void> }) {
  const { token } = props;
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const inputId = `token-label-${token.id}`;

  // Layout effects: focus moves in the same frame the field appears, so typed keys are never lost.
  useLayoutEffect(() => {
    if (editing) inputRef.current?.focus();
    else if (returnFocus.current) editRef.current?.focus();
    returnFocus.current = false;
  }, [editing]);

  const start = () => {
    setDraft(token.label ?? '');
    setEditing(true);
  };
  const stop = () => {
    returnFocus.current = true;
    setEditing(false);
  };
  const save = async () => {
    setSaving(true);
    try {
      await props.onSave(draft.trim());
      stop();
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <form
        class="tok-label-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label for={inputId} class="tok-label-caption">
          Label
        </label>
        <input
          id={inputId}
          ref={inputRef}
          class="tok-label-input"
          type="text"
          value={draft}
          maxLength={LABEL_MAX}
          placeholder="e.g. billing service, staging"
          disabled={saving}
          aria-describedby={`${inputId}-help`}
          onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              stop();
            }
          }}
        />
        <button type="submit" class="btn primary" disabled={saving}>
          Save
        </button>
        <button type="button" class="btn" onClick={stop} disabled={saving}>
          Cancel
        </button>
        <span id={`${inputId}-help`} class="tok-sr-only">
          Enter saves, Escape cancels.
        </span>
      </form>
    );
  }
  return (
    <div class="tok-label-row">
      {token.label ? <span class="tok-label">{token.label}</span> : <span class="tok-label-empty">No label</span>}
      <button
        ref={editRef}
        type="button"
        class="tok-icon-btn"
        aria-label={token.label ? `Edit label of token ${token.clientId}` : `Add label to token ${token.clientId}`}
        title={token.label ? 'Edit label' : 'Add a label'}
        onClick={start}
      >
        <span aria-hidden="true">✎</span> {token.label ? 'Edit' : 'Add label'}
      </button>
    </div>
  );
}
