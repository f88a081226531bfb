import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackListQuery, StackRecord } from '../engine/store.js';
import { fixtureStack } from './fixtures.js';
import type { SqlStore } from './sql-store.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';

const at = (minute: number) => `2024-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe.each(TEST_DIALECTS)('stack listing (%s)', (dialect) => {
  let opened: TestStore;
  let store: SqlStore;
  const stacks: Record<string, StackRecord> = {};

  beforeAll(async () => {
    opened = await openTestStore(dialect);
    store = opened.store;
    const add = (key: string, overrides: Partial<StackRecord>) => {
      stacks[key] = fixtureStack({ name: key, ...overrides });
    };
    add('alpha', { createdAt: at(1), tags: ['web', 'prod'], status: 'COMPLETE', username: 'ann' });
    add('bravo', { createdAt: at(2), tags: ['web'], status: 'FAILED', updatedAt: at(30), username: 'bob' });
    add('charlie', { createdAt: at(3), tags: ['db', 'prod'], status: 'IN_PROGRESS', action: 'UPDATE' });
    add('delta', { createdAt: at(3), tags: [], status: 'COMPLETE', updatedAt: at(10) }); // same time as charlie
    add('echo', { createdAt: at(4), projectId: 'project-b', tags: ['web'] });
    add('gone', { createdAt: at(5), action: 'DELETE', status: 'COMPLETE', deletedAt: at(6), tags: ['web'] });
    const parent = stacks.alpha!;
    add('alpha-child', {
      createdAt: at(7),
      parentId: parent.id,
      rootId: parent.id,
      depth: 1,
      ownerResource: 'nested',
      status: 'IN_PROGRESS',
      tags: ['web'],
    });
    add('alpha-grandchild', {
      createdAt: at(8),
      parentId: stacks['alpha-child']!.id,
      rootId: parent.id,
      depth: 2,
      status: 'IN_PROGRESS',
    });
    add('alpha-dead-child', {
      createdAt: at(9),
      parentId: parent.id,
      rootId: parent.id,
      depth: 1,
      deletedAt: at(9),
    });
    await store.apply(Object.values(stacks).map((stack) => ({ kind: 'insertStack', stack })));
  });
  afterAll(async () => {
    await opened.dispose();
  });

  const names = async (query: StackListQuery) => (await store.listStacks(query)).map((s) => s.name);

  it('lists live roots, newest first, by default (Heat: created_at desc)', async () => {
    // charlie and delta share created_at: the id breaks the tie in the same (desc) direction
    const tied = [stacks.charlie!, stacks.delta!].sort((a, b) => (a.id < b.id ? 1 : -1)).map((s) => s.name);
    expect(await names({})).toEqual(['echo', ...tied, 'bravo', 'alpha']);
    expect(await names({ projectId: 'project-a' })).toEqual([...tied, 'bravo', 'alpha']);
  });

  it('shows nested and deleted stacks on request', async () => {
    expect(await names({ projectId: 'project-a', showNested: true, sortDir: 'asc' })).toEqual([
      'alpha',
      'bravo',
      ...[stacks.charlie!, stacks.delta!].sort((a, b) => (a.id < b.id ? -1 : 1)).map((s) => s.name),
      'alpha-child',
      'alpha-grandchild',
    ]);
    expect(await names({ showDeleted: true, sortKeys: ['name'] })).toEqual([
      'alpha',
      'bravo',
      'charlie',
      'delta',
      'echo',
      'gone',
    ]);
    expect(
      await names({ showDeleted: true, showNested: true, filters: { parentId: [stacks.alpha!.id] } }),
    ).toEqual(['alpha-dead-child', 'alpha-child']);
  });

  it('filters by exact values, OR within a filter, AND across filters', async () => {
    expect(await names({ filters: { status: ['FAILED', 'IN_PROGRESS'] }, sortKeys: ['name'] })).toEqual([
      'bravo',
      'charlie',
    ]);
    expect(await names({ filters: { status: ['COMPLETE'], username: ['ann'] } })).toEqual(['alpha']);
    expect(await names({ filters: { name: ['echo'], action: ['CREATE'] } })).toEqual(['echo']);
    expect(await names({ filters: { id: [stacks.delta!.id, stacks.gone!.id] } })).toEqual(['delta']);
    expect(await names({ filters: { action: ['UPDATE'] } })).toEqual(['charlie']);
    expect(await names({ filters: { name: [] } })).toEqual([]);
  });

  it('filters by tags with Heat semantics', async () => {
    const sorted: StackListQuery = { sortKeys: ['name'] };
    expect(await names({ ...sorted, tags: ['web', 'prod'] })).toEqual(['alpha']);
    expect(await names({ ...sorted, tagsAny: ['db', 'web'] })).toEqual(['alpha', 'bravo', 'charlie', 'echo']);
    expect(await names({ ...sorted, notTags: ['web', 'prod'] })).toEqual([
      'bravo',
      'charlie',
      'delta',
      'echo',
    ]);
    expect(await names({ ...sorted, notTagsAny: ['web', 'db'] })).toEqual(['delta']);
    expect(await names({ ...sorted, tags: ['prod'], notTagsAny: ['db'] })).toEqual(['alpha']);
    expect(await names({ ...sorted, tags: [] })).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(await names({ ...sorted, tags: ['nope'] })).toEqual([]);
  });

  it('sorts by several keys; keys without a direction sort ascending', async () => {
    expect(await names({ sortKeys: ['status', 'name'] })).toEqual([
      'alpha',
      'delta',
      'echo',
      'bravo',
      'charlie',
    ]);
    expect(await names({ sortKeys: ['status', 'name'], sortDir: 'desc' })).toEqual([
      'charlie',
      'bravo',
      'echo',
      'delta',
      'alpha',
    ]);
    // a missing updated time sorts first ascending
    const byUpdate = await names({ sortKeys: ['updatedAt'], projectId: 'project-a' });
    expect(byUpdate.slice(-2)).toEqual(['delta', 'bravo']);
  });

  it('pages with limit and marker, in every order, without gaps or repeats', async () => {
    const orders: StackListQuery[] = [
      {},
      { sortDir: 'asc' },
      { sortKeys: ['status'] },
      { sortKeys: ['updatedAt'], sortDir: 'desc' },
      { sortKeys: ['status', 'createdAt'], sortDir: 'desc' },
      { sortKeys: ['name'], showNested: true, showDeleted: true },
    ];
    for (const order of orders) {
      const all = await names(order);
      for (const limit of [1, 2, 3]) {
        const paged: string[] = [];
        let marker: string | undefined;
        for (;;) {
          const page = await store.listStacks({ ...order, limit, ...(marker ? { marker } : {}) });
          paged.push(...page.map((s) => s.name));
          if (page.length < limit) break;
          marker = page.at(-1)!.id;
        }
        expect(paged, JSON.stringify({ order, limit })).toEqual(all);
      }
    }
  });

  it('ignores an unknown marker, as Heat does', async () => {
    expect(await names({ marker: 'no-such-stack', limit: 2 })).toEqual((await names({})).slice(0, 2));
  });

  it('counts with the filters, ignoring paging', async () => {
    expect(await store.countStacks({})).toBe(5);
    expect(await store.countStacks({ limit: 1, marker: stacks.echo!.id })).toBe(5);
    expect(await store.countStacks({ tagsAny: ['web'] })).toBe(3);
    expect(await store.countStacks({ showNested: true, showDeleted: true })).toBe(9);
    expect(await store.countStacks({ projectId: 'project-b' })).toBe(1);
  });

  it('finds live stacks by name within a project', async () => {
    expect((await store.findStackByName('project-a', 'bravo'))?.id).toBe(stacks.bravo!.id);
    expect(await store.findStackByName('project-b', 'bravo')).toBeUndefined();
    expect(await store.findStackByName('project-a', 'gone')).toBeUndefined();
    expect((await store.findStackByName('project-a', 'alpha-child'))?.id).toBe(stacks['alpha-child']!.id);
  });

  it('lists live direct children', async () => {
    expect((await store.listChildStacks(stacks.alpha!.id)).map((s) => s.name)).toEqual(['alpha-child']);
    expect((await store.listChildStacks(stacks['alpha-child']!.id)).map((s) => s.name)).toEqual([
      'alpha-grandchild',
    ]);
    expect(await store.listChildStacks(stacks.bravo!.id)).toEqual([]);
  });

  it('lists in-progress stacks (nested included, deleted excluded), parents first', async () => {
    expect((await store.listStacksInProgress()).map((s) => s.name)).toEqual([
      'charlie',
      'alpha-child',
      'alpha-grandchild',
    ]);
  });
});
