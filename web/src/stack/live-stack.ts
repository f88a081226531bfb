/**
 * The state of one open stack, kept current: loaded over REST (details, resources of the stack and of every
 * expanded nested stack, recent events), then updated by the stack's live feed. After any interruption of the
 * feed the REST state is loaded again and the feed resumes after the last event received, so what the page
 * shows is either live or explicitly marked as last known.
 */
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/client.js';
import { StackStream, type StreamState } from '../api/stack-stream.js';
import {
  linkOf,
  stackRefOf,
  type ResourceItem,
  type StackDetail,
  type StackEvent,
  type StackStatus,
} from '../api/types.js';
import { isProgressEvent } from '../deployments/deployment-model.js';
import { nestedStackOf, nodeKey } from '../graph/model.js';
import { messageOf } from '../ui/format.js';
import { pendingHooks, type PendingHook } from '../../../src/cli/hooks.js';

/** Events kept in memory (newest first). */
const MAX_EVENTS = 2000;
/** Events loaded when the page opens. */
const INITIAL_EVENTS = 200;
/** How deep event history and the feed follow nested stacks. */
const EVENT_DEPTH = 10;
/** REST reloads triggered by the feed happen at most this often. */
const REFRESH_EVERY_MS = 1000;

/** Everything the stack page renders. */
export interface LiveState {
  name: string;
  id: string;
  detail?: StackDetail;
  status?: StackStatus;
  /** Resources of the root and of loaded nested stacks, by stack id. */
  resources: Map<string, ResourceItem[]>;
  /** Names of loaded nested stacks, by id (for their URLs). */
  stackNames: Map<string, string>;
  expanded: Set<string>;
  events: StackEvent[];
  hooks: PendingHook[];
  stream: StreamState;
  /** The feed was lost and is not back yet: what is shown is the last known state. */
  interrupted: boolean;
  /** When the REST state was last loaded (ms). */
  syncedAt?: number;
  /** Why the stack is no longer there, once it is gone. */
  gone?: string;
  /** The last load failure, while it lasts. */
  error?: string;
  loading: boolean;
}

/** The stack id an event belongs to (from its `stack` link). */
export function eventStackId(e: StackEvent): string | undefined {
  return stackRefOf(linkOf(e.links, 'stack'))?.id;
}

/** Keeps one stack's {@link LiveState} current; `onChange` runs after every change. */
export class LiveStack {
  readonly state: LiveState;
  private stream: StackStream | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  private lastRefresh = 0;
  private stopped = false;
  private readonly seen = new Set<string>();
  /** Live events in arrival order (a REST load replays those that arrived while it ran). */
  private liveLog: StackEvent[] = [];
  private liveCount = 0;

  constructor(
    private readonly client: ApiClient,
    name: string,
    id: string,
    private readonly onChange: () => void,
  ) {
    this.state = {
      name,
      id,
      resources: new Map(),
      stackNames: new Map([[id, name]]),
      expanded: new Set(),
      events: [],
      hooks: [],
      stream: { kind: 'connecting' },
      interrupted: false,
      loading: true,
    };
  }

  private path(name = this.state.name, id = this.state.id): string {
    return `/stacks/${encodeURIComponent(name)}/${encodeURIComponent(id)}`;
  }

