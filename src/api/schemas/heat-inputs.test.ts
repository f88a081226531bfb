import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../app.js';
import { fakeEngine, type FakeEngine } from '../testing/fake-engine.js';

let engine: FakeEngine;
let app: FastifyInstance;

beforeEach(() => {
  engine = fakeEngine();
  app = buildApi(engine, { insecureNoauth: true });
});
afterEach(async () => {
  await app.close();
});

const T = { heat_template_version: '2018-08-31' };

async function create(name = 's1'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/admin/stacks',
    payload: { stack_name: name, template: T },
  });
  expect(res.statusCode).toBe(201);
  return res.json().stack.id as string;
}

describe('the route schemas accept what Heat accepts', () => {
  it('passes loose create inputs through unchanged: numbers and booleans as text, CSV tags, text templates', async () => {
    const parameters = { n: 1, l: [1, 'a'], m: { k: null }, b: true, s: 'x', z: null };
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: {
        stack_name: 'loose',
        template: 'heat_template_version: 2018-08-31\n',
        timeout_mins: ' 60 ',
        disable_rollback: 'True',
        tags: 'a,b',
        parameters,
        environment: 'parameters: {}\n',
        files: { 'x.yaml': 'y' },
        some_unknown_key: { kept: true },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(engine.calls.created[0]).toMatchObject({
      stackName: 'loose',
      template: 'heat_template_version: 2018-08-31\n',
      timeoutMins: 60,
      disableRollback: true,
      tags: ['a', 'b'],
      parameters,
      environment: 'parameters: {}\n',
      files: { 'x.yaml': 'y' },
    });
  });

  it('accepts nulls for optional fields, tag lists and integers, and PATCH without a body', async () => {
    const id = await create();
    const put = await app.inject({
      method: 'PUT',
      url: `/v1/admin/stacks/s1/${id}`,
      payload: { template: T, timeout_mins: null, tags: ['x', 'y'], parameters: null, converge: 'FALSE' },
    });
    expect(put.statusCode).toBe(202);
    expect(engine.calls.updated[0]!.req).toMatchObject({
      tags: ['x', 'y'],
      converge: false,
      timeoutMins: null,
    });
    const patch = await app.inject({ method: 'PATCH', url: `/v1/admin/stacks/s1/${id}` });
    expect(patch.statusCode).toBe(202);
    expect(engine.calls.updated[1]!.req).toMatchObject({ existing: true });
  });

  it('reads query booleans and integers as Heat does, repeated keys included', async () => {
    const res = await app.inject({
      url: '/v1/admin/stacks?show_deleted=TRUE&limit=2&name=a&name=b&sort_dir=DESC&unknown=1',
    });
    expect(res.statusCode).toBe(200);
    expect(engine.calls.listQueries[0]).toMatchObject({
      showDeleted: true,
      limit: 2,
      sortDir: 'desc',
      filters: { name: ['a', 'b'] },
    });
  });

  it('keeps a signal body exactly as sent', async () => {
    const id = await create();
    const details = { data: { nested: [1, '2', null] }, status: 'SUCCESS', extra: true };
    const res = await app.inject({
      method: 'POST',
      url: `/v1/admin/stacks/s1/${id}/resources/a/signal`,
      payload: details,
    });
    expect(res.statusCode).toBe(200);
    expect(engine.calls.signals[0]!.details).toEqual(details);
  });
});

describe("when a schema refuses a request, Heat's own message wins", () => {
  const body = (extra: Record<string, unknown>) => ({ stack_name: 'x', template: T, ...extra });
  it.each([
    [body({ timeout_mins: true }), 'HTTPBadRequest', "Only integer is acceptable by 'timeout_mins'."],
    [
      body({ timeout_mins: -1 }),
      'HTTPBadRequest',
      "Value '-1' is invalid for 'timeout_mins' which only accepts non-negative integer.",
    ],
    [
      body({ template: 5 }),
      'HTTPBadRequest',
      'Template not in valid format: The template is not a JSON object or YAML mapping.',
    ],
    [
      body({ stack_name: 7 }),
      'StackValidationFailed',
      'Invalid stack name 7 must contain only alphanumeric or "_-." characters, must start with alpha and must be 255 characters or less.',
    ],
    [
      body({ disable_rollback: 1 }),
      'HTTPBadRequest',
      'Unrecognized value "1" for "disable_rollback", acceptable values are: true, false.',
    ],
    [body({ tags: [1] }), 'HTTPBadRequest', '"tags" must be a comma-separated string or a list of strings.'],
    [
      body({ tags: ['t'.repeat(81)] }),
      'HTTPBadRequest',
      `Invalid tag, "${'t'.repeat(81)}" is longer than 80 characters`,
    ],
    [[1], 'HTTPBadRequest', 'The request body must be a JSON object.'],
    [{ template: T }, 'HTTPBadRequest', 'No stack name specified'],
  ])('create %j', async (payload, type, message) => {
    const res = await app.inject({ method: 'POST', url: '/v1/admin/stacks', payload: payload as object });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ type, message, traceback: null });
    expect(engine.calls.created).toEqual([]);
  });

  it('on the other routes too: actions, snapshots, mark unhealthy, queries', async () => {
    const id = await create();
    const one = `/v1/admin/stacks/s1/${id}`;
    const cases: [string, string, unknown, string][] = [
      ['POST', `${one}/actions`, {}, 'No action specified'],
      ['POST', `${one}/actions`, { suspend: null, resume: null }, 'Multiple actions specified'],
      ['POST', `${one}/actions`, { explode: null }, 'Invalid action explode specified'],
      ['POST', `${one}/snapshots`, { name: 5 }, 'The snapshot "name" must be a string.'],
      ['PATCH', `${one}/resources/a`, 'x', 'The request body must be a JSON object.'],
      ['GET', '/v1/admin/stacks?limit=x', undefined, "Only integer is acceptable by 'limit'."],
      [
        'GET',
        `${one}?resolve_outputs=maybe`,
        undefined,
        'Unrecognized value "maybe" for "resolve_outputs", acceptable values are: true, false.',
      ],
      [
        'GET',
        `${one}/events?nested_depth=-1`,
        undefined,
        "Value '-1' is invalid for 'nested_depth' which only accepts non-negative integer.",
      ],
      ['GET', `${one}/resources?with_detail=x&colour=red`, undefined, "Invalid filter parameters ['colour']"],
      [
        'POST',
        '/v1/admin/validate?show_nested=no',
        { template: T },
        'Unrecognized value "no" for "show_nested", acceptable values are: true, false.',
      ],
      ['POST', '/v1/admin/validate', { files: [] }, 'No template specified'],
    ];
    for (const [method, url, payload, message] of cases) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        ...(payload !== undefined
          ? { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }
          : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().error.message, `${method} ${url}`).toBe(message);
    }
    const sortDir = await app.inject({ url: `${one}/events?sort_dir=up` });
    expect(sortDir.json().error.type).toBe('ValueError');
    expect(engine.calls.actions).toEqual([]);
    expect(engine.calls.snapshots).toEqual([]);
  });

  it('and the schema answers only what no Heat check refuses', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/stacks',
      payload: body({ disable_rollback: ['true'] }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe(
      'Invalid body field "disable_rollback": received ["true"]; allowed: a boolean, "true" or "false" (any case) ' +
        'or null.',
    );
    expect(engine.calls.created).toEqual([]);
  });
});
