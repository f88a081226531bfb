/**
 * Messages at the top of a page: what happened, in words, with an action to recover when there is one.
 */
import type { ComponentChildren } from 'preact';

/** A message banner; `error` and `warning` are announced to screen readers at once. */
export function Banner(props: {
  kind: 'info' | 'warning' | 'error' | 'success';
  children: ComponentChildren;
  action?: { label: string; run(): void };
}) {
  const urgent = props.kind === 'error' || props.kind === 'warning';
  return (
    <div class={`banner banner-${props.kind}`} role={urgent ? 'alert' : 'status'}>
      <div class="banner-text">{props.children}</div>
      {props.action ? (
        <button type="button" class="secondary" onClick={props.action.run}>
          {props.action.label}
        </button>
      ) : null}
    </div>
  );
}
