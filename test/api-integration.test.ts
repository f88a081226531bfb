/**
 * The Heat v1 API of a real `hearth server` process end to end: create, show, outputs, resources, events, lookup
 * redirects, precise validation errors, nested stacks, delete.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startHearth, waitForStack, type HearthProcess } from './helpers/hearth.js';

let server: HearthProcess;
let ep: string;
beforeAll(async () => {
  server = await startHearth();
  ep = server.endpoint('itest');
});
afterAll(async () => {
  await server?.stop();
});

const TEMPLATE = `heat_template_version: 2021-04-16
description: integration
parameters:
  size:
    type: number
    default: 3
  secret:
    type: string
    hidden: true
    default: s3cr3t-value
resources:
  rand:
    type: OS::Heat::RandomString
    properties:
      length: 10
  val:
    type: OS::Heat::Value
    properties:
      value:
        list_join: ['-', [{get_attr: [rand, value]}, {str_split: [',', 'x,2', 1]}, {get_param: secret}]]
  grp:
    type: OS::Heat::ResourceGroup
    properties:
      count: {get_param: size}
      resource_def:
        type: OS::Heat::Value
        properties:
          value: item-%index%
outputs:
  joined:
    description: the joined value
    value: {get_attr: [val, value]}
  items:
    value: {get_attr: [grp, value]}
  bad:
    value: {list_join: [',', 'not-a-list']}
`;

describe('stack lifecycle through the API', () => {
  let id = '';
  it('creates a stack and answers 201 with its id and links', async () => {
    const r = await api('POST', `${ep}/stacks`, {
      stack_name: 'it1',
      template: TEMPLATE,
      parameters: { size: 2 },
    });
    expect(r.status).toBe(201);
    id = r.body.stack.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const s = await waitForStack(ep, 'it1', id);
    expect(s.stack_status).toBe('CREATE_COMPLETE');
  });

  it('redirects a name-only lookup to the canonical URL', async () => {
    const r = await api('GET', `${ep}/stacks/it1`);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toContain(`/stacks/it1/${id}`);
  });

  it('shows outputs, with a per-output error and the secret masked in parameters', async () => {
    const r = await api('GET', `${ep}/stacks/it1/${id}`);
    expect(r.status).toBe(200);
    const outputs = Object.fromEntries(r.body.stack.outputs.map((o: any) => [o.output_key, o]));
    expect(outputs.joined.output_value).toMatch(/^[A-Za-z0-9]{10}-2-s3cr3t-value$/);
    expect(outputs.items.output_value).toEqual(['item-0', 'item-1']);
    expect(outputs.bad.output_error).toContain('"list_join" must operate on a list');
    expect(r.body.stack.parameters.secret).toBe('******');
    expect(r.body.stack.parameters['OS::stack_name']).toBe('it1');
  });

  it('lists resources (nested with nested_depth) and events, never leaking the hidden value', async () => {
    const top = await api('GET', `${ep}/stacks/it1/${id}/resources`);
    expect(top.body.resources.map((x: any) => x.resource_name).sort()).toEqual(['grp', 'rand', 'val']);
    const nested = await api('GET', `${ep}/stacks/it1/${id}/resources?nested_depth=1`);
    expect(nested.body.resources).toHaveLength(5);
    const events = await api('GET', `${ep}/stacks/it1/${id}/events`);
    expect(events.status).toBe(200);
    expect(events.body.events.length).toBeGreaterThanOrEqual(8);
    expect(JSON.stringify(events.body)).not.toContain('s3cr3t-value');
  });

  it('deletes the stack', async () => {
    expect((await api('DELETE', `${ep}/stacks/it1/${id}`)).status).toBe(204);
    const s = await waitForStack(ep, 'it1', id);
    expect(['DELETE_COMPLETE', 'NOT_FOUND']).toContain(s.stack_status);
    expect((await api('GET', `${ep}/stacks/it1`)).status).toBe(404);
  });
});

describe('bad input gets precise 400s', () => {
  it('reports every problem with its line and column', async () => {
    const template = `heat_template_version: 2021-04-16
resources:
  a:
    type: OS::Heat::Value
    properties:
      value: {get_resource: ghost}
  b:
    type: OS::Nope
`;
    const r = await api('POST', `${ep}/stacks`, { stack_name: 'bad1', template });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBeTruthy();
    const problems = r.body.error.problems as any[];
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.some((p) => typeof p.line === 'number' && p.line > 1)).toBe(true);
  });

  it('rejects malformed YAML with its position', async () => {
    const r = await api('POST', `${ep}/stacks`, {
      stack_name: 'bad2',
      template: 'heat_template_version: 2021-04-16\nresources: [\n',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/:\d+:\d+/);
  });

  it('prints the whole dependency cycle', async () => {
    const template = {
      heat_template_version: '2021-04-16',
      resources: {
        a: { type: 'OS::Heat::None', depends_on: ['c'] },
        b: { type: 'OS::Heat::None', depends_on: ['a'] },
        c: { type: 'OS::Heat::None', depends_on: ['b'] },
      },
    };
    const r = await api('POST', `${ep}/stacks`, { stack_name: 'cyc', template });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('Circular Dependency Found');
    for (const n of ['a', 'b', 'c']) expect(r.body.error.message).toContain(n);
  });

  it('refuses a YAML alias bomb without falling over', async () => {
    const bomb = [
      'heat_template_version: 2021-04-16',
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    ].join('\n');
    const r = await api('POST', `${ep}/stacks`, { stack_name: 'bomb', template: bomb });
    expect(r.status).toBe(400);
    const ok = await api('GET', `${ep}/stacks`);
    expect(ok.status).toBe(200);
  });

  it('answers 409 for a duplicate name', async () => {
    const t = { heat_template_version: '2021-04-16', resources: { n: { type: 'OS::Heat::None' } } };
    const first = await api('POST', `${ep}/stacks`, { stack_name: 'dup', template: t });
    expect(first.status).toBe(201);
    const again = await api('POST', `${ep}/stacks`, { stack_name: 'dup', template: t });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('The Stack (dup) already exists.');
  });
});

describe('failure, rollback and timeout', () => {
  it('names the failing leaf resource in the stack reason', async () => {
    const t = {
      heat_template_version: '2021-04-16',
      resources: { boom: { type: 'OS::Heat::TestResource', properties: { fail: true } } },
    };
    const r = await api('POST', `${ep}/stacks`, { stack_name: 'fails', template: t });
    const s = await waitForStack(ep, 'fails', r.body.stack.id);
    expect(s.stack_status).toBe('CREATE_FAILED');
    expect(s.stack_status_reason).toContain('resources.boom');
  });

  it('rolls back a failed create when rollback is enabled', async () => {
    const t = {
      heat_template_version: '2021-04-16',
      resources: {
        ok: { type: 'OS::Heat::None' },
        boom: { type: 'OS::Heat::TestResource', properties: { fail: true }, depends_on: ['ok'] },
      },
    };
    const r = await api('POST', `${ep}/stacks`, { stack_name: 'rb', template: t, disable_rollback: false });
    const s = await waitForStack(ep, 'rb', r.body.stack.id);
    expect(s.stack_status).toBe('ROLLBACK_COMPLETE');
    const res = await api('GET', `${ep}/stacks/rb/${r.body.stack.id}/resources`);
    expect(res.body.resources).toEqual([]);
  });
});
