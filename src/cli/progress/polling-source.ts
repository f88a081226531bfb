/**
 * The {@link ProgressSource} of the plain REST API: each poll reads the stack's state, then the events after the
 * last one seen (`marker`, paged, `nested_depth` for the nested stacks), then — only when needed — the resources of
 * the whole tree (`nested_depth`): on the first poll, when an event names a resource or stack not listed yet, and
 * when the stack's status changed (so the final counts are exact). Reading the state before the events means a
 * batch whose state is final holds every event up to it.
 */
import { ApiError, type HeatClient } from '../client.js';
import {
  linkOf,
  stackRef,
  type EventItem,
  type ProgressSource,
  type ProgressUpdate,
  type ResourceItem,
  type StackState,
} from './model.js';

/** Nested stacks followed by `--wait` (deeper than any nesting a server allows). */
export const ALL_NESTED = 100;

/** Options of {@link PollingSource}. */
export interface PollingOptions {
  /** Time between polls; default 1000 ms. */
  intervalMs?: number;
  /** Nested stacks whose events and resources are read (0: the stack's own only); default {@link ALL_NESTED}. */
  nestedDepth?: number;
  /** Start after this event id (undefined: from the first event). */
  marker?: string;
  /** Events read per request; default 200. */
  pageSize?: number;
}

/** Waits `ms`, or less when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

/** The stack's current status, reason and updated time. @throws ApiError (404 when gone) */
export async function stackState(client: HeatClient, stackPath: string): Promise<StackState> {
  const { stack } = await client.request<{
    stack: { stack_status: string; stack_status_reason: string; updated_time?: string | null };
  }>('GET', `${stackPath}?resolve_outputs=false`);
  return {
    status: stack.stack_status,
    reason: stack.stack_status_reason,
    updatedTime: stack.updated_time ?? null,
  };
}

/** Whether an API error says the stack is gone. */
function isGone(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/** Polls the REST API of one stack. */
export class PollingSource implements ProgressSource {
  readonly #client: HeatClient;
  readonly #stackPath: string;
  readonly #intervalMs: number;
  readonly #nestedDepth: number;
  readonly #pageSize: number;
  #marker: string | undefined;
  #polls = 0;
  #lastStatus: string | undefined;
  /** Stack ids and `stackId/resource` keys of the latest resource list. */
  #known = new Set<string>();

  /** Follows the stack at `stackPath` (`stacks/{name}/{id}`). */
  constructor(client: HeatClient, stackPath: string, options: PollingOptions = {}) {
    this.#client = client;
    this.#stackPath = stackPath;
    this.#intervalMs = options.intervalMs ?? 1000;
    this.#nestedDepth = options.nestedDepth ?? ALL_NESTED;
    this.#pageSize = options.pageSize ?? 200;
    this.#marker = options.marker;
    const root = stackRef(`/${stackPath}`);
    if (root) this.#known.add(root.id);
  }

  async next(signal?: AbortSignal): Promise<ProgressUpdate> {
    if (this.#polls++ > 0) await sleep(this.#intervalMs, signal);
    let stack: StackState;
    let events: EventItem[];
    try {
      stack = await stackState(this.#client, this.#stackPath);
      events = await this.#newEvents();
    } catch (err) {
      if (isGone(err)) return { stack: null, events: [] };
      throw err;
    }
    const changed = stack.status !== this.#lastStatus;
    this.#lastStatus = stack.status;
    if (this.#polls > 1 && !changed && events.every((e) => this.#isKnown(e))) return { stack, events };
    const resources = await this.#resources();
    return resources ? { stack, events, resources } : { stack, events };
  }

  /** Whether the resource (or nested stack) an event is about was in the latest resource list. */
  #isKnown(e: EventItem): boolean {
    const ref = stackRef(linkOf(e, 'stack'));
    if (!ref) return true;
    if (e.resource_name === ref.name) return this.#known.has(ref.id);
    return this.#known.has(`${ref.id}/${e.resource_name}`);
  }

  /** Every event after the marker, oldest first (advancing the marker). */
  async #newEvents(): Promise<EventItem[]> {
    const out: EventItem[] = [];
    for (;;) {
      const q = new URLSearchParams({ sort_dir: 'asc', limit: String(this.#pageSize) });
      if (this.#nestedDepth > 0) q.set('nested_depth', String(this.#nestedDepth));
      if (this.#marker) q.set('marker', this.#marker);
      const { events } = await this.#client.request<{ events: EventItem[] }>(
        'GET',
        `${this.#stackPath}/events?${q}`,
      );
      out.push(...events);
      if (events.length > 0) this.#marker = events[events.length - 1]!.id;
      if (events.length < this.#pageSize) return out;
    }
  }

  /** The resources of the tree (undefined when the stack went away meanwhile). */
  async #resources(): Promise<ResourceItem[] | undefined> {
    const depth = this.#nestedDepth > 0 ? `?nested_depth=${this.#nestedDepth}` : '';
    let resources: ResourceItem[];
    try {
      ({ resources } = await this.#client.request<{ resources: ResourceItem[] }>(
        'GET',
        `${this.#stackPath}/resources${depth}`,
      ));
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
    for (const r of resources) {
      const owner = stackRef(linkOf(r, 'stack'));
      const nested = stackRef(linkOf(r, 'nested'));
      if (owner) this.#known.add(`${owner.id}/${r.resource_name}`);
      if (nested) this.#known.add(nested.id);
    }
    return resources;
  }
}

/** The id of the newest event of a stack tree (to show only what comes after it), or undefined. */
export async function lastEventId(
  client: HeatClient,
  stackPath: string,
  nestedDepth = 0,
): Promise<string | undefined> {
  const q = new URLSearchParams({ sort_dir: 'desc', limit: '1' });
  if (nestedDepth > 0) q.set('nested_depth', String(nestedDepth));
  const { events } = await client.request<{ events: EventItem[] }>('GET', `${stackPath}/events?${q}`);
  return events[0]?.id;
}
