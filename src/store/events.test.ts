import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventListQuery, EventRecord, StackRecord } from '../engine/store.js';
import { fixtureEvent, fixtureStack } from './fixtures.js';
import type { SqlStore } from './sql-store.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';

describe.each(TEST_DIALECTS)('events (%s)', (dialect) => {
  let opened: TestStore;
  let store: SqlStore;
  let root: StackRecord;
  let child: StackRecord;
  let other: StackRecord;
  let recorded: EventRecord[];

  beforeEach(async () => {
    opened = await openTestStore(dialect);
    store = opened.store;
    root = fixtureStack();
    child = fixtureStack({ parentId: root.id, rootId: root.id, depth: 1 });
    other = fixtureStack();
    recorded = [];
    const record = (
      stack: StackRecord,
      resourceName: string,
      action: string,
      status: string,
      type = 'OS::Heat::None',
    ) =>
      recorded.push(
        fixtureEvent(stack.id, {
          rootStackId: stack.rootId,
          resourceName,
          action,
          status,
          resourceType: type,
        }),
      );
    record(root, 'a', 'CREATE', 'IN_PROGRESS');
    record(child, 'x', 'CREATE', 'IN_PROGRESS', 'OS::Heat::RandomString');
    record(root, 'a', 'CREATE', 'COMPLETE');
    record(other, 'z', 'CREATE', 'COMPLETE');
    record(child, 'x', 'CREATE', 'COMPLETE', 'OS::Heat::RandomString');
    record(root, 'b', 'CREATE', 'FAILED');
    record(root, 'b', 'DELETE', 'COMPLETE');
    await store.apply([
      { kind: 'insertStack', stack: root },
      { kind: 'insertStack', stack: child },
      { kind: 'insertStack', stack: other },
      ...recorded.map((event) => ({ kind: 'insertEvent' as const, event })),
    ]);
  });
  afterEach(async () => {
    await opened.dispose();
  });

  const ids = async (query: EventListQuery) => (await store.listEvents(query)).map((e) => e.id);
  const idsOf = (predicate: (e: EventRecord) => boolean) => recorded.filter(predicate).map((e) => e.id);

  it('lists a stack tree in creation order with increasing seq', async () => {
    const events = await store.listEvents({ stackIds: [root.id, child.id] });
    expect(events.map((e) => e.id)).toEqual(idsOf((e) => e.stackId !== other.id));
    const seqs = events.map((e) => e.seq!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(events[1]).toStrictEqual({ ...recorded[1], seq: seqs[1] });
  });

  it('filters by resource name, action, status and type', async () => {
    expect(await ids({ stackIds: [root.id], resourceName: ['b'] })).toEqual(
      idsOf((e) => e.resourceName === 'b'),
    );
    expect(await ids({ stackIds: [root.id, child.id], resourceStatus: ['COMPLETE'] })).toEqual(
      idsOf((e) => e.stackId !== other.id && e.status === 'COMPLETE'),
    );
    expect(
      await ids({ stackIds: [root.id], resourceAction: ['DELETE'], resourceStatus: ['COMPLETE'] }),
    ).toEqual(idsOf((e) => e.action === 'DELETE'));
    expect(
      await ids({ stackIds: [root.id, child.id, other.id], resourceType: ['OS::Heat::RandomString'] }),
    ).toEqual(idsOf((e) => e.resourceType === 'OS::Heat::RandomString'));
    expect(await ids({ stackIds: [] })).toEqual([]);
    expect(await ids({ stackIds: [root.id], resourceName: [] })).toEqual([]);
  });

  it('sorts descending and pages by marker both ways', async () => {
    const all = idsOf((e) => e.stackId !== other.id);
    for (const sortDir of ['asc', 'desc'] as const) {
      const expected = sortDir === 'asc' ? all : [...all].reverse();
      const paged: string[] = [];
      let marker: string | undefined;
      for (;;) {
        const page = await ids({
          stackIds: [root.id, child.id],
          sortDir,
          limit: 2,
          ...(marker ? { marker } : {}),
        });
        paged.push(...page);
        if (page.length < 2) break;
        marker = page.at(-1);
      }
      expect(paged).toEqual(expected);
    }
  });

  it('gets one event by id', async () => {
    expect((await store.getEvent(recorded[3]!.id))?.resourceName).toBe('z');
  });

  it('purges the oldest events of one stack beyond the kept number', async () => {
    await store.purgeEvents(root.id, 2);
    const rootEvents = idsOf((e) => e.stackId === root.id);
    expect(await ids({ stackIds: [root.id] })).toEqual(rootEvents.slice(-2));
    expect(await ids({ stackIds: [child.id, other.id] })).toEqual(idsOf((e) => e.stackId !== root.id));
    await store.purgeEvents(root.id, 10);
    expect((await ids({ stackIds: [root.id] })).length).toBe(2);
    await store.purgeEvents(root.id, 0);
    expect(await ids({ stackIds: [root.id] })).toEqual([]);
    // seq keeps increasing after a purge
    const before = Math.max(
      ...(await store.listEvents({ stackIds: [child.id, other.id] })).map((e) => e.seq!),
    );
    const late = fixtureEvent(root.id);
    await store.apply([{ kind: 'insertEvent', event: late }]);
    expect((await store.getEvent(late.id))!.seq).toBeGreaterThan(before);
  });

  it('purges in whole batches (Heat’s event_purge_batch_size) once a stack has too many events', async () => {
    const rootEvents = idsOf((e) => e.stackId === root.id); // 4 events
    await store.purgeEvents(root.id, 4, 3);
    expect(await ids({ stackIds: [root.id] })).toEqual(rootEvents);
    await store.purgeEvents(root.id, 3, 2); // 1 too many: one batch of 2 goes
    expect(await ids({ stackIds: [root.id] })).toEqual(rootEvents.slice(-2));
    expect(await ids({ stackIds: [child.id, other.id] })).toEqual(idsOf((e) => e.stackId !== root.id));
  });

  it('keeps event order equal to batch order even when events alternate with other writes', async () => {
    const events = [fixtureEvent(other.id, { reason: '1' }), fixtureEvent(other.id, { reason: '2' })];
    await store.apply([
      { kind: 'insertEvent', event: events[0]! },
      { kind: 'updateStack', id: other.id, patch: { status: 'FAILED' } },
      { kind: 'insertEvent', event: events[1]! },
    ]);
    const listed = await store.listEvents({ stackIds: [other.id], sortDir: 'desc', limit: 2 });
    expect(listed.map((e) => e.reason)).toEqual(['2', '1']);
  });
});
