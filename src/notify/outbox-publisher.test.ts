import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventRecord, StackRecord, WriteOp } from '../engine/store.js';
import { fixtureEvent, fixtureStack } from '../store/fixtures.js';
import type { SqlStore } from '../store/sql-store.js';
import { openDatabase, openTestStore, TEST_DIALECTS, type TestStore } from '../store/testing/databases.js';
import { OutboxPublisher, type OutboxPublisherOptions } from './outbox-publisher.js';
import {
  startTestConsumer,
  testExchangeName,
  TEST_BROKER_URL,
  type ReceivedNotification,
  type TestConsumer,
} from './testing/consumer.js';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The broker URL through a proxy on `port`. */
function viaProxy(port: number): string {
  const url = new URL(TEST_BROKER_URL);
  url.port = String(port);
  return url.toString();
}

/** How many times each message id was received. */
function countsById(received: readonly ReceivedNotification[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of received) counts.set(r.body.message_id, (counts.get(r.body.message_id) ?? 0) + 1);
  return counts;
}

/** Message ids in order of first arrival, per stack. */
function firstArrivalsByStack(received: readonly ReceivedNotification[]): Map<string, string[]> {
  const seen = new Set<string>();
  const byStack = new Map<string, string[]>();
  for (const r of received) {
    if (seen.has(r.body.message_id)) continue;
    seen.add(r.body.message_id);
    const stack = String(r.body.payload['stack_identity']);
    byStack.set(stack, [...(byStack.get(stack) ?? []), r.body.message_id]);
  }
  return byStack;
}

