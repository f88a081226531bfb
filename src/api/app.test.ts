import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeatError, ValidationFailure } from '../template/errors.js';
import { buildApi } from './app.js';
import { fakeEngine, type FakeEngine } from './testing/fake-engine.js';

let engine: FakeEngine;
let app: FastifyInstance;

beforeEach(() => {
  engine = fakeEngine();
  app = buildApi(engine, { insecureNoauth: true, maxBodyBytes: 4096 });
});
afterEach(async () => {
  await app.close();
});

const T = { heat_template_version: '2018-08-31' };

async function create(name = 's1', extra: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/admin/stacks',
    payload: { stack_name: name, template: T, ...extra },
  });
  expect(res.statusCode).toBe(201);
  return res.json().stack.id as string;
}

describe('versions and auth', () => {
  it('answers the versions document with 300 at / and /v1/', async () => {
    for (const url of ['/', '/v1/']) {
      const res = await app.inject({ url, headers: { host: 'h:8004' } });
      expect(res.statusCode).toBe(300);
      expect(res.json()).toEqual({
        versions: [{ id: 'v1.0', status: 'CURRENT', links: [{ rel: 'self', href: 'http://h:8004/v1/' }] }],
      });
    }
  });

  it('answers build_info', async () => {
    const res = await app.inject({ url: '/v1/admin/build_info' });
    expect(Object.keys(res.json())).toEqual(['api', 'engine']);
    expect(typeof res.json().api.revision).toBe('string');
  });

  it('refuses every /v1 call with 401 without noauth, but not the versions document', async () => {
    const secure = buildApi(engine, { insecureNoauth: false });
    const res = await secure.inject({ url: '/v1/admin/stacks' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.type).toBe('HTTPUnauthorized');
    expect(res.json().error.message).toContain('--insecure-noauth');
    expect((await secure.inject({ url: '/' })).statusCode).toBe(300);
    await secure.close();
  });
});

describe('stack create', () => {
  it('creates: 201, Location and links, passing the request through', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      headers: { host: '127.0.0.1:8004' },
      payload: {
        stack_name: 's1',
        template: 'heat_template_version: 2018-08-31',
        tags: 'a,b',
        timeout_mins: '5',
        disable_rollback: 'false',
        parameters: { p: 1 },
      },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().stack.id;
    const href = `http://127.0.0.1:8004/v1/admin/stacks/s1/${id}`;
    expect(res.headers.location).toBe(href);
    expect(res.json()).toEqual({ stack: { id, links: [{ href, rel: 'self' }] } });
    expect(res.headers['x-openstack-request-id']).toMatch(/^req-/);
    expect(engine.calls.created[0]).toMatchObject({
      stackName: 's1',
      template: 'heat_template_version: 2018-08-31',
      tags: ['a', 'b'],
      timeoutMins: 5,
      disableRollback: false,
      parameters: { p: 1 },
      username: 'admin',
    });
  });

  it.each([
    [{ template: T }, 'HTTPBadRequest', 'No stack name specified'],
    [{ stack_name: 'x' }, 'HTTPBadRequest', 'No template specified'],
    [
      { stack_name: 'x', template: T, converge: true },
      'HTTPBadRequest',
      'converge flag only supported in stack update (or update preview) request.',
    ],
    [
      { stack_name: '1bad', template: T },
      'StackValidationFailed',
      'Invalid stack name 1bad must contain only alphanumeric or "_-." characters, must start with alpha and must be 255 characters or less.',
    ],
    [
      { stack_name: 'x', template: T, timeout_mins: 'soon' },
      'HTTPBadRequest',
      "Only integer is acceptable by 'timeout_mins'.",
    ],
    [
      { stack_name: 'x', template: T, disable_rollback: 'maybe' },
      'HTTPBadRequest',
      'Unrecognized value "maybe" for "disable_rollback", acceptable values are: true, false.',
    ],
    [
      { stack_name: 'x', template: T, adopt_stack_data: '{"template": {}, "resources": {}}' },
      'NotSupported',
      'Stack Adopt is not supported.',
    ],
    [
      { stack_name: 'x', template: T, adopt_stack_data: '{}' },
      'HTTPBadRequest',
      "Invalid adopt data: 'template'",
    ],
  ])('rejects %j', async (payload, type, message) => {
    const res = await app.inject({ method: 'POST', url: '/v1/admin/stacks', payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: 400,
      title: 'Bad Request',
      explanation:
        'The server could not comply with the request since it is either malformed or otherwise incorrect.',
      error: { type, message, traceback: null },
    });
    expect(engine.calls.created).toHaveLength(0);
  });

  it('answers template and environment syntax errors as Heat does, with the position', async () => {
    for (const url of ['/v1/admin/stacks', '/v1/admin/validate']) {
      const res = await app.inject({
        method: 'POST',
        url,
        payload: { stack_name: 'x', template: '{{not yaml' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.type).toBe('HTTPBadRequest');
      expect(res.json().error.message).toMatch(/^Template not in valid format: /);
      expect(res.json().error.problems[0]).toMatchObject({ file: 'template.yaml', line: 1 });
    }
    const env = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'x', template: T, environment: 'a: [' },
    });
    expect(env.json().error.message).toMatch(/^Environment not in valid format: /);
    expect(engine.calls.created).toHaveLength(0);
  });

  it('accepts a 255-character name and rejects 256', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'a'.repeat(255), template: T },
    });
    expect(ok.statusCode).toBe(201);
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'a'.repeat(256), template: T },
    });
    expect(bad.json().error.type).toBe('StackValidationFailed');
  });

  it('reports every shape problem with its body path', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'x', template: T, parameters: [1], files: { 'a.yaml': 3 } },
    });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.message).toBe('The content of file "a.yaml" in "files" must be a string.');
    expect(err.problems.map((p: { path: string }) => p.path)).toEqual(['files.a.yaml', 'parameters']);
  });

  it('maps engine errors to their status and keeps Hearth problems', async () => {
    await create('dup');
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'dup', template: T },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({
      type: 'StackExists',
      message: 'The Stack (dup) already exists.',
      traceback: null,
    });

    engine.failNext(
      'createStack',
      new ValidationFailure([
        new HeatError('StackValidationFailed', 'first', {
          path: ['resources', 'r'],
          position: { file: 'template.yaml', line: 3, column: 5 },
        }),
        new HeatError('StackValidationFailed', 'second', { hint: 'did you mean "get_param"?' }),
      ]),
    );
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'v', template: T },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('first');
    expect(bad.json().error.problems).toEqual([
      {
        type: 'StackValidationFailed',
        message: 'first',
        path: 'resources.r',
        file: 'template.yaml',
        line: 3,
        column: 5,
      },
      { type: 'StackValidationFailed', message: 'second', hint: 'did you mean "get_param"?' },
    ]);
  });
});

