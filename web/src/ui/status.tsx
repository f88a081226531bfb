/**
 * Stack and resource statuses as the dashboard shows them: a category (drives the colour), and a badge that
 * says it in words (colour is never the only signal) and marks a status that is not known to be current.
 */

/** Colour categories. */
export type StatusCategory = 'progress' | 'complete' | 'failed' | 'deleted' | 'paused' | 'init' | 'unknown';

/** The category of `ACTION_STATUS` (a hook pause wins over the status). */
export function statusCategory(status: string | undefined, paused = false): StatusCategory {
  if (paused) return 'paused';
  if (!status) return 'unknown';
  if (status.startsWith('INIT_')) return 'init';
  if (status === 'DELETE_COMPLETE') return 'deleted';
  if (status.endsWith('_IN_PROGRESS')) return 'progress';
  if (status.endsWith('_FAILED')) return 'failed';
  if (status.endsWith('_COMPLETE')) return 'complete';
  return 'unknown';
}

/** A status badge; `stale` adds "last known" so an old status is never read as current. */
export function StatusBadge(props: { status: string | undefined; paused?: boolean; stale?: boolean }) {
  const category = statusCategory(props.status, props.paused);
  const text = props.paused ? `${props.status ?? ''} (paused at a hook)` : (props.status ?? 'unknown');
  return (
    <span class={`badge status-${category}${props.stale ? ' stale' : ''}`} data-status={props.status ?? ''}>
      {text}
      {props.stale ? <span class="stale-note"> · last known</span> : null}
    </span>
  );
}
