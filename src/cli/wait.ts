/**
 * Following a stack's progress: events printed as they arrive (paging with `marker`) until the stack settles.
 */
import { ApiError, type HeatClient } from './client.js';

/** The event fields the CLI prints. */
export interface EventItem {
  id: string;
  event_time: string;
  resource_name: string;
  resource_status: string;
  resource_status_reason: string;
}

/** `2026-11-25 16:18:22Z [s2.rnd]: CREATE_COMPLETE  state changed` (the stack's own events as `[s2]`). */
export function formatEventLine(stackName: string, e: EventItem): string {
  const who = e.resource_name === stackName ? stackName : `${stackName}.${e.resource_name}`;
  return `${e.event_time.replace('T', ' ')} [${who}]: ${e.resource_status}  ${e.resource_status_reason}`;
}

/** Options of {@link followStack}. */
export interface FollowOptions {
  /** Actions whose terminal status ends the wait (e.g. `['CREATE', 'ROLLBACK']`); empty = never (follow). */
  actions: string[];
  /** Print an event line. */
  print: (line: string) => void;
  /** Start after this event id (undefined = from the first event). */
  marker?: string;
  /** Poll interval; default 1000 ms. */
  intervalMs?: number;
  /** Stops waiting when it resolves (e.g. on SIGINT). */
  signal?: AbortSignal;
  /**
   * The stack's state right before the request. A terminal state identical to it (status, reason and
   * updated time) is taken for the end only once the stack's own event has been seen after `marker`, or after
   * `settleMs` (the request may not have moved the stack yet).
   */
  before?: StackState;
  /** See `before`; default 3000 ms. */
  settleMs?: number;
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
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

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

/** The id of the newest event of a stack (to print only what comes after it), or undefined. */
export async function lastEventId(client: HeatClient, stackPath: string): Promise<string | undefined> {
  const { events } = await client.request<{ events: EventItem[] }>(
    'GET',
    `${stackPath}/events?sort_dir=desc&limit=1`,
  );
  return events[0]?.id;
}

/**
 * Prints events as they arrive until the stack reaches a terminal status of one of `actions` (or disappears:
 * `DELETE_COMPLETE`), and returns that state. With no actions, follows until aborted or the stack is gone.
 */
export async function followStack(
  client: HeatClient,
  stackPath: string,
  stackName: string,
  options: FollowOptions,
): Promise<FinalState> {
  let marker = options.marker;
  let ownEventSeen = false;
  const started = Date.now();
  const drain = async () => {
    for (;;) {
      const q = new URLSearchParams({ sort_dir: 'asc', limit: '100' });
      if (marker) q.set('marker', marker);
      const { events } = await client.request<{ events: EventItem[] }>(
        'GET',
        `${stackPath}/events?${q.toString()}`,
      );
      for (const e of events) {
        options.print(formatEventLine(stackName, e));
        if (e.resource_name === stackName) ownEventSeen = true;
      }
      if (events.length > 0) marker = events[events.length - 1]!.id;
      if (events.length < 100) return;
    }
  };
  for (;;) {
    let state: StackState;
    try {
      await drain();
      state = await stackState(client, stackPath);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404)
        return { status: 'DELETE_COMPLETE', reason: 'Stack is gone' };
      throw err;
    }
    const action = state.status.slice(0, state.status.indexOf('_'));
    const before = options.before;
    const unchanged =
      before !== undefined &&
      before.status === state.status &&
      before.reason === state.reason &&
      before.updatedTime === state.updatedTime &&
      !ownEventSeen &&
      Date.now() - started < (options.settleMs ?? 3000);
    if (options.actions.includes(action) && !state.status.endsWith('_IN_PROGRESS') && !unchanged) {
      await drain();
      return { status: state.status, reason: state.reason };
    }
    if (options.signal?.aborted) return { status: state.status, reason: state.reason };
    await sleep(options.intervalMs ?? 1000, options.signal);
    if (options.signal?.aborted) return { status: state.status, reason: state.reason };
  }
}
