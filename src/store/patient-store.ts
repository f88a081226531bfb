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
      if (!isDatabaseUnavailable(e) || Date.now() - started + delay > options.maxWaitMs) throw e;
      if (!waiting) options.onOutage?.('waiting', e);
      waiting = true;
      await new Promise((r) => setTimeout(r, delay));
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
      return (...args: unknown[]) => withPatience(() => method.apply(target, args), options);
    },
  });
}
