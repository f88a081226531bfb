/**
 * Resource actions as tasks (engine role): the provider call of a distributable resource (`ResourcePlugin.
 * distributable`) — its create, update or delete — is recorded as a task in the same transaction as the resource's
 * `<ACTION>_IN_PROGRESS` state, and any engine claims and runs it under a lease. The engine that runs the stack's
 * traversal (it holds the stack's task: dependency order, rollback, hooks) waits for the outcome; it does not run
 * the provider calls itself. An engine killed mid-call loses its lease and another engine runs the call again —
 * provider calls are idempotent by resource id.
 *
 * SQL in `src/store/resource-task-store.ts`; claiming and running in {@link TaskWorker}.
 */
import { HeatError, type HeatErrorType } from '../template/errors.js';
import { ResourceFailure, UpdateReplace, type ActionResult } from './plugin.js';
import type { ResourceRecord, StackRecord, WriteOp } from './store.js';

/** The provider calls that run as resource tasks. */
export type ResourceTaskAction = 'CREATE' | 'UPDATE' | 'DELETE';

/** A resource task's life: waiting, claimed, ended (done/failed), or cancelled by the traversal. */
export type ResourceTaskState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

/** A failure as stored (the waiting traversal rebuilds an error of the same kind). */
export interface StoredFailure {
  name: string;
  message: string;
  /** A HeatError's type. */
  heatType?: string;
  /** An UpdateReplace's resource name and reason. */
  replace?: { resourceName: string; reason: string };
}

/** One provider call to run. */
export interface ResourceTaskRecord {
  resourceId: string;
  stackId: string;
  projectId: string;
  action: ResourceTaskAction;
  /** The resource's traversal when asked for: the same call asked again (a resumed traversal) is not repeated. */
  traversal: string;
  /** `{properties}` for a create, the update request for an update, `{}` for a delete. */
  request: Record<string, unknown>;
  state: ResourceTaskState;
  engineId: string | null;
  leaseUntil: number;
  attempts: number;
  result: ActionResult | null;
  failure: StoredFailure | null;
  requestedAt: number;
}

/** Persistence of resource tasks. */
export interface ResourceTaskQueue {
  /**
   * Claims up to `limit` pending tasks or tasks whose lease expired, fairly across projects — and at most a
   * `1/peers` share of those waiting (rounded up), so that a burst spreads over the engines polling for it.
   */
  claim(engineId: string, limit: number, leaseMs: number, peers?: number): Promise<ResourceTaskRecord[]>;
  /** Extends the leases of `engineId`'s running tasks; returns them with their state (a cancel shows here). */
  renew(engineId: string, leaseMs: number): Promise<{ resourceId: string; state: ResourceTaskState }[]>;
  /** Records the outcome of a call this engine still holds. */
  finish(
    resourceId: string,
    engineId: string,
    outcome: { result: ActionResult } | { failure: StoredFailure },
  ): Promise<void>;
  /** The ended tasks (done or failed) among `resourceIds`. */
  ended(resourceIds: readonly string[]): Promise<ResourceTaskRecord[]>;
  /** Cancels a task not ended yet (the running engine aborts the call at its next renewal). */
  cancel(resourceId: string): Promise<void>;
  /** Removes a task whose outcome was taken. */
  remove(resourceId: string, traversal: string): Promise<void>;
  /** Removes ended tasks whose outcomes were taken (one statement). */
  removeEnded(resourceIds: readonly string[]): Promise<void>;
}

/** Stores an error thrown by a provider call. */
export function storeFailure(error: unknown): StoredFailure {
  if (error instanceof UpdateReplace) {
    return {
      name: error.name,
      message: error.message,
      replace: { resourceName: error.resourceName, reason: error.reason },
    };
  }
  if (error instanceof HeatError) return { name: error.name, message: error.message, heatType: error.type };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** Rebuilds a stored failure as an error the traversal reports exactly as if the call had run here. */
export function rebuildFailure(failure: StoredFailure): Error {
  if (failure.replace) return new UpdateReplace(failure.replace.resourceName, failure.replace.reason);
  if (failure.heatType) return new HeatError(failure.heatType as HeatErrorType, failure.message);
  if (failure.name === 'ResourceFailure') return new ResourceFailure(failure.message);
  const e = new Error(failure.message);
  e.name = failure.name;
  return e;
}

interface Waiter {
  traversal: string;
  resolve: (result: ActionResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The traversal's side: the task writes, and waiting for outcomes (one query per poll for every call this process
 * waits on).
 */
export class RemoteResourceActions {
  readonly #queue: ResourceTaskQueue;
  readonly #pollMs: number;
  readonly #onQueued: () => void;
  readonly #waiters = new Map<string, Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(queue: ResourceTaskQueue, options: { pollMs?: number; onQueued?: () => void } = {}) {
    this.#queue = queue;
    this.#pollMs = options.pollMs ?? 50;
    this.#onQueued = options.onQueued ?? (() => undefined);
  }

  /** The write recording a call (goes into the transaction of the resource's IN_PROGRESS state). */
  taskOp(
    stack: StackRecord,
    row: ResourceRecord,
    action: ResourceTaskAction,
    request: Record<string, unknown>,
  ): WriteOp {
    return {
      kind: 'putResourceTask',
      task: {
        resourceId: row.id,
        stackId: stack.id,
        projectId: stack.projectId,
        action,
        traversal: stack.traversal,
        request,
        state: 'pending',
        engineId: null,
        leaseUntil: 0,
        attempts: 0,
        result: null,
        failure: null,
        requestedAt: Date.now(),
      },
    };
  }

  /** Asks for outcomes now (a call of this process just ended). */
  pollSoon(): void {
    if (this.#waiters.size === 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    void this.#poll();
  }

  /** Tells the local worker a task was written (it claims at once instead of at its next poll). */
  queued(): void {
    this.#onQueued();
  }

  /**
   * Waits for the outcome of the call recorded for `row` (already written); rejects with the call's error, or —
   * when `signal` aborts — cancels the task and rejects with the abort.
   */
  outcome(row: ResourceRecord, traversal: string, signal: AbortSignal): Promise<ActionResult> {
    return new Promise<ActionResult>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(row.id);
        void this.#queue.cancel(row.id).catch(() => undefined);
        const r: unknown = signal.reason;
        const e = new Error(r instanceof Error ? r.message : String(r ?? 'Operation cancelled'));
        e.name = 'AbortError';
        reject(e);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.set(row.id, {
        traversal,
        resolve: (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer || this.#waiters.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#poll();
    }, this.#pollMs);
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const ids = [...this.#waiters.keys()];
      if (ids.length === 0) return;
      const taken: string[] = [];
      for (const task of await this.#queue.ended(ids)) {
        const waiter = this.#waiters.get(task.resourceId);
        if (!waiter || waiter.traversal !== task.traversal) continue;
        this.#waiters.delete(task.resourceId);
        taken.push(task.resourceId);
        if (task.state === 'done') waiter.resolve(task.result ?? {});
        else waiter.reject(rebuildFailure(task.failure ?? { name: 'Error', message: 'the call failed' }));
      }
      if (taken.length > 0) await this.#queue.removeEnded(taken).catch(() => undefined);
    } catch {
      // The database is away: the next poll asks again (the waits are bounded by the stack's timeout).
    } finally {
      this.#polling = false;
      this.#schedule();
    }
  }
}
