/**
 * Where progress is shown. {@link LiveView} redraws a frame in place on a terminal (ANSI cursor movements), with
 * each failure printed above it for good the moment it is seen; {@link PlainView} prints one line per event and
 * a summary line at the end, for logs and pipes.
 */
import type { TerminalSize } from '../io.js';
import { eventLine, failureLine, renderFrame, summaryLine } from './render.js';
import type { ProgressNews, ProgressSnapshot } from './tracker.js';

/** A progress display, fed by the watch loop. */
export interface ProgressView {
  /** Shows the state after an update and what it brought. */
  update(snapshot: ProgressSnapshot, news: ProgressNews, nowMs: number): void;
  /** Ends the display (the stack settled, or the wait was interrupted). */
  finish(snapshot: ProgressSnapshot, nowMs: number, interrupted: boolean): void;
}

/** Writes text followed by a newline. */
export type WriteLine = (text: string) => void;

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/** ANSI: move to the start of the line `n` lines up, and erase from there to the end of the screen. */
function eraseUp(n: number): string {
  return n > 0 ? `\x1b[${n}F\x1b[J` : '';
}

/** The redrawn terminal view. */
export class LiveView implements ProgressView {
  readonly #write: WriteLine;
  readonly #size: () => TerminalSize;
  readonly #color: boolean;
  /** Lines of the frame on screen (erased before the next one). */
  #frameLines = 0;
  #started = false;

  /** Draws on `write` (a terminal of `size()`), in colour when `color`. */
  constructor(write: WriteLine, size: () => TerminalSize, color: boolean) {
    this.#write = write;
    this.#size = size;
    this.#color = color;
  }

  update(snapshot: ProgressSnapshot, news: ProgressNews, nowMs: number): void {
    const failures = news.failures.map((f) => failureLine(f, snapshot.startedMs, this.#color));
    const frame = renderFrame(snapshot, nowMs, { ...this.#size(), color: this.#color });
    this.#draw([...failures, ...frame], frame.length);
  }

  finish(snapshot: ProgressSnapshot, nowMs: number, interrupted: boolean): void {
    this.#draw([SHOW_CURSOR + summaryLine(snapshot, nowMs, interrupted)], 0);
  }

  /** Replaces the frame on screen by `lines`, the last `frameLines` of which are the new frame. */
  #draw(lines: string[], frameLines: number): void {
    const prefix = (this.#started ? '' : HIDE_CURSOR) + eraseUp(this.#frameLines);
    this.#started = true;
    this.#write(prefix + lines.join('\n'));
    this.#frameLines = frameLines;
  }
}

/** One line per event, then a summary line. */
export class PlainView implements ProgressView {
  readonly #write: WriteLine;
  readonly #summary: boolean;

  /** Prints on `write`; `summary: false` leaves out the final summary line (`event list --follow`). */
  constructor(write: WriteLine, options: { summary?: boolean } = {}) {
    this.#write = write;
    this.#summary = options.summary ?? true;
  }

  update(_snapshot: ProgressSnapshot, news: ProgressNews): void {
    for (const e of news.events) this.#write(eventLine(e));
  }

  finish(snapshot: ProgressSnapshot, nowMs: number, interrupted: boolean): void {
    if (this.#summary) this.#write(summaryLine(snapshot, nowMs, interrupted));
  }
}

/** One JSON object per event and line (`event list --follow -f json`). */
export class JsonLinesView implements ProgressView {
  readonly #write: WriteLine;

  /** Prints on `write`. */
  constructor(write: WriteLine) {
    this.#write = write;
  }

  update(_snapshot: ProgressSnapshot, news: ProgressNews): void {
    for (const e of news.events) this.#write(JSON.stringify(e.event));
  }

  finish(): void {}
}
