/**
 * The state of a followed stack tree, built from {@link ProgressUpdate}s: every resource of the stack and of its
 * nested stacks under its path from the root (`grp.0.server`), its type, status and since when, the failures in
 * the order they happened, and the root stack's status. The tracker holds no I/O; its {@link ProgressSnapshot}
 * is what the renderer draws.
 */
import { linkOf, stackRef, type EventItem, type ProgressUpdate, type ResourceItem } from './model.js';

/** One resource of the tree. */
export interface TrackedResource {
  /** Path from the root stack: `name`, or `parent.child.name` inside nested stacks. */
  path: string;
  /** Resource type ('' until the resource list names it). */
  type: string;
  /** `ACTION_STATUS`, e.g. `CREATE_IN_PROGRESS`. */
  status: string;
  reason: string;
  /** 0 for the root stack's own resources, 1 inside its nested stacks, … */
  depth: number;
  /** When the current status was first seen (ms, local clock). */
  sinceMs: number;
}

/** A resource that failed. */
export interface FailureRecord {
  path: string;
  type: string;
  status: string;
  reason: string;
  /** When the failure was seen (ms, local clock). */
  atMs: number;
}

/** An event to show, with the path of the resource it is about. */
export interface EventNews {
  event: EventItem;
  /** `stack` for the root stack's own events, else `stack.path.to.resource`. */
  who: string;
  /** The event is the root stack's own. */
  rootEvent: boolean;
}

/** What an update brought that was not known before. */
export interface ProgressNews {
  events: EventNews[];
  failures: FailureRecord[];
}

/** The state drawn by the renderer (a copy: later updates do not change it). */
export interface ProgressSnapshot {
  stackName: string;
  stackStatus: string;
  stackReason: string;
  startedMs: number;
  resources: readonly TrackedResource[];
  failures: readonly FailureRecord[];
}

/** Where the resources of one stack of the tree sit. */
interface StackPlace {
  path: string;
  depth: number;
}

/** Follows one stack tree. */
export class ProgressTracker {
  readonly #root: { name: string; id: string };
  readonly #startedMs: number;
  readonly #stacks = new Map<string, StackPlace>();
  readonly #resources = new Map<string, TrackedResource>();
  /** Types from the latest resource list, by path (events do not carry them). */
  readonly #types = new Map<string, string>();
  readonly #failures: FailureRecord[] = [];
  #status = '';
  #reason = '';

  /** Follows the stack `root` from `startedMs` (local clock). */
  constructor(root: { name: string; id: string }, startedMs: number) {
    this.#root = root;
    this.#startedMs = startedMs;
    this.#stacks.set(root.id, { path: '', depth: 0 });
  }

  /**
   * Applies a batch (nested-stack places from its resources first, then its events in order, then the
   * resources' states, which are newer than the events) and returns what it brought.
   */
  apply(update: ProgressUpdate, nowMs: number): ProgressNews {
    const news: ProgressNews = { events: [], failures: [] };
    if (update.resources) this.#learn(update.resources);
    for (const e of update.events) {
      const item = this.#applyEvent(e, nowMs, news.failures);
      if (item) news.events.push(item);
    }
    if (update.resources) this.#applyResources(update.resources, nowMs, news.failures);
    if (update.stack) {
      this.#status = update.stack.status;
      this.#reason = update.stack.reason;
    } else if (update.stack === null) {
      this.#status = 'DELETE_COMPLETE';
      this.#reason = 'Stack is gone';
    }
    return news;
  }

