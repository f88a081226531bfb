import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditResult, auditTarget, type AuditLog } from './audit.js';
import { as, policyHarness, tokenCaller, type PolicyHarness } from './testing/callers.js';

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  parameters: { secret: { type: 'string', hidden: true } },
  resources: { r: { type: 'OS::Heat::None' } },
};
const SECRET = 'hunter2-do-not-log';

const ownerA = tokenCaller('A', 'member', 'owner');
const readerA = tokenCaller('A', 'reader', 'reader');
const adminA = tokenCaller('A', 'admin', 'admin');
const otherB = tokenCaller('B', 'member', 'other');
const adminB = tokenCaller('B', 'admin', 'admin-b');

let h: PolicyHarness;

async function auditOf(project: string, query = '', caller = tokenCaller(project, 'admin')) {
  const res = await h.app.inject({ url: `/v1/${project}/audit${query}`, headers: as(caller) });
  expect(res.statusCode).toBe(200);
  return res.json().audit as Record<string, unknown>[];
}

beforeAll(async () => {
  h = await policyHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('audit records', () => {
  let created: { id: string; requestId: string };

  it('records a successful create with who, what, target, status and request id — never the body', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/A/stacks',
      headers: as(ownerA),
      payload: { stack_name: 'web', template: TEMPLATE, parameters: { secret: SECRET } },
    });
    expect(res.statusCode).toBe(201);
    created = { id: res.json().stack.id, requestId: String(res.headers['x-openstack-request-id']) };
    await h.engine.settle(created.id);
    const [record] = await auditOf('A');
    expect(record).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      project_id: 'A',
      user_id: 'id-owner',
      user_name: 'owner',
      method: 'POST',
      route: '/v1/:tenant/stacks',
      action: 'stacks:create',
      target: `stacks/web/${created.id}`,
      status: 201,
      result: 'success',
      request_id: created.requestId,
    });
    expect(JSON.stringify(await auditOf('A'))).not.toContain(SECRET);
  });

  it('records failures and denials, but not reads', async () => {
    const one = `/v1/A/stacks/web/${created.id}`;
    await h.app.inject({ url: one, headers: as(ownerA) });
    const dup = await h.app.inject({
      method: 'POST',
      url: '/v1/A/stacks',
      headers: as(ownerA),
      payload: { stack_name: 'web', template: TEMPLATE, parameters: { secret: SECRET } },
    });
    expect(dup.statusCode).toBe(409);
    const denied = await h.app.inject({ method: 'DELETE', url: one, headers: as(readerA) });
    expect(denied.statusCode).toBe(403);
    const action = await h.app.inject({
      method: 'POST',
      url: `${one}/actions`,
      headers: as(ownerA),
      payload: { check: null },
    });
    expect(action.statusCode).toBe(200);
    await h.engine.settle(created.id);
    const records = await auditOf('A');
    expect(records.map((r) => [r.method, r.action, r.status, r.result, r.user_name, r.target])).toEqual([
      ['POST', 'actions:check', 200, 'success', 'owner', `stacks/web/${created.id}/actions`],
      ['DELETE', 'stacks:delete', 403, 'denied', 'reader', `stacks/web/${created.id}`],
      ['POST', 'stacks:create', 409, 'failure', 'owner', 'stacks'],
      ['POST', 'stacks:create', 201, 'success', 'owner', `stacks/web/${created.id}`],
    ]);
  });

  it('keeps a refused call on another project in the caller’s log, with the whole path', async () => {
    const res = await h.app.inject({
      method: 'DELETE',
      url: `/v1/A/stacks/web/${created.id}`,
      headers: as(otherB),
    });
    expect(res.statusCode).toBe(403);
    expect((await auditOf('A')).some((r) => r.user_name === 'other')).toBe(false);
    const [record] = await auditOf('B');
    expect(record).toMatchObject({
      project_id: 'B',
      user_name: 'other',
      action: 'stacks:delete',
      result: 'denied',
      target: `/v1/A/stacks/web/${created.id}`,
    });
  });

  it('keeps an admin’s call on another project in that project’s log', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/A/stacks/web/${created.id}/snapshots`,
      headers: as(adminB),
      payload: { name: 'by-admin' },
    });
    expect(res.statusCode).toBe(200);
    await h.engine.settle(created.id);
    const [record] = await auditOf('A');
    expect(record).toMatchObject({
      project_id: 'A',
      user_name: 'admin-b',
      action: 'stacks:snapshot',
      result: 'success',
    });
  });

  it('filters by action and result, pages with limit and marker, and since', async () => {
    const all = await auditOf('A');
    expect((await auditOf('A', '?result=denied')).map((r) => r.id)).toEqual(
      all.filter((r) => r.result === 'denied').map((r) => r.id),
    );
    expect((await auditOf('A', '?action=stacks:create&action=actions:check')).length).toBe(3);
    expect((await auditOf('A', '?result=failure,denied')).length).toBe(2);
    const first = await auditOf('A', '?limit=2');
    expect(first.map((r) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
    const next = await auditOf('A', `?limit=2&marker=${String(first[1]!.id)}`);
    expect(next.map((r) => r.id)).toEqual(all.slice(2, 4).map((r) => r.id));
    expect(await auditOf('A', '?since=2999-01-01T00:00:00Z')).toEqual([]);
    expect((await auditOf('A', '?since=2000-01-01')).length).toBe(all.length);
  });

  it('answers precise 400s for bad filters', async () => {
    for (const [query, message] of [
      ['?result=maybe', 'Invalid value "maybe" for "result": allowed values are success, failure, denied.'],
      [
        '?since=yesterday',
        'Invalid value "yesterday" for "since": expected an ISO 8601 time such as 2026-01-31T12:00:00Z.',
      ],
      ['?limit=x', "Only integer is acceptable by 'limit'."],
      ['?marker=nope', 'Invalid marker "nope": no audit record with this id in this project.'],
    ] as const) {
      const res = await h.app.inject({ url: `/v1/A/audit${query}`, headers: as(adminA) });
      expect({ query, status: res.statusCode }).toEqual({ query, status: 400 });
      expect(res.json().error.message).toBe(message);
    }
    const [foreign] = await auditOf('B');
    const res = await h.app.inject({ url: `/v1/A/audit?marker=${String(foreign!.id)}`, headers: as(adminA) });
    expect(res.statusCode).toBe(400);
  });

  it('never changes the answer when the record cannot be written', async () => {
    const broken: AuditLog = {
      append: () => Promise.reject(new Error('disk full')),
      find: async () => undefined,
      list: async () => [],
    };
    const other = await policyHarness({ audit: broken });
    try {
      const res = await other.app.inject({
        method: 'POST',
        url: '/v1/A/stacks',
        headers: as(ownerA),
        payload: { stack_name: 'still-works', template: TEMPLATE, parameters: { secret: 'x' } },
      });
      expect(res.statusCode).toBe(201);
      await other.engine.settle(res.json().stack.id);
    } finally {
      await other.close();
    }
  });
});

describe('audit helpers', () => {
  it('classifies statuses', () => {
    expect([200, 201, 202, 204, 302, 400, 401, 403, 404, 409, 500].map(auditResult)).toEqual([
      'success',
      'success',
      'success',
      'success',
      'success',
      'failure',
      'denied',
      'denied',
      'failure',
      'failure',
      'failure',
    ]);
  });

  it('derives targets from the route and the Location of a create', () => {
    const params = { tenant: 'A', stackName: 'web', stackId: '1', resourceName: 'r 1' };
    expect(auditTarget('/v1/:tenant/stacks/:stackName/:stackId/resources/:resourceName/signal', params)).toBe(
      'stacks/web/1/resources/r%201/signal',
    );
    expect(auditTarget('/v1/:tenant/stacks', { tenant: 'A' }, 'http://h:8004/v1/A/stacks/web/1')).toBe(
      'stacks/web/1',
    );
    expect(auditTarget('/v1/:tenant/stacks', { tenant: 'A' }, 'http://h:8004/v1/B/stacks/web/1')).toBe(
      'stacks',
    );
    expect(auditTarget('/v3/users/:userId', { userId: 'u1' })).toBe('/v3/users/u1');
    expect(auditTarget('/v1/:tenant/stacks', { tenant: 'A' }, undefined, true)).toBe('/v1/A/stacks');
  });
});