describe('request errors', () => {
  it('answers malformed JSON with 400 whatever the content type', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: '{nope',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.type).toBe('HTTPBadRequest');
  });

  it('answers a too large body with RequestLimitExceeded', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: { stack_name: 'x', template: 'x'.repeat(5000) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.type).toBe('RequestLimitExceeded');
    expect(res.json().error.message).toContain('4096 bytes');
  });

  it('answers unknown routes with 404 and wrong methods with 405, OPTIONS with Allow', async () => {
    const nf = await app.inject({ url: '/v1/admin/nothing' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error).toEqual({
      type: 'HTTPNotFound',
      message: 'The resource could not be found.',
      traceback: null,
    });
    const na = await app.inject({ method: 'DELETE', url: '/v1/admin/validate' });
    expect(na.statusCode).toBe(405);
    expect(na.json().code).toBe(405);
    const opt = await app.inject({ method: 'OPTIONS', url: '/v1/admin/stacks' });
    expect(opt.statusCode).toBe(204);
    expect(opt.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
  });

  it('answers unexpected errors with a generic 500 (no internals)', async () => {
    engine.failNext('listStacks', new Error('secret database password in /etc/x'));
    const res = await app.inject({ url: '/v1/admin/stacks' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.json().error.type).toBe('HTTPInternalServerError');
  });
});

describe('lookup redirects', () => {
  it('redirects name, id, subpaths and other methods to the canonical URL', async () => {
    const id = await create('s1');
    const canon = `http://h/v1/admin/stacks/s1/${id}`;
    const cases: [string, string, string][] = [
      ['GET', '/v1/admin/stacks/s1', canon],
      ['GET', `/v1/admin/stacks/${id}`, canon],
      ['GET', '/v1/admin/stacks/s1/resources', `${canon}/resources`],
      ['GET', '/v1/admin/stacks/s1/events?limit=2', `${canon}/events?limit=2`],
      ['GET', '/v1/admin/stacks/s1/template', `${canon}/template`],
      ['DELETE', '/v1/admin/stacks/s1', canon],
      ['GET', `/v1/admin/stacks/arn:openstack:heat::admin:stacks/s1/${id}/resources`, `${canon}/resources`],
      ['GET', `/v1/admin/stacks/${encodeURIComponent(`arn:openstack:heat::admin:stacks/s1/${id}`)}`, canon],
    ];
    for (const [method, url, location] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers: { host: 'h' } });
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe(location);
      expect(res.json()).toMatchObject({ code: '302 Found', title: 'Found' });
      expect(res.json().message).toContain(location);
    }
    expect(engine.calls.deleted).toHaveLength(0);
  });

  it('answers 404 EntityNotFound with exactly Heat keys', async () => {
    const res = await app.inject({ url: '/v1/admin/stacks/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      code: 404,
      title: 'Not Found',
      explanation: 'The resource could not be found.',
      error: { type: 'EntityNotFound', message: 'The Stack (nope) could not be found.', traceback: null },
    });
  });
});

