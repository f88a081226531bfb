import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WriteOp } from '../engine/store.js';
import { fixtureEvent, fixtureInputs, fixtureResource, fixtureStack } from './fixtures.js';
import type { SqlStore } from './sql-store.js';
import { createTestDatabase, openDatabase, TEST_DIALECTS, type TestDatabase } from './testing/databases.js';

describe.each(TEST_DIALECTS)('SqlStore on %s', (dialect) => {
  let database: TestDatabase;
  let store: SqlStore;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    store = await openDatabase(database);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('round-trips a stack exactly, JSON included', async () => {
    const stack = fixtureStack({
      tags: ['b', 'a', 'a', 'ünï'],
      inputs: fixtureInputs({
        template: 'heat_template_version: 2021-04-16\nresources: {}\n',
        environment: { parameters: { n: 1 } },
        parameters: {
          big: 1234567890123,
          pi: 3.141592653589793,
          neg: -0.5,
          exp: 1e-7,
          text: '日本語 😀 "q" \\',
        },
        files: { 'a.yaml': 'x: 1' },
        environmentFiles: ['env.yaml'],
      }),
      previousInputs: fixtureInputs({ parameters: { nested: { deep: [1, [2, { three: null }]] } } }),
      timeoutMins: null,
      username: null,
      updatedAt: '2024-01-02T00:00:00.000Z',
      deadline: '2024-01-02T01:00:00.000Z',
      actionData: { afterRollback: 'delete', list: [true, false, null] },
      disableRollback: false,
    });
    await store.apply([{ kind: 'insertStack', stack }]);
    expect(await store.getStack(stack.id)).toStrictEqual(stack);
    expect(await store.getStack('missing')).toBeUndefined();
  });

  it('round-trips a resource and an event exactly', async () => {
    const stack = fixtureStack();
    const resource = fixtureResource(stack.id, {
      physicalId: 'phys-1',
      properties: null,
      attributes: { ip: '10.0.0.1', nested: { a: [1, 2.5] } },
      data: { secret: 'ç' },
      metadata: { deployments: [] },
      requires: ['a', 'b'],
      current: false,
      replaces: 'other-id',
      updatedAt: '2024-01-01T00:00:05.000Z',
    });
    const event = fixtureEvent(stack.id, { properties: { size: 3, name: 'x' }, physicalId: 'phys-1' });
    await store.apply([
      { kind: 'insertStack', stack },
      { kind: 'insertResource', resource },
      { kind: 'insertEvent', event },
    ]);
    expect(await store.getResource(resource.id)).toStrictEqual(resource);
    const read = await store.getEvent(event.id);
    expect(read).toStrictEqual({ ...event, seq: expect.any(Number) });
    expect(await store.getResource('missing')).toBeUndefined();
    expect(await store.getEvent('missing')).toBeUndefined();
  });

  it('applies updates, tag rewrites and deletes in order', async () => {
    const stack = fixtureStack({ tags: ['old'] });
    const keep = fixtureResource(stack.id, { name: 'keep' });
    const gone = fixtureResource(stack.id, { name: 'gone' });
    await store.apply([
      { kind: 'insertStack', stack },
      { kind: 'insertResource', resource: keep },
      { kind: 'insertResource', resource: gone },
    ]);
    await store.apply([
      {
        kind: 'updateStack',
        id: stack.id,
        patch: { status: 'IN_PROGRESS', action: 'UPDATE', tags: ['new', 'x'] },
      },
      {
        kind: 'updateResource',
        id: keep.id,
        patch: { status: 'FAILED', attributes: { a: 1 }, current: false },
      },
      { kind: 'updateResource', id: keep.id, patch: { statusReason: 'second write wins', physicalId: null } },
      { kind: 'deleteResource', id: gone.id },
      { kind: 'deleteResource', id: 'never-existed' },
    ]);
    const updated = await store.getStack(stack.id);
    expect(updated).toMatchObject({
      status: 'IN_PROGRESS',
      action: 'UPDATE',
      tags: ['new', 'x'],
      name: stack.name,
    });
    expect(await store.listStacks({ showNested: true, tags: ['old'] })).toEqual([]);
    expect((await store.listStacks({ tags: ['new'] })).map((s) => s.id)).toEqual([stack.id]);
    expect(await store.getResource(keep.id)).toStrictEqual({
      ...keep,
      status: 'FAILED',
      attributes: { a: 1 },
      current: false,
      statusReason: 'second write wins',
    });
    expect(await store.getResource(gone.id)).toBeUndefined();

    await store.apply([{ kind: 'deleteResourcesOfStack', stackId: stack.id }]);
    expect(await store.listResources(stack.id)).toEqual([]);
  });

  it('inserts after a delete in the same batch see the delete (order is kept)', async () => {
    const stack = fixtureStack();
    const first = fixtureResource(stack.id, { name: 'r' });
    const second = fixtureResource(stack.id, { id: first.id, name: 'r', type: 'OS::Heat::RandomString' });
    await store.apply([
      { kind: 'insertStack', stack },
      { kind: 'insertResource', resource: first },
      { kind: 'deleteResource', id: first.id },
      { kind: 'insertResource', resource: second },
    ]);
    expect(await store.listResources(stack.id)).toStrictEqual([second]);
  });

  it('rolls back the whole batch when one op fails', async () => {
    const stack = fixtureStack();
    await store.apply([{ kind: 'insertStack', stack }]);
    const newStack = fixtureStack();
    const batch: WriteOp[] = [
      { kind: 'insertStack', stack: newStack },
      { kind: 'updateStack', id: stack.id, patch: { status: 'FAILED' } },
      { kind: 'insertEvent', event: fixtureEvent(stack.id) },
      { kind: 'insertStack', stack: fixtureStack({ id: stack.id }) }, // duplicate primary key
    ];
    await expect(store.apply(batch)).rejects.toThrow();
    expect(await store.getStack(newStack.id)).toBeUndefined();
    expect((await store.getStack(stack.id))?.status).toBe('COMPLETE');
    expect(await store.listEvents({ stackIds: [stack.id] })).toEqual([]);
    // the store keeps working after a rollback
    await store.apply([{ kind: 'updateStack', id: stack.id, patch: { status: 'FAILED' } }]);
    expect((await store.getStack(stack.id))?.status).toBe('FAILED');
  });

  it('fails (and rolls back) an update of a row that does not exist', async () => {
    const stack = fixtureStack();
    await expect(
      store.apply([
        { kind: 'insertStack', stack },
        { kind: 'updateResource', id: 'nope', patch: { status: 'FAILED' } },
      ]),
    ).rejects.toThrow(/updateResource: no resource with id nope/);
    await expect(store.apply([{ kind: 'updateStack', id: 'nope', patch: {} }])).rejects.toThrow(/no stack/);
    expect(await store.getStack(stack.id)).toBeUndefined();
  });

  it('refuses a resource of an unknown stack (foreign keys are on)', async () => {
    await expect(
      store.apply([{ kind: 'insertResource', resource: fixtureResource('no-stack') }]),
    ).rejects.toThrow(/foreign key/i);
  });

  it('refuses to patch an unknown field instead of losing the write', async () => {
    const stack = fixtureStack();
    await store.apply([{ kind: 'insertStack', stack }]);
    const patch = { stauts: 'FAILED' } as unknown as { status: 'FAILED' };
    await expect(store.apply([{ kind: 'updateStack', id: stack.id, patch }])).rejects.toThrow(/stauts/);
  });

  it('keeps the data after close and reopen (durability)', async () => {
    const stack = fixtureStack({ tags: ['t'] });
    const resource = fixtureResource(stack.id);
    const event = fixtureEvent(stack.id);
    await store.apply([
      { kind: 'insertStack', stack },
      { kind: 'insertResource', resource },
      { kind: 'insertEvent', event },
    ]);
    await store.close();
    store = await openDatabase(database);
    expect(await store.getStack(stack.id)).toStrictEqual(stack);
    expect(await store.listResources(stack.id)).toStrictEqual([resource]);
    expect((await store.listEvents({ stackIds: [stack.id] })).map((e) => e.id)).toEqual([event.id]);
    expect((await store.listStacks({ tags: ['t'] })).length).toBe(1);
  });

  it.runIf(dialect === 'sqlite')('opens the file with WAL, synchronous=NORMAL and foreign keys', async () => {
    const raw = new BetterSqlite3(database.url.slice('sqlite:'.length), { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = raw
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .all()
        .map((row) => (row as { name: string }).name);
      expect(tables).toEqual(
        expect.arrayContaining(['stacks', 'stack_tags', 'resources', 'events', 'hearth_meta']),
      );
    } finally {
      raw.close();
    }
    const pragma = async (name: string) => {
      const { sql } = await import('kysely');
      const result = await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(store.db);
      return Object.values(result.rows[0]!)[0];
    };
    expect(await pragma('synchronous')).toBe(1);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });

  it('does not interleave concurrent batches', async () => {
    const stack = fixtureStack();
    await store.apply([{ kind: 'insertStack', stack }]);
    // Each batch writes its own marker into every resource; interleaving would leave mixed markers.
    const resources = Array.from({ length: 50 }, (_, i) => fixtureResource(stack.id, { name: `r${i}` }));
    await store.apply(resources.map((resource) => ({ kind: 'insertResource', resource })));
    const batch = (marker: string): WriteOp[] =>
      resources.flatMap((resource) => [
        { kind: 'updateResource', id: resource.id, patch: { statusReason: marker } } as WriteOp,
        { kind: 'insertEvent', event: fixtureEvent(stack.id, { reason: marker }) } as WriteOp,
      ]);
    await Promise.all(['a', 'b', 'c', 'd'].map((marker) => store.apply(batch(marker))));
    const reasons = new Set((await store.listResources(stack.id)).map((r) => r.statusReason));
    expect(reasons.size).toBe(1);
    const events = await store.listEvents({ stackIds: [stack.id] });
    expect(events.length).toBe(200);
    for (let i = 0; i < 4; i++) {
      const slice = events.slice(i * 50, (i + 1) * 50).map((e) => e.reason);
      expect(new Set(slice).size).toBe(1);
    }
    expect(events.at(-1)!.reason).toBe([...reasons][0]);
  });

  it('inserts alternating resources and events, all of them, events in batch order', async () => {
    const stack = fixtureStack();
    const resources = Array.from({ length: 300 }, (_, i) => fixtureResource(stack.id, { name: `r${i}` }));
    await store.apply([
      { kind: 'insertStack', stack },
      ...resources.flatMap((resource): WriteOp[] => [
        { kind: 'insertResource', resource },
        { kind: 'insertEvent', event: fixtureEvent(stack.id, { resourceName: resource.name }) },
      ]),
    ]);
    expect((await store.listResources(stack.id)).length).toBe(300);
    const events = await store.listEvents({ stackIds: [stack.id] });
    expect(events.map((e) => e.resourceName)).toEqual(resources.map((r) => r.name));
  });

  it('compares names case-sensitively and counts matched rows of no-op updates', async () => {
    const web = fixtureStack({ name: 'Web' });
    await store.apply([{ kind: 'insertStack', stack: web }]);
    expect(await store.findStackByName(web.projectId, 'web')).toBeUndefined();
    expect((await store.findStackByName(web.projectId, 'Web'))?.id).toBe(web.id);
    expect(await store.listStacks({ filters: { name: ['WEB'] } })).toEqual([]);
    // the same value again: MariaDB must still report the row as matched (FOUND_ROWS), not "missing"
    await store.apply([{ kind: 'updateStack', id: web.id, patch: { status: web.status } }]);
  });

  it('treats an empty batch as a no-op', async () => {
    await expect(store.apply([])).resolves.toBeUndefined();
  });
});
