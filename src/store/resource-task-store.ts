/**
 * Resource tasks over SQL (`resource_tasks`, migration 0009): the provider calls of distributable resources. Claims
 * share calls fairly across projects and lock only the rows taken (`FOR UPDATE SKIP LOCKED`, read committed; SQLite:
 * a conditional UPDATE per row), like the stack tasks of `task-store.ts`.
 */
import type { Kysely } from 'kysely';
import type { ActionResult } from '../engine/plugin.js';
import type {
  ResourceTaskAction,
  ResourceTaskQueue,
  ResourceTaskRecord,
  ResourceTaskState,
  StoredFailure,
} from '../engine/resource-tasks.js';
import { sqlDialectOf, type SqlDialectName } from './dialect.js';
import { allocateClaims } from './task-store.js';

/** Row of `resource_tasks`. */
export interface ResourceTasksTable {
  resource_id: string;
  stack_id: string;
  project_id: string;
  action: string;
  traversal: string;
  request: string;
  state: string;
  engine_id: string | null;
  lease_until: number | string;
  attempts: number;
  result: string | null;
  failure: string | null;
  requested_at: number | string;
}

/** The table this module uses. */
export interface ResourceTaskTables {
  resource_tasks: ResourceTasksTable;
}

function toRecord(row: ResourceTasksTable): ResourceTaskRecord {
  return {
    resourceId: row.resource_id,
    stackId: row.stack_id,
    projectId: row.project_id,
    action: row.action as ResourceTaskAction,
    traversal: row.traversal,
    request: JSON.parse(row.request) as Record<string, unknown>,
    state: row.state as ResourceTaskState,
    engineId: row.engine_id,
    leaseUntil: Number(row.lease_until),
    attempts: Number(row.attempts),
    result: row.result === null ? null : (JSON.parse(row.result) as ActionResult),
    failure: row.failure === null ? null : (JSON.parse(row.failure) as StoredFailure),
    requestedAt: Number(row.requested_at),
  };
}

/** Claimable: waiting, or held by an engine whose lease expired. */
const CLAIMABLE: readonly string[] = ['pending', 'running'];

/**
 * Records a call (inside the caller's transaction). The same call asked again by a resumed traversal (same
 * resource, action and traversal) keeps its row — running, or ended with an outcome still to take; anything else
 * replaces it.
 */
export async function putResourceTask(
  db: Kysely<ResourceTaskTables>,
  task: ResourceTaskRecord,
): Promise<void> {
  const existing = await db
    .selectFrom('resource_tasks')
    .select(['action', 'traversal', 'state'])
    .where('resource_id', '=', task.resourceId)
    .executeTakeFirst();
  if (
    existing &&
    existing.action === task.action &&
    existing.traversal === task.traversal &&
    ['pending', 'running', 'done'].includes(existing.state)
  ) {
    return;
  }
  const row = {
    stack_id: task.stackId,
    project_id: task.projectId,
    action: task.action,
    traversal: task.traversal,
    request: JSON.stringify(task.request),
    state: 'pending',
    engine_id: null,
    lease_until: 0,
    attempts: 0,
    result: null,
    failure: null,
    requested_at: task.requestedAt,
  };
  if (existing) {
    await db.updateTable('resource_tasks').set(row).where('resource_id', '=', task.resourceId).execute();
  } else {
    await db
      .insertInto('resource_tasks')
      .values({ resource_id: task.resourceId, ...row })
      .execute();
  }
}

