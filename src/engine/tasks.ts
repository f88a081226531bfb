/**
 * The engines' work queue (port): when API and engine run as separate processes (`hearth api`, `hearth engine`),
 * the API records "run this stack's action" as a task in the same transaction as the stack's new state, and engines
 * claim tasks under leases. SQL in `src/store/task-store.ts`; the claiming loop is {@link TaskWorker}.
 */
import type { StackAction } from './store.js';

/**
 * Version of the contract between API and engine processes: what a task row means and what the API expects an
 * engine to do with it. Processes with another protocol refuse to share a database (version skew).
 */
export const TASK_PROTOCOL = 1;

/** A control request from the API to the engine running a stack's action. */
export type TaskControl = 'cancel' | 'cancel-no-rollback';

/** One root stack with an action to run. */
export interface TaskRecord {
  stackId: string;
  projectId: string;
  /** The action the API asked for (the stack row is authoritative). */
  action: StackAction;
  /** The stack's traversal when the action was asked for: a newer request replaces it. */
  traversal: string;
  control: TaskControl | null;
  /** {@link TASK_PROTOCOL} of the API that wrote it. */
  protocol: number;
  /** Engine holding the lease, if any. */
  engineId: string | null;
  /** Lease expiry (epoch ms). */
  leaseUntil: number;
  /** How many times an engine claimed it (more than 1: another engine was lost while running it). */
  attempts: number;
  /** When it was asked for (epoch ms). */
  requestedAt: number;
}

/** Queue figures for metrics. */
export interface TaskQueueStats {
  /** Tasks not held by a live lease. */
  waiting: number;
  /** Tasks held by a live lease. */
  running: number;
  /** Age in seconds of the oldest waiting task (0 when none). */
  oldestWaitingSeconds: number;
}

/** Persistence of tasks (implemented over SQL with row locks that skip locked rows). */
export interface TaskQueue {
  /**
   * Claims up to `limit` tasks whose lease is free or expired, fairly across projects (the projects with the
   * fewest tasks running go first, then the oldest requests), leasing them to `engineId` until `now + leaseMs`.
   */
  claim(engineId: string, limit: number, leaseMs: number): Promise<TaskRecord[]>;
  /** Extends the leases `engineId` holds and returns its tasks as stored now (new traversals, controls). */
  renew(engineId: string, leaseMs: number): Promise<TaskRecord[]>;
  /** Removes the task if it still has `traversal` (a newer request keeps it). */
  complete(stackId: string, traversal: string): Promise<boolean>;
  /** Clears a control once applied. */
  clearControl(stackId: string, control: TaskControl): Promise<void>;
  /** Sets a control on a stack's task; false when the stack has no task. */
  setControl(stackId: string, control: TaskControl): Promise<boolean>;
  /** Gives back every lease of `engineId` (clean shutdown: other engines take over at once). */
  release(engineId: string): Promise<void>;
  /**
   * Adds a task for every root stack IN_PROGRESS that has none (left by a `hearth server` or an API that died
   * between its two writes); returns how many.
   */
  adoptOrphans(): Promise<number>;
  stats(): Promise<TaskQueueStats>;
}

/** The write that records a task (see `WriteOp` `putTask`). */
export function taskFor(
  stack: { id: string; projectId: string; traversal: string },
  action: StackAction,
  now = Date.now(),
): TaskRecord {
  return {
    stackId: stack.id,
    projectId: stack.projectId,
    action,
    traversal: stack.traversal,
    control: null,
    protocol: TASK_PROTOCOL,
    engineId: null,
    leaseUntil: 0,
    attempts: 0,
    requestedAt: now,
  };
}
