/**
 * A store that rides out short database outages (a restart, a failover): every call of the engine's `Store` port
 * that fails because the database cannot be reached is retried with backoff for up to `maxWaitMs`, then fails with
 * the last error. Engines use a long patience (their actions pause instead of failing); API processes a short one
 * (a request waits a few seconds, then answers 503).
 */
import type { Store } from '../engine/store.js';
import { isDatabaseUnavailable } from './unavailable.js';

/** Options of {@link patientStore}. */
export interface PatienceOptions {
  /** How long a call may wait for the database in all (ms). */
  maxWaitMs: number;
  /** First delay (default 100 ms), doubled up to 2 s. */
  initialDelayMs?: number;
  /** Told once per outage when a call starts waiting, and when the database answers again. */
  onOutage?: (event: 'waiting' | 'back', error?: unknown) => void;
  /**
   * Asked before every retry: when it returns true the call gives up at once with its last error (an engine that
   * may have lost its leases must not write late, see `TaskWorker`).
   */
  giveUp?: () => boolean;
}

/** A write refused because this engine may have lost its leases (see `PatienceOptions.giveUp`). */
export class FencedError extends Error {
  constructor() {
    super(
      'store: write refused: this engine has not renewed its leases in time (another engine may resume its work)',
    );
    this.name = 'FencedError';
  }
}

/** The methods of the engine's `Store` port (all return promises). */
const STORE_METHODS: ReadonlySet<string> = new Set<keyof Store>([
  'apply',
  'getStack',
  'findStackByName',
  'listStacks',
  'countStacks',
  'listChildStacks',
  'listStacksInProgress',
  'listResources',
  'getResource',
  'listEvents',
  'getEvent',
  'purgeEvents',
  'insertSnapshot',
  'updateSnapshot',
  'getSnapshot',
  'listSnapshots',
  'countSnapshots',
  'deleteSnapshot',
  'deleteSnapshotsOfStack',
]);

/** Runs `call`, retrying while the database is unreachable, for up to `options.maxWaitMs`. */
export async function withPatience<T>(call: () => Promise<T>, options: PatienceOptions): Promise<T> {
  const started = Date.now();
  let delay = options.initialDelayMs ?? 100;
  let waiting = false;
  for (;;) {
    try {
      const result = await call();
      if (waiting) options.onOutage?.('back');
      return result;
    } catch (e) {
      const left = options.maxWaitMs - (Date.now() - started);
      if (!isDatabaseUnavailable(e) || left <= 0 || options.giveUp?.()) throw e;
      if (!waiting) options.onOutage?.('waiting', e);
      waiting = true;
      // The last wait is cut to the time left, so a call really waits up to maxWaitMs.
      await new Promise((r) => setTimeout(r, Math.min(delay, left)));
      if (options.giveUp?.()) throw e;
      delay = Math.min(delay * 2, 2000);
    }
  }
}

/** Wraps the `Store` methods of `store` with {@link withPatience}; everything else passes through. */
export function patientStore<S extends Store>(store: S, options: PatienceOptions): S {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !STORE_METHODS.has(property) || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (property === 'apply') {
        // Writes of a fenced engine are refused outright, even when the database answers again.
        return (...args: unknown[]) =>
          options.giveUp?.()
            ? Promise.reject(new FencedError())
            : withPatience(() => method.apply(target, args), options);
      }
      return (...args: unknown[]) => withPatience(() => method.apply(target, args), options);
    },
  });
}
