/**
 * The engines' work queue over SQL (`engine_tasks`, migration 0007): claims take rows with
 * `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL and MariaDB, so engines never wait on each other's claims; on
 * SQLite (one writer at a time) a claim is a conditional UPDATE per candidate.
 */
import type { Kysely } from 'kysely';
import type { StackAction } from '../engine/store.js';
import {
  TASK_PROTOCOL,
  type TaskControl,
  type TaskQueue,
  type TaskQueueStats,
  type TaskRecord,
} from '../engine/tasks.js';
import { sqlDialectOf, type SqlDialectName } from './dialect.js';

/** Row of `engine_tasks`. */
export interface EngineTasksTable {
  stack_id: string;
  project_id: string;
  action: string;
  traversal: string;
  control: string | null;
  protocol: number;
  engine_id: string | null;
  /** Epoch ms (drivers may return bigint columns as strings). */
  lease_until: number | string;
  attempts: number;
  requested_at: number | string;
}

/** The tables this module uses (plus `stacks` for orphan adoption). */
export interface TaskTables {
  engine_tasks: EngineTasksTable;
  stacks: {
    id: string;
    project_id: string;
    parent_id: string | null;
    status: string;
    action: string;
    traversal: string;
    deleted_at: string | null;
  };
}

function toRecord(row: EngineTasksTable): TaskRecord {
  return {
    stackId: row.stack_id,
    projectId: row.project_id,
    action: row.action as StackAction,
    traversal: row.traversal,
    control: (row.control as TaskControl | null) ?? null,
    protocol: Number(row.protocol),
    engineId: row.engine_id,
    leaseUntil: Number(row.lease_until),
    attempts: Number(row.attempts),
    requestedAt: Number(row.requested_at),
  };
}

/**
 * Inserts or replaces a stack's task (inside the caller's transaction). A replaced task keeps its lease holder, so
 * the engine running the stack sees the new request at its next renewal and supersedes its own action.
 */
