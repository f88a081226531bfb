import { describe, expect, it } from 'vitest';
import {
  countStates,
  countsText,
  eventLine,
  failureLine,
  fit,
  formatDuration,
  renderFrame,
  summaryLine,
} from './render.js';
import type { ProgressSnapshot, TrackedResource } from './tracker.js';

const T0 = 1_000_000;

const res = (
  path: string,
  status: string,
  sinceS: number,
  type = 'OS::Heat::TestResource',
): TrackedResource => ({
  path,
  type,
  status,
  reason: 'state changed',
  depth: path.split('.').length - 1,
  sinceMs: T0 + sinceS * 1000,
});

const snapshot = (resources: TrackedResource[], extra: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  stackName: 'web',
  stackStatus: 'CREATE_IN_PROGRESS',
  stackReason: 'Stack CREATE started',
  startedMs: T0,
  resources,
  failures: [],
  ...extra,
});

const plain = { columns: 100, rows: 30, color: false };

describe('renderFrame', () => {
  it('shows the status, elapsed time, counts by state and the resources in progress, longest first', () => {
    const s = snapshot([
      res('db', 'CREATE_COMPLETE', 1),
      res('app', 'CREATE_IN_PROGRESS', 5),
      res('grp', 'CREATE_IN_PROGRESS', 2, 'OS::Heat::ResourceGroup'),
      res('grp.0', 'CREATE_IN_PROGRESS', 3, 'My::Server'),
      res('grp.1', 'CREATE_FAILED', 4, 'My::Server'),
      res('lb', 'INIT_COMPLETE', 0),
    ]);
    expect(renderFrame(s, T0 + 7000, plain)).toEqual([
      'Stack web CREATE_IN_PROGRESS  7.0s',
      '  6 resources (2 in nested stacks): 1 complete · 3 in progress · 1 failed · 1 waiting',
      '  In progress:',
      '    grp    OS::Heat::ResourceGroup  5.0s',
      '    grp.0  My::Server               4.0s',
      '    app    OS::Heat::TestResource   2.0s',
    ]);
  });

  it('bounds the in-progress rows by the terminal height and says how many are left out', () => {
    const s = snapshot(
      Array.from({ length: 30 }, (_, i) => res(`r${String(i).padStart(2, '0')}`, 'CREATE_IN_PROGRESS', 0)),
    );
    const lines = renderFrame(s, T0 + 61_000, { columns: 80, rows: 8, color: false });
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('Stack web CREATE_IN_PROGRESS  1m01s');
    expect(lines.slice(3)).toEqual([
      '    r00  OS::Heat::TestResource  1m01s',
      '    r01  OS::Heat::TestResource  1m01s',
      '    r02  OS::Heat::TestResource  1m01s',
      '    … 27 more',
    ]);
  });

  it('cuts every line to the terminal width so none wraps, and colours only when asked', () => {
    const s = snapshot([res('a-very-long-resource-name-indeed', 'CREATE_IN_PROGRESS', 0)]);
    const lines = renderFrame(s, T0, { columns: 30, rows: 20, color: false });
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(29);
    expect(lines[3]).toMatch(/…$/);
    const coloured = renderFrame(s, T0, { columns: 30, rows: 20, color: true });
    expect(coloured[0]).toBe(`\x1b[1m${lines[0]}\x1b[0m`);
  });

  it('shows a stack without a known status yet', () => {
    expect(renderFrame(snapshot([], { stackStatus: '' }), T0, plain)[0]).toBe(
      'Stack web waiting for the server  0.0s',
    );
  });
});

describe('lines', () => {
  it('formats durations', () => {
    expect([0, 4200, 42_000, 185_000, 3_720_000].map(formatDuration)).toEqual([
      '0.0s',
      '4.2s',
      '42s',
      '3m05s',
      '1h02m',
    ]);
  });

  it('counts resources by state, deleted ones as complete', () => {
    const c = countStates([
      res('a', 'DELETE_COMPLETE', 0),
      res('b', 'UPDATE_FAILED', 0),
      res('c', 'INIT_COMPLETE', 0),
    ]);
    expect(c).toEqual({ total: 3, nested: 0, waiting: 1, inProgress: 0, complete: 1, failed: 1 });
    expect(countsText({ ...c, waiting: 0, total: 1 })).toBe(
      '1 resource: 1 complete, 0 in progress, 1 failed',
    );
  });

  it('prints a failure on one line, with its path, type, status, time and reason', () => {
    const f = {
      path: 'grp.1',
      type: 'My::Server',
      status: 'CREATE_FAILED',
      reason: 'Error:\n  disk full',
      atMs: T0 + 4200,
    };
    expect(failureLine(f, T0, false)).toBe('✗ grp.1 (My::Server) CREATE_FAILED after 4.2s: Error: disk full');
    expect(failureLine(f, T0, true)).toBe(`\x1b[31m${failureLine(f, T0, false)}\x1b[0m`);
  });

  it('prints event lines and the summary line', () => {
    const event = {
      id: '1',
      event_time: '2026-11-25T16:18:22Z',
      resource_name: 'leaf',
      resource_status: 'CREATE_COMPLETE',
      resource_status_reason: 'state changed',
    };
    expect(eventLine({ event, who: 'web.grp.0.leaf', rootEvent: false })).toBe(
      '2026-11-25 16:18:22Z [web.grp.0.leaf]: CREATE_COMPLETE  state changed',
    );
    const s = snapshot([res('a', 'CREATE_COMPLETE', 0), res('b', 'CREATE_FAILED', 0)], {
      stackStatus: 'CREATE_FAILED',
    });
    expect(summaryLine(s, T0 + 12_000)).toBe(
      'Stack web CREATE_FAILED after 12s — 2 resources: 1 complete, 0 in progress, 1 failed',
    );
    expect(summaryLine(s, T0 + 12_000, true)).toMatch(
      /^Stopped waiting: stack web is CREATE_FAILED after 12s/,
    );
  });

  it('cuts text with an ellipsis', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('abc', 4)).toBe('abc');
  });
});