/** {@link ResourceTaskQueue} over the store's database. */
export class SqlResourceTaskQueue implements ResourceTaskQueue {
  readonly #db: Kysely<ResourceTaskTables>;
  readonly #dialect: SqlDialectName;

  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<ResourceTaskTables>;
    this.#dialect = sqlDialectOf(db);
  }

  async claim(engineId: string, limit: number, leaseMs: number, peers = 1): Promise<ResourceTaskRecord[]> {
    if (limit <= 0) return [];
    const now = Date.now();
    const waiting = await this.#db
      .selectFrom('resource_tasks')
      .select((eb) => [
        'project_id',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.min('requested_at').as('oldest'),
      ])
      .where('state', 'in', CLAIMABLE)
      .where('lease_until', '<', now)
      .groupBy('project_id')
      .execute();
    if (waiting.length === 0) return [];
    const total = waiting.reduce((n, w) => n + Number(w.n), 0);
    limit = Math.min(limit, Math.ceil(total / Math.max(1, peers)));
    const running = await this.#db
      .selectFrom('resource_tasks')
      .select((eb) => ['project_id', eb.fn.countAll<number | string>().as('n')])
      .where('state', '=', 'running')
      .where('lease_until', '>=', now)
      .groupBy('project_id')
      .execute();
    const shares = allocateClaims(
      waiting.map((w) => ({ projectId: w.project_id, waiting: Number(w.n), oldest: Number(w.oldest) })),
      new Map(running.map((r) => [r.project_id, Number(r.n)])),
      limit,
    );
    const leaseUntil = now + leaseMs;
    const select = (db: Kysely<ResourceTaskTables>, projectId: string, count: number) =>
      db
        .selectFrom('resource_tasks')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('state', 'in', CLAIMABLE)
        .where('lease_until', '<', now)
        .orderBy('requested_at')
        .limit(count);
    if (this.#dialect === 'sqlite') {
      const claimed: ResourceTaskRecord[] = [];
      for (const [projectId, count] of shares) {
        for (const t of (await select(this.#db, projectId, count).execute()).map(toRecord)) {
          const r = await this.#db
            .updateTable('resource_tasks')
            .set({ state: 'running', engine_id: engineId, lease_until: leaseUntil, attempts: t.attempts + 1 })
            .where('resource_id', '=', t.resourceId)
            .where('lease_until', '=', t.leaseUntil)
            .where('attempts', '=', t.attempts)
            .where('state', 'in', CLAIMABLE)
            .executeTakeFirst();
          if (Number(r.numUpdatedRows) > 0) {
            claimed.push({ ...t, state: 'running', engineId, leaseUntil, attempts: t.attempts + 1 });
          }
        }
      }
      return claimed;
    }
    return this.#db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (tx) => {
        const taken: ResourceTaskRecord[] = [];
        for (const [projectId, count] of shares) {
          const rows = await select(tx, projectId, count).forUpdate().skipLocked().execute();
          taken.push(...rows.map(toRecord));
        }
        if (taken.length === 0) return [];
        await tx
          .updateTable('resource_tasks')
          .set((eb) => ({
            state: 'running',
            engine_id: engineId,
            lease_until: leaseUntil,
            attempts: eb('attempts', '+', 1),
          }))
          .where(
            'resource_id',
            'in',
            taken.map((t) => t.resourceId),
          )
          .execute();
        return taken.map((t) => ({
          ...t,
          state: 'running' as const,
          engineId,
          leaseUntil,
          attempts: t.attempts + 1,
        }));
      });
  }

  async renew(
    engineId: string,
    leaseMs: number,
  ): Promise<{ resourceId: string; state: ResourceTaskState }[]> {
    await this.#db
      .updateTable('resource_tasks')
      .set({ lease_until: Date.now() + leaseMs })
      .where('engine_id', '=', engineId)
      .where('state', '=', 'running')
      .execute();
    const rows = await this.#db
      .selectFrom('resource_tasks')
      .select(['resource_id', 'state'])
      .where('engine_id', '=', engineId)
      .where('state', 'in', ['running', 'cancelled'])
      .execute();
    return rows.map((r) => ({ resourceId: r.resource_id, state: r.state as ResourceTaskState }));
  }

  async finish(
    resourceId: string,
    engineId: string,
    outcome: { result: ActionResult } | { failure: StoredFailure },
  ): Promise<void> {
    await this.#db
      .updateTable('resource_tasks')
      .set(
        'result' in outcome
          ? { state: 'done', result: JSON.stringify(outcome.result) }
          : { state: 'failed', failure: JSON.stringify(outcome.failure) },
      )
      .where('resource_id', '=', resourceId)
      .where('engine_id', '=', engineId)
      .where('state', '=', 'running')
      .execute();
  }

  async ended(resourceIds: readonly string[]): Promise<ResourceTaskRecord[]> {
    if (resourceIds.length === 0) return [];
    if (resourceIds.length > 50) {
      // Many waits: every ended task (few: their rows go as soon as their outcome is taken) is cheaper to read
      // than a long list of ids.
      const wanted = new Set(resourceIds);
      const rows = await this.#db
        .selectFrom('resource_tasks')
        .selectAll()
        .where('state', 'in', ['done', 'failed'])
        .execute();
      return rows.filter((r) => wanted.has(r.resource_id)).map(toRecord);
    }
    const found: ResourceTaskRecord[] = [];
    for (let i = 0; i < resourceIds.length; i += 500) {
      const rows = await this.#db
        .selectFrom('resource_tasks')
        .selectAll()
        .where('resource_id', 'in', resourceIds.slice(i, i + 500))
        .where('state', 'in', ['done', 'failed'])
        .execute();
      found.push(...rows.map(toRecord));
    }
    return found;
  }

  async cancel(resourceId: string): Promise<void> {
    await this.#db
      .updateTable('resource_tasks')
      .set({ state: 'cancelled' })
      .where('resource_id', '=', resourceId)
      .where('state', 'in', ['pending', 'running'])
      .execute();
  }

  async removeEnded(resourceIds: readonly string[]): Promise<void> {
    for (let i = 0; i < resourceIds.length; i += 500) {
      await this.#db
        .deleteFrom('resource_tasks')
        .where('resource_id', 'in', resourceIds.slice(i, i + 500))
        .where('state', 'in', ['done', 'failed'])
        .execute();
    }
  }

  async remove(resourceId: string, traversal: string): Promise<void> {
    await this.#db
      .deleteFrom('resource_tasks')
      .where('resource_id', '=', resourceId)
      .where('traversal', '=', traversal)
      .where('state', 'in', ['done', 'failed', 'cancelled'])
      .execute();
  }
}
