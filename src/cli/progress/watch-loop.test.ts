/**
 * The watch loop's end conditions, fed by a scripted {@link ProgressSource} (the port a server-sent-events source
 * will implement too).
 */
import { describe, expect, it } from 'vitest';
import type { EventItem, ProgressSource, ProgressUpdate, StackState } from './model.js';
import { ProgressTracker } from './tracker.js';
import type { ProgressView } from './views.js';
import { watchStack } from './watch.js';

/** A source answering the scripted batches in order (the last one again when the script runs out). */
function scripted(
  batches: ProgressUpdate[],
  onNext?: (n: number) => void,
): ProgressSource & { reads: number } {
  const source = {
    reads: 0,
    async next() {
      onNext?.(source.reads);
      return batches[Math.min(source.reads++, batches.length - 1)]!;
    },
  };
  return source;
}

/** A view recording the calls it gets. */
function recordingView(): ProgressView & { updates: number; finished: boolean[] } {
  const view = {
    updates: 0,
    finished: [] as boolean[],
    update() {
      view.updates++;
    },
    finish(_s: unknown, _now: number, interrupted: boolean) {
      view.finished.push(interrupted);
    },
  };
  return view;
}

const state = (status: string, updatedTime: string | null = null): StackState => ({
  status,
  reason: `Stack ${status}`,
  updatedTime,
});
const stackEvent = (status: string): EventItem => ({
  id: status,
  event_time: '2026-11-25T16:18:22Z',
  resource_name: 's',
  resource_status: status,
  resource_status_reason: '',
  physical_resource_id: 'id1',
  links: [{ rel: 'stack', href: 'http://h/v1/p/stacks/s/id1' }],
});
const tracker = () => new ProgressTracker({ name: 's', id: 'id1' }, 0);

describe('watchStack', () => {
  it('does not take the state from before the request for the end until the stack moves', async () => {
    const before = state('UPDATE_COMPLETE', '2026-11-25T16:00:00Z');
    const source = scripted([
      { stack: before, events: [] },
      { stack: before, events: [] },
      { stack: state('UPDATE_IN_PROGRESS'), events: [stackEvent('UPDATE_IN_PROGRESS')] },
      { stack: state('UPDATE_COMPLETE', '2026-11-25T16:18:22Z'), events: [stackEvent('UPDATE_COMPLETE')] },
    ]);
    const view = recordingView();
    const final = await watchStack(source, tracker(), view, { actions: ['UPDATE'], before });
    expect(final).toEqual({ status: 'UPDATE_COMPLETE', reason: 'Stack UPDATE_COMPLETE' });
    expect(source.reads).toBe(4);
    expect(view.finished).toEqual([false]);
  });

  it('takes an unchanged terminal state once the stack’s own event was seen, or after the settle time', async () => {
    const before = state('CHECK_COMPLETE');
    const seen = await watchStack(
      scripted([{ stack: before, events: [stackEvent('CHECK_COMPLETE')] }]),
      tracker(),
      recordingView(),
      { actions: ['CHECK'], before },
    );
    expect(seen.status).toBe('CHECK_COMPLETE');
    let clock = 0;
    const source = scripted([{ stack: before, events: [] }], () => (clock += 1000));
    await watchStack(source, tracker(), recordingView(), { actions: ['CHECK'], before, now: () => clock });
    expect(source.reads).toBe(3);
  });

  it('ends with DELETE_COMPLETE when the stack is gone', async () => {
    const final = await watchStack(
      scripted([
        { stack: state('DELETE_IN_PROGRESS'), events: [] },
        { stack: null, events: [] },
      ]),
      tracker(),
      recordingView(),
      { actions: ['DELETE'] },
    );
    expect(final).toEqual({ status: 'DELETE_COMPLETE', reason: 'Stack is gone' });
  });

  it('stops when interrupted, telling the view, with the last state seen', async () => {
    const abort = new AbortController();
    const view = recordingView();
    const source = scripted([{ stack: state('CREATE_IN_PROGRESS'), events: [] }], (n) => {
      if (n === 2) abort.abort();
    });
    const final = await watchStack(source, tracker(), view, { actions: ['CREATE'], signal: abort.signal });
    expect(final).toEqual({
      status: 'CREATE_IN_PROGRESS',
      reason: 'Stack CREATE_IN_PROGRESS',
      interrupted: true,
    });
    expect(view.updates).toBe(3);
    expect(view.finished).toEqual([true]);
  });

  it('finishes the view when the source fails, and passes the error on', async () => {
    const view = recordingView();
    const failing: ProgressSource = {
      next: () => Promise.reject(new Error('connection refused')),
    };
    await expect(watchStack(failing, tracker(), view, { actions: ['CREATE'] })).rejects.toThrow(
      'connection refused',
    );
    expect(view.finished).toEqual([true]);
  });
});
