/**
 * The split roles with real processes on a real database: `hearth api` records actions as tasks, `hearth engine`
 * processes claim and run them under leases; requests made while an action runs (update, cancel, delete) reach the
 * engine running it; an engine killed with SIGKILL is replaced by another; incompatible processes refuse to start.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECTS, type TestDatabase } from '../src/store/testing/databases.js';
import { temporaryDirectory } from '../src/store/fixtures.js';
import { api, type HearthProcess, waitForStack } from './helpers/hearth.js';
import { runHearth, startRole } from './helpers/roles.js';

const slowGroup = (count: number, waitSecs: number, extra = '') => `
heat_template_version: 2018-08-31
parameters:
  tag: {type: string, default: one}
resources:
  grp:
    type: OS::Heat::ResourceGroup
    properties:
      count: ${count}
      resource_def:
        type: OS::Heat::TestResource
        properties: {value: {list_join: ['-', [{get_param: tag}, '%index%']]}, action_wait_secs: {create: ${waitSecs}, update: ${waitSecs}}}
  last:
    type: OS::Heat::TestResource
    depends_on: grp
    properties: {value: {get_param: tag}}
${extra}
outputs:
  values: {value: {get_attr: [grp, output]}}
  last: {value: {get_attr: [last, output]}}
`;

async function createStack(endpoint: string, name: string, template: string, params: object = {}) {
  const r = await api('POST', `${endpoint}/stacks`, {
    stack_name: name,
    template,
    parameters: params,
    disable_rollback: false,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.stack.id as string;
}

async function stackEvents(endpoint: string, name: string, id: string): Promise<any[]> {
  const r = await api('GET', `${endpoint}/stacks/${name}/${id}/events?sort_dir=asc&limit=1000`);
  return r.body.events as any[];
}

/** Waits until some engine holds the stack's task; returns the pid of that engine. */
async function holderPid(db: string, stackId: string): Promise<number> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const r = await client.query(
        'select p.pid from engine_tasks t join hearth_processes p on p.id = t.engine_id where t.stack_id = $1',
        [stackId],
      );
      if (r.rows[0]) return Number(r.rows[0].pid);
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('no engine claimed the stack');
  } finally {
    await client.end();
  }
}

