import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteResourceActions, rebuildFailure, storeFailure } from '../engine/resource-tasks.js';
import { UpdateReplace } from '../engine/plugin.js';
import { HeatError } from '../template/errors.js';
import { fixtureResource, fixtureStack } from './fixtures.js';
import { SqlResourceTaskQueue } from './resource-task-store.js';
import type { SqlStore } from './sql-store.js';
import { openDatabase, openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';

describe('stored failures', () => {
  it('rebuild as errors of the same kind', () => {
    const replace = rebuildFailure(storeFailure(new UpdateReplace('web', 'image changed')));
    expect(replace).toBeInstanceOf(UpdateReplace);
    expect((replace as UpdateReplace).resourceName).toBe('web');
    const heat = rebuildFailure(storeFailure(new HeatError('StackValidationFailed', 'bad')));
    expect(heat).toBeInstanceOf(HeatError);
    expect((heat as HeatError).type).toBe('StackValidationFailed');
    const py = Object.assign(new Error('Test Resource failed r'), { name: 'ValueError' });
    expect(rebuildFailure(storeFailure(py))).toMatchObject({
      name: 'ValueError',
      message: 'Test Resource failed r',
    });
  });
});

describe.each(TEST_DIALECTS)('resource tasks (%s)', (dialect) => {
  let opened: TestStore;
  let sql: SqlStore;
  let queue: SqlResourceTaskQueue;
  let remote: RemoteResourceActions;
  beforeEach(async () => {
    opened = await openTestStore(dialect);
    sql = opened.store;
    queue = new SqlResourceTaskQueue(sql.db);
    remote = new RemoteResourceActions(queue, { pollMs: 10 });
  });
  afterEach(async () => {
    await opened.dispose();
  });

  /** A stack with `n` resources IN_PROGRESS, each with its create recorded in the same transaction. */
  async function calls(n: number, projectId = 'project-a') {
    const stack = fixtureStack({ projectId, status: 'IN_PROGRESS' });
    const rows = Array.from({ length: n }, (_, i) =>
      fixtureResource(stack.id, { name: `r${i}`, action: 'CREATE', status: 'IN_PROGRESS' }),
    );
    await sql.apply([
      { kind: 'insertStack', stack },
      ...rows.flatMap((resource) => [
        { kind: 'insertResource' as const, resource },
        remote.taskOp(stack, resource, 'CREATE', { properties: { value: resource.name } }),
      ]),
    ]);
    return { stack, rows };
  }

  it('a call is claimed once, its outcome reaches the waiting traversal, and its row goes', async () => {
    const { stack, rows } = await calls(1);
    const row = rows[0]!;
    const waiting = remote.outcome(row, stack.traversal, new AbortController().signal);
    const [task] = await queue.claim('engine-1', 10, 60_000);
    expect(task).toMatchObject({
      resourceId: row.id,
      action: 'CREATE',
      request: { properties: { value: 'r0' } },
    });
    expect(await queue.claim('engine-2', 10, 60_000)).toEqual([]);
    await queue.finish(row.id, 'engine-2', { result: { physicalId: 'nope' } }); // not the holder: ignored
    await queue.finish(row.id, 'engine-1', { result: { physicalId: 'p-1', attributes: { output: 'r0' } } });
    await expect(waiting).resolves.toEqual({ physicalId: 'p-1', attributes: { output: 'r0' } });
    expect(await queue.ended([row.id])).toEqual([]);
  });

  it('a failure reaches the traversal as the same kind of error', async () => {
    const { stack, rows } = await calls(1);
    const waiting = remote.outcome(rows[0]!, stack.traversal, new AbortController().signal);
    await queue.claim('engine-1', 1, 60_000);
    await queue.finish(rows[0]!.id, 'engine-1', { failure: storeFailure(new UpdateReplace('r0')) });
    await expect(waiting).rejects.toBeInstanceOf(UpdateReplace);
  });

  it('an aborted wait cancels the call; the engine running it sees the cancel at its renewal', async () => {
    const { stack, rows } = await calls(1);
    const abort = new AbortController();
    const waiting = remote.outcome(rows[0]!, stack.traversal, abort.signal);
    await queue.claim('engine-1', 1, 60_000);
    abort.abort(new Error('user triggered cancel'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError', message: 'user triggered cancel' });
    await new Promise((r) => setTimeout(r, 50));
    expect(await queue.renew('engine-1', 60_000)).toEqual([{ resourceId: rows[0]!.id, state: 'cancelled' }]);
  });

  it('a lost engine: its call is claimed again after the lease; the same call asked again is not duplicated', async () => {
    const { stack, rows } = await calls(1);
    await queue.claim('engine-1', 1, 60_000);
    // A resumed traversal asks for the same call: the running one is kept.
    await sql.apply([remote.taskOp(stack, rows[0]!, 'CREATE', { properties: {} })]);
    expect(await queue.claim('engine-2', 1, 60_000)).toEqual([]);
    await queue.renew('engine-1', -1); // lease expired
    const [again] = await queue.claim('engine-2', 1, 60_000);
    expect(again).toMatchObject({
      resourceId: rows[0]!.id,
      attempts: 2,
      request: { properties: { value: 'r0' } },
    });
  });

  it('a claim takes its share of a burst, and concurrent claimers never share a call', async () => {
    const { rows } = await calls(40);
    expect(await queue.claim('engine-1', 100, 60_000, 4)).toHaveLength(10);
    const other = dialect === 'sqlite' ? sql : await openDatabase(opened.database);
    try {
      const otherQueue = new SqlResourceTaskQueue(other.db);
      const claimed: string[] = [];
      for (let round = 0; round < 5 && claimed.length < 30; round++) {
        const got = await Promise.all([
          queue.claim('engine-2', 15, 60_000),
          otherQueue.claim('engine-3', 15, 60_000),
        ]);
        claimed.push(...got.flat().map((t) => t.resourceId));
      }
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed).toHaveLength(30);
      for (const id of claimed) expect(rows.some((r) => r.id === id)).toBe(true);
    } finally {
      if (other !== sql) await other.close();
    }
  });
});
