/**
 * The stack stream against a real server (engine, SQLite store, HTTP on a free port): status first, every
 * event of the stack and its nested stacks in order, resume after `Last-Event-ID`, `gone` after a delete, and
 * open streams ended when the server closes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/start.js';

let server: RunningServer;
let dir: string;
let base: string;

const TEMPLATE = `heat_template_version: 2021-04-16
resources:
  first:
    type: OS::Heat::TestResource
    properties: { value: one, wait_secs: 0.3 }
  second:
    type: OS::Heat::TestResource
    properties: { value: { get_attr: [first, output] }, wait_secs: 0.2 }
  group:
    type: OS::Heat::ResourceGroup
    depends_on: [second]
    properties:
      count: 2
      resource_def: { type: OS::Heat::None }
`;

/** One server-sent message. */
interface Message {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

/** Reads messages from a stream until `done` says so (or the stream ends); then aborts the request. */
async function collect(
  url: string,
  done: (all: Message[]) => boolean,
  headers: Record<string, string> = {},
): Promise<{ messages: Message[]; ended: boolean }> {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: Message[] = [];
  let buffer = '';
  let ended = false;
  const deadline = Date.now() + 15_000;
  while (!done(messages) && Date.now() < deadline) {
    const { value, done: finished } = await reader.read();
    if (finished) {
      ended = true;
      break;
    }
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => !l.startsWith(':') && l.includes(': '))
          .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
      );
      if (fields.event) {
        messages.push({
          event: fields.event,
          ...(fields.id ? { id: fields.id } : {}),
          data: JSON.parse(fields.data ?? 'null'),
        });
      }
    }
  }
  controller.abort();
  return { messages, ended };
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const statusOf = (m: Message) => String(m.data.stack_status ?? m.data.resource_status);
const stackDone = (name: string) => (all: Message[]) =>
  all.some((m) => m.event === 'event' && m.data.resource_name === name && statusOf(m) === 'CREATE_COMPLETE');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearth-stream-'));
  server = await startServer({ listen: '127.0.0.1:0', dataDir: dir, insecureNoauth: true });
  base = `${server.url}/v1/demo`;
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('stack stream', () => {
  it('sends the status first, then every event of the stack and its nested stack in order, with event ids', async () => {
    const created = await api('POST', '/stacks', { stack_name: 'live', template: TEMPLATE });
    expect(created.status).toBe(201);
    const id = created.body.stack.id as string;
    const { messages } = await collect(`${base}/stacks/live/${id}/stream?last_event_id=`, stackDone('live'));
    expect(messages[0]!.event).toBe('stack');
    expect(messages[0]!.data).toMatchObject({ id, stack_name: 'live' });
    const events = messages.filter((m) => m.event === 'event');
    for (const e of events) expect(e.id).toBe(e.data.id);
    const sequence = events.map((e) => `${e.data.resource_name}:${statusOf(e)}`);
    // Without Last-Event-ID the feed starts at connect time: what it sends is the rest of the create, in order.
    expect(sequence[sequence.length - 1]).toBe('live:CREATE_COMPLETE');
    const firstDone = sequence.indexOf('first:CREATE_COMPLETE');
    const secondStarted = sequence.indexOf('second:CREATE_IN_PROGRESS');
    if (firstDone >= 0 && secondStarted >= 0) expect(firstDone).toBeLessThan(secondStarted);
    // The resource group's members are in a nested stack: their events are in the feed too.
    const member = events.find((e) => e.data.resource_name === '0' && statusOf(e) === 'CREATE_COMPLETE');
    expect(member?.data.root_stack_id).toBe(id);
    const stackStatuses = messages.filter((m) => m.event === 'stack').map(statusOf);
    expect(stackStatuses[stackStatuses.length - 1]).toBe('CREATE_COMPLETE');
  });

  it('resumes after Last-Event-ID with exactly the events that followed it, nested ones included', async () => {
    const created = await api('POST', '/stacks', { stack_name: 'resume', template: TEMPLATE });
    const id = created.body.stack.id as string;
    await collect(`${base}/stacks/resume/${id}/stream`, (all) =>
      all.some((m) => m.event === 'stack' && statusOf(m) === 'CREATE_COMPLETE'),
    );
    const history = (await api('GET', `/stacks/resume/${id}/events?nested_depth=5&sort_dir=asc`)).body
      .events as { id: string }[];
    expect(history.length).toBeGreaterThan(8);
    const after = history[3]!.id;
    const expected = history.slice(4).map((e) => e.id);
    const { messages } = await collect(
      `${base}/stacks/resume/${id}/stream`,
      (all) => all.filter((m) => m.event === 'event').length >= expected.length,
      { 'last-event-id': after },
    );
    expect(messages.filter((m) => m.event === 'event').map((m) => m.id)).toEqual(expected);
  });

  it('replays from the first event with Last-Event-ID 0', async () => {
    const created = await api('POST', '/stacks', {
      stack_name: 'whole',
      template: 'heat_template_version: 2021-04-16\nresources:\n  n: { type: OS::Heat::None }\n',
    });
    const id = created.body.stack.id as string;
    const { messages } = await collect(`${base}/stacks/whole/${id}/stream`, stackDone('whole'), {
      'last-event-id': '0',
    });
    const sequence = messages
      .filter((m) => m.event === 'event')
      .map((e) => `${e.data.resource_name}:${statusOf(e)}`);
    expect(sequence[0]).toBe('whole:CREATE_IN_PROGRESS');
    expect(sequence).toContain('n:CREATE_COMPLETE');
  });

  it('says the stack is gone after a delete, then ends', async () => {
    const created = await api('POST', '/stacks', {
      stack_name: 'doomed',
      template: 'heat_template_version: 2021-04-16\nresources:\n  n: { type: OS::Heat::None }\n',
    });
    const id = created.body.stack.id as string;
    const reading = collect(`${base}/stacks/doomed/${id}/stream`, (all) =>
      all.some((m) => m.event === 'gone'),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await api('DELETE', `/stacks/doomed/${id}`)).status).toBe(204);
    const { messages } = await reading;
    const gone = messages.find((m) => m.event === 'gone');
    expect(gone?.data).toMatchObject({ id, stack_name: 'doomed' });
    expect(messages.some((m) => m.event === 'event' && statusOf(m) === 'DELETE_COMPLETE')).toBe(true);
    // A deleted stack stays readable by id (as in Heat): connecting again says at once that it is gone.
    const again = await collect(`${base}/stacks/doomed/${id}/stream`, () => false);
    expect(again.ended).toBe(true);
    expect(again.messages.map((m) => m.event)).toEqual(['stack', 'gone']);
    expect(statusOf(again.messages[0]!)).toBe('DELETE_COMPLETE');
  });

  it('answers an unknown stack with 404 before streaming', async () => {
    const res = await api('GET', '/stacks/nope/00000000-0000-0000-0000-000000000000/stream');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('nope');
  });

  it('ends open streams when the server closes', async () => {
    const dir2 = await mkdtemp(join(tmpdir(), 'hearth-stream-close-'));
    const other = await startServer({ listen: '127.0.0.1:0', dataDir: dir2, insecureNoauth: true });
    const created = await fetch(`${other.url}/v1/demo/stacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        stack_name: 's',
        template: 'heat_template_version: 2021-04-16\nresources: {}\n',
      }),
    }).then((r) => r.json() as Promise<{ stack: { id: string } }>);
    const reading = collect(`${other.url}/v1/demo/stacks/s/${created.stack.id}/stream`, () => false);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await reading).ended).toBe(true);
    await rm(dir2, { recursive: true, force: true });
  });
});
