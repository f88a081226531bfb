import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotRecord } from '../engine/store.js';
import { fixtureId, fixtureStack } from './fixtures.js';
import type { SqlStore } from './sql-store.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';

function snapshot(stackId: string, overrides: Partial<SnapshotRecord> = {}): SnapshotRecord {
  return {
    id: fixtureId(),
    stackId,
    projectId: 'project-a',
    name: 'snap',
    status: 'IN_PROGRESS',
    statusReason: null,
    data: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: null,
    ...overrides,
  };
}

describe.each(TEST_DIALECTS)('snapshots in the SQL store (%s)', (dialect) => {
  let opened: TestStore;
  let store: SqlStore;
  beforeEach(async () => {
    opened = await openTestStore(dialect);
    store = opened.store;
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('round-trips, patches, lists in creation order, counts and deletes', async () => {
    const stack = fixtureStack();
    const other = fixtureStack();
    await store.apply([
      { kind: 'insertStack', stack },
      { kind: 'insertStack', stack: other },
    ]);
    const a = snapshot(stack.id, { createdAt: '2024-01-01T00:00:02.000Z' });
    const b = snapshot(stack.id, { name: null, createdAt: '2024-01-01T00:00:01.000Z' });
    const c = snapshot(other.id);
    for (const s of [a, b, c]) await store.insertSnapshot(s);
    expect(await store.getSnapshot(a.id)).toStrictEqual(a);
    expect((await store.listSnapshots(stack.id)).map((s) => s.id)).toEqual([b.id, a.id]);
    expect(await store.countSnapshots(stack.id)).toBe(2);

    const data = {
      template: { heat_template_version: '2021-04-16' },
      resources: { r: { resource_id: 'x' } },
    };
    await store.updateSnapshot(a.id, { status: 'COMPLETE', statusReason: 'done', data });
    expect(await store.getSnapshot(a.id)).toStrictEqual({
      ...a,
      status: 'COMPLETE',
      statusReason: 'done',
      data,
    });
    await expect(store.updateSnapshot('missing', { status: 'FAILED' })).rejects.toThrow('no snapshot');

    await store.deleteSnapshot(b.id);
    expect(await store.getSnapshot(b.id)).toBeUndefined();
    await store.deleteSnapshotsOfStack(stack.id);
    expect(await store.countSnapshots(stack.id)).toBe(0);
    expect(await store.countSnapshots(other.id)).toBe(1);
  });
});