describe.skipIf(!TEST_DIALECTS.includes('postgres'))('hearth api + hearth engine on PostgreSQL', () => {
  let database: TestDatabase;
  let apiProcess: HearthProcess;
  const engines: HearthProcess[] = [];
  let endpoint: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    apiProcess = await startRole('api', database.url);
    const engineArgs = ['--public-url', apiProcess.url, '--lease-seconds', '3'];
    engines.push(await startRole('engine', database.url, { extraArgs: engineArgs }));
    engines.push(await startRole('engine', database.url, { extraArgs: engineArgs }));
    endpoint = apiProcess.endpoint('roles');
  }, 60_000);

  afterAll(async () => {
    await Promise.all([apiProcess?.stop(), ...engines.map((e) => e.stop())]);
    await database?.drop();
  });

  it('an api queues, an engine runs: create completes and outputs resolve through the api', async () => {
    const id = await createStack(endpoint, 'basic', slowGroup(5, 0));
    const stack = await waitForStack(endpoint, 'basic', id);
    expect(stack.stack_status).toBe('CREATE_COMPLETE');
    const out = await api('GET', `${endpoint}/stacks/basic/${id}/outputs/values`);
    expect(out.body.output.output_value).toEqual(['one-0', 'one-1', 'one-2', 'one-3', 'one-4']);
    const services = await api('GET', `${endpoint}/services`);
    expect(services.status).toBe(200);
    // Both engine processes, from the process registry (not the api's own view).
    const up = (services.body.services as any[]).filter((s) => s.status === 'up');
    expect(up.map((s) => s.engine_id).sort()).toHaveLength(2);
  }, 30_000);

  it('provider calls are resource tasks: the calls of one stack run on both engines', async () => {
    const calls = async (): Promise<number[]> =>
      Promise.all(
        engines.map(async (e) => {
          const text = await (await fetch(`${e.url}/metrics`)).text();
          return Number(/hearth_engine_tasks_total\{event="calls"\} (\d+)/.exec(text)?.[1] ?? 'NaN');
        }),
      );
    const before = await calls();
    const id = await createStack(endpoint, 'spread', slowGroup(30, 1));
    expect((await waitForStack(endpoint, 'spread', id)).stack_status).toBe('CREATE_COMPLETE');
    const ran = (await calls()).map((n, i) => n - before[i]!);
    // 30 members + `last` (the group itself is a nested stack: its traversal runs where the stack's does).
    expect(ran.reduce((a, b) => a + b, 0)).toBe(31);
    expect(
      ran.every((n) => n > 0),
      `calls per engine: ${ran.join(', ')}`,
    ).toBe(true);
  }, 60_000);

  it('an update sent while the create runs supersedes it in the engine running it; the create never ends as COMPLETE', async () => {
    const id = await createStack(endpoint, 'superseded', slowGroup(6, 1));
    await holderPid(database.url, id);
    const upd = await api('PATCH', `${endpoint}/stacks/superseded/${id}`, { parameters: { tag: 'two' } });
    expect(upd.status, JSON.stringify(upd.body)).toBe(202);
    const stack = await waitForStack(endpoint, 'superseded', id);
    expect(stack.stack_status).toBe('UPDATE_COMPLETE');
    const out = await api('GET', `${endpoint}/stacks/superseded/${id}/outputs/last`);
    expect(out.body.output.output_value).toBe('two');
    const stackEventsOnly = (await stackEvents(endpoint, 'superseded', id))
      .filter((e) => e.resource_name === 'superseded')
      .map((e) => e.resource_status);
    expect(stackEventsOnly).toEqual(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
  }, 60_000);

  it('cancel_update reaches the engine: the update rolls back to the previous template', async () => {
    const id = await createStack(endpoint, 'cancelled', slowGroup(2, 0));
    expect((await waitForStack(endpoint, 'cancelled', id)).stack_status).toBe('CREATE_COMPLETE');
    const upd = await api('PATCH', `${endpoint}/stacks/cancelled/${id}`, {
      template: slowGroup(2, 4),
      parameters: { tag: 'changed' },
    });
    expect(upd.status).toBe(202);
    await holderPid(database.url, id);
    await new Promise((r) => setTimeout(r, 800));
    const cancel = await api('POST', `${endpoint}/stacks/cancelled/${id}/actions`, { cancel_update: null });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const stack = await waitForStack(endpoint, 'cancelled', id);
    expect(stack.stack_status).toBe('ROLLBACK_COMPLETE');
    const out = await api('GET', `${endpoint}/stacks/cancelled/${id}/outputs/last`);
    expect(out.body.output.output_value).toBe('one');
  }, 60_000);

  it('a delete sent while an action runs aborts it and deletes the stack', async () => {
    const id = await createStack(endpoint, 'deleted', slowGroup(4, 5));
    await holderPid(database.url, id);
    const del = await api('DELETE', `${endpoint}/stacks/deleted/${id}`);
    expect(del.status).toBe(204);
    const started = Date.now();
    const stack = await waitForStack(endpoint, 'deleted', id, 30_000);
    expect(['NOT_FOUND', 'DELETE_COMPLETE']).toContain(stack.stack_status);
    expect(Date.now() - started).toBeLessThan(15_000); // aborted, not waited out (4 × 5 s creates)
  }, 60_000);

  it('an engine killed with SIGKILL: another engine resumes its stack once the lease expires; nothing runs twice', async () => {
    const id = await createStack(endpoint, 'takeover', slowGroup(8, 2));
    const pid = await holderPid(database.url, id);
    const victim = engines.find((e) => e.child.pid === pid);
    expect(victim).toBeDefined();
    await new Promise((r) => setTimeout(r, 1000));
    await victim!.stop('SIGKILL');
    const stack = await waitForStack(endpoint, 'takeover', id, 60_000);
    expect(stack.stack_status).toBe('CREATE_COMPLETE');
    const events = await stackEvents(endpoint, 'takeover', id);
    expect(events.some((e) => /stopped renewing its lease/.test(e.resource_status_reason ?? ''))).toBe(true);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = await client.query(
        `select r.name, r.physical_id from resources r join stacks s on s.id = r.stack_id
         where s.root_id = $1 and s.deleted_at is null`,
        [id],
      );
      const names = rows.rows.map((r) => r.name as string);
      expect(names.filter((n) => /^\d+$/.test(n)).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
      const physical = rows.rows.map((r) => r.physical_id as string);
      expect(new Set(physical).size).toBe(physical.length);
      expect((await client.query('select count(*)::int as n from engine_tasks')).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
    // The lost engine is replaced, for the tests that follow.
    engines.splice(engines.indexOf(victim!), 1);
    engines.push(
      await startRole('engine', database.url, {
        extraArgs: ['--public-url', apiProcess.url, '--lease-seconds', '3'],
      }),
    );
  }, 90_000);

  it('version skew and mixed roles are refused at start, with the other process named', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `insert into hearth_processes (id, role, version, protocol, host, pid, started_at, heartbeat_at)
         values ('00000000-0000-4000-8000-000000000099', 'engine', '9.9.9', 99, 'elsewhere', 4242, $1, $1)`,
        [Date.now()],
      );
      const refused = await runHearth(['engine', '--listen', '127.0.0.1:0', '--db', database.url]);
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(
        /version skew: engine 00000000 \(host elsewhere, pid 4242, hearth 9\.9\.9\)/,
      );
      expect(refused.output).toMatch(/speaks task protocol 99; this hearth .* speaks protocol 1/);
    } finally {
      await client.query(`delete from hearth_processes where id = '00000000-0000-4000-8000-000000000099'`);
      await client.end();
    }
    const dir = temporaryDirectory();
    try {
      const server = await runHearth([
        'server',
        '--listen',
        '127.0.0.1:0',
        '--data-dir',
        dir.path,
        '--db',
        database.url,
        '--insecure-noauth',
      ]);
      expect(server.code).not.toBe(0);
      expect(server.output).toMatch(/a 'hearth server' runs alone on its database/);
    } finally {
      dir.remove();
    }
  }, 60_000);
});

describe('hearth api + hearth engine on one SQLite file', () => {
  it('creates and deletes a stack', async () => {
    const dir = temporaryDirectory();
    const db = `sqlite:${dir.path}/hearth.db`;
    const apiProcess = await startRole('api', db);
    const engine = await startRole('engine', db, { extraArgs: ['--public-url', apiProcess.url] });
    try {
      const endpoint = apiProcess.endpoint('lite');
      const id = await createStack(endpoint, 'lite', slowGroup(3, 0));
      expect((await waitForStack(endpoint, 'lite', id)).stack_status).toBe('CREATE_COMPLETE');
      expect((await api('DELETE', `${endpoint}/stacks/lite/${id}`)).status).toBe(204);
      expect(['NOT_FOUND', 'DELETE_COMPLETE']).toContain(
        (await waitForStack(endpoint, 'lite', id)).stack_status,
      );
    } finally {
      await Promise.all([apiProcess.stop(), engine.stop()]);
      dir.remove();
    }
  }, 60_000);
});