  /** The state now. */
  snapshot(): ProgressSnapshot {
    return {
      stackName: this.#root.name,
      stackStatus: this.#status,
      stackReason: this.#reason,
      startedMs: this.#startedMs,
      resources: [...this.#resources.values()].map((r) => ({ ...r })),
      failures: [...this.#failures],
    };
  }

  /**
   * Records where each nested stack sits, from the resources owning them (`rel: nested` links), and the type of
   * every resource.
   */
  #learn(items: readonly ResourceItem[]): void {
    let pending = items.filter((r) => linkOf(r, 'nested'));
    while (pending.length > 0) {
      const rest = pending.filter((r) => {
        const owner = this.#placeOf(linkOf(r, 'stack'));
        const child = stackRef(linkOf(r, 'nested'));
        if (!owner || !child) return !owner && child !== undefined;
        this.#stacks.set(child.id, { path: join(owner.path, r.resource_name), depth: owner.depth + 1 });
        return false;
      });
      if (rest.length === pending.length) break;
      pending = rest;
    }
    for (const r of items)
      this.#types.set(this.#locate(linkOf(r, 'stack'), r.resource_name).path, r.resource_type);
  }

  /** The place of the stack a `stack` link names (the root when there is no link); undefined when unknown. */
  #placeOf(href: string | undefined): StackPlace | undefined {
    const ref = stackRef(href);
    return ref ? this.#stacks.get(ref.id) : this.#stacks.get(this.#root.id);
  }

  /** The path and depth of a resource of the stack a `stack` link names (unknown stacks: under their name). */
  #locate(href: string | undefined, name: string): StackPlace {
    const place = this.#placeOf(href) ?? { path: stackRef(href)?.name ?? '', depth: 1 };
    return { path: join(place.path, name), depth: place.path === '' ? 0 : place.depth };
  }

  #applyEvent(e: EventItem, nowMs: number, failures: FailureRecord[]): EventNews | undefined {
    const href = linkOf(e, 'stack');
    const ref = stackRef(href) ?? this.#root;
    const ownEvent =
      e.resource_name === ref.name && (!e.physical_resource_id || e.physical_resource_id === ref.id);
    if (ownEvent) {
      if (ref.id !== this.#root.id) return undefined; // a nested stack's own events repeat its resource's
      this.#status = e.resource_status;
      this.#reason = e.resource_status_reason;
      return { event: e, who: this.#root.name, rootEvent: true };
    }
    const { path, depth } = this.#locate(href, e.resource_name);
    this.#setState(path, depth, undefined, e.resource_status, e.resource_status_reason, nowMs, failures);
    return { event: e, who: join(this.#root.name, path), rootEvent: false };
  }

  #applyResources(items: readonly ResourceItem[], nowMs: number, failures: FailureRecord[]): void {
    const listed = new Set<string>();
    for (const r of items) {
      const { path, depth } = this.#locate(linkOf(r, 'stack'), r.resource_name);
      listed.add(path);
      this.#setState(
        path,
        depth,
        r.resource_type,
        r.resource_status,
        r.resource_status_reason,
        nowMs,
        failures,
      );
    }
    // A resource no longer listed was deleted (removed by an update, or with its stack).
    for (const r of this.#resources.values()) {
      if (!listed.has(r.path) && r.status !== 'DELETE_COMPLETE') {
        r.status = 'DELETE_COMPLETE';
        r.sinceMs = nowMs;
      }
    }
  }

  #setState(
    path: string,
    depth: number,
    type: string | undefined,
    status: string,
    reason: string,
    nowMs: number,
    failures: FailureRecord[],
  ): void {
    let r = this.#resources.get(path);
    const entered = r === undefined || r.status !== status;
    if (!r) {
      r = { path, type: type ?? this.#types.get(path) ?? '', status, reason, depth, sinceMs: nowMs };
      this.#resources.set(path, r);
    } else if (entered) {
      r.status = status;
      r.sinceMs = nowMs;
    }
    r.reason = reason;
    r.type = type || r.type || (this.#types.get(path) ?? '');
    if (entered && status.endsWith('_FAILED')) this.#recordFailure(r, nowMs, failures);
  }

  /**
   * Records a resource entering a FAILED status. A resource owning a nested stack whose own resources already
   * failed is not recorded: its reason only repeats theirs.
   */
  #recordFailure(r: TrackedResource, nowMs: number, failures: FailureRecord[]): void {
    const ownsStack = [...this.#stacks.values()].some((p) => p.path === r.path);
    if (ownsStack && this.#failures.some((f) => f.path.startsWith(`${r.path}.`))) return;
    const failure = { path: r.path, type: r.type, status: r.status, reason: r.reason, atMs: nowMs };
    this.#failures.push(failure);
    failures.push(failure);
  }
}

/** `a.b` (or `b` at the root). */
function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}
