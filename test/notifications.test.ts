/**
 * Notifications end to end: a real `hearth server --notify-url` publishing to the real RabbitMQ (through a TCP proxy
 * the test can cut), a consumer on a fresh exclusive queue bound to the exchange. The server's store is SQLite, or
 * a fresh database of `HEARTH_TEST_NOTIFY_DB` (`postgres` or `mysql`) for measuring on those.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestConsumer,
  testExchangeName,
  TEST_BROKER_URL,
  type ReceivedNotification,
  type TestConsumer,
} from '../src/notify/testing/consumer.js';
import { startTcpProxy, type TcpProxy } from '../src/notify/testing/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../src/store/testing/databases.js';
import { api, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SMALL = (salt: string) => ({
  heat_template_version: '2018-08-31',
  resources: {
    secret: { type: 'OS::Heat::RandomString', properties: { length: 12, salt } },
    marker: { type: 'OS::Heat::None' },
    copy: { type: 'OS::Heat::Value', properties: { value: { get_attr: ['secret', 'value'] } } },
  },
});

const MANY = (count: number) => ({
  heat_template_version: '2018-08-31',
  resources: Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`r${String(i).padStart(3, '0')}`, { type: 'OS::Heat::None' }]),
  ),
});

/** `count` test resources finishing over ~2 s (wait 0–1.9 s each): events keep coming while the test cuts. */
const SPREAD = (count: number) => ({
  heat_template_version: '2018-08-31',
  resources: Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `r${String(i).padStart(3, '0')}`,
      { type: 'OS::Heat::TestResource', properties: { value: 'v', wait_secs: (i % 20) / 10 } },
    ]),
  ),
});

/** Messages of one stack, each id once, in order of first arrival. */
function firstArrivals(received: readonly ReceivedNotification[], stackId: string): ReceivedNotification[] {
  const seen = new Set<string>();
  return received.filter((r) => {
    if (r.body.payload['stack_identity'] !== stackId || seen.has(r.body.message_id)) return false;
    seen.add(r.body.message_id);
    return true;
  });
}

function duplicatesOf(received: readonly ReceivedNotification[], stackId: string): number {
  const mine = received.filter((r) => r.body.payload['stack_identity'] === stackId);
  return mine.length - new Set(mine.map((r) => r.body.message_id)).size;
}