describe('OutboxPublisher (real RabbitMQ)', () => {
  let opened: TestStore;
  let store: SqlStore;
  let stack: StackRecord;
  let consumer: TestConsumer;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    opened = await openTestStore('sqlite');
    store = opened.store;
    store.enableOutbox({ publisherId: 'orchestration.test' });
    stack = fixtureStack({ name: 'web' });
    await store.apply([{ kind: 'insertStack', stack }]);
    consumer = await startTestConsumer(testExchangeName());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await consumer.close();
    await opened.dispose();
  });

  const publisher = (
    options: Partial<OutboxPublisherOptions> = {},
    on: SqlStore = store,
  ): OutboxPublisher => {
    const p = new OutboxPublisher(on, { url: TEST_BROKER_URL, exchange: consumer.exchange, ...options });
    cleanups.push(() => p.close());
    return p;
  };
  const proxy = async (): Promise<TcpProxy> => {
    const p = await startTcpProxy(Number(new URL(TEST_BROKER_URL).port || 5672));
    cleanups.push(() => p.close());
    return p;
  };
  const write = async (
    count: number,
    into: SqlStore = store,
    of: StackRecord = stack,
  ): Promise<EventRecord[]> => {
    const events = Array.from({ length: count }, (_, i) =>
      fixtureEvent(of.id, { resourceName: `r${i}`, time: new Date().toISOString() }),
    );
    await into.apply(events.map((event): WriteOp => ({ kind: 'insertEvent', event })));
    return events;
  };

  it('publishes every event once, in order, persistent, with the event id as message id', async () => {
    const p = publisher();
    p.start();
    const written: EventRecord[] = [];
    const latencies: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const committed = Date.now();
      written.push(...(await write(20)));
      await consumer.until((r) => r.length >= written.length);
      latencies.push(consumer.received[consumer.received.length - 1]!.receivedAt - committed);
    }
    await sleep(700);
    expect(consumer.received.map((r) => r.body.message_id)).toEqual(written.map((e) => e.id));
    for (const r of consumer.received) {
      expect(r.messageId).toBe(r.body.message_id);
      expect(r.deliveryMode).toBe(2);
      expect(r.contentType).toBe('application/json');
      expect(r.routingKey).toBe('notifications.info');
      expect(r.body.event_type).toBe('orchestration.resource.create.start');
      expect(r.body.payload['stack_name']).toBe('web');
    }
    expect(await p.depth()).toBe(0);
    expect(p.stats()).toMatchObject({ published: 100, connections: 1, unconfirmed: 0, failures: 0 });
    // Woken by the commit, not by the 500 ms poll.
    latencies.sort((a, b) => a - b);
    expect(latencies[2]).toBeLessThan(400);
  });

  it('finds rows written by another process (no in-process hint) by polling', async () => {
    const other = await openDatabase(opened.database);
    cleanups.push(() => other.close());
    other.enableOutbox();
    const p = publisher({ pollIntervalMs: 200 });
    p.start();
    await sleep(300);
    const events = await write(3, other);
    await consumer.until((r) => r.length >= 3, 3000);
    expect(consumer.received.map((r) => r.body.message_id)).toEqual(events.map((e) => e.id));
  });

  it('waits for an unreachable broker with backoff (no crash, no busy loop), then publishes everything', async () => {
    const gate = await proxy();
    gate.refuse(true);
    const lines: string[] = [];
    const p = publisher({
      url: viaProxy(gate.port),
      minBackoffMs: 100,
      maxBackoffMs: 400,
      log: (line) => lines.push(line),
    });
    p.start();
    const events = await write(10);
    await sleep(1600);
    // 100 + 200 + 400 + 400 + 400 ms: about 5 attempts in 1.6 s, never hundreds.
    expect(gate.accepted).toBeGreaterThanOrEqual(3);
    expect(gate.accepted).toBeLessThanOrEqual(8);
    expect(p.connected).toBe(false);
    expect(await p.depth()).toBe(10);
    expect(await p.lagSeconds()).toBeGreaterThan(1);
    expect(lines[0]).toMatch(
      /^notifications: cannot connect: .*\(broker amqp:\/\/guest:\*\*\*@127\.0\.0\.1:\d+/,
    );
    expect(lines.join('\n')).not.toContain('guest:guest');
    expect(consumer.received).toHaveLength(0);
    gate.refuse(false);
    await consumer.until((r) => r.length >= 10, 5000);
    expect(consumer.received.map((r) => r.body.message_id)).toEqual(events.map((e) => e.id));
    await consumer.until(
      () => /^notifications: publishing to .* again$/.test(lines[lines.length - 1] ?? ''),
      2000,
    );
    expect(await p.depth()).toBe(0);
  });

  it('loses nothing when its connection is cut while events are produced', async () => {
    const line = await proxy();
    const p = publisher({ url: viaProxy(line.port), minBackoffMs: 50, maxBackoffMs: 200, batchSize: 50 });
    p.start();
    const written: EventRecord[] = [];
    let cuts = 0;
    for (let batch = 0; batch < 60; batch++) {
      written.push(...(await write(10)));
      if (batch === 15 || batch === 35) cuts += line.cut();
      await sleep(5);
    }
    await consumer.until((r) => countsById(r).size >= written.length, 15_000);
    await sleep(500);
    const counts = countsById(consumer.received);
    expect(cuts).toBeGreaterThanOrEqual(2);
    expect([...counts.keys()].sort()).toEqual(written.map((e) => e.id).sort());
    const duplicates = consumer.received.length - counts.size;
    // A repeat is only ever a message whose confirm was lost with the connection.
    expect(duplicates).toBeLessThanOrEqual(p.stats().unconfirmed);
    expect(firstArrivalsByStack(consumer.received).get(stack.id)).toEqual(written.map((e) => e.id));
    expect(p.stats().connections).toBeGreaterThanOrEqual(3);
    expect(await p.depth()).toBe(0);
    console.log(
      `connection cut ×2 during 600 events: ${duplicates} duplicate(s), ${p.stats().unconfirmed} unconfirmed at loss`,
    );
  });

  it('reconnects after the broker closes its connection (rabbitmqctl close_connection)', async (context) => {
    const rabbitmqctl = await run('which', ['rabbitmqctl']).then(
      () => true,
      () => false,
    );
    if (!rabbitmqctl) context.skip();
    const name = `hearth-test-close-${consumer.exchange}`;
    const lines: string[] = [];
    const p = publisher({ connectionName: name, minBackoffMs: 100, log: (l) => lines.push(l) });
    p.start();
    await write(5);
    await consumer.until((r) => r.length >= 5);
    const { stdout } = await run('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties']);
    const row = stdout.split('\n').find((l) => l.includes(name));
    const pid = row?.split('\t')[0];
    expect(pid).toMatch(/^<.*>$/);
    // Only this publisher's connection: the broker is shared.
    await run('rabbitmqctl', ['-q', 'close_connection', pid!, 'hearth test: broker-side close']);
    const later = await write(5);
    await consumer.until((r) => countsById(r).size >= 10, 15_000);
    expect(consumer.received.slice(-5).map((r) => r.body.message_id)).toEqual(later.map((e) => e.id));
    expect(p.stats().connections).toBe(2);
    expect(lines[0]).toMatch(
      /^notifications: connection lost: .*CONNECTION_FORCED - hearth test: broker-side close.*; retrying in 0\.1 s$/,
    );
    expect(lines[1]).toMatch(/^notifications: publishing to amqp:\/\/guest:\*\*\*@.* again$/);
  });

  it('reports an exchange of another type precisely and keeps the rows', async () => {
    const exchange = testExchangeName();
    const connection = await connect(TEST_BROKER_URL);
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, 'fanout', { durable: false, autoDelete: false });
    cleanups.push(async () => {
      await channel.deleteExchange(exchange);
      await connection.close();
    });
    const lines: string[] = [];
    const p = publisher({ exchange, minBackoffMs: 100, log: (l) => lines.push(l) });
    p.start();
    await write(2);
    await sleep(500);
    expect(lines[0]).toMatch(/PRECONDITION.FAILED.*inequivalent arg 'type'.*exchange 'hearth-test-/);
    expect(lines[0]).toContain(`exchange ${exchange}`);
    expect(await p.depth()).toBe(2);
  });

  it('rejects a bad URL or exchange name precisely', () => {
    expect(() => new OutboxPublisher(store, { url: 'http://127.0.0.1:5672' })).toThrow(
      '--notify-url must be an amqp:// or amqps:// URL, got scheme "http"',
    );
    expect(() => new OutboxPublisher(store, { url: TEST_BROKER_URL, exchange: 'amq.topic' })).toThrow(
      '--notify-exchange must not start with "amq." (reserved by the broker), got "amq.topic"',
    );
    expect(() => new OutboxPublisher(store, { url: TEST_BROKER_URL, exchange: 'a b' })).toThrow(
      `--notify-exchange must be 1-255 characters among letters, digits, '-', '_', '.' and ':', got "a b"`,
    );
  });

  it('publishes what was committed before close()', async () => {
    const p = publisher({ pollIntervalMs: 500 });
    p.start();
    await consumer.until(() => p.connected, 5000);
    const events = await write(30);
    await p.close();
    expect(consumer.received.length).toBeLessThanOrEqual(30);
    await consumer.until((r) => r.length >= 30, 3000);
    expect(consumer.received.map((r) => r.body.message_id)).toEqual(events.map((e) => e.id));
    expect(p.connected).toBe(false);
  });
});

