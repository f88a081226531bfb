/**
 * `--wait`: following a stack after a request until it settles, with the progress view that suits the output — a
 * live, redrawn view on a terminal, one line per event otherwise — on stdout for table output, on stderr when
 * stdout carries machine output (`-f json|yaml|value`). Ctrl-C stops waiting (the action goes on on the server).
 */
import type { HeatClient } from './client.js';
import type { OutputFormat } from './format.js';
import type { CliIo } from './io.js';
import type { EventItem, FinalState, StackState } from './progress/model.js';
import { ALL_NESTED, lastEventId, PollingSource } from './progress/polling-source.js';
import { ProgressTracker } from './progress/tracker.js';
import { LiveView, PlainView, type ProgressView } from './progress/views.js';
import { watchStack } from './progress/watch.js';

export type { EventItem, FinalState, StackState } from './progress/model.js';
export { lastEventId, stackState } from './progress/polling-source.js';

/** `2026-11-25 16:18:22Z [s2.rnd]: CREATE_COMPLETE  state changed` (the stack's own events as `[s2]`). */
export function formatEventLine(stackName: string, e: EventItem): string {
  const who = e.resource_name === stackName ? stackName : `${stackName}.${e.resource_name}`;
  return `${e.event_time.replace('T', ' ')} [${who}]: ${e.resource_status}  ${e.resource_status_reason}`;
}

/** What a wait needs from the command. */
export interface WaitContext {
  client: HeatClient;
  io: CliIo;
  format: OutputFormat;
}

/** Options of {@link waitForStack}. */
export interface WaitOptions {
  /** Actions whose terminal status ends the wait (e.g. `['CREATE', 'ROLLBACK']`). */
  actions: string[];
  /** Show only events after this id (undefined: from the first event). */
  marker?: string;
  /** The stack's state before the request (see {@link watchStack}'s `before`). */
  before?: StackState;
  /** Poll interval; default 1000 ms. */
  intervalMs?: number;
  /** See `before`; default 3000 ms. */
  settleMs?: number;
  /** When the request was sent (elapsed times count from it); default now. */
  startedMs?: number;
}

/** The stream progress goes to: stdout for tables, stderr when stdout carries machine output. */
export function progressStream(format: OutputFormat): 'out' | 'err' {
  return format === 'table' ? 'out' : 'err';
}

/**
 * The view for `stream`: live on a terminal (unless `TERM=dumb`; colours unless `NO_COLOR`), plain lines
 * otherwise.
 */
export function progressView(io: CliIo, stream: 'out' | 'err'): ProgressView {
  const write = stream === 'out' ? io.out : io.err;
  const size = io.terminal?.(stream);
  if (!size || io.env.TERM === 'dumb') return new PlainView(write);
  return new LiveView(write, () => io.terminal?.(stream) ?? size, io.env.NO_COLOR === undefined);
}

/** Runs `body` with an AbortSignal that Ctrl-C (SIGINT) aborts. */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    return await body(abort.signal);
  } finally {
    process.off('SIGINT', stop);
  }
}

/**
 * Follows the stack at `stackPath` (and its nested stacks) until it reaches a terminal status of one of
 * `actions` (or disappears: `DELETE_COMPLETE`), showing its progress, and returns that state.
 */
export async function waitForStack(
  ctx: WaitContext,
  stackPath: string,
  stackName: string,
  options: WaitOptions,
): Promise<FinalState> {
  const id = decodeURIComponent(stackPath.split('/')[2] ?? '');
  const source = new PollingSource(ctx.client, stackPath, {
    nestedDepth: ALL_NESTED,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.marker !== undefined ? { marker: options.marker } : {}),
  });
  const tracker = new ProgressTracker({ name: stackName, id }, options.startedMs ?? Date.now());
  const view = progressView(ctx.io, progressStream(ctx.format));
  return withInterrupt((signal) =>
    watchStack(source, tracker, view, {
      actions: options.actions,
      signal,
      ...(options.before ? { before: options.before } : {}),
      ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
    }),
  );
}

/** The newest event id of the whole tree (the marker of a wait). */
export function treeMarker(client: HeatClient, stackPath: string): Promise<string | undefined> {
  return lastEventId(client, stackPath, ALL_NESTED);
}
