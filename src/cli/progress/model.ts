/**
 * What the progress view of a stack action is made of: the API's events and resources (the fields it reads), the
 * stack's state, and the {@link ProgressSource} port that delivers them — polled today
 * ({@link ./polling-source.ts}), a server-sent-events stream later, with no change to the view.
 */

/** A link of an API body. */
export interface ApiLink {
  href: string;
  rel: string;
}

/** An event as the event list answers it (the fields the CLI reads). */
export interface EventItem {
  id: string;
  event_time: string;
  resource_name: string;
  resource_status: string;
  resource_status_reason: string;
  physical_resource_id?: string;
  links?: ApiLink[];
}

/** A resource as the resource list answers it (the fields the CLI reads). */
export interface ResourceItem {
  resource_name: string;
  resource_type: string;
  resource_status: string;
  resource_status_reason: string;
  physical_resource_id?: string;
  updated_time?: string | null;
  links?: ApiLink[];
}

/** What identifies a stack state (to tell a new terminal state from the one before a request). */
export interface StackState {
  status: string;
  reason: string;
  updatedTime: string | null;
}

/** The final state of a followed stack. */
export interface FinalState {
  status: string;
  reason: string;
  /** The wait was interrupted (Ctrl-C) before the stack settled. */
  interrupted?: boolean;
}

/** One batch of news about a stack tree, in the order it happened. */
export interface ProgressUpdate {
  /** The root stack's state when the batch was read; null once the stack is gone (deleted, 404); absent: not read. */
  stack?: StackState | null;
  /** Events of the stack and its nested stacks since the previous batch, oldest first. */
  events: EventItem[];
  /** The resources of the whole tree, read after `events`, when the source fetched them this time. */
  resources?: ResourceItem[];
}

/**
 * Where progress comes from. `next` resolves with the next batch: the first at once, then when there is news
 * or after the source's poll interval; it resolves early (with an empty batch) when `signal` aborts.
 */
export interface ProgressSource {
  next(signal?: AbortSignal): Promise<ProgressUpdate>;
}

/** The `{name, id}` of the stack a `…/stacks/{name}/{id}` URL names, or undefined. */
export function stackRef(href: string | undefined): { name: string; id: string } | undefined {
  const m = href ? /\/stacks\/([^/?#]+)\/([^/?#]+)\/?(?:[?#].*)?$/.exec(href) : null;
  return m ? { name: decodeURIComponent(m[1]!), id: decodeURIComponent(m[2]!) } : undefined;
}

/** The link of `item` with relation `rel`. */
export function linkOf(item: { links?: unknown }, rel: string): string | undefined {
  const links = Array.isArray(item.links) ? (item.links as Partial<ApiLink>[]) : [];
  return links.find((l) => l?.rel === rel)?.href;
}