export async function putTask(db: Kysely<TaskTables>, task: TaskRecord): Promise<void> {
  const updated = await db
    .updateTable('engine_tasks')
    .set({
      action: task.action,
      traversal: task.traversal,
      control: task.control,
      protocol: task.protocol,
      requested_at: task.requestedAt,
    })
    .where('stack_id', '=', task.stackId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await db
    .insertInto('engine_tasks')
    .values({
      stack_id: task.stackId,
      project_id: task.projectId,
      action: task.action,
      traversal: task.traversal,
      control: task.control,
      protocol: task.protocol,
      engine_id: null,
      lease_until: 0,
      attempts: 0,
      requested_at: task.requestedAt,
    })
    .execute();
}

/** A project with tasks no engine holds. */
export interface WaitingProject {
  projectId: string;
  /** Tasks waiting. */
  waiting: number;
  /** Its oldest waiting request (epoch ms). */
  oldest: number;
}

/**
 * Shares `limit` claims among projects fairly: one at a time to the project with the fewest tasks running (those
 * already running plus those given in this round), the oldest waiting request breaking ties, never more than a
 * project has waiting. One busy project cannot starve the others.
 */
export function allocateClaims(
  projects: readonly WaitingProject[],
  runningByProject: ReadonlyMap<string, number>,
  limit: number,
): Map<string, number> {
  const given = new Map<string, number>();
  const load = (p: WaitingProject) =>
    (runningByProject.get(p.projectId) ?? 0) + (given.get(p.projectId) ?? 0);
  let total = 0;
  while (total < limit) {
    let best: WaitingProject | undefined;
    for (const p of projects) {
      if ((given.get(p.projectId) ?? 0) >= p.waiting) continue;
      if (!best || load(p) < load(best) || (load(p) === load(best) && p.oldest < best.oldest)) best = p;
    }
    if (!best) break;
    given.set(best.projectId, (given.get(best.projectId) ?? 0) + 1);
    total++;
  }
  return given;
}

/** The oldest `count` tasks of a project that no live lease holds (this build's protocol only). */
function claimable(db: Kysely<TaskTables>, projectId: string, count: number, now: number) {
  return db
    .selectFrom('engine_tasks')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('lease_until', '<', now)
    .where('protocol', '=', TASK_PROTOCOL)
    .orderBy('requested_at')
    .limit(count);
}

/** {@link TaskQueue} over the store's database. */
export class SqlTaskQueue implements TaskQueue {
  readonly #db: Kysely<TaskTables>;
  readonly #dialect: SqlDialectName;

  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<TaskTables>;
    this.#dialect = sqlDialectOf(db);
  }

  async claim(engineId: string, limit: number, leaseMs: number): Promise<TaskRecord[]> {
    if (limit <= 0) return [];
    const now = Date.now();
    const waiting = await this.#db
      .selectFrom('engine_tasks')
      .select((eb) => [
        'project_id',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.min('requested_at').as('oldest'),
      ])
      .where('lease_until', '<', now)
      .where('protocol', '=', TASK_PROTOCOL)
      .groupBy('project_id')
      .execute();
    if (waiting.length === 0) return [];
    const shares = allocateClaims(
      waiting.map((w) => ({ projectId: w.project_id, waiting: Number(w.n), oldest: Number(w.oldest) })),
      await this.#runningByProject(this.#db, now),
      limit,
    );
    const leaseUntil = now + leaseMs;
    if (this.#dialect === 'sqlite') return this.#claimOptimistic(engineId, shares, leaseUntil, now);
    // Read committed: rows examined but not taken are not kept locked (InnoDB keeps them under repeatable read).
    return this.#db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (tx) => {
        // Lock exactly the rows taken, skipping rows another engine is claiming right now.
        const taken: TaskRecord[] = [];
        for (const [projectId, count] of shares) {
          const rows = await claimable(tx, projectId, count, now).forUpdate().skipLocked().execute();
          taken.push(...rows.map(toRecord));
        }
        if (taken.length === 0) return [];
        await tx
          .updateTable('engine_tasks')
          .set((eb) => ({ engine_id: engineId, lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
          .where(
            'stack_id',
            'in',
            taken.map((t) => t.stackId),
          )
          .execute();
        return taken.map((t) => ({ ...t, engineId, leaseUntil, attempts: t.attempts + 1 }));
      });
  }

  /** SQLite: one writer at a time; each row is taken by a conditional UPDATE (lost races are skipped). */
  async #claimOptimistic(
    engineId: string,
    shares: ReadonlyMap<string, number>,
    leaseUntil: number,
    now: number,
  ): Promise<TaskRecord[]> {
    const claimed: TaskRecord[] = [];
    for (const [projectId, count] of shares) {
      const rows = await claimable(this.#db, projectId, count, now).execute();
      for (const t of rows.map(toRecord)) {
        const r = await this.#db
          .updateTable('engine_tasks')
          .set({ engine_id: engineId, lease_until: leaseUntil, attempts: t.attempts + 1 })
          .where('stack_id', '=', t.stackId)
          .where('lease_until', '=', t.leaseUntil)
          .where('attempts', '=', t.attempts)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) > 0)
          claimed.push({ ...t, engineId, leaseUntil, attempts: t.attempts + 1 });
      }
    }
    return claimed;
  }

  async #runningByProject(db: Kysely<TaskTables>, now: number): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('engine_tasks')
      .select((eb) => ['project_id', eb.fn.countAll<number | string>().as('n')])
      .where('lease_until', '>=', now)
      .groupBy('project_id')
      .execute();
    return new Map(rows.map((r) => [r.project_id, Number(r.n)]));
  }

  async renew(engineId: string, leaseMs: number): Promise<TaskRecord[]> {
    await this.#db
      .updateTable('engine_tasks')
      .set({ lease_until: Date.now() + leaseMs })
      .where('engine_id', '=', engineId)
      .execute();
    const rows = await this.#db
      .selectFrom('engine_tasks')
      .selectAll()
      .where('engine_id', '=', engineId)
      .execute();
    return rows.map(toRecord);
  }

  async complete(stackId: string, traversal: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('engine_tasks')
      .where('stack_id', '=', stackId)
      .where('traversal', '=', traversal)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async clearControl(stackId: string, control: TaskControl): Promise<void> {
    await this.#db
      .updateTable('engine_tasks')
      .set({ control: null })
      .where('stack_id', '=', stackId)
      .where('control', '=', control)
      .execute();
  }

  async setControl(stackId: string, control: TaskControl): Promise<boolean> {
    const r = await this.#db
      .updateTable('engine_tasks')
      .set({ control })
      .where('stack_id', '=', stackId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async release(engineId: string): Promise<void> {
    await this.#db
      .updateTable('engine_tasks')
      .set({ engine_id: null, lease_until: 0 })
      .where('engine_id', '=', engineId)
      .execute();
  }

  async adoptOrphans(): Promise<number> {
    const orphans = await this.#db
      .selectFrom('stacks')
      .leftJoin('engine_tasks', 'engine_tasks.stack_id', 'stacks.id')
      .select(['stacks.id', 'stacks.project_id', 'stacks.action', 'stacks.traversal'])
      .where('stacks.status', '=', 'IN_PROGRESS')
      .where('stacks.parent_id', 'is', null)
      .where('stacks.deleted_at', 'is', null)
      .where('engine_tasks.stack_id', 'is', null)
      .execute();
    let added = 0;
    for (const o of orphans) {
      try {
        await putTask(this.#db, {
          stackId: o.id,
          projectId: o.project_id,
          action: o.action as StackAction,
          traversal: o.traversal,
          control: null,
          protocol: TASK_PROTOCOL,
          engineId: null,
          leaseUntil: 0,
          attempts: 0,
          requestedAt: Date.now(),
        });
        added++;
      } catch {
        // Another engine adopted it at the same moment (primary key): nothing to do.
      }
    }
    return added;
  }

  async stats(): Promise<TaskQueueStats> {
    const now = Date.now();
    const rows = await this.#db.selectFrom('engine_tasks').select(['lease_until', 'requested_at']).execute();
    let waiting = 0;
    let running = 0;
    let oldest = now;
    for (const r of rows) {
      if (Number(r.lease_until) >= now) running++;
      else {
        waiting++;
        oldest = Math.min(oldest, Number(r.requested_at));
      }
    }
    return { waiting, running, oldestWaitingSeconds: waiting === 0 ? 0 : (now - oldest) / 1000 };
  }
}
