import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError } from '../template/errors.js';
import { buildApi, type ApiOptions } from './app.js';
import { fakeEngine, type FakeEngine } from './testing/fake-engine.js';

let engine: FakeEngine;
let app: FastifyInstance;
const apps: FastifyInstance[] = [];

const BAD_REQUEST = {
  code: 400,
  title: 'Bad Request',
  explanation:
    'The server could not comply with the request since it is either malformed or otherwise incorrect.',
};

function start(opts: Partial<ApiOptions> = {}): FastifyInstance {
  const a = buildApi(engine, { insecureNoauth: true, ...opts });
  apps.push(a);
  return a;
}

beforeEach(() => {
  engine = fakeEngine();
  app = start();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const T = { heat_template_version: '2018-08-31' };

async function create(name = 's1', on = app): Promise<string> {
  const res = await on.inject({
    method: 'POST',
    url: '/v1/admin/stacks',
    payload: { stack_name: name, template: T },
  });
  expect(res.statusCode).toBe(201);
  return res.json().stack.id as string;
}

describe('update preview', () => {
  it('answers resource_changes and hearth_changes, passing show_nested and PATCH semantics', async () => {
    const id = await create();
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/admin/stacks/s1/${id}/preview?show_nested=true`,
      payload: { template: T, parameters: { p: 1 } },
    });
    expect(put.statusCode).toBe(200);
    const body = put.json();
    expect(Object.keys(body)).toEqual(['resource_changes', 'hearth_changes']);
    expect(Object.keys(body.resource_changes).sort()).toEqual([
      'added',
      'deleted',
      'replaced',
      'unchanged',
      'updated',
    ]);
    expect(body.resource_changes.replaced[0]).toMatchObject({ resource_name: 'db', stack_name: 's1' });
    expect(body.hearth_changes.find((c: { resource: string }) => c.resource === 'db').reason).toBe('flavor');
    expect(engine.calls.previews[0]).toEqual({
      stackId: id,
      req: { template: T, parameters: { p: 1 }, showNested: true },
    });

    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/admin/stacks/s1/${id}/preview`,
      payload: { parameters: { p: 2 } },
    });
    expect(patch.statusCode).toBe(200);
    expect(engine.calls.previews[1]!.req).toEqual({ parameters: { p: 2 }, existing: true });
  });

  it('rejects bad bodies and bad show_nested like Heat, before previewing', async () => {
    const id = await create();
    const noTemplate = await app.inject({
      method: 'PUT',
      url: `/v1/admin/stacks/s1/${id}/preview`,
      payload: {},
    });
    expect(noTemplate.json()).toMatchObject({ ...BAD_REQUEST, error: { message: 'No template specified' } });
    const badBool = await app.inject({
      method: 'PUT',
      url: `/v1/admin/stacks/s1/${id}/preview?show_nested=maybe`,
      payload: { template: T },
    });
    expect(badBool.statusCode).toBe(400);
    expect(badBool.json().error.message).toBe(
      'Unrecognized value "maybe" for "show_nested", acceptable values are: true, false.',
    );
    expect(engine.calls.previews).toEqual([]);
    expect((await app.inject({ method: 'POST', url: `/v1/admin/stacks/s1/${id}/preview` })).statusCode).toBe(
      405,
    );
  });

  it('passes engine errors through with their status', async () => {
    const id = await create();
    engine.failNext('previewUpdateStack', new HeatError('StackValidationFailed', 'bad template'));
    const res = await app.inject({
      method: 'PUT',
      url: `/v1/admin/stacks/s1/${id}/preview`,
      payload: { template: T },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type: 'StackValidationFailed', message: 'bad template' });
  });
});

