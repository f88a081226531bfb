/**
 * Keeps a chatty deployment from flooding the event table: a token bucket per deployment decides which of a
 * host's progress lines become events; lines over the budget are counted and the next recorded line says how
 * many were skipped (the host keeps the full output and sends it with its final signal).
 */

/** Budget of progress events per deployment. */
export interface ProgressBudget {
  /** Events that may be written at once after a quiet period. @default 30 */
  readonly burst: number;
  /** Events per second sustained. @default 2 */
  readonly perSecond: number;
  /** Longest line kept (characters); longer ones are cut with `…`. @default 500 */
  readonly maxLineLength: number;
}

/** The default budget: 30 lines at once, then 2 per second. */
export const DEFAULT_PROGRESS_BUDGET: ProgressBudget = { burst: 30, perSecond: 2, maxLineLength: 500 };

/** What to record of one batch. */
export interface ProgressAdmission {
  /** The lines to record (cut to length, the first possibly prefixed with the skipped count). */
  readonly lines: string[];
  /** Lines of this batch dropped for the budget. */
  readonly skipped: number;
}

interface Bucket {
  tokens: number;
  at: number;
  skipped: number;
}

/** Token buckets by deployment id. */
export class ProgressLimiter {
  readonly #budget: ProgressBudget;
  readonly #clock: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(budget: Partial<ProgressBudget> = {}, clock: () => number = Date.now) {
    this.#budget = { ...DEFAULT_PROGRESS_BUDGET, ...budget };
    this.#clock = clock;
  }

  /** Which of `lines` of deployment `id` to record now. */
  admit(id: string, lines: readonly string[]): ProgressAdmission {
    const now = this.#clock();
    this.#forgetIdle(now);
    const { burst, perSecond, maxLineLength } = this.#budget;
    let bucket = this.#buckets.get(id);
    if (!bucket) this.#buckets.set(id, (bucket = { tokens: burst, at: now, skipped: 0 }));
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    const take = Math.max(0, Math.min(lines.length, Math.floor(bucket.tokens)));
    bucket.tokens -= take;
    const admitted = lines.slice(0, take).map((line) => cut(line, maxLineLength));
    if (admitted.length > 0 && bucket.skipped > 0) {
      admitted[0] = `(${bucket.skipped} line${bucket.skipped === 1 ? '' : 's'} skipped) ${admitted[0]}`;
      bucket.skipped = 0;
    }
    const skipped = lines.length - take;
    bucket.skipped += skipped;
    return { lines: admitted, skipped };
  }

  /** Forgets a deployment (once it has signalled). */
  forget(id: string): void {
    this.#buckets.delete(id);
  }

  /** Drops buckets full again (idle long enough to have refilled), so the map stays small. */
  #forgetIdle(now: number): void {
    if (this.#buckets.size < 1000) return;
    const refill = (this.#budget.burst / this.#budget.perSecond) * 1000;
    for (const [id, b] of this.#buckets) if (now - b.at > refill && b.skipped === 0) this.#buckets.delete(id);
  }
}

/** `line` cut to `max` characters. */
function cut(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
