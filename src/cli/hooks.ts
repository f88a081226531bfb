/**
 * Breakpoint hooks as the API shows them: a resource is paused when its latest event reads
 * `<ACTION> paused until Hook <hook> is cleared` (cleared by the signal `{"unset_hook": "<hook>"}`, which adds
 * the event `Hook <hook> is cleared`).
 */

/** Heat's hook types (`--pre-create` … flags of `stack hook clear`). */
export const HOOK_TYPES = [
  'pre-create',
  'pre-update',
  'pre-delete',
  'post-create',
  'post-update',
  'post-delete',
];

/** An event as listed by the API (the fields hooks need). */
export interface HookEvent {
  resource_name: string;
  resource_status: string;
  resource_status_reason: string;
  event_time: string;
  links?: { href: string; rel: string }[];
}

/** A resource waiting on a hook. */
export interface PendingHook {
  /** URL of the stack that owns the resource (from the event's `stack` link), or '' when unknown. */
  stackUrl: string;
  /** That stack's name. */
  stackName: string;
  resource: string;
  hook: string;
  /** The pause event's reason, e.g. `CREATE paused until Hook pre-create is cleared`. */
  reason: string;
  since: string;
}

const PAUSED = /^([A-Z]+) paused until Hook ([a-z-]+) is cleared$/;

/** The stack name in a `…/stacks/{name}/{id}` URL. */
export function stackNameFromUrl(url: string): string {
  const m = /\/stacks\/([^/?]+)\/[^/?]+\/?(?:\?.*)?$/.exec(url);
  return m ? decodeURIComponent(m[1]!) : '';
}

/** The resources whose latest event (in `events`, oldest first) is a hook pause. */
export function pendingHooks(events: HookEvent[]): PendingHook[] {
  const latest = new Map<string, { stackUrl: string; event: HookEvent }>();
  for (const e of events) {
    const stackUrl = e.links?.find((l) => l.rel === 'stack')?.href ?? '';
    if (stackUrl && e.resource_name === stackNameFromUrl(stackUrl)) continue;
    latest.set(`${stackUrl} ${e.resource_name}`, { stackUrl, event: e });
  }
  const out: PendingHook[] = [];
  for (const { stackUrl, event } of latest.values()) {
    const m = PAUSED.exec(event.resource_status_reason);
    if (!m) continue;
    out.push({
      stackUrl,
      stackName: stackNameFromUrl(stackUrl),
      resource: event.resource_name,
      hook: m[2]!,
      reason: event.resource_status_reason,
      since: event.event_time,
    });
  }
  return out;
}

/** A shell-style glob (`*`, `?`) as an anchored regular expression. */
export function globPattern(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
