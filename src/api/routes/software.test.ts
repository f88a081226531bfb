import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SoftwareService, type SoftwareServiceOptions } from '../../engine/software/service.js';
import type { Caller } from '../../identity/caller.js';
import { temporaryDirectory } from '../../store/fixtures.js';
import { SqlSoftwareStore } from '../../store/software-store.js';
import type { SqlStore } from '../../store/sql-store.js';
import { openSqliteStore } from '../../store/sqlite.js';
import { buildApi } from '../app.js';
import { fakeEngine } from '../testing/fake-engine.js';

let dir: ReturnType<typeof temporaryDirectory>;
let sql: SqlStore;
let app: FastifyInstance;

/** Builds the API over a real software service on a fresh SQLite file. */
async function start(options: SoftwareServiceOptions = {}): Promise<void> {
  const software = new SoftwareService(new SqlSoftwareStore(sql.db), options);
  app = buildApi(fakeEngine(), { insecureNoauth: true, software });
  // Requests with `x-test-member: 1` act as a plain member of the URL's project (noauth callers are admins).
  app.addHook('onRequest', async (req) => {
    if (req.headers['x-test-member'] !== '1' || !req.caller) return;
    const member: Caller = { ...req.caller, roles: ['member', 'reader'], method: 'token' };
    req.caller = member;
  });
}

beforeEach(async () => {
  dir = temporaryDirectory('hearth-software-api-');
  sql = await openSqliteStore(join(dir.path, 'hearth.db'));
  await start();
});
afterEach(async () => {
  await app.close();
  await sql.close();
  dir.remove();
});

async function call(method: InjectOptions['method'], url: string, payload?: unknown, member = false) {
  const res = await app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    headers: member ? { 'x-test-member': '1' } : {},
  });
  return { status: res.statusCode, body: res.body ? res.json() : null };
}

const A = '/v1/project-a';
const B = '/v1/project-b';

async function createConfig(base = A, body: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await call('POST', `${base}/software_configs`, { name: 'cfg', config: 'echo hi', ...body });
  expect(res.status).toBe(200);
  return res.body.software_config;
}

async function createDeployment(configId: string, base = A, body: Record<string, unknown> = {}) {
  const res = await call('POST', `${base}/software_deployments`, {
    config_id: configId,
    server_id: 'srv-1',
    ...body,
  });
  expect(res.status).toBe(200);
  return res.body.software_deployment as Record<string, any>;
}

/** Heat's fault body. */
function fault(code: number, type: string, message: string) {
  const titles: Record<number, [string, string]> = {
    400: [
      'Bad Request',
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
    ],
    403: ['Forbidden', 'Access was denied to this resource.'],
    404: ['Not Found', 'The resource could not be found.'],
  };
  const [title, explanation] = titles[code]!;
  return { code, title, explanation, error: { type, message, traceback: null } };
}

