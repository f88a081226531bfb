import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TASK_PROTOCOL, taskFor } from '../engine/tasks.js';
import { stackEvent } from '../engine/records.js';
import { fixtureEvent, fixtureId, fixtureStack } from './fixtures.js';
import type { SqlStore } from './sql-store.js';
import { allocateClaims, SqlTaskQueue } from './task-store.js';
import { openDatabase, openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';

describe('allocateClaims', () => {
  it('gives claims to the least loaded project first, the oldest request breaking ties', () => {
    const shares = allocateClaims(
      [
        { projectId: 'a', waiting: 5, oldest: 1 },
        { projectId: 'b', waiting: 1, oldest: 10 },
        { projectId: 'c', waiting: 3, oldest: 20 },
      ],
      new Map([['c', 1]]),
      4,
    );
    // a (0) → b (0, younger than a's) → a and c tie at 1: a is older → then b has nothing left, c (1) < a (2).
    expect(Object.fromEntries(shares)).toEqual({ a: 2, b: 1, c: 1 });
  });

  it('one busy project does not starve another, and never more than waits', () => {
    const shares = allocateClaims(
      [
        { projectId: 'busy', waiting: 500, oldest: 0 },
        { projectId: 'quiet', waiting: 1, oldest: 1000 },
      ],
      new Map([['busy', 10]]),
      3,
    );
    expect(Object.fromEntries(shares)).toEqual({ quiet: 1, busy: 2 });
  });
});

describe.each(TEST_DIALECTS)('engine task queue (%s)', (dialect) => {
  let opened: TestStore;
  let sql: SqlStore;
  let queue: SqlTaskQueue;
  beforeEach(async () => {
    opened = await openTestStore(dialect);
    sql = opened.store;
    queue = new SqlTaskQueue(sql.db);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  /** Writes a root stack IN_PROGRESS with its task, as the API role does (one transaction). */
  async function request(projectId = 'p1', action: 'CREATE' | 'UPDATE' | 'DELETE' = 'CREATE') {
    const stack = fixtureStack({ projectId, action, status: 'IN_PROGRESS' });
    await sql.apply([
      { kind: 'insertStack', stack },
      { kind: 'putTask', task: taskFor(stack, action) },
    ]);
    return stack;
  }

  it('a claimed task is leased to one engine; another engine gets it only after the lease expires', async () => {
    const stack = await request();
    const [first] = await queue.claim('engine-1', 10, 60_000);
    expect(first).toMatchObject({ stackId: stack.id, engineId: 'engine-1', attempts: 1, action: 'CREATE' });
    expect(await queue.claim('engine-2', 10, 60_000)).toEqual([]);
    // A lease of 1 ms is expired at once: engine-2 takes it over (attempts tells it was held before).
    await queue.renew('engine-1', -1);
    const [taken] = await queue.claim('engine-2', 10, 60_000);
    expect(taken).toMatchObject({ stackId: stack.id, engineId: 'engine-2', attempts: 2 });
    expect(await queue.renew('engine-1', 60_000)).toEqual([]);
    expect((await queue.renew('engine-2', 60_000)).map((t) => t.stackId)).toEqual([stack.id]);
  });

  it('concurrent claims never hand the same task to two engines', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) ids.add((await request(`p${i % 4}`)).id);
    // A second connection pool stands for a second engine process.
    const other = dialect === 'sqlite' ? sql : await openDatabase(opened.database);
    try {
      const otherQueue = new SqlTaskQueue(other.db);
      const claimed: string[] = [];
      for (let round = 0; round < 5 && claimed.length < 40; round++) {
        const rounds = await Promise.all([
          queue.claim('engine-1', 15, 60_000),
          otherQueue.claim('engine-2', 15, 60_000),
          queue.claim('engine-3', 15, 60_000),
          otherQueue.claim('engine-4', 15, 60_000),
        ]);
        claimed.push(...rounds.flat().map((t) => t.stackId));
        // Row locks skipping locked rows: concurrent claimers take disjoint sets at once, nobody waits or misses.
        if (dialect !== 'sqlite' && round === 0) expect(claimed.length).toBe(40);
      }
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.length).toBe(40);
      for (const id of claimed) expect(ids.has(id)).toBe(true);
    } finally {
      if (other !== sql) await other.close();
    }
  });

  it('a newer request replaces the task but keeps its lease holder; completion is fenced by traversal', async () => {
    const stack = await request();
    await queue.claim('engine-1', 1, 60_000);
    const update = { ...stack, traversal: fixtureId() };
    await sql.apply([{ kind: 'putTask', task: taskFor(update, 'UPDATE') }]);
    const [mine] = await queue.renew('engine-1', 60_000);
    expect(mine).toMatchObject({ engineId: 'engine-1', action: 'UPDATE', traversal: update.traversal });
    expect(await queue.complete(stack.id, stack.traversal)).toBe(false);
    expect(await queue.complete(stack.id, update.traversal)).toBe(true);
    expect(await queue.renew('engine-1', 60_000)).toEqual([]);
  });

  it('controls are set, seen by the holder and cleared once applied', async () => {
    const stack = await request();
    expect(await queue.setControl(fixtureId(), 'cancel')).toBe(false);
    await queue.claim('engine-1', 1, 60_000);
    expect(await queue.setControl(stack.id, 'cancel')).toBe(true);
    expect((await queue.renew('engine-1', 60_000))[0]?.control).toBe('cancel');
    await queue.clearControl(stack.id, 'cancel-no-rollback'); // another control: untouched
    expect((await queue.renew('engine-1', 60_000))[0]?.control).toBe('cancel');
    await queue.clearControl(stack.id, 'cancel');
    expect((await queue.renew('engine-1', 60_000))[0]?.control).toBeNull();
  });

  it('release gives the leases back at once', async () => {
    await request();
    await queue.claim('engine-1', 1, 60_000);
    await queue.release('engine-1');
    expect(await queue.claim('engine-2', 1, 60_000)).toHaveLength(1);
  });

  it('tasks of another protocol are left alone (version skew)', async () => {
    const stack = fixtureStack({ status: 'IN_PROGRESS' });
    await sql.apply([
      { kind: 'insertStack', stack },
      { kind: 'putTask', task: { ...taskFor(stack, 'CREATE'), protocol: TASK_PROTOCOL + 1 } },
    ]);
    expect(await queue.claim('engine-1', 5, 60_000)).toEqual([]);
    expect(await queue.stats()).toMatchObject({ waiting: 1, running: 0 });
  });

  it('adopts root stacks left IN_PROGRESS without a task, and only those', async () => {
    const orphan = fixtureStack({ status: 'IN_PROGRESS', action: 'UPDATE' });
    const done = fixtureStack({ status: 'COMPLETE' });
    const child = fixtureStack({ status: 'IN_PROGRESS', parentId: orphan.id, rootId: orphan.id, depth: 1 });
    const queued = fixtureStack({ status: 'IN_PROGRESS' });
    await sql.apply([
      { kind: 'insertStack', stack: orphan },
      { kind: 'insertStack', stack: done },
      { kind: 'insertStack', stack: child },
      { kind: 'insertStack', stack: queued },
      { kind: 'putTask', task: taskFor(queued, 'CREATE') },
    ]);
    expect(await queue.adoptOrphans()).toBe(1);
    expect(await queue.adoptOrphans()).toBe(0);
    const claimed = await queue.claim('engine-1', 10, 60_000);
    expect(claimed.map((t) => t.stackId).sort()).toEqual([orphan.id, queued.id].sort());
    expect(claimed.find((t) => t.stackId === orphan.id)?.action).toBe('UPDATE');
  });

  it('fenced stack writes apply only while the traversal is unchanged', async () => {
    const stack = await request();
    const ended = { ...stack, status: 'COMPLETE' as const };
    await sql.apply([
      { kind: 'updateStack', id: stack.id, patch: { status: 'COMPLETE' }, ifTraversal: 'another' },
      { kind: 'insertEvent', event: stackEvent(ended) },
      { kind: 'insertEvent', event: fixtureEvent(stack.id, { resourceName: 'kept' }) },
    ]);
    expect((await sql.getStack(stack.id))?.status).toBe('IN_PROGRESS');
    // The stack event of the skipped update is dropped with it; other events of the batch stay.
    const events = await sql.listEvents({ stackIds: [stack.id] });
    expect(events.map((e) => e.resourceName)).toEqual(['kept']);
    await sql.apply([
      { kind: 'updateStack', id: stack.id, patch: { status: 'COMPLETE' }, ifTraversal: stack.traversal },
    ]);
    expect((await sql.getStack(stack.id))?.status).toBe('COMPLETE');
  });

  it('stats count waiting and running tasks and the oldest wait', async () => {
    await request('a');
    await request('b');
    await queue.claim('engine-1', 1, 60_000);
    const stats = await queue.stats();
    expect(stats).toMatchObject({ waiting: 1, running: 1 });
    expect(stats.oldestWaitingSeconds).toBeGreaterThanOrEqual(0);
    expect(stats.oldestWaitingSeconds).toBeLessThan(60);
  });
});
