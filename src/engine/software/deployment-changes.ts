/**
 * An in-process notifier of "the deployments of server X changed", so that a host's long-poll
 * (`GET /v1/{tenant}/agent/{server_id}/deployments?wait=…`) answers as soon as a deployment for it is created,
 * updated or deleted instead of at its next poll.
 *
 * It carries no data: the database stays the source of truth, and a woken waiter simply reads it again. A
 * spurious wake-up (e.g. a signal that changed nothing the host sees) only costs that re-read.
 */

/** Waiters of one server. */
type Waiters = Set<() => void>;

/** Per-server change notifications (one process). */
export class DeploymentChanges {
  readonly #waiters = new Map<string, Waiters>();
  #generation = 0;
  /**
   * When changes are also made by other processes (split `hearth api` / `hearth engine` roles), the longest a
   * {@link wait} lasts before its caller reads the database again (ms); null: only this process changes them.
   */
  crossProcessSliceMs: number | null = null;

  /**
   * A counter every {@link notify} advances (for any server). Read it before reading the deployments and pass
   * it to {@link wait}: a change made while they were being read then ends the wait at once instead of being
   * missed.
   */
  get generation(): number {
    return this.#generation;
  }

  /** Wakes everything waiting on `serverId`. */
  notify(serverId: string): void {
    this.#generation++;
    const waiters = this.#waiters.get(serverId);
    if (!waiters) return;
    this.#waiters.delete(serverId);
    for (const wake of waiters) wake();
  }

  /**
   * Resolves `true` at the next {@link notify} of `serverId` (at once when any notify happened since
   * `since`, a {@link generation}), or `false` after `timeoutMs` or when `signal` aborts (whichever comes
   * first). Never rejects.
   */
  wait(serverId: string, timeoutMs: number, signal?: AbortSignal, since?: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (since !== undefined && since !== this.#generation) return resolve(true);
      if (signal?.aborted || timeoutMs <= 0) return resolve(false);
      if (this.crossProcessSliceMs !== null) timeoutMs = Math.min(timeoutMs, this.crossProcessSliceMs);
      let waiters = this.#waiters.get(serverId);
      if (!waiters) this.#waiters.set(serverId, (waiters = new Set()));
      const done = (changed: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const current = this.#waiters.get(serverId);
        current?.delete(wake);
        if (current?.size === 0) this.#waiters.delete(serverId);
        resolve(changed);
      };
      const wake = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.add(wake);
    });
  }

  /** How many requests are waiting (all servers); for tests and metrics. */
  get waiting(): number {
    let n = 0;
    for (const w of this.#waiters.values()) n += w.size;
    return n;
  }
}

/**
 * The process-wide notifier every {@link SoftwareService} uses unless given another: the API's service and the
 * deployment resources' service may be distinct objects over the same database, and a change made through either
 * must wake the hosts waiting on the other.
 */
export const PROCESS_DEPLOYMENT_CHANGES = new DeploymentChanges();
