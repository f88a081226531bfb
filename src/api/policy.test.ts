import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_TABLE, policyDecision, policyEntry } from './policy-table.js';
import { registeredRoutes, satisfiesRule, unmappedRoutes } from './policy.js';
import { as, policyHarness, signalCaller, tokenCaller, type PolicyHarness } from './testing/callers.js';

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  resources: { r: { type: 'OS::Heat::None' }, s: { type: 'OS::Heat::None' } },
};

const ownerA = tokenCaller('A', 'member', 'owner');
const readerA = tokenCaller('A', 'reader', 'reader');
const adminA = tokenCaller('A', 'admin', 'admin');
const otherB = tokenCaller('B', 'member', 'other');

let h: PolicyHarness;
let stackA: { id: string; name: string };
let stackB: { id: string; name: string };

async function createStack(project: string, name: string, caller = tokenCaller(project, 'member')) {
  const res = await h.app.inject({
    method: 'POST',
    url: `/v1/${project}/stacks`,
    headers: as(caller),
    payload: { stack_name: name, template: TEMPLATE },
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().stack.id as string;
  await h.engine.settle(id);
  return { id, name };
}

function forbidden(message: string, type = 'Forbidden') {
  return {
    code: 403,
    title: 'Forbidden',
    explanation: 'Access was denied to this resource.',
    error: { type, message, traceback: null },
  };
}

const ACCESS_DENIED = forbidden('Access was denied to this resource.', 'HTTPForbidden');

beforeAll(async () => {
  h = await policyHarness();
  stackA = await createStack('A', 'alpha', ownerA);
  stackB = await createStack('B', 'beta', otherB);
});
afterAll(async () => {
  await h?.close();
});

describe('the policy table', () => {
  it('has an entry for every registered route, and a registered route for every entry', async () => {
    await h.app.ready();
    expect(unmappedRoutes(h.app)).toEqual([]);
    // Every entry is a route the policy saw being registered (it tracks routes before any exists, plugins'
    // included); a GET entry also serves its HEAD route (Fastify may register only `HEAD /v3/` beside `GET /v3`).
    // `GET /dashboard/` is its own route only while the dashboard is not built (then the static files' wildcard).
    const seen = new Set(registeredRoutes(h.app).map((r) => `${r.method} ${r.url}`));
    const optional = new Set(['GET /dashboard/']);
    const stale = POLICY_TABLE.filter(
      (e) =>
        !seen.has(`${e.method} ${e.url}`) &&
        !(e.method === 'GET' && seen.has(`HEAD ${e.url}`)) &&
        !optional.has(`${e.method} ${e.url}`),
    );
    expect(stale).toEqual([]);
  });

  it("names Heat's policy actions and rules, HEAD using GET's entry", () => {
    const one = '/v1/:tenant/stacks/:stackName/:stackId';
    expect(policyEntry('POST', '/v1/:tenant/stacks')).toMatchObject({
      action: 'stacks:create',
      rule: 'write',
    });
    expect(policyEntry('HEAD', one)).toMatchObject({ action: 'stacks:show', rule: 'read' });
    expect(policyEntry('POST', `${one}/resources/:resourceName/signal`)).toMatchObject({
      action: 'resource:signal',
      rule: 'signal',
    });
    expect(policyEntry('GET', '/v1/:tenant/audit')).toMatchObject({ action: 'audit:index', rule: 'admin' });
    expect(policyEntry('POST', '/v1/:tenant/nothing')).toBeUndefined();
  });

  it('decides stack actions by the body (check is a reader’s action) and global listing by the query', () => {
    const actions = policyEntry('POST', '/v1/:tenant/stacks/:stackName/:stackId/actions')!;
    const decide = (body: unknown) => policyDecision(actions, { body, query: {} });
    expect(decide({ check: null })).toEqual({ action: 'actions:check', rule: 'read' });
    expect(decide({ suspend: null })).toEqual({ action: 'actions:suspend', rule: 'write' });
    expect(decide({ cancel_update: null })).toEqual({ action: 'actions:cancel_update', rule: 'write' });
    for (const bad of [{}, { a: 1, b: 2 }, { bogus: null }, [], 'x', null]) {
      expect(decide(bad)).toEqual({ action: 'actions:action', rule: 'write' });
    }
    const index = policyEntry('GET', '/v1/:tenant/stacks')!;
    const list = (global_tenant?: string) =>
      policyDecision(index, { body: undefined, query: global_tenant === undefined ? {} : { global_tenant } });
    expect(list('True')).toEqual({ action: 'stacks:global_index', rule: 'admin' });
    expect(list('false')).toEqual({ action: 'stacks:index', rule: 'read' });
    expect(list('maybe')).toEqual({ action: 'stacks:index', rule: 'read' });
    expect(list()).toEqual({ action: 'stacks:index', rule: 'read' });
  });

  it('holds roles to their rules; a signal token satisfies only its own resource’s signal', () => {
    const t = { tenant: 'A', stackId: 's1', resourceName: 'r' };
    expect(satisfiesRule(readerA, 'read', t)).toBe(true);
    expect(satisfiesRule(readerA, 'signal', t)).toBe(true);
    expect(satisfiesRule(readerA, 'write', t)).toBe(false);
    expect(satisfiesRule(ownerA, 'write', t)).toBe(true);
    expect(satisfiesRule(ownerA, 'admin', t)).toBe(false);
    expect(satisfiesRule(adminA, 'admin', t)).toBe(true);
    const signal = signalCaller('A', 's1', 'r');
    expect(satisfiesRule(signal, 'signal', t)).toBe(true);
    expect(satisfiesRule(signal, 'signal', { ...t, resourceName: 's' })).toBe(false);
    expect(satisfiesRule(signal, 'signal', { ...t, stackId: 's2' })).toBe(false);
    for (const rule of ['public', 'authenticated', 'read', 'write', 'admin'] as const) {
      expect(satisfiesRule(signal, rule, t)).toBe(false);
    }
  });
});

describe('the project check', () => {
  it('refuses a caller of another project with Heat’s HTTPForbidden, before looking at the body', async () => {
    for (const [method, url, payload] of [
      ['GET', '/v1/A/stacks', undefined],
      ['GET', `/v1/A/stacks/${stackA.name}/${stackA.id}`, undefined],
      ['POST', '/v1/A/stacks', { not: 'a valid create body' }],
      ['DELETE', `/v1/A/stacks/${stackA.name}/${stackA.id}`, undefined],
      ['GET', '/v1/A/build_info', undefined],
    ] as const) {
      const res = await h.app.inject({ method, url, headers: as(otherB), ...(payload ? { payload } : {}) });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
      expect(res.json()).toEqual(ACCESS_DENIED);
    }
  });

  it('lets an admin act in any project’s URL', async () => {
    const adminB = tokenCaller('B', 'admin');
    const res = await h.app.inject({ url: `/v1/A/stacks/${stackA.name}/${stackA.id}`, headers: as(adminB) });
    expect(res.statusCode).toBe(200);
    expect(res.json().stack.id).toBe(stackA.id);
  });

  it('answers a foreign stack addressed through the caller’s own project exactly as a nonexistent one', async () => {
    for (const sub of ['', '/resources', '/resources/r', '/events', '/outputs', '/template', '/snapshots']) {
      const foreign = await h.app.inject({
        url: `/v1/B/stacks/${stackA.name}/${stackA.id}${sub}`,
        headers: as(otherB),
      });
      const missing = await h.app.inject({
        url: `/v1/B/stacks/${stackA.name}/${randomUUID()}${sub}`,
        headers: as(otherB),
      });
      expect({ sub, status: foreign.statusCode }).toEqual({ sub, status: 404 });
      expect(foreign.json()).toEqual(missing.json());
      expect(foreign.body).not.toContain(stackA.id);
    }
    const byName = await h.app.inject({ url: `/v1/B/stacks/${stackA.name}`, headers: as(otherB) });
    expect(byName.statusCode).toBe(404);
    const del = await h.app.inject({
      method: 'DELETE',
      url: `/v1/B/stacks/${stackA.name}/${stackA.id}`,
      headers: as(otherB),
    });
    expect(del.statusCode).toBe(404);
  });
});

describe('the rules', () => {
  it('lets a reader read but not write, naming the action it was refused', async () => {
    const one = `/v1/A/stacks/${stackA.name}/${stackA.id}`;
    expect((await h.app.inject({ url: '/v1/A/stacks', headers: as(readerA) })).statusCode).toBe(200);
    expect((await h.app.inject({ url: `${one}/resources`, headers: as(readerA) })).statusCode).toBe(200);
    for (const [method, url, payload, action] of [
      ['POST', '/v1/A/stacks', { stack_name: 'nope', template: TEMPLATE }, 'stacks:create'],
      ['PATCH', one, { existing: true }, 'stacks:update_patch'],
      ['DELETE', one, undefined, 'stacks:delete'],
      ['POST', `${one}/actions`, { suspend: null }, 'actions:suspend'],
      ['POST', `${one}/actions`, {}, 'actions:action'],
      ['POST', `${one}/snapshots`, {}, 'stacks:snapshot'],
      ['PATCH', `${one}/resources/r`, { mark_unhealthy: true }, 'resource:mark_unhealthy'],
      ['POST', '/v1/A/validate', { template: TEMPLATE }, 'stacks:validate_template'],
      ['GET', '/v1/A/audit', undefined, 'audit:index'],
    ] as const) {
      const res = await h.app.inject({ method, url, headers: as(readerA), ...(payload ? { payload } : {}) });
      expect({ action, status: res.statusCode }).toEqual({ action, status: 403 });
      expect(res.json()).toEqual(forbidden(`You are not authorized to use ${action}.`));
    }
    const check = await h.app.inject({
      method: 'POST',
      url: `${one}/actions`,
      headers: as(readerA),
      payload: { check: null },
    });
    expect(check.statusCode).toBe(200);
    await h.engine.settle(stackA.id);
  });

  it('lets a member write but keeps the audit to admins', async () => {
    const one = `/v1/A/stacks/${stackA.name}/${stackA.id}`;
    const bad = await h.app.inject({
      method: 'POST',
      url: `${one}/actions`,
      headers: as(ownerA),
      payload: {},
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('No action specified');
    const audit = await h.app.inject({ url: '/v1/A/audit', headers: as(ownerA) });
    expect(audit.json()).toEqual(forbidden('You are not authorized to use audit:index.'));
    expect((await h.app.inject({ url: '/v1/A/audit', headers: as(adminA) })).statusCode).toBe(200);
  });

  it('lets a signal token signal its own resource and nothing else', async () => {
    const one = `/v1/A/stacks/${stackA.name}/${stackA.id}`;
    const signal = signalCaller('A', stackA.id, 'r');
    const own = await h.app.inject({
      method: 'POST',
      url: `${one}/resources/r/signal`,
      headers: as(signal),
      payload: { data: 1 },
    });
    // Reaches the engine (OS::Heat::None does not take signals: Heat's 400), past the policy.
    expect(own.statusCode).not.toBe(403);
    for (const [method, url, action] of [
      ['POST', `${one}/resources/s/signal`, 'resource:signal'],
      ['GET', one, 'stacks:show'],
      ['GET', `${one}/resources/r`, 'resource:show'],
      ['GET', `${one}/resources/r/metadata`, 'resource:metadata'],
      ['DELETE', one, 'stacks:delete'],
    ] as const) {
      const res = await h.app.inject({ method, url, headers: as(signal) });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
      expect(res.json()).toEqual(forbidden(`You are not authorized to use ${action}.`));
    }
    const elsewhere = await h.app.inject({
      method: 'POST',
      url: `/v1/B/stacks/${stackB.name}/${stackB.id}/resources/r/signal`,
      headers: as(signal),
    });
    expect(elsewhere.json()).toEqual(ACCESS_DENIED);
  });

  it('lists every project’s stacks for an admin with global_tenant=true, and only for an admin', async () => {
    const refused = await h.app.inject({ url: '/v1/A/stacks?global_tenant=true', headers: as(ownerA) });
    expect(refused.json()).toEqual(forbidden('You are not authorized to use stacks:global_index.'));
    const all = await h.app.inject({ url: '/v1/A/stacks?global_tenant=true', headers: as(adminA) });
    expect(all.statusCode).toBe(200);
    const byId = new Map(
      (all.json().stacks as { id: string; project: string; links: { href: string }[] }[]).map((s) => [
        s.id,
        s,
      ]),
    );
    expect(byId.get(stackA.id)?.project).toBe('A');
    expect(byId.get(stackB.id)?.project).toBe('B');
    expect(byId.get(stackB.id)?.links[0]?.href).toContain(`/v1/B/stacks/beta/${stackB.id}`);
    const onlyB = await h.app.inject({
      url: '/v1/A/stacks?global_tenant=true&tenant=B&with_count=true',
      headers: as(adminA),
    });
    expect(onlyB.json().stacks.map((s: { id: string }) => s.id)).toEqual([stackB.id]);
    expect(onlyB.json().count).toBe(1);
    const own = await h.app.inject({ url: '/v1/A/stacks', headers: as(adminA) });
    expect(own.json().stacks.map((s: { id: string }) => s.id)).toEqual([stackA.id]);
    const bad = await h.app.inject({ url: '/v1/A/stacks?global_tenant=maybe', headers: as(adminA) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe(
      'Unrecognized value "maybe" for "global_tenant", acceptable values are: true, false.',
    );
  });
});

describe('deny by default', () => {
  it('refuses a route the table does not know, and reports it', async () => {
    const extra = await policyHarness();
    try {
      extra.app.get('/v1/:tenant/unlisted', async () => ({ secret: true }));
      const res = await extra.app.inject({ url: '/v1/A/unlisted', headers: as(adminA) });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toBe('You are not authorized to use GET /v1/:tenant/unlisted.');
      expect(unmappedRoutes(extra.app).map((r) => `${r.method} ${r.url}`)).toEqual([
        'GET /v1/:tenant/unlisted',
        'HEAD /v1/:tenant/unlisted',
      ]);
    } finally {
      await extra.close();
    }
  });

  it('refuses a tenant route reached without any caller', async () => {
    const res = await h.app.inject({ url: '/v1/A/stacks', headers: as(null) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual(ACCESS_DENIED);
  });

  it('leaves OPTIONS and 405 answers, version documents and unknown URLs alone', async () => {
    const options = await h.app.inject({ method: 'OPTIONS', url: '/v1/A/stacks', headers: as(otherB) });
    expect(options.statusCode).toBe(204);
    const notAllowed = await h.app.inject({ method: 'POST', url: '/v1/A/build_info', headers: as(ownerA) });
    expect(notAllowed.statusCode).toBe(405);
    expect((await h.app.inject({ url: '/', headers: as(null) })).statusCode).toBe(300);
    expect((await h.app.inject({ url: '/v1/A/nowhere/at/all', headers: as(ownerA) })).statusCode).toBe(404);
  });
});
