import { useEffect, useRef, useState } from 'preact/hooks';

export interface MenuItem {
  label: string;
  run(): void | Promise<void>;
  disabled?: boolean;
  title?: string;
  danger?: boolean;
}

/** "More" on a card: the secondary actions in a menu, so a card shows one primary action and a few others. */
export function ActionMenu(props: { label: string; items: MenuItem[] }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const first = root.current?.querySelector<HTMLButtonElement>('[role="menuitem"]:not([disabled])');
    first?.focus();
    const outside = (event: MouseEvent) => root.current?.contains(event.target as Node) || setOpen(false);
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (!open) return;
    const items = [...(root.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
      toggle.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = (at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      items[next]?.focus();
    }
  };

  return (
    <div class="menu" ref={root} onKeyDown={onKeyDown}>
      <button ref={toggle} type="button" class="btn menu-toggle" aria-haspopup="menu" aria-expanded={open} aria-label={props.label} title={props.label} onClick={() => setOpen(!open)}>
        More <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div class="menu-list" role="menu" aria-label={props.label}>
          {props.items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              class={item.danger ? 'danger' : undefined}
              disabled={item.disabled}
              title={item.title}
              onClick={async () => {
                setOpen(false);
                toggle.current?.focus();
                await item.run();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
