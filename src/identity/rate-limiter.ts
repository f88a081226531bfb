/**
 * Counts failed authentication attempts per key (a user name, a client address) in a sliding window and blocks a
 * key that reached its limit until its oldest failure leaves the window.
 */

/** A limit: at most `failures` failed attempts within `windowMs`. */
export interface FailureLimit {
  readonly failures: number;
  readonly windowMs: number;
}

/** Keys tracked at most; past this the key idle the longest is forgotten (bounded memory under a flood). */
const MAX_KEYS = 50_000;

/** Sliding-window failure counter. */
export class FailureRateLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Seconds until every key of `keys` is below its limit again (0 when none is blocked now).
   * @param keys key → its limit
   */
  retryAfterSeconds(keys: ReadonlyMap<string, FailureLimit>): number {
    let waitMs = 0;
    const now = this.now();
    for (const [key, limit] of keys) {
      const recent = this.#recent(key, limit, now);
      if (recent.length >= limit.failures) {
        const oldestRelevant = recent[recent.length - limit.failures]!;
        waitMs = Math.max(waitMs, oldestRelevant + limit.windowMs - now);
      }
    }
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  /** Records one failed attempt against each key. */
  recordFailure(keys: ReadonlyMap<string, FailureLimit>): void {
    const now = this.now();
    for (const [key, limit] of keys) {
      const recent = this.#recent(key, limit, now);
      recent.push(now);
      this.#failures.delete(key); // re-insert: Map order is then least recently failed first
      this.#failures.set(key, recent.slice(-limit.failures));
    }
    while (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
  }

  /** Forgets the failures of a key (a successful sign-in clears its user name's count). */
  clear(key: string): void {
    this.#failures.delete(key);
  }

  /** The failure times of a key still inside its window. */
  #recent(key: string, limit: FailureLimit, now: number): number[] {
    const times = this.#failures.get(key) ?? [];
    return times.filter((t) => t > now - limit.windowMs);
  }
}
