/**
 * Pure rendering of a stack's progress: the live frame of a terminal (status and elapsed time, resource counts by
 * state, the resources in progress and for how long), the line of a failure, an event line and the summary line.
 * Every function maps a {@link ProgressSnapshot} and the time to text; nothing here writes.
 */
import type { EventNews, FailureRecord, ProgressSnapshot, TrackedResource } from './tracker.js';

/** How a frame is drawn. */
export interface FrameOptions {
  /** Terminal width: lines are cut to `columns - 1` characters so none wraps. */
  columns: number;
  /** Terminal height: bounds the number of in-progress rows. */
  rows: number;
  /** Use ANSI colours. */
  color: boolean;
}

/** Resource counts of a tree. */
export interface StateCounts {
  total: number;
  /** Resources inside nested stacks. */
  nested: number;
  /** Not acted on yet (`INIT_COMPLETE`). */
  waiting: number;
  inProgress: number;
  complete: number;
  failed: number;
}

/** In-progress rows shown at most, whatever the terminal height. */
const MAX_IN_PROGRESS_ROWS = 10;
/** Frame lines other than in-progress rows (status, counts, heading, "… more"). */
const FRAME_OVERHEAD = 4;

const ANSI = { red: '\x1b[31m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' } as const;

/** `text` in an ANSI style when `color` is on. */
function paint(text: string, style: keyof typeof ANSI, color: boolean): string {
  return color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
}

/** `text` cut to `width` characters (with `…` when cut). */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}

/** A duration: `4.2s`, `42s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Counts the resources by state. */
export function countStates(resources: readonly TrackedResource[]): StateCounts {
  const c: StateCounts = { total: 0, nested: 0, waiting: 0, inProgress: 0, complete: 0, failed: 0 };
  for (const r of resources) {
    c.total++;
    if (r.depth > 0) c.nested++;
    if (r.status === 'INIT_COMPLETE') c.waiting++;
    else if (r.status.endsWith('_IN_PROGRESS')) c.inProgress++;
    else if (r.status.endsWith('_FAILED')) c.failed++;
    else c.complete++;
  }
  return c;
}

/** `5 resources (2 in nested stacks): 3 complete, 1 in progress, 1 failed, 0 waiting`. */
export function countsText(c: StateCounts, separator = ', '): string {
  const total = `${c.total} resource${c.total === 1 ? '' : 's'}${c.nested ? ` (${c.nested} in nested stacks)` : ''}`;
  const parts = [`${c.complete} complete`, `${c.inProgress} in progress`, `${c.failed} failed`];
  if (c.waiting) parts.push(`${c.waiting} waiting`);
  return `${total}: ${parts.join(separator)}`;
}

/** The resources in progress, longest-running first. */
export function inProgress(resources: readonly TrackedResource[]): TrackedResource[] {
  return resources
    .filter((r) => r.status.endsWith('_IN_PROGRESS'))
    .sort((a, b) => a.sinceMs - b.sinceMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The live frame: the stack's status and elapsed time, the counts, then the resources in progress (path, type,
 * for how long), as many as the terminal height allows (at most ten) and `… N more`.
 */
export function renderFrame(s: ProgressSnapshot, nowMs: number, options: FrameOptions): string[] {
  const width = Math.max(20, options.columns - 1);
  const status = s.stackStatus || 'waiting for the server';
  const lines: [string, keyof typeof ANSI | undefined][] = [
    [`Stack ${s.stackName} ${status}  ${formatDuration(nowMs - s.startedMs)}`, 'bold'],
    [`  ${countsText(countStates(s.resources), ' · ')}`, undefined],
  ];
  const running = inProgress(s.resources);
  if (running.length > 0) {
    const room = Math.max(1, Math.min(MAX_IN_PROGRESS_ROWS, options.rows - FRAME_OVERHEAD));
    const shown = running.length > room ? running.slice(0, room - 1) : running;
    const pathWidth = Math.min(40, Math.max(...shown.map((r) => r.path.length)));
    const typeWidth = Math.min(40, Math.max(...shown.map((r) => r.type.length)));
    lines.push(['  In progress:', undefined]);
    for (const r of shown) {
      const since = formatDuration(nowMs - r.sinceMs);
      lines.push([`    ${r.path.padEnd(pathWidth)}  ${r.type.padEnd(typeWidth)}  ${since}`, undefined]);
    }
    if (shown.length < running.length) lines.push([`    … ${running.length - shown.length} more`, 'dim']);
  }
  return lines.map(([text, style]) => {
    const cut = fit(text, width);
    return style ? paint(cut, style, options.color) : cut;
  });
}

/** `✗ grp.0.server (OS::Nova::Server) CREATE_FAILED after 4.2s: Error: …` (all on one line). */
export function failureLine(f: FailureRecord, startedMs: number, color: boolean): string {
  const type = f.type ? ` (${f.type})` : '';
  const reason = f.reason.replace(/\s*\n\s*/g, ' ');
  const text = `✗ ${f.path}${type} ${f.status} after ${formatDuration(f.atMs - startedMs)}: ${reason}`;
  return paint(text, 'red', color);
}

/**
 * `2026-11-25 16:18:22Z [s2.grp.0.rnd]: CREATE_COMPLETE  state changed` — the event log line of
 * `openstack stack event list`, with the resource's path from the root stack.
 */
export function eventLine(news: EventNews): string {
  const e = news.event;
  return `${e.event_time.replace('T', ' ')} [${news.who}]: ${e.resource_status}  ${e.resource_status_reason}`;
}

/** `Stack s2 CREATE_FAILED after 12s — 3 resources: 2 complete, 0 in progress, 1 failed`. */
export function summaryLine(s: ProgressSnapshot, nowMs: number, interrupted = false): string {
  const status = s.stackStatus || 'status unknown';
  const head = interrupted
    ? `Stopped waiting: stack ${s.stackName} is ${status} after ${formatDuration(nowMs - s.startedMs)} (the action goes on on the server)`
    : `Stack ${s.stackName} ${status} after ${formatDuration(nowMs - s.startedMs)}`;
  return `${head} — ${countsText(countStates(s.resources))}`;
}
