/**
 * Live progress of a running hook: its stdout lines, sent in batches at most every {@link ProgressTiming.flushMs},
 * and a heartbeat every {@link ProgressTiming.heartbeatMs} while it runs. Best effort: a report that fails is
 * dropped (the final signal carries the whole output).
 */
import type { AgentApiClient } from './api-client.js';
import type { AgentLogger } from './log.js';

/** Timing of progress reports. */
export interface ProgressTiming {
  /** Longest a line waits before it is sent. @default 500 */
  readonly flushMs: number;
  /** Interval of heartbeats. @default 10000 */
  readonly heartbeatMs: number;
  /** Most lines in one report (the rest are counted in a note). @default 100 */
  readonly maxLines: number;
  /** Longest line sent, in characters (the server keeps 500); longer ones are cut with `…`. @default 1000 */
  readonly maxLineChars: number;
}

/** The default timing. */
export const DEFAULT_PROGRESS_TIMING: ProgressTiming = {
  flushMs: 500,
  heartbeatMs: 10_000,
  maxLines: 100,
  maxLineChars: 1000,
};

/** Where progress reports go (the agent API client's `progress`). */
export type ProgressSink = Pick<AgentApiClient, 'progress'>;

/** Reports progress of one deployment while its hook runs. */
export class ProgressReporter {
  readonly #send: (lines: string[], heartbeat: boolean) => Promise<void>;
  readonly #timing: ProgressTiming;
  readonly #log: AgentLogger;
  #lines: string[] = [];
  #dropped = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #failures = 0;

  constructor(
    client: ProgressSink,
    deploymentId: string,
    log: AgentLogger,
    timing: Partial<ProgressTiming> = {},
  ) {
    this.#send = (lines, heartbeat) => client.progress(deploymentId, lines, heartbeat);
    this.#timing = { ...DEFAULT_PROGRESS_TIMING, ...timing };
    this.#log = log;
    this.#heartbeatTimer = setInterval(() => this.#report(true), this.#timing.heartbeatMs);
    this.#heartbeatTimer.unref();
  }

  /** A new stdout line. */
  line(text: string): void {
    const max = this.#timing.maxLineChars;
    if (this.#lines.length >= this.#timing.maxLines) this.#dropped++;
    else this.#lines.push(text.length > max ? `${text.slice(0, max)}…` : text);
    if (!this.#flushTimer) {
      this.#flushTimer = setTimeout(() => this.#report(false), this.#timing.flushMs);
      this.#flushTimer.unref();
    }
  }

  /** Sends what is left and stops the timers. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeatTimer);
    if (this.#lines.length > 0) this.#report(false);
    clearTimeout(this.#flushTimer);
    await this.#inFlight;
  }

  #report(heartbeat: boolean): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const lines = this.#lines;
    if (this.#dropped > 0) lines.push(`(${this.#dropped} more lines not reported)`);
    this.#lines = [];
    this.#dropped = 0;
    if (lines.length === 0 && !heartbeat) return;
    this.#inFlight = this.#inFlight.then(async () => {
      try {
        await this.#send(lines, heartbeat);
        this.#failures = 0;
      } catch (err) {
        if (this.#failures++ === 0)
          this.#log.debug({ error: (err as Error).message }, 'progress report failed');
      }
    });
  }
}