describe('software configs API', () => {
  it("creates (200) and shows a config in Heat's shape", async () => {
    const res = await call('POST', `${A}/software_configs`, {
      name: 'install',
      group: 'script',
      config: '#!/bin/sh\necho $foo\n',
      inputs: [{ name: 'foo', default: 'bar' }],
      outputs: [{ name: 'result', error_output: 'false' }],
      options: { verbose: true },
    });
    expect(res.status).toBe(200);
    const config = res.body.software_config;
    expect(Object.keys(config)).toEqual([
      'id',
      'name',
      'group',
      'creation_time',
      'config',
      'inputs',
      'outputs',
      'options',
    ]);
    expect(config).toMatchObject({
      name: 'install',
      group: 'script',
      config: '#!/bin/sh\necho $foo\n',
      inputs: [{ name: 'foo', type: 'String', default: 'bar' }],
      outputs: [{ name: 'result', type: 'String', error_output: false }],
      options: { verbose: true },
    });
    expect(config.creation_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const shown = await call('GET', `${A}/software_configs/${config.id}`);
    expect(shown).toEqual({ status: 200, body: { software_config: config } });
  });

  it('defaults an absent group to Heat::Ungrouped and keeps a structured config', async () => {
    const config = await createConfig(A, { name: null, group: undefined, config: { files: ['/a'] } });
    expect(config).toMatchObject({
      name: null,
      group: 'Heat::Ungrouped',
      config: { files: ['/a'] },
      inputs: [],
    });
  });

  it('lists summaries newest first, with limit and marker, and the project for admins', async () => {
    const first = await createConfig();
    const second = await createConfig();
    const third = await createConfig();
    const all = await call('GET', `${A}/software_configs`);
    expect(all.status).toBe(200);
    const ids = all.body.software_configs.map((c: { id: string }) => c.id);
    expect(new Set(ids)).toEqual(new Set([first.id, second.id, third.id]));
    expect(all.body.software_configs[0]).toEqual({
      id: ids[0],
      name: 'cfg',
      group: 'Heat::Ungrouped',
      creation_time: expect.any(String),
      project: 'project-a',
    });
    const page = await call('GET', `${A}/software_configs?limit=1&marker=${ids[0]}`);
    expect(page.body.software_configs.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    const asMember = await call('GET', `${A}/software_configs?limit=1`, undefined, true);
    expect(asMember.body.software_configs[0]).not.toHaveProperty('project');
  });

  it('refuses bad list parameters with Heat messages', async () => {
    expect(await call('GET', `${A}/software_configs?limit=x`)).toEqual({
      status: 400,
      body: fault(400, 'HTTPBadRequest', "Only integer is acceptable by 'limit'."),
    });
    expect((await call('GET', `${A}/software_configs?limit=-1`)).body.error.message).toBe(
      "Value '-1' is invalid for 'limit' which only accepts non-negative integer.",
    );
    expect((await call('GET', `${A}/software_configs?global_tenant=maybe`)).body.error.message).toBe(
      'Unrecognized value "maybe" for "global_tenant", acceptable values are: true, false.',
    );
  });

  it('lists every project for an admin with global_tenant, and refuses it to members', async () => {
    await createConfig(A);
    await createConfig(B);
    const global = await call('GET', `${A}/software_configs?global_tenant=true`);
    expect(global.body.software_configs.map((c: { project: string }) => c.project).sort()).toEqual([
      'project-a',
      'project-b',
    ]);
    expect(await call('GET', `${A}/software_configs?global_tenant=true`, undefined, true)).toEqual({
      status: 403,
      body: {
        ...fault(403, 'Forbidden', 'You are not authorized to use global_index.'),
      },
    });
  });

  it('refuses every bad create body with a precise 400', async () => {
    const cases: [unknown, string, string][] = [
      [[1], 'HTTPBadRequest', 'The request body must be a JSON object.'],
      [{ name: 5 }, 'HTTPBadRequest', 'The software config "name" must be a string, got a number (5).'],
      [
        { group: ['a'] },
        'HTTPBadRequest',
        'The software config "group" must be a string, got a list (["a"]).',
      ],
      [
        { config: 12 },
        'HTTPBadRequest',
        'The software config "config" must be a string (a script or document) or a map (a structured config), got a number (12).',
      ],
      [{ options: [] }, 'HTTPBadRequest', 'The software config "options" must be a map, got a list ([]).'],
      [
        { inputs: {} },
        'ValueError',
        'Software Config I/O Schema must be in a list: "inputs" must be a list of maps, got a map ({}).',
      ],
      [
        { outputs: ['x'] },
        'ValueError',
        'Software Config I/O Schema must be a dict: outputs[0] must be a map, got a string ("x").',
      ],
      [{ inputs: [{}] }, 'ValueError', 'Property error: Property name not assigned'],
      [{ inputs: [{ name: 'a', typo: 1 }] }, 'ValueError', 'Property error: Unknown Property typo'],
      [
        { inputs: [{ name: 'a', type: 'Integer' }] },
        'ValueError',
        'Property error: type: "Integer" is not an allowed value ["String", "Number", "CommaDelimitedList", "Json", "Boolean"]',
      ],
      [
        { inputs: [{ name: 'a', type: 'Integer', default: 1 }] },
        'InvalidSchemaError',
        'Invalid type (Integer)',
      ],
      [
        { inputs: [{ name: 'a', type: 'Boolean', default: 'yes' }] },
        'ValueError',
        'Property error: default: "yes" is not a valid boolean',
      ],
      [
        { inputs: [{ name: 'a', type: 'Json', default: 3 }] },
        'ValueError',
        'Property error: default: "3" is not a map',
      ],
      [
        { outputs: [{ name: 'o', error_output: 'sometimes' }] },
        'ValueError',
        'Property error: error_output: "sometimes" is not a valid boolean',
      ],
    ];
    for (const [body, type, message] of cases) {
      const res = await call('POST', `${A}/software_configs`, body);
      expect({
        body,
        status: res.status,
        type: res.body.error.type,
        message: res.body.error.message,
      }).toEqual({
        body,
        status: 400,
        type,
        message,
      });
    }
    expect((await call('GET', `${A}/software_configs`)).body.software_configs).toEqual([]);
  });

  it('reports every problem of a body at once, each with its place', async () => {
    const res = await call('POST', `${A}/software_configs`, {
      name: 1.5,
      inputs: [{ name: 'ok' }, { type: 'Json' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      {
        type: 'HTTPBadRequest',
        message: 'The software config "name" must be a string, got a number (1.5).',
        path: 'name',
      },
      { type: 'ValueError', message: 'Property error: Property name not assigned', path: 'inputs[1]' },
    ]);
  });

  it('refuses malformed JSON with a 400, never a 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${A}/software_configs`,
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(400);
  });

  it("answers Heat's 404 for unknown ids", async () => {
    expect(await call('GET', `${A}/software_configs/nope`)).toEqual({
      status: 404,
      body: fault(404, 'NotFound', 'Software config with id nope not found'),
    });
    expect(await call('DELETE', `${A}/software_configs/nope`)).toEqual({
      status: 404,
      body: fault(404, 'NotFound', 'Software config with id nope not found'),
    });
  });

  it('deletes a config (204) unless a deployment uses it', async () => {
    const used = await createConfig();
    const free = await createConfig();
    await createDeployment(used.id);
    expect(await call('DELETE', `${A}/software_configs/${free.id}`)).toEqual({ status: 204, body: null });
    expect(await call('DELETE', `${A}/software_configs/${used.id}`)).toEqual({
      status: 400,
      body: fault(
        400,
        'InvalidRestrictedAction',
        `Software config with id ${used.id} can not be deleted as it is referenced.`,
      ),
    });
  });

  it('has no update: PUT and PATCH answer 405 with Allow', async () => {
    const config = await createConfig();
    const res = await app.inject({ method: 'PATCH', url: `${A}/software_configs/${config.id}`, payload: {} });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, DELETE, HEAD, OPTIONS');
  });

  it("enforces the per-project limit for members with Heat's message", async () => {
    await app.close();
    await start({ limits: { maxConfigsPerProject: 1 } });
    await call('POST', `${A}/software_configs`, {}, true);
    expect(await call('POST', `${A}/software_configs`, {}, true)).toEqual({
      status: 400,
      body: fault(
        400,
        'RequestLimitExceeded',
        'Request limit exceeded: You have reached the maximum software configs per tenant, 1. Please delete some configs.',
      ),
    });
    expect((await call('POST', `${A}/software_configs`, {})).status).toBe(200);
  });
});

describe('software deployments API', () => {
  it("creates, shows, lists, updates and deletes a deployment in Heat's shape", async () => {
    const config = await createConfig(A, { outputs: [{ name: 'result' }] });
    const created = await call('POST', `${A}/software_deployments`, {
      config_id: config.id,
      server_id: 'srv-1',
      input_values: { foo: 'bar' },
      action: 'CREATE',
      status: 'IN_PROGRESS',
      status_reason: 'Deploy data available',
    });
    expect(created.status).toBe(200);
    const d = created.body.software_deployment;
    expect(Object.keys(d)).toEqual([
      'id',
      'server_id',
      'input_values',
      'output_values',
      'action',
      'status',
      'status_reason',
      'config_id',
      'creation_time',
    ]);
    expect(d).toMatchObject({
      server_id: 'srv-1',
      input_values: { foo: 'bar' },
      output_values: null,
      action: 'CREATE',
      status: 'IN_PROGRESS',
      status_reason: 'Deploy data available',
      config_id: config.id,
    });
    expect(await call('GET', `${A}/software_deployments/${d.id}`)).toEqual({
      status: 200,
      body: { software_deployment: d },
    });
    const updated = await call('PUT', `${A}/software_deployments/${d.id}`, {
      output_values: { result: 'ok', deploy_status_code: 0 },
      status: 'COMPLETE',
      status_reason: 'Outputs received',
      server_id: 'ignored',
    });
    expect(updated.status).toBe(200);
    expect(updated.body.software_deployment).toMatchObject({
      server_id: 'srv-1',
      output_values: { result: 'ok', deploy_status_code: 0 },
      status: 'COMPLETE',
      status_reason: 'Outputs received',
      updated_time: expect.stringMatching(/Z$/),
    });
    const other = await createDeployment(config.id, A, { server_id: 'srv-2' });
    const bySrv = await call('GET', `${A}/software_deployments?server_id=srv-2`);
    expect(bySrv.body.software_deployments).toEqual([other]);
    expect((await call('GET', `${A}/software_deployments`)).body.software_deployments).toHaveLength(2);
    expect(await call('DELETE', `${A}/software_deployments/${d.id}`)).toEqual({ status: 204, body: null });
    expect(await call('GET', `${A}/software_deployments/${d.id}`)).toEqual({
      status: 404,
      body: fault(404, 'NotFound', `Deployment with id ${d.id} not found`),
    });
  });

  it("stores an absent status_reason as Heat does ('None')", async () => {
    const config = await createConfig();
    const d = await createDeployment(config.id, A, { action: 'UPDATE', status: 'IN_PROGRESS' });
    expect(d.status_reason).toBe('None');
  });

  it('refuses every bad deployment body with a precise 400', async () => {
    const config = await createConfig();
    const cases: [unknown, string, string][] = [
      [{ server_id: 's' }, 'HTTPBadRequest', 'The software deployment "config_id" is required.'],
      [{ config_id: config.id }, 'HTTPBadRequest', 'The software deployment "server_id" is required.'],
      [
        { config_id: config.id, server_id: 7 },
        'HTTPBadRequest',
        'The software deployment "server_id" must be a string, got a number (7).',
      ],
      [
        { config_id: 'missing', server_id: 's' },
        'Invalid',
        'Data supplied was not valid: Config with id missing not found',
      ],
      [
        { config_id: config.id, server_id: 's', input_values: 'a=b' },
        'HTTPBadRequest',
        'The software deployment "input_values" must be a map, got a string ("a=b").',
      ],
      [
        { config_id: config.id, server_id: 's', status: 'DONE' },
        'HTTPBadRequest',
        'The software deployment "status" must be one of IN_PROGRESS, COMPLETE, FAILED, got a string ("DONE").',
      ],
      [
        { config_id: config.id, server_id: 's', action: { a: 1 } },
        'HTTPBadRequest',
        'The software deployment "action" must be a string, got a map ({"a":1}).',
      ],
      [
        { config_id: config.id, server_id: 's', stack_user_project_id: 'p'.repeat(65) },
        'Invalid',
        'Data supplied was not valid: "stack_user_project_id" should be no more than 64 characters',
      ],
    ];
    for (const [body, type, message] of cases) {
      const res = await call('POST', `${A}/software_deployments`, body);
      expect({
        body,
        status: res.status,
        type: res.body.error.type,
        message: res.body.error.message,
      }).toEqual({
        body,
        status: 400,
        type,
        message,
      });
    }
    const d = await createDeployment(config.id);
    const bad = await call('PUT', `${A}/software_deployments/${d.id}`, {
      output_values: [1],
      config_id: 'gone',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'The software deployment "output_values" must be a map, got a list ([1]).',
    );
    const gone = await call('PUT', `${A}/software_deployments/${d.id}`, { config_id: 'gone' });
    expect(gone.body.error).toMatchObject({
      type: 'Invalid',
      message: 'Data supplied was not valid: Config with id gone not found',
    });
  });

  it('refuses to share a deployment with another project unless the caller is an admin', async () => {
    const config = await createConfig();
    const res = await call(
      'POST',
      `${A}/software_deployments`,
      { config_id: config.id, server_id: 's', stack_user_project_id: 'project-b' },
      true,
    );
    expect(res.status).toBe(403);
    expect(res.body.error.type).toBe('Forbidden');
  });

  it("serves a server's metadata: its deployments' configs sorted by config name", async () => {
    const names = ['zeta', 'alpha', 'mid'];
    const configs = [];
    for (const name of names) {
      const c = await createConfig(A, {
        name,
        group: 'script',
        inputs: [{ name: 'x', value: name }],
        outputs: [{ name: 'out' }],
      });
      configs.push(c);
      await createDeployment(c.id);
    }
    await createDeployment(configs[0]!.id, A, { server_id: 'another' });
    const res = await call('GET', `${A}/software_deployments/metadata/srv-1`);
    expect(res.status).toBe(200);
    expect(res.body.metadata.map((c: { name: string }) => c.name)).toEqual(['alpha', 'mid', 'zeta']);
    expect(res.body.metadata[0]).toEqual({
      id: configs[1]!.id,
      name: 'alpha',
      group: 'script',
      creation_time: configs[1]!.creation_time,
      config: 'echo hi',
      inputs: [{ name: 'x', type: 'String', value: 'alpha' }],
      outputs: [{ name: 'out', type: 'String', error_output: false }],
      options: null,
    });
    expect(await call('GET', `${A}/software_deployments/metadata/nobody`)).toEqual({
      status: 200,
      body: { metadata: [] },
    });
  });
});

describe('project isolation', () => {
  it("never shows, changes or deletes another project's configs and deployments", async () => {
    const config = await createConfig(A);
    const d = await createDeployment(config.id, A);
    const notFoundConfig = fault(404, 'NotFound', `Software config with id ${config.id} not found`);
    const notFoundDeployment = fault(404, 'NotFound', `Deployment with id ${d.id} not found`);
    const asB = (method: InjectOptions['method'], url: string, body?: unknown) =>
      call(method, url, body, true);
    expect(await asB('GET', `${B}/software_configs/${config.id}`)).toEqual({
      status: 404,
      body: notFoundConfig,
    });
    expect(await asB('DELETE', `${B}/software_configs/${config.id}`)).toEqual({
      status: 404,
      body: notFoundConfig,
    });
    expect((await asB('GET', `${B}/software_configs`)).body).toEqual({ software_configs: [] });
    expect(await asB('GET', `${B}/software_deployments/${d.id}`)).toEqual({
      status: 404,
      body: notFoundDeployment,
    });
    expect(await asB('PUT', `${B}/software_deployments/${d.id}`, { status: 'FAILED' })).toEqual({
      status: 404,
      body: notFoundDeployment,
    });
    expect(await asB('DELETE', `${B}/software_deployments/${d.id}`)).toEqual({
      status: 404,
      body: notFoundDeployment,
    });
    expect((await asB('GET', `${B}/software_deployments`)).body).toEqual({ software_deployments: [] });
    expect((await asB('GET', `${B}/software_deployments/metadata/srv-1`)).body).toEqual({ metadata: [] });
    const steal = await asB('POST', `${B}/software_deployments`, {
      config_id: config.id,
      server_id: 'srv-1',
    });
    expect(steal.status).toBe(400);
    expect(steal.body.error.message).toBe(
      `Data supplied was not valid: Config with id ${config.id} not found`,
    );
    expect((await call('GET', `${A}/software_deployments/${d.id}`)).body.software_deployment).toEqual(d);
  });
});

describe('without a software service', () => {
  it('answers 503 on the software routes', async () => {
    const bare = buildApi(fakeEngine(), { insecureNoauth: true });
    const res = await bare.inject({ url: `${A}/software_configs` });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.type).toBe('HTTPServiceUnavailable');
    await bare.close();
  });
});
