/**
 * Telling "the database cannot be reached" apart from every other failure, and opening a store that waits for
 * its database (with backoff) instead of failing at once.
 */
import type { SqlStore } from './sql-store.js';
import { redactStoreUrl } from './store-url.js';

/** Error codes of the drivers (Node sockets, pg/SQLSTATE, mysql2) that mean the server is not reachable. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** Messages of drivers that throw plain errors for a lost or impossible connection. */
const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /connection is in closed state/i,
  /Can't add new command when connection is in closed state/i,
];

/** Whether an error (or one of its causes) says the database server cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (
      UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(current instanceof Error ? current.message : ''))
    ) {
      return true;
    }
    if (current instanceof AggregateError && current.errors.some((e) => isDatabaseUnavailable(e)))
      return true;
    current = current.cause;
  }
  return false;
}

/** Options of {@link openStoreWhenReachable}. */
export interface WaitOptions {
  /** Told before each wait: the attempt that failed (1, 2, …), the delay and the message to show. */
  onRetry?(attempt: number, delayMs: number, message: string): void;
  /** First delay (default 500 ms), doubled each time up to {@link maxDelayMs}. */
  initialDelayMs?: number;
  /** Longest delay (default 30 s). */
  maxDelayMs?: number;
  /** Give up after this many attempts (default: never). */
  maxAttempts?: number;
}

/**
 * Opens the store of `url` with `open`, retrying with exponential backoff while the database is unreachable.
 * Any other failure (bad URL, wrong password, unknown database, a failing migration) is thrown at once.
 */
export async function openStoreWhenReachable(
  url: string,
  open: (url: string) => Promise<SqlStore>,
  options: WaitOptions = {},
): Promise<SqlStore> {
  let delay = options.initialDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await open(url);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (options.maxAttempts !== undefined && attempt >= options.maxAttempts) throw error;
      const why = error instanceof Error ? error.message : String(error);
      options.onRetry?.(
        attempt,
        delay,
        `database ${redactStoreUrl(url)} is unreachable (${why}); retrying in ${(delay / 1000).toFixed(1)} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
    }
  }
}