describe('mark unhealthy', () => {
  it('answers 200 with a null body and passes the flag and reason', async () => {
    const id = await create();
    const url = `/v1/admin/stacks/s1/${id}/resources/a`;
    const res = await app.inject({
      method: 'PATCH',
      url,
      payload: { mark_unhealthy: true, resource_status_reason: 'broken' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('null');
    await app.inject({ method: 'PATCH', url, payload: { mark_unhealthy: 'False' } });
    expect(engine.calls.unhealthy).toEqual([
      { stackId: id, resource: 'a', mark: true, reason: 'broken' },
      { stackId: id, resource: 'a', mark: false, reason: '' },
    ]);
  });

  it('addresses a resource by physical id and 404s unknown ones', async () => {
    const id = await create();
    const byPhysical = await app.inject({
      method: 'PATCH',
      url: `/v1/admin/stacks/s1/${id}/resources/s1-a-abcdefghijkl`,
      payload: { mark_unhealthy: true },
    });
    expect(byPhysical.statusCode).toBe(200);
    const missing = await app.inject({
      method: 'PATCH',
      url: `/v1/admin/stacks/s1/${id}/resources/nope`,
      payload: { mark_unhealthy: true },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.type).toBe('ResourceNotFound');
  });

  it.each([
    [{ mark_unhealthy: true, colour: 'red' }, "Invalid keys in resource mark unhealthy {'colour'}"],
    [{ resource_status_reason: 'x' }, 'Missing mandatory (mark_unhealthy) key from mark unhealthy request'],
    [
      { mark_unhealthy: 'yes' },
      'Unrecognized value "yes" for "mark_unhealthy", acceptable values are: true, false.',
    ],
  ])('rejects %j', async (payload, message) => {
    const id = await create();
    const res = await app.inject({ method: 'PATCH', url: `/v1/admin/stacks/s1/${id}/resources/a`, payload });
    expect(res.json()).toEqual({
      ...BAD_REQUEST,
      error: { type: 'HTTPBadRequest', message, traceback: null },
    });
    expect(engine.calls.unhealthy).toEqual([]);
  });
});

describe('resource signal', () => {
  it('accepts any JSON body or none, answering 200 null', async () => {
    const id = await create();
    const url = `/v1/admin/stacks/s1/${id}/resources/a/signal`;
    for (const payload of [undefined, '[1,2]', '"go"', '{"unset_hook": "pre-create"}']) {
      const res = await app.inject({
        method: 'POST',
        url,
        ...(payload !== undefined ? { payload, headers: { 'content-type': 'application/json' } } : {}),
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('null');
    }
    expect(engine.calls.signals.map((c) => c.details)).toEqual([
      null,
      [1, 2],
      'go',
      { unset_hook: 'pre-create' },
    ]);
  });

  it('answers malformed JSON with 400 and unknown resources with 404', async () => {
    const id = await create();
    const bad = await app.inject({
      method: 'POST',
      url: `/v1/admin/stacks/s1/${id}/resources/a/signal`,
      payload: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    const missing = await app.inject({
      method: 'POST',
      url: `/v1/admin/stacks/s1/${id}/resources/zz/signal`,
    });
    expect(missing.statusCode).toBe(404);
    expect(engine.calls.signals).toEqual([]);
  });
});

describe('snapshots', () => {
  it('creates (answering the snapshot itself), lists, shows, restores (202) and deletes (204)', async () => {
    const id = await create();
    const base = `/v1/admin/stacks/s1/${id}/snapshots`;
    const created = await app.inject({ method: 'POST', url: base, payload: { name: 'before' } });
    expect(created.statusCode).toBe(200);
    const snap = created.json();
    // Heat 19's format_snapshot: no `action` key.
    expect(Object.keys(snap)).toEqual(['id', 'name', 'status', 'status_reason', 'data', 'creation_time']);
    expect(snap).toMatchObject({
      name: 'before',
      status: 'COMPLETE',
      creation_time: '2026-11-25T19:18:00Z',
    });
    expect(snap.data).toMatchObject({ name: 's1', id });

    const unnamed = await app.inject({ method: 'POST', url: base });
    expect(unnamed.json().name).toBeNull();

    const list = await app.inject({ url: base });
    expect(list.json().snapshots.map((s: { name: string | null }) => s.name)).toEqual(['before', null]);
    const show = await app.inject({ url: `${base}/${snap.id}` });
    expect(show.json()).toEqual({ snapshot: snap });

    const restore = await app.inject({ method: 'POST', url: `${base}/${snap.id}/restore` });
    expect(restore.statusCode).toBe(202);
    expect(restore.json()).toMatchObject({ code: '202 Accepted', title: 'Accepted' });

    const del = await app.inject({ method: 'DELETE', url: `${base}/${snap.id}` });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    expect(engine.calls.snapshots.map((c) => c.op)).toEqual(['create', 'create', 'restore', 'delete']);
    const gone = await app.inject({ url: `${base}/${snap.id}` });
    expect(gone.statusCode).toBe(404);
  });

  it('rejects a non-string name and unknown stacks', async () => {
    const id = await create();
    const bad = await app.inject({
      method: 'POST',
      url: `/v1/admin/stacks/s1/${id}/snapshots`,
      payload: { name: 3 },
    });
    expect(bad.statusCode).toBe(400);
    const missing = await app.inject({ url: `/v1/admin/stacks/s1/not-an-id/snapshots` });
    expect(missing.statusCode).toBe(404);
    expect(engine.calls.snapshots).toEqual([]);
  });
});

describe('abandon, export and adopt', () => {
  const notSupported = (message: string) => ({
    ...BAD_REQUEST,
    error: { type: 'NotSupported', message, traceback: null },
  });

  it('answers NotSupported while disabled (Heat default), even for unknown stacks, changing nothing', async () => {
    const id = await create();
    for (const [method, path] of [
      ['DELETE', `s1/${id}/abandon`],
      ['GET', `s1/${id}/export`],
      ['DELETE', 'nope/nope/abandon'],
    ] as const) {
      const res = await app.inject({ method, url: `/v1/admin/stacks/${path}` });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(notSupported('Stack Abandon is not supported.'));
    }
    const adopt = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: {
        stack_name: 'ad',
        template: T,
        adopt_stack_data: JSON.stringify({ template: T, resources: {} }),
      },
    });
    expect(adopt.json()).toEqual(notSupported('Stack Adopt is not supported.'));
    expect(engine.calls.exported).toEqual([]);
    expect(engine.calls.abandoned).toEqual([]);
    expect(engine.stacks.get(id)).toBeDefined();
  });

  it('exports, abandons and adopts when enabled', async () => {
    const on = start({ enableAbandon: true, enableAdopt: true });
    const id = await create('s2', on);
    const exported = await on.inject({ url: `/v1/admin/stacks/s2/${id}/export` });
    expect(exported.statusCode).toBe(200);
    expect(exported.json()).toMatchObject({ name: 's2', id, action: 'CREATE', status: 'COMPLETE' });
    expect(engine.stacks.has(id)).toBe(true);

    const abandoned = await on.inject({ method: 'DELETE', url: `/v1/admin/stacks/s2/${id}/abandon` });
    expect(abandoned.statusCode).toBe(200);
    const data = abandoned.json();
    expect(data.resources.a).toMatchObject({ name: 'a', resource_id: 's2-a-abcdefghijkl' });
    expect(engine.stacks.has(id)).toBe(false);

    const adoptTemplate = { heat_template_version: '2018-08-31', description: 'from adopt data' };
    const adopted = await on.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: {
        stack_name: 's3',
        template: T,
        parameters: { v: 'x' },
        adopt_stack_data: JSON.stringify({ ...data, template: adoptTemplate }),
      },
    });
    expect(adopted.statusCode).toBe(201);
    const req = engine.calls.created.at(-1)!;
    expect(req.template).toEqual(adoptTemplate);
    expect(req.adoptStackData).toMatchObject({
      name: 's2',
      resources: { a: { resource_id: 's2-a-abcdefghijkl' } },
    });
    expect(req.parameters).toEqual({ v: 'x' });

    const asObject = await on.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 's4', adopt_stack_data: { template: T, resources: {} } },
    });
    expect(asObject.statusCode).toBe(201);
  });

  it.each([
    ['[1]', 'Invalid adopt data: The template is not a JSON object or YAML mapping.'],
    ['{"resources": {}}', "Invalid adopt data: 'template'"],
    ['a: [b', 'Invalid adopt data: '],
  ])('rejects adopt data %j with 400 even when adopt is disabled', async (adoptData, message) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'ad', template: T, adopt_stack_data: adoptData },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.type).toBe('HTTPBadRequest');
    expect(res.json().error.message.startsWith(message)).toBe(true);
  });
});
