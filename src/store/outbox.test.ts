import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventRecord, StackRecord, WriteOp } from '../engine/store.js';
import { fixtureEvent, fixtureResource, fixtureStack } from './fixtures.js';
import type { Notification } from './notification.js';
import { publishableInOrder, SqlOutbox, type OutboxMessage } from './outbox-queue.js';
import type { SqlStore } from './sql-store.js';
import { openDatabase, openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';

/** Drains everything with a sink that confirms all, returning the messages in publishing order. */
async function drainAll(outbox: SqlOutbox): Promise<OutboxMessage[]> {
  const seen: OutboxMessage[] = [];
  for (;;) {
    const round = await outbox.drain(100, async (messages) => {
      seen.push(...messages);
      return messages.length;
    });
    if (round.claimed === 0) return seen;
  }
}

const parsed = (message: OutboxMessage) => JSON.parse(message.payload) as Notification;

describe('publishableInOrder', () => {
  const message = (seq: number, stackId: string): OutboxMessage => ({
    seq,
    stackId,
    eventId: `e${seq}`,
    routingKey: 'notifications.info',
    payload: '{}',
    createdAt: '',
  });

  it('keeps every claimed row when no older row of its stack is held elsewhere', () => {
    const claimed = [message(1, 'a'), message(2, 'b'), message(3, 'a')];
    const present = claimed.map((m) => ({ stackId: m.stackId, seq: m.seq }));
    expect(publishableInOrder(claimed, present).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('holds back the rows of a stack that follow a row another publisher holds', () => {
    const claimed = [message(2, 'a'), message(3, 'b'), message(5, 'a'), message(7, 'a')];
    const present = [
      { stackId: 'a', seq: 2 },
      { stackId: 'b', seq: 3 },
      { stackId: 'a', seq: 4 },
      { stackId: 'a', seq: 5 },
      { stackId: 'a', seq: 7 },
    ];
    expect(publishableInOrder(claimed, present).map((m) => m.seq)).toEqual([2, 3]);
    const olderHeld = [{ stackId: 'a', seq: 1 }, ...present];
    expect(publishableInOrder(claimed, olderHeld).map((m) => m.seq)).toEqual([3]);
  });
});

describe.each(TEST_DIALECTS)('notification outbox (%s)', (dialect) => {
  let opened: TestStore;
  let store: SqlStore;
  let outbox: SqlOutbox;
  let stack: StackRecord;

  beforeEach(async () => {
    opened = await openTestStore(dialect);
    store = opened.store;
    store.enableOutbox({ publisherId: 'orchestration.test-host' });
    outbox = new SqlOutbox(store.db);
    stack = fixtureStack({ name: 'web', projectId: 'tenant-1', username: 'alice', tags: ['x', 'y'] });
  });
  afterEach(async () => {
    await opened.dispose();
  });

  const stackEvent = (action: string, status: string, reason = `Stack ${action} ${status}`) =>
    fixtureEvent(stack.id, {
      resourceName: stack.name,
      physicalId: stack.id,
      resourceType: 'OS::Heat::Stack',
      action,
      status,
      reason,
      time: '2024-01-01T00:00:03.250Z',
    });
  const events = (...list: EventRecord[]): WriteOp[] =>
    list.map((event) => ({ kind: 'insertEvent' as const, event }));

  it('writes one notification per event, in the batch, in order, in Heat format', async () => {
    const resource = fixtureResource(stack.id, { name: 'server', type: 'OS::Heat::RandomString' });
    const started = stackEvent('CREATE', 'IN_PROGRESS');
    const resourceStarted = fixtureEvent(stack.id, {
      resourceName: 'server',
      resourceType: 'OS::Heat::RandomString',
      physicalId: 'web-server-abc',
      status: 'IN_PROGRESS',
      reason: 'state changed',
    });
    const resourceFailed = fixtureEvent(stack.id, {
      resourceName: 'server',
      resourceType: 'OS::Heat::RandomString',
      physicalId: 'web-server-abc',
      status: 'FAILED',
      reason: 'boom',
      properties: { password: '******', length: 8 },
    });
    const failed = stackEvent('CREATE', 'FAILED', 'Resource CREATE failed: boom');
    await store.apply([
      { kind: 'insertStack', stack },
      { kind: 'insertResource', resource },
      ...events(started, resourceStarted, resourceFailed, failed),
    ]);
    expect(await outbox.depth()).toBe(4);
    const lag = await outbox.lagSeconds();
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(30);

    const seen = await drainAll(outbox);
    expect(seen.map((m) => m.eventId)).toEqual([
      started.id,
      resourceStarted.id,
      resourceFailed.id,
      failed.id,
    ]);
    expect(seen.map((m) => m.routingKey)).toEqual([
      'notifications.info',
      'notifications.info',
      'notifications.error',
      'notifications.error',
    ]);
    expect(seen.every((m) => m.stackId === stack.id)).toBe(true);
    const [first, second, third, fourth] = seen.map(parsed);
    expect(first).toEqual({
      message_id: started.id,
      publisher_id: 'orchestration.test-host',
      event_type: 'orchestration.stack.create.start',
      priority: 'INFO',
      timestamp: '2024-01-01 00:00:03.250000',
      payload: {
        tenant_id: 'tenant-1',
        user_id: 'alice',
        username: 'alice',
        stack_identity: stack.id,
        stack_name: 'web',
        state: 'CREATE_IN_PROGRESS',
        state_reason: 'Stack CREATE IN_PROGRESS',
        create_at: '2024-01-01T00:00:00Z',
        updated_at: null,
        tags: ['x', 'y'],
        root_stack_id: stack.id,
        parent_stack_id: null,
      },
    });
    expect(second!.event_type).toBe('orchestration.resource.create.start');
    expect(second!.payload).toMatchObject({
      stack_identity: stack.id,
      stack_name: 'web',
      tenant_id: 'tenant-1',
      resource_name: 'server',
      physical_resource_id: 'web-server-abc',
      resource_type: 'OS::Heat::RandomString',
      resource_action: 'CREATE',
      resource_status: 'IN_PROGRESS',
      state: 'CREATE_IN_PROGRESS',
    });
    expect(third!.event_type).toBe('orchestration.resource.create.error');
    expect(third!.priority).toBe('ERROR');
    expect(third!.payload['state_reason']).toBe('boom');
    // Resolved properties (even masked) are never part of a notification.
    expect(JSON.stringify(third)).not.toContain('password');
    expect(fourth!.event_type).toBe('orchestration.stack.create.error');
    expect(fourth!.payload['state']).toBe('CREATE_FAILED');
    expect(await outbox.depth()).toBe(0);
    expect(await outbox.lagSeconds()).toBe(0);
  });

  it('names the root stack for the rows of a nested stack', async () => {
    const child = fixtureStack({ parentId: stack.id, rootId: stack.id, depth: 1, name: 'web-child' });
    await store.apply([
      { kind: 'insertStack', stack },
      { kind: 'insertStack', stack: child },
      ...events(fixtureEvent(child.id, { rootStackId: stack.id, resourceName: 'inner' })),
    ]);
    const [message] = await drainAll(outbox);
    expect(message!.stackId).toBe(stack.id);
    expect(parsed(message!).payload).toMatchObject({
      stack_identity: child.id,
      stack_name: 'web-child',
      root_stack_id: stack.id,
      parent_stack_id: stack.id,
      resource_name: 'inner',
    });
  });

  it('writes nothing when the batch fails: the notification shares the transaction', async () => {
    await store.apply([{ kind: 'insertStack', stack }]);
    await expect(
      store.apply([
        ...events(stackEvent('UPDATE', 'IN_PROGRESS')),
        { kind: 'updateResource', id: 'no-such-resource', patch: { status: 'COMPLETE' } },
      ]),
    ).rejects.toThrow(/no resource with id no-such-resource/);
    expect(await outbox.depth()).toBe(0);
    expect(await store.listEvents({ stackIds: [stack.id] })).toEqual([]);
  });

  it('announces only the events the batch stored (a fenced-out stack update drops its stack event)', async () => {
    await store.apply([{ kind: 'insertStack', stack }]);
    const dropped = stackEvent('UPDATE', 'COMPLETE');
    const kept = fixtureEvent(stack.id, { resourceName: 'server' });
    await store.apply([
      { kind: 'updateStack', id: stack.id, patch: { status: 'COMPLETE' }, ifTraversal: 'an-older-traversal' },
      ...events(dropped, kept),
    ]);
    expect((await store.listEvents({ stackIds: [stack.id] })).map((e) => e.id)).toEqual([kept.id]);
    expect((await drainAll(outbox)).map((m) => m.eventId)).toEqual([kept.id]);
  });

  it('writes nothing without the outbox', async () => {
    const other = await openDatabase(opened.database);
    try {
      expect(other.outboxEnabled).toBe(false);
      await other.apply([{ kind: 'insertStack', stack }, ...events(stackEvent('CREATE', 'COMPLETE'))]);
      expect(await outbox.depth()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('deletes only what the sink confirmed, from the first; a throwing sink keeps everything', async () => {
    const list = [1, 2, 3, 4, 5].map((n) => fixtureEvent(stack.id, { resourceName: `r${n}` }));
    await store.apply([{ kind: 'insertStack', stack }, ...events(...list)]);
    const first = await outbox.drain(10, async () => 2);
    expect(first).toEqual({ claimed: 5, offered: 5, published: 2 });
    await expect(
      outbox.drain(10, async () => {
        throw new Error('broker gone');
      }),
    ).rejects.toThrow('broker gone');
    expect((await drainAll(outbox)).map((m) => m.eventId)).toEqual(list.slice(2).map((e) => e.id));
  });

  it.skipIf(dialect === 'sqlite')(
    'two publishers never share a row and keep each stack in order (FOR UPDATE SKIP LOCKED)',
    async () => {
      const second = await openDatabase(opened.database);
      try {
        const other = fixtureStack({ name: 'db' });
        const third = fixtureStack({ name: 'cache' });
        const ofStack = (s: StackRecord, n: number) => fixtureEvent(s.id, { resourceName: `r${n}` });
        // a1 b1 a2 b2 a3 b3, then c1 c2.
        const interleaved = [1, 2, 3].flatMap((n) => [ofStack(stack, n), ofStack(other, n)]);
        const ofThird = [ofStack(third, 1), ofStack(third, 2)];
        await store.apply([
          { kind: 'insertStack', stack },
          { kind: 'insertStack', stack: other },
          { kind: 'insertStack', stack: third },
          ...events(...interleaved, ...ofThird),
        ]);
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let claimedByFirst: string[] = [];
        let firstHolds!: () => void;
        const holding = new Promise<void>((resolve) => (firstHolds = resolve));
        // Publisher 1 claims a1 b1 and holds them (publishing) until released.
        const firstRound = outbox.drain(2, async (messages) => {
          claimedByFirst = messages.map((m) => m.eventId);
          firstHolds();
          await released;
          return messages.length;
        });
        await holding;
        expect(claimedByFirst).toEqual([interleaved[0]!.id, interleaved[1]!.id]);
        // Publisher 2 skips the held rows, and must not publish a2/b2 before a1/b1: only stack c's rows go.
        const secondOutbox = new SqlOutbox(second.db);
        const seenBySecond: string[] = [];
        const round = await secondOutbox.drain(100, async (messages) => {
          seenBySecond.push(...messages.map((m) => m.eventId));
          return messages.length;
        });
        expect(round.claimed).toBe(6);
        expect(seenBySecond).toEqual(ofThird.map((e) => e.id));
        release();
        expect(await firstRound).toEqual({ claimed: 2, offered: 2, published: 2 });
        const rest = (await drainAll(secondOutbox)).map((m) => m.eventId);
        expect(rest).toEqual(interleaved.slice(2).map((e) => e.id));
        expect(await outbox.depth()).toBe(0);
      } finally {
        await second.close();
      }
    },
  );
});