  /** Loads everything, then follows the feed. */
  async start(): Promise<void> {
    try {
      const events = await this.client.get<{ events: StackEvent[] }>(
        `${this.path()}/events?sort_dir=desc&limit=${INITIAL_EVENTS}&nested_depth=${EVENT_DEPTH}`,
      );
      this.addEvents(events.events, 'history');
      await this.refresh();
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof ApiError && err.notFound) {
        this.markGone('This stack does not exist (it may have been deleted).');
        return;
      }
      this.state.error = `Could not load the stack: ${messageOf(err)}`;
    } finally {
      this.state.loading = false;
      this.changed();
    }
    if (this.stopped || this.state.gone) return;
    this.stream = new StackStream(
      this.client,
      this.path(),
      {
        onOpen: (resumed) => {
          if (resumed) void this.refresh();
        },
        onMessage: (m) => this.onMessage(m.event, m.data),
        onState: (s) => {
          this.state.stream = s;
          if (s.kind === 'live') this.state.interrupted = false;
          else if (s.kind === 'retrying' || s.kind === 'closed') this.state.interrupted = true;
          this.changed();
        },
        onGone: () => this.markGone('This stack was deleted.'),
      },
      // After the newest event already shown; with none shown yet, from the stack's first event (so none is missed
      // between loading the history and connecting).
      { lastEventId: this.state.events[0]?.id ?? '0' },
    );
  }

  /** Stops the feed and any pending reload. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    this.stream?.close('page closed');
  }

  /** Tries the feed again now (after a failure). */
  reconnect(): void {
    this.stream?.reconnectNow();
  }

  /** Loads the stack's details and the resources of every loaded stack again. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = this.load().finally(() => {
      this.refreshing = undefined;
      this.lastRefresh = Date.now();
      if (this.refreshAgain && !this.stopped) {
        this.refreshAgain = false;
        this.scheduleRefresh();
      }
    });
    return this.refreshing;
  }

  /** Loads the events before the oldest one shown; false when there are none left. */
  async loadOlder(): Promise<boolean> {
    const oldest = this.state.events[this.state.events.length - 1];
    const marker = oldest ? `&marker=${encodeURIComponent(oldest.id)}` : '';
    const body = await this.client.get<{ events: StackEvent[] }>(
      `${this.path()}/events?sort_dir=desc&limit=${INITIAL_EVENTS}&nested_depth=${EVENT_DEPTH}${marker}`,
    );
    this.addEvents(body.events, 'history');
    this.changed();
    return body.events.length === INITIAL_EVENTS;
  }

  /** Shows (loading when needed) or hides the resources of a nested stack. */
  async toggle(stackId: string, r: ResourceItem): Promise<void> {
    const key = nodeKey(stackId, r.resource_name);
    if (this.state.expanded.delete(key)) {
      this.changed();
      return;
    }
    const nested = nestedStackOf(r);
    if (!nested) return;
    this.state.expanded.add(key);
    this.state.stackNames.set(nested.id, nested.name);
    if (!this.state.resources.has(nested.id))
      await this.loadResources(nested.id).catch((err: unknown) => {
        this.state.expanded.delete(key);
        this.state.error = `Could not load nested stack ${nested.name}: ${messageOf(err)}`;
      });
    this.changed();
  }

  /** Releases a resource waiting at a breakpoint (`{"unset_hook": hook}` to the resource's own stack). */
  async clearHook(hook: PendingHook): Promise<void> {
    const ref = stackRefOf(hook.stackUrl);
    const path = ref ? this.path(ref.name, ref.id) : this.path();
    await this.client.post(`${path}/resources/${encodeURIComponent(hook.resource)}/signal`, {
      unset_hook: hook.hook,
    });
  }

  /**
   * One REST load. Events that arrive while it runs may be older or newer than what it reads, so they are
   * applied again on top of it, in order: every resource ends at its latest known transition. The stack status
   * is taken from REST only while the feed is not live (the feed sends every change, REST may be older).
   */
  private async load(): Promise<void> {
    const from = this.liveCount;
    try {
      const detail = await this.client.get<{ stack: StackDetail }>(this.path());
      const stackIds = [this.state.id, ...this.expandedStackIds()];
      await Promise.all(stackIds.map((id) => this.loadResources(id)));
      for (const e of this.liveLog.slice(Math.max(0, this.liveLog.length - (this.liveCount - from))))
        this.applyEvent(e, true);
      this.state.detail = detail.stack;
      if (!this.state.status || this.state.stream.kind !== 'live') {
        this.state.status = {
          id: detail.stack.id,
          stack_name: detail.stack.stack_name,
          stack_status: detail.stack.stack_status,
          stack_status_reason: detail.stack.stack_status_reason,
          creation_time: detail.stack.creation_time,
          updated_time: detail.stack.updated_time,
        };
      }
      this.state.syncedAt = Date.now();
      this.state.error = undefined;
      if (detail.stack.stack_status === 'DELETE_COMPLETE') this.markGone('This stack was deleted.');
    } catch (err) {
      if (err instanceof ApiError && err.notFound) this.markGone('This stack was deleted.');
      else this.state.error = `Could not refresh the stack: ${messageOf(err)}`;
    }
    this.changed();
  }

  private expandedStackIds(): string[] {
    const ids: string[] = [];
    for (const [stackId, items] of this.state.resources) {
      for (const r of items) {
        const nested = nestedStackOf(r);
        if (nested && this.state.expanded.has(nodeKey(stackId, r.resource_name))) {
          ids.push(nested.id);
          this.state.stackNames.set(nested.id, nested.name);
        }
      }
    }
    return ids;
  }

  private async loadResources(stackId: string): Promise<void> {
    const name = this.state.stackNames.get(stackId);
    if (name === undefined) return;
    try {
      const body = await this.client.get<{ resources: ResourceItem[] }>(
        `${this.path(name, stackId)}/resources`,
      );
      this.state.resources.set(stackId, body.resources);
    } catch (err) {
      // A nested stack replaced or deleted meanwhile: forget it (its owner's node stays).
      if (stackId !== this.state.id && err instanceof ApiError && err.notFound)
        this.state.resources.delete(stackId);
      else throw err;
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined || this.stopped) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_EVERY_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, wait);
  }

  private onMessage(event: string, data: string): void {
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch {
      return;
    }
    if (event === 'event') this.addEvents([body as StackEvent], 'live');
    else if (event === 'stack') this.onStatus(body as StackStatus);
    else if (event === 'gone') this.markGone('This stack was deleted.');
    else if (event === 'error') this.state.error = (body as { message?: string }).message;
    this.changed();
  }

  private onStatus(s: StackStatus): void {
    const before = this.state.status?.stack_status;
    this.state.status = s;
    // A new action may add resources, and a finished one changes outputs: reload either way.
    if (before !== s.stack_status) this.scheduleRefresh();
  }

  /** Adds events (deduplicated), applying live ones to the resources they are about. */
  private addEvents(events: StackEvent[], source: 'history' | 'live'): void {
    const fresh = events.filter((e) => !this.seen.has(e.id));
    if (fresh.length === 0) return;
    for (const e of fresh) this.seen.add(e.id);
    if (source === 'history') this.state.events = [...this.state.events, ...fresh];
    else {
      for (const e of fresh) this.applyEvent(e, false);
      this.liveLog.push(...fresh);
      this.liveCount += fresh.length;
      if (this.liveLog.length > MAX_EVENTS) this.liveLog = this.liveLog.slice(-MAX_EVENTS);
      this.state.events = [...[...fresh].reverse(), ...this.state.events];
    }
    if (this.state.events.length > MAX_EVENTS) {
      for (const e of this.state.events.slice(MAX_EVENTS)) this.seen.delete(e.id);
      this.state.events = this.state.events.slice(0, MAX_EVENTS);
    }
    this.state.hooks = pendingHooks([...this.state.events].reverse());
  }

  /** Sets the resource's status from the event; unknown resources, deletions and failures reload (not replays). */
  private applyEvent(e: StackEvent, replay: boolean): void {
    const stackId = eventStackId(e);
    if (!stackId) return;
    const stackName = this.state.stackNames.get(stackId) ?? stackRefOf(linkOf(e.links, 'stack'))?.name;
    if (e.resource_name === stackName && e.physical_resource_id === stackId) return; // the stack's own event
    if (isProgressEvent(e)) return; // a deployment's output line or heartbeat: not a change of state
    const items = this.state.resources.get(stackId);
    if (!items) return;
    const i = items.findIndex((r) => r.resource_name === e.resource_name);
    const reload = i < 0 || e.resource_status.startsWith('DELETE_') || e.resource_status.endsWith('_FAILED');
    if (reload && !replay) this.scheduleRefresh();
    if (i < 0) return;
    const next = [...items];
    next[i] = {
      ...items[i]!,
      resource_status: e.resource_status,
      resource_status_reason: e.resource_status_reason,
      physical_resource_id: e.physical_resource_id || items[i]!.physical_resource_id,
      updated_time: e.event_time,
    };
    this.state.resources.set(stackId, next);
  }

  private markGone(reason: string): void {
    this.state.gone = reason;
    this.stream?.close('the stack is gone');
  }

  private changed(): void {
    if (!this.stopped) this.onChange();
  }
}
