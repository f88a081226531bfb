/**
 * Tabs with the WAI-ARIA tab pattern: one tab stop, arrow keys / Home / End move between tabs, the panel is
 * labelled by its tab.
 */
import type { ComponentChildren } from 'preact';

/** One tab. */
export interface TabSpec {
  id: string;
  label: string;
}

/** A tab list and the selected panel. */
export function Tabs(props: {
  label: string;
  tabs: readonly TabSpec[];
  selected: string;
  onSelect(id: string): void;
  children: ComponentChildren;
}) {
  const index = Math.max(
    0,
    props.tabs.findIndex((t) => t.id === props.selected),
  );
  const move = (to: number) => {
    const t = props.tabs[(to + props.tabs.length) % props.tabs.length]!;
    props.onSelect(t.id);
    requestAnimationFrame(() => document.getElementById(`tab-${t.id}`)?.focus());
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') move(index + 1);
    else if (e.key === 'ArrowLeft') move(index - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(props.tabs.length - 1);
    else return;
    e.preventDefault();
  };
  return (
    <div class="tabs">
      <div role="tablist" aria-label={props.label} onKeyDown={onKeyDown}>
        {props.tabs.map((t) => (
          <button
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            key={t.id}
            aria-selected={t.id === props.selected}
            aria-controls={`panel-${t.id}`}
            tabIndex={t.id === props.selected ? 0 : -1}
            onClick={() => props.onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${props.selected}`}
        aria-labelledby={`tab-${props.selected}`}
        class="tab-panel"
      >
        {props.children}
      </div>
    </div>
  );
}