describe('stack show, list, update, delete, actions', () => {
  it('shows in Heat shape, with or without outputs', async () => {
    const id = await create('s1', { tags: ['x'] });
    const res = await app.inject({ url: `/v1/admin/stacks/s1/${id}`, headers: { host: 'h' } });
    const stack = res.json().stack;
    expect(stack).toMatchObject({
      stack_name: 's1',
      id,
      links: [{ href: `http://h/v1/admin/stacks/s1/${id}`, rel: 'self' }],
      creation_time: '2026-11-25T19:16:00Z',
      updated_time: null,
      stack_status: 'CREATE_COMPLETE',
      tags: ['x'],
      stack_owner: 'admin',
      outputs: [{ output_key: 'out', description: 'an output', output_value: 42 }],
    });
    const noOut = await app.inject({ url: `/v1/admin/stacks/s1/${id}?resolve_outputs=false` });
    expect(noOut.json().stack.outputs).toBeUndefined();
    const wrong = await app.inject({ url: `/v1/admin/stacks/other/${id}` });
    expect(wrong.statusCode).toBe(404);
  });

  it('lists with filters, paging links and count', async () => {
    const a = await create('a');
    await create('b');
    const res = await app.inject({
      url: '/v1/admin/stacks?limit=1&sort_keys=stack_name&sort_dir=asc&status=CREATE_COMPLETE&with_count=true',
      headers: { host: 'h' },
    });
    const body = res.json();
    expect(body.stacks).toHaveLength(1);
    expect(body.stacks[0]).toMatchObject({
      id: a,
      stack_name: 'a',
      description: '',
      tags: null,
      project: 'admin',
    });
    expect(body.links[0].rel).toBe('next');
    expect(body.links[0].href).toMatch(new RegExp(`^http://h/v1/admin/stacks\\?.*marker=${a}`));
    expect(body.count).toBe(2);
    expect(engine.calls.listQueries[0]).toEqual({
      filters: { status: ['COMPLETE'], action: ['CREATE'] },
      sortKeys: ['name'],
      sortDir: 'asc',
      limit: 1,
    });
    const bad = await app.inject({ url: '/v1/admin/stacks?limit=abc' });
    expect(bad.json().error.message).toBe("Only integer is acceptable by 'limit'.");
  });

  it('maps tags filters and repeated names', async () => {
    await app.inject({ url: '/v1/admin/stacks?name=a&name=b&tags=x,y&not_tags_any=z&show_deleted=true' });
    expect(engine.calls.listQueries[0]).toEqual({
      filters: { name: ['a', 'b'] },
      tags: ['x', 'y'],
      notTagsAny: ['z'],
      showDeleted: true,
    });
  });

  it('updates with PUT (template required) and PATCH (existing), answering 202', async () => {
    const id = await create('s1');
    const noTemplate = await app.inject({ method: 'PUT', url: `/v1/admin/stacks/s1/${id}`, payload: {} });
    expect(noTemplate.json().error.message).toBe('No template specified');
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/admin/stacks/s1/${id}`,
      payload: { parameters: { p: 2 }, clear_parameters: ['q'], converge: 'true' },
    });
    expect(patch.statusCode).toBe(202);
    expect(patch.json()).toEqual({
      message: 'The request is accepted for processing.<br /><br />\n\n\n',
      code: '202 Accepted',
      title: 'Accepted',
    });
    expect(engine.calls.updated[0]!.req).toEqual({
      parameters: { p: 2 },
      clearParameters: ['q'],
      converge: true,
      existing: true,
    });
  });

  it('deletes with 204', async () => {
    const id = await create('s1');
    const res = await app.inject({ method: 'DELETE', url: `/v1/admin/stacks/s1/${id}` });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(engine.calls.deleted).toEqual([id]);
  });

  it('checks the actions body', async () => {
    const id = await create('s1');
    const url = `/v1/admin/stacks/s1/${id}/actions`;
    const cases: [unknown, string][] = [
      [{ suspend: null, resume: null }, 'Multiple actions specified'],
      [{ explode: null }, 'Invalid action explode specified'],
      [{}, 'No action specified'],
    ];
    for (const [payload, message] of cases) {
      const res = await app.inject({ method: 'POST', url, payload: payload as object });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toBe(message);
    }
    const ok = await app.inject({ method: 'POST', url, payload: { check: null } });
    expect(ok.statusCode).toBe(200);
    expect(engine.calls.actions).toEqual([{ stackId: id, action: 'check' }]);
  });

  it('answers abandon/export as not supported', async () => {
    const id = await create('s1');
    const res = await app.inject({ method: 'DELETE', url: `/v1/admin/stacks/s1/${id}/abandon` });
    expect(res.json().error).toMatchObject({
      type: 'NotSupported',
      message: 'Stack Abandon is not supported.',
    });
  });

  it('returns the stored template parsed, the environment and files', async () => {
    const id = await create('s1', {
      template: 'heat_template_version: 2018-08-31\ndescription: d\n',
      files: { 'n.txt': 'hi' },
    });
    const t = await app.inject({ url: `/v1/admin/stacks/s1/${id}/template` });
    expect(t.json()).toEqual({ heat_template_version: '2018-08-31', description: 'd' });
    const env = await app.inject({ url: `/v1/admin/stacks/s1/${id}/environment` });
    expect(env.json().encrypted_param_names).toEqual([]);
    const files = await app.inject({ url: `/v1/admin/stacks/s1/${id}/files` });
    expect(files.json()).toEqual({ 'n.txt': 'hi' });
  });

  it('previews a create with the would-be resources', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks/preview',
      payload: { stack_name: 'p', template: T },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().stack.id).toBe('None');
    expect(res.json().stack.resources[0]).toMatchObject({
      resource_name: 'a',
      resource_action: 'CREATE',
      resource_status: 'COMPLETE',
    });
  });
});

describe('outputs, resources, events', () => {
  it('lists and shows outputs', async () => {
    const id = await create('s1');
    const list = await app.inject({ url: `/v1/admin/stacks/s1/${id}/outputs` });
    // Heat lists outputs sorted by key, not in template order.
    expect(list.json().outputs).toEqual([
      { output_key: 'bad', description: 'No description given' },
      { output_key: 'out', description: 'an output' },
    ]);
    const bad = await app.inject({ url: `/v1/admin/stacks/s1/${id}/outputs/bad` });
    expect(bad.json().output).toEqual({
      output_key: 'bad',
      description: 'No description given',
      output_value: null,
      output_error: 'The Referenced Attribute (r x) is incorrect.',
    });
    const missing = await app.inject({ url: `/v1/admin/stacks/s1/${id}/outputs/none` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.type).toBe('NotFound');
  });

  it('lists resources in Heat shape with filters and detail', async () => {
    const id = await create('s1');
    const res = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources`, headers: { host: 'h' } });
    const [a, b] = res.json().resources;
    expect(a).toEqual({
      updated_time: '2026-11-25T19:16:00Z',
      creation_time: '2026-11-25T19:16:00Z',
      logical_resource_id: 'a',
      resource_name: 'a',
      physical_resource_id: 's1-a-abcdefghijkl',
      resource_status: 'CREATE_COMPLETE',
      resource_status_reason: 'state changed',
      resource_type: 'OS::Heat::TestResource',
      links: [
        { href: `http://h/v1/admin/stacks/s1/${id}/resources/a`, rel: 'self' },
        { href: `http://h/v1/admin/stacks/s1/${id}`, rel: 'stack' },
      ],
      required_by: ['b'],
    });
    expect(b.physical_resource_id).toBe('');
    const failed = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources?status=FAILED` });
    expect(failed.json().resources.map((r: { resource_name: string }) => r.resource_name)).toEqual(['b']);
    const detail = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources?with_detail=true&name=a` });
    expect(detail.json().resources).toMatchObject([
      { resource_name: 'a', description: '', attributes: { output: 'x' } },
    ]);
    const invalid = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources?colour=red` });
    expect(invalid.json().error.message).toBe("Invalid filter parameters ['colour']");
  });

  it('shows a resource, its metadata, and signals it', async () => {
    const id = await create('s1');
    const show = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources/a` });
    expect(show.json().resource).toMatchObject({
      resource_name: 'a',
      description: '',
      attributes: { output: 'x' },
    });
    const nope = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources/nope` });
    expect(nope.json().error).toMatchObject({
      type: 'ResourceNotFound',
      message: 'The Resource (nope) could not be found in Stack s1.',
    });
    const md = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources/a/metadata` });
    expect(md.json()).toEqual({ metadata: { role: 'first' } });
    const sig = await app.inject({
      method: 'POST',
      url: `/v1/admin/stacks/s1/${id}/resources/a/signal`,
      payload: { x: 1 },
    });
    expect(sig.statusCode).toBe(200);
    expect(engine.calls.signals).toEqual([{ resource: 'a', details: { x: 1 } }]);
    const mark = await app.inject({
      method: 'PATCH',
      url: `/v1/admin/stacks/s1/${id}/resources/nope`,
      payload: { mark_unhealthy: true },
    });
    expect(mark.statusCode).toBe(404);
  });

  it('lists events newest first by default, maps filters, 404s a resource without events', async () => {
    const id = await create('s1');
    const res = await app.inject({
      url: `/v1/admin/stacks/s1/${id}/events?resource_status=CREATE_COMPLETE&limit=5`,
    });
    // Heat filters the status column as given: a full ACTION_STATUS matches nothing.
    expect(engine.calls.eventQueries[0]).toEqual({
      sortDir: 'desc',
      limit: 5,
      resourceStatus: ['CREATE_COMPLETE'],
    });
    const first = res.json().events[0];
    expect(Object.keys(first)).toEqual([
      'id',
      'links',
      'event_time',
      'logical_resource_id',
      'resource_name',
      'physical_resource_id',
      'resource_status',
      'resource_status_reason',
    ]);
    expect(first.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'resource', 'stack']);
    const none = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources/nope/events` });
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toMatchObject({
      type: 'HTTPNotFound',
      message: 'No events found for resource nope',
    });
    const one = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources/a/events/${id}-ev1` });
    expect(one.json().event).toMatchObject({
      id: `${id}-ev1`,
      resource_type: 'OS::Heat::TestResource',
      resource_properties: { value: 'x' },
    });
    expect(one.json().event).not.toHaveProperty('root_stack_id');
    const missing = await app.inject({ url: `/v1/admin/stacks/s1/${id}/resources/a/events/nope` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ type: 'HTTPNotFound', message: 'No event nope found' });
    const nested = await app.inject({ url: `/v1/admin/stacks/s1/${id}/events?nested_depth=1` });
    expect(nested.json().events[0]).toHaveProperty('root_stack_id');
  });

  it('answers a bad sort_dir with a 400 ValueError (events and stack list)', async () => {
    const id = await create('s1');
    for (const url of [`/v1/admin/stacks/s1/${id}/events?sort_dir=up`, '/v1/admin/stacks?sort_dir=up']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.type).toBe('ValueError');
    }
  });
});

