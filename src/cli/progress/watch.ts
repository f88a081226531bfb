/**
 * The watch loop of `--wait` and `stack event list --follow`: reads batches from a {@link ProgressSource}, feeds
 * them to a {@link ProgressTracker} and shows them on a {@link ProgressView}, until the stack settles in one of the
 * awaited actions, disappears, or the wait is interrupted.
 */
import type { FinalState, ProgressSource, StackState } from './model.js';
import type { ProgressTracker } from './tracker.js';
import type { ProgressView } from './views.js';

/** Options of {@link watchStack}. */
export interface WatchOptions {
  /** Actions whose terminal status ends the wait (e.g. `['CREATE', 'ROLLBACK']`); empty: until aborted or gone. */
  actions: readonly string[];
  /**
   * The stack's state right before the request. A terminal state identical to it (status, reason and updated
   * time) is taken for the end only once the stack's own event has been seen, or after `settleMs` (the request
   * may not have moved the stack yet).
   */
  before?: StackState;
  /** See `before`; default 3000 ms. */
  settleMs?: number;
  /** Ends the wait early (Ctrl-C); the final state is then `interrupted`. */
  signal?: AbortSignal;
  /** The clock; default `Date.now`. */
  now?: () => number;
}

/** The action part of `ACTION_STATUS`. */
function actionOf(status: string): string {
  const i = status.indexOf('_');
  return i < 0 ? status : status.slice(0, i);
}

/** Whether `state` is the same as `before` (the request has not visibly moved the stack yet). */
function unchanged(state: StackState, before: StackState | undefined): boolean {
  return (
    before !== undefined &&
    before.status === state.status &&
    before.reason === state.reason &&
    before.updatedTime === state.updatedTime
  );
}

/** Whether `state` ends the wait: a terminal status of an awaited action that is not the state from before. */
function settled(
  state: StackState,
  options: WatchOptions,
  ownEventSeen: boolean,
  elapsedMs: number,
): boolean {
  if (!options.actions.includes(actionOf(state.status)) || state.status.endsWith('_IN_PROGRESS'))
    return false;
  const early = unchanged(state, options.before) && !ownEventSeen && elapsedMs < (options.settleMs ?? 3000);
  return !early;
}

/** Follows the stack until it settles (see {@link WatchOptions}); the view is finished in every case. */
export async function watchStack(
  source: ProgressSource,
  tracker: ProgressTracker,
  view: ProgressView,
  options: WatchOptions,
): Promise<FinalState> {
  const now = options.now ?? Date.now;
  const started = now();
  let ownEventSeen = false;
  let final: FinalState | undefined;
  try {
    for (;;) {
      const update = await source.next(options.signal);
      const news = tracker.apply(update, now());
      ownEventSeen ||= news.events.some((e) => e.rootEvent);
      view.update(tracker.snapshot(), news, now());
      const state = update.stack;
      if (state === null) {
        final = { status: 'DELETE_COMPLETE', reason: 'Stack is gone' };
        return final;
      }
      if (state && settled(state, options, ownEventSeen, now() - started)) {
        final = { status: state.status, reason: state.reason };
        return final;
      }
      if (options.signal?.aborted) {
        const { stackStatus, stackReason } = tracker.snapshot();
        final = { status: stackStatus, reason: stackReason, interrupted: true };
        return final;
      }
    }
  } finally {
    view.finish(tracker.snapshot(), now(), final?.interrupted ?? final === undefined);
  }
}