describe.each(TEST_DIALECTS.filter((d) => d !== 'sqlite'))(
  'two publishers on one database (%s)',
  (dialect) => {
    it('publish every event exactly once, each stack in order', async () => {
      const opened = await openTestStore(dialect);
      const second = await openDatabase(opened.database);
      const consumer = await startTestConsumer(testExchangeName());
      const publishers = [opened.store, second].map(
        (s) => new OutboxPublisher(s, { url: TEST_BROKER_URL, exchange: consumer.exchange, batchSize: 7 }),
      );
      try {
        opened.store.enableOutbox();
        second.enableOutbox();
        const stacks = [1, 2, 3, 4].map((n) => fixtureStack({ name: `s${n}` }));
        await opened.store.apply(stacks.map((stack): WriteOp => ({ kind: 'insertStack', stack })));
        for (const p of publishers) p.start();
        const written = new Map<string, string[]>(stacks.map((s) => [s.id, []]));
        for (let batch = 0; batch < 40; batch++) {
          const writer = batch % 2 === 0 ? opened.store : second;
          const events = stacks.flatMap((s) => [fixtureEvent(s.id), fixtureEvent(s.id)]);
          for (const e of events) written.get(e.stackId)!.push(e.id);
          await writer.apply(events.map((event): WriteOp => ({ kind: 'insertEvent', event })));
        }
        const total = 40 * 8;
        await consumer.until((r) => r.length >= total, 20_000);
        await sleep(700);
        const counts = countsById(consumer.received);
        expect(consumer.received).toHaveLength(total);
        expect(counts.size).toBe(total);
        const byStack = firstArrivalsByStack(consumer.received);
        for (const s of stacks) expect(byStack.get(s.id)).toEqual(written.get(s.id));
        const [a, b] = publishers.map((p) => p.stats().published);
        expect(a! + b!).toBe(total);
        console.log(`${dialect}: publisher 1 sent ${a}, publisher 2 sent ${b}`);
      } finally {
        for (const p of publishers) await p.close();
        await consumer.close();
        await second.close();
        await opened.dispose();
      }
    });
  },
);