/** oslo timestamp (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC) to ms since the epoch. */
function osloTime(timestamp: string): number {
  return Date.parse(`${timestamp.replace(' ', 'T').slice(0, 23)}Z`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function metric(hearth: HearthProcess, name: string): Promise<number> {
  const text = await (await fetch(`${hearth.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (line === undefined) throw new Error(`metric ${name} not found`);
  return Number(line.split(' ').pop());
}

describe('notifications (hearth server + real RabbitMQ)', () => {
  let consumer: TestConsumer;
  let proxy: TcpProxy;
  let hearth: HearthProcess;
  let ep: string;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    const dialect = process.env['HEARTH_TEST_NOTIFY_DB'];
    if (dialect === 'postgres' || dialect === 'mysql') database = await createTestDatabase(dialect);
    consumer = await startTestConsumer(testExchangeName());
    proxy = await startTcpProxy(Number(new URL(TEST_BROKER_URL).port || 5672));
    const url = new URL(TEST_BROKER_URL);
    url.port = String(proxy.port);
    hearth = await startHearth({
      extraArgs: [
        '--notify-url',
        url.toString(),
        '--notify-exchange',
        consumer.exchange,
        ...(database ? ['--db', database.url] : []),
      ],
    });
    ep = hearth.endpoint('tenant-n');
  });
  afterAll(async () => {
    await hearth?.stop();
    await proxy?.close();
    await consumer?.close();
    await database?.drop();
  });

  const createStack = async (name: string, template: unknown): Promise<string> => {
    const created = await api('POST', `${ep}/stacks`, { stack_name: name, template });
    expect(created.status).toBe(201);
    const id = created.body.stack.id as string;
    expect((await waitForStack(ep, name, id, 120_000)).stack_status).toBe('CREATE_COMPLETE');
    return id;
  };
  const eventIds = async (name: string, id: string): Promise<string[]> => {
    const r = await api('GET', `${ep}/stacks/${name}/${id}/events?sort_dir=asc&limit=5000`);
    expect(r.status).toBe(200);
    return (r.body.events as { id: string }[]).map((e) => e.id);
  };

  it('create, update, delete: every event exactly once, in order, as Heat notifications', async () => {
    const id = await createStack('notified', SMALL('a'));
    const created = await eventIds('notified', id);
    await consumer.until((r) => firstArrivals(r, id).length >= created.length);
    expect(firstArrivals(consumer.received, id).map((r) => r.body.message_id)).toEqual(created);

    const first = firstArrivals(consumer.received, id)[0]!.body;
    expect(first).toMatchObject({
      event_type: 'orchestration.stack.create.start',
      priority: 'INFO',
      payload: {
        tenant_id: 'tenant-n',
        stack_identity: id,
        stack_name: 'notified',
        state: 'CREATE_IN_PROGRESS',
        root_stack_id: id,
      },
    });
    expect(first.publisher_id).toMatch(/^orchestration\./);
    expect(first.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    const types = firstArrivals(consumer.received, id).map((r) => r.body.event_type);
    expect(types[types.length - 1]).toBe('orchestration.stack.create.end');
    expect(types.filter((t) => t === 'orchestration.resource.create.end')).toHaveLength(3);
    const secretDone = firstArrivals(consumer.received, id).find(
      (r) => r.body.payload['resource_name'] === 'secret' && r.body.payload['resource_status'] === 'COMPLETE',
    )!.body;
    expect(secretDone.payload).toMatchObject({
      resource_type: 'OS::Heat::RandomString',
      resource_action: 'CREATE',
      state: 'CREATE_COMPLETE',
    });
    expect(typeof secretDone.payload['physical_resource_id']).toBe('string');
    // Resolved properties are never in a notification (copy's `value` property is the generated string).
    const shown = await api('GET', `${ep}/stacks/notified/${id}/resources/secret`);
    const value = shown.body.resource.attributes.value as string;
    expect(value).toMatch(/^.{12}$/);
    expect(JSON.stringify(firstArrivals(consumer.received, id).map((r) => r.body))).not.toContain(value);

    const updated = await api('PATCH', `${ep}/stacks/notified/${id}`, { template: SMALL('b') });
    expect(updated.status).toBe(202);
    expect((await waitForStack(ep, 'notified', id)).stack_status).toBe('UPDATE_COMPLETE');
    const all = await eventIds('notified', id);
    await consumer.until((r) => firstArrivals(r, id).length >= all.length);
    expect(firstArrivals(consumer.received, id).map((r) => r.body.message_id)).toEqual(all);
    const updateTypes = firstArrivals(consumer.received, id)
      .slice(created.length)
      .map((r) => r.body.event_type);
    expect(updateTypes[0]).toBe('orchestration.stack.update.start');
    expect(updateTypes[updateTypes.length - 1]).toBe('orchestration.stack.update.end');

    expect((await api('DELETE', `${ep}/stacks/notified/${id}`)).status).toBe(204);
    await waitForStack(ep, 'notified', id);
    await consumer.until((r) =>
      firstArrivals(r, id).some((m) => m.body.event_type === 'orchestration.stack.delete.end'),
    );
    await sleep(700);
    const deletion = firstArrivals(consumer.received, id).slice(all.length);
    expect(deletion[0]!.body.event_type).toBe('orchestration.stack.delete.start');
    expect(deletion[deletion.length - 1]!.body.event_type).toBe('orchestration.stack.delete.end');
    expect(
      deletion
        .filter((m) => m.body.event_type === 'orchestration.resource.delete.end')
        .map((m) => m.body.payload['resource_name'])
        .sort(),
    ).toEqual(['copy', 'marker', 'secret']);
    expect(duplicatesOf(consumer.received, id)).toBe(0);
    expect(await metric(hearth, 'hearth_outbox_depth')).toBe(0);
  });

  it('200-resource create: every event published; measures events/s and lag', async () => {
    const started = Date.now();
    const id = await createStack('many', MANY(200));
    const expected = await eventIds('many', id);
    expect(expected.length).toBe(402);
    await consumer.until((r) => firstArrivals(r, id).length >= expected.length, 30_000);
    const messages = firstArrivals(consumer.received, id);
    expect(messages.map((r) => r.body.message_id)).toEqual(expected);
    expect(duplicatesOf(consumer.received, id)).toBe(0);
    const lags = messages.map((r) => r.receivedAt - osloTime(r.body.timestamp));
    const spanMs = messages[messages.length - 1]!.receivedAt - osloTime(messages[0]!.body.timestamp);
    const rate = (messages.length / Math.max(1, spanMs)) * 1000;
    console.log(
      `${database?.dialect ?? 'sqlite'}: 200-resource create: ${messages.length} events in ${spanMs} ms (first event to last delivery; ` +
        `create call to complete ${Date.now() - started} ms) = ${rate.toFixed(0)} events/s; lag p50 ` +
        `${percentile(lags, 50)} ms, p90 ${percentile(lags, 90)} ms, max ${Math.max(...lags)} ms`,
    );
    expect(percentile(lags, 50)).toBeLessThan(2000);
    expect((await api('DELETE', `${ep}/stacks/many/${id}`)).status).toBe(204);
    await waitForStack(ep, 'many', id);
  });

  it('loses nothing when the broker connection is cut during a 200-resource create', async () => {
    const before = await metric(hearth, 'hearth_outbox_messages_total{outcome="unconfirmed"}');
    const created = await api('POST', `${ep}/stacks`, { stack_name: 'cut', template: SPREAD(200) });
    expect(created.status).toBe(201);
    const id = created.body.stack.id as string;
    let cuts = 0;
    let arrived = 0;
    for (let i = 0; i < 3; i++) {
      // Each cut after the publisher reconnected and delivered more.
      await consumer.until((r) => proxy.open > 0 && firstArrivals(r, id).length >= arrived + 30, 20_000);
      arrived = firstArrivals(consumer.received, id).length;
      cuts += proxy.cut();
    }
    const cutAt = arrived;
    expect((await waitForStack(ep, 'cut', id, 120_000)).stack_status).toBe('CREATE_COMPLETE');
    const expected = await eventIds('cut', id);
    await consumer.until((r) => firstArrivals(r, id).length >= expected.length, 30_000);
    await sleep(700);
    expect(cuts).toBe(3);
    expect(cutAt).toBeLessThan(expected.length);
    expect(firstArrivals(consumer.received, id).map((r) => r.body.message_id)).toEqual(expected);
    const duplicates = duplicatesOf(consumer.received, id);
    const unconfirmed =
      (await metric(hearth, 'hearth_outbox_messages_total{outcome="unconfirmed"}')) - before;
    // A repeat is only ever a message whose confirm was lost with the connection.
    expect(duplicates).toBeLessThanOrEqual(unconfirmed);
    console.log(
      `connection cut ${cuts}× during a 200-resource create: nothing lost, ${duplicates} duplicate(s) ` +
        `(${unconfirmed} unconfirmed at the cuts)`,
    );
    expect(await metric(hearth, 'hearth_outbox_depth')).toBe(0);
    expect(await metric(hearth, 'hearth_outbox_lag_seconds')).toBe(0);
  });

  it('reconnects when the broker closes its connection (rabbitmqctl close_connection)', async (context) => {
    const found = await run('which', ['rabbitmqctl']).then(
      () => true,
      () => false,
    );
    if (!found) context.skip();
    const { stdout } = await run('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties']);
    const row = stdout
      .split('\n')
      .find((l) => l.includes(`hearth-notify`) && l.includes(` ${hearth.child.pid}`));
    const pid = row?.split('\t')[0];
    expect(pid).toMatch(/^<.*>$/);
    // This server's connection only: the broker is shared.
    await run('rabbitmqctl', ['-q', 'close_connection', pid!, 'hearth test: broker-side close']);
    const id = await createStack('after-close', SMALL('c'));
    const expected = await eventIds('after-close', id);
    await consumer.until((r) => firstArrivals(r, id).length >= expected.length, 20_000);
    expect(firstArrivals(consumer.received, id).map((r) => r.body.message_id)).toEqual(expected);
  });

  it('refuses a bad --notify-url or --notify-exchange with a precise message', async () => {
    await expect(startHearth({ extraArgs: ['--notify-url', 'http://127.0.0.1:5672'] })).rejects.toThrow(
      /--notify-url must be an amqp:\/\/ or amqps:\/\/ URL, got scheme "http"/,
    );
    await expect(
      startHearth({ extraArgs: ['--notify-url', TEST_BROKER_URL, '--notify-exchange', 'amq.x'] }),
    ).rejects.toThrow(/--notify-exchange must not start with "amq\."/);
    await expect(startHearth({ extraArgs: ['--notify-exchange', 'x'] })).rejects.toThrow(
      /--notify-exchange needs --notify-url/,
    );
  });
});