describe('validate and discovery', () => {
  it('validates, passing query options, and answers StackValidationFailed as HTTPBadRequest', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/admin/validate?show_nested=true&ignore_errors=99001',
      payload: { template: T },
    });
    expect(ok.statusCode).toBe(200);
    expect(Object.keys(ok.json()).sort()).toEqual(['Description', 'Environment', 'Parameters']);
    const warned = await app.inject({
      method: 'POST',
      url: '/v1/admin/validate?with_warnings=true',
      payload: { template: T },
    });
    expect(warned.json().Warnings).toEqual([]);
    expect(engine.calls.validated[0]).toMatchObject({ showNested: true, ignoreErrors: ['99001'] });
    engine.failNext(
      'validateTemplate',
      new HeatError(
        'StackValidationFailed',
        'Property error: resources.t.properties: Unknown Property bogus',
      ),
    );
    const bad = await app.inject({ method: 'POST', url: '/v1/admin/validate', payload: { template: T } });
    expect(bad.json().error).toEqual({
      type: 'HTTPBadRequest',
      message: 'Property error: resources.t.properties: Unknown Property bogus',
      traceback: null,
    });
    engine.failNext(
      'validateTemplate',
      new HeatError(
        'InvalidTemplateReference',
        'The specified reference "missing" (in v.Properties.value) is incorrect.',
      ),
    );
    const ref = await app.inject({ method: 'POST', url: '/v1/admin/validate', payload: { template: T } });
    expect(ref.json().error.type).toBe('InvalidTemplateReference');
    const none = await app.inject({ method: 'POST', url: '/v1/admin/validate', payload: {} });
    expect(none.json().error.message).toBe('No template specified');
  });

  it('lists template versions, functions, resource types and schemas', async () => {
    expect((await app.inject({ url: '/v1/admin/template_versions' })).json().template_versions).toHaveLength(
      1,
    );
    const fns = await app.inject({
      url: '/v1/admin/template_versions/heat_template_version.2018-08-31/functions?with_condition_func=true',
    });
    expect(fns.json().template_functions.map((f: { functions: string }) => f.functions)).toEqual([
      'get_param',
      'equals',
    ]);
    const bogus = await app.inject({ url: '/v1/admin/template_versions/bogus.1/functions' });
    expect(bogus.json().error).toMatchObject({
      type: 'NotFound',
      message: 'Template with version bogus.1 not found',
    });
    expect((await app.inject({ url: '/v1/admin/resource_types?name=Value' })).json()).toEqual({
      resource_types: ['OS::Heat::Value'],
    });
    const described = await app.inject({ url: '/v1/admin/resource_types?with_description=true&name=None' });
    expect(described.json().resource_types).toEqual([
      { resource_type: 'OS::Heat::None', description: 'nothing' },
    ]);
    expect((await app.inject({ url: '/v1/admin/resource_types/OS::Heat::None' })).json().resource_type).toBe(
      'OS::Heat::None',
    );
    expect((await app.inject({ url: '/v1/admin/resource_types/OS::Nope' })).statusCode).toBe(404);
    const tmpl = await app.inject({ url: '/v1/admin/resource_types/OS::Heat::None/template' });
    expect(tmpl.json()).toEqual({ templateType: 'cfn', type: 'OS::Heat::None' });
    const badType = await app.inject({
      url: '/v1/admin/resource_types/OS::Heat::None/template?template_type=xml',
    });
    expect(badType.json().error.message).toBe('Template type is not supported: xml');
  });
});
