/**
 * The authorization matrix against a real `hearth server` with identity on: every endpoint of the API × every kind
 * of caller — the owner (member of project A), a reader of A, a member of another project B, the cloud admin, no
 * token, an expired token, a revoked token and a resource signal token — and the status each must get. Endpoints
 * that change or remove what they touch run, for each caller allowed to use them, against a fresh stack (or
 * snapshot, config, deployment) of A, so the matrix can run in any order. Then: another project's stack through
 * one's own URL is exactly a nonexistent stack, ARN lookups respect projects, and the audit trail saw it all.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type HearthProcess } from './helpers/hearth.js';
import { ADMIN_PASSWORD, Keystone, call, settled, startSecureHearth, type Answer } from './helpers/authz.js';

/** Token lifetime of the server: short, so that a token issued at the start has expired by the matrix. */
const TOKEN_TTL_SECONDS = 4;

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  resources: { r: { type: 'OS::Heat::None' }, h: { type: 'OS::Heat::WaitConditionHandle' } },
  outputs: { out: { value: 'hello' }, token: { value: { get_attr: ['h', 'token'] } } },
};
const SMALL = { heat_template_version: '2018-08-31', resources: { r: { type: 'OS::Heat::None' } } };

type CallerName = 'owner' | 'reader' | 'other' | 'admin' | 'none' | 'expired' | 'revoked' | 'signal';
const CALLERS: CallerName[] = ['owner', 'reader', 'other', 'admin', 'none', 'expired', 'revoked', 'signal'];

/** What a route needs (as in the policy table). */
type Rule = 'read' | 'write' | 'admin' | 'signal';

/** The addresses an endpoint's path is built from. */
interface Targets {
  /** Project A's id. */
  p: string;
  /** `stacks/{name}/{id}` of the stack the call addresses. */
  s: string;
  stackName: string;
  snap: string;
  event: string;
  cfg: string;
  dep: string;
}

/** What needs a fresh instance for each allowed call (the call changes or removes it). */
type Fresh = 'stack' | 'snapshot' | 'config' | 'deployment';

interface Row {
  method: string;
  path: (t: Targets) => string;
  body?: (t: Targets, caller: CallerName) => unknown;
  rule: Rule;
  /** Status of an allowed call. */
  ok: number;
  fresh?: Fresh;
  /** A server-sent event stream: read the status, then hang up. */
  stream?: boolean;
}

const row = (method: string, path: Row['path'], rule: Rule, ok: number, extra: Partial<Row> = {}): Row => ({
  method,
  path,
  rule,
  ok,
  ...extra,
});
const v1 = (t: Targets) => `/v1/${t.p}`;
const one = (t: Targets) => `/v1/${t.p}/${t.s}`;

const ROWS: Row[] = [
  row('GET', (t) => `${v1(t)}/build_info`, 'read', 200),
  row('GET', (t) => `${v1(t)}/stacks`, 'read', 200),
  row('GET', (t) => `${v1(t)}/stacks?global_tenant=true`, 'admin', 200),
  row('GET', (t) => `${v1(t)}/stacks/detail`, 'read', 200),
  row('POST', (t) => `${v1(t)}/stacks`, 'write', 201, {
    body: (_t, c) => ({ stack_name: `made-by-${c}-${randomUUID().slice(0, 8)}`, template: SMALL }),
  }),
  row('POST', (t) => `${v1(t)}/stacks/preview`, 'read', 200, {
    body: () => ({ stack_name: 'previewed', template: SMALL }),
  }),
  row('GET', (t) => `${v1(t)}/stacks/${t.stackName}`, 'read', 302),
  row('POST', (t) => `${v1(t)}/stacks/${t.stackName}/actions`, 'read', 302, {
    body: () => ({ check: null }),
  }),
  row('GET', one, 'read', 200),
  row('PUT', one, 'write', 202, { fresh: 'stack', body: () => ({ template: TEMPLATE }) }),
  row('PATCH', one, 'write', 202, { fresh: 'stack', body: () => ({ existing: true }) }),
  row('DELETE', one, 'write', 204, { fresh: 'stack' }),
  row('PUT', (t) => `${one(t)}/preview`, 'write', 200, { body: () => ({ template: TEMPLATE }) }),
  row('PATCH', (t) => `${one(t)}/preview`, 'write', 200, { body: () => ({ existing: true }) }),
  row('DELETE', (t) => `${one(t)}/abandon`, 'write', 200, { fresh: 'stack' }),
  row('GET', (t) => `${one(t)}/export`, 'write', 200),
  row('GET', (t) => `${one(t)}/template`, 'read', 200),
  row('GET', (t) => `${one(t)}/environment`, 'read', 200),
  row('GET', (t) => `${one(t)}/files`, 'read', 200),
  row('POST', (t) => `${one(t)}/actions`, 'read', 200, { fresh: 'stack', body: () => ({ check: null }) }),
  row('POST', (t) => `${one(t)}/actions`, 'write', 200, { fresh: 'stack', body: () => ({ suspend: null }) }),
  // Allowed, then refused by the engine (nothing to cancel): the policy answers first.
  row('POST', (t) => `${one(t)}/actions`, 'write', 400, { body: () => ({ cancel_update: null }) }),
  row('POST', (t) => `${one(t)}/snapshots`, 'write', 200, { fresh: 'stack', body: () => ({ name: 'snap' }) }),
  row('GET', (t) => `${one(t)}/snapshots`, 'read', 200),
  row('GET', (t) => `${one(t)}/snapshots/${t.snap}`, 'read', 200),
  row('DELETE', (t) => `${one(t)}/snapshots/${t.snap}`, 'write', 204, { fresh: 'snapshot' }),
  row('POST', (t) => `${one(t)}/snapshots/${t.snap}/restore`, 'write', 202, { fresh: 'snapshot' }),
  row('GET', (t) => `${one(t)}/outputs`, 'read', 200),
  row('GET', (t) => `${one(t)}/outputs/out`, 'read', 200),
  row('GET', (t) => `${one(t)}/resources`, 'read', 200),
  row('GET', (t) => `${one(t)}/resources/r`, 'read', 200),
  row('PATCH', (t) => `${one(t)}/resources/r`, 'write', 200, {
    fresh: 'stack',
    body: () => ({ mark_unhealthy: true, resource_status_reason: 'matrix' }),
  }),
  row('GET', (t) => `${one(t)}/resources/r/metadata`, 'read', 200),
  row('POST', (t) => `${one(t)}/resources/h/signal`, 'signal', 200, { body: () => ({ data: 'ping' }) }),
  row('GET', (t) => `${one(t)}/events`, 'read', 200),
  row('GET', (t) => `${one(t)}/resources/r/events`, 'read', 200),
  row('GET', (t) => `${one(t)}/resources/r/events/${t.event}`, 'read', 200),
  row('GET', (t) => `${one(t)}/stream`, 'read', 200, { stream: true }),
  row('POST', (t) => `${v1(t)}/validate`, 'write', 200, { body: () => ({ template: SMALL }) }),
  row('GET', (t) => `${v1(t)}/template_versions`, 'read', 200),
  row('GET', (t) => `${v1(t)}/template_versions/heat_template_version.2018-08-31/functions`, 'read', 200),
  row('GET', (t) => `${v1(t)}/resource_types`, 'read', 200),
  row('GET', (t) => `${v1(t)}/resource_types/OS::Heat::None`, 'read', 200),
  row('GET', (t) => `${v1(t)}/resource_types/OS::Heat::None/template`, 'write', 200),
  row('GET', (t) => `${v1(t)}/software_configs`, 'read', 200),
  row('POST', (t) => `${v1(t)}/software_configs`, 'write', 200, {
    body: () => ({ name: 'cfg', group: 'script', config: 'echo hi' }),
  }),
  row('GET', (t) => `${v1(t)}/software_configs/${t.cfg}`, 'read', 200),
  row('DELETE', (t) => `${v1(t)}/software_configs/${t.cfg}`, 'write', 204, { fresh: 'config' }),
  row('GET', (t) => `${v1(t)}/software_deployments`, 'read', 200),
  row('POST', (t) => `${v1(t)}/software_deployments`, 'write', 200, {
    body: (t) => ({ config_id: t.cfg, server_id: 'server-1', action: 'CREATE', status: 'IN_PROGRESS' }),
  }),
  row('GET', (t) => `${v1(t)}/software_deployments/${t.dep}`, 'read', 200),
  row('PUT', (t) => `${v1(t)}/software_deployments/${t.dep}`, 'write', 200, {
    body: () => ({ status: 'COMPLETE', status_reason: 'matrix' }),
  }),
  row('DELETE', (t) => `${v1(t)}/software_deployments/${t.dep}`, 'write', 204, { fresh: 'deployment' }),
  row('GET', (t) => `${v1(t)}/software_deployments/metadata/server-1`, 'read', 200),
  row('GET', (t) => `${v1(t)}/audit`, 'admin', 200),
];

/** The status a caller must get on a row. */
function expectedStatus(r: Row, caller: CallerName): number {
  switch (caller) {
    case 'none':
    case 'expired':
    case 'revoked':
      return 401;
    case 'signal':
      // A signal token is valid on its own resource's signal route only; anywhere else it is no token at all.
      return r.rule === 'signal' ? r.ok : 401;
    case 'other':
      return 403;
    case 'admin':
      return r.ok;
    case 'owner':
      return r.rule === 'admin' ? 403 : r.ok;
    case 'reader':
      return r.rule === 'read' || r.rule === 'signal' ? r.ok : 403;
  }
}

let server: HearthProcess;
let keystone: Keystone;
const passwords: Record<'owner' | 'reader' | 'other' | 'admin', [string, string, string]> = {
  owner: ['owner', 'owner-pw-1234', 'project-a'],
  reader: ['reader', 'reader-pw-1234', 'project-a'],
  other: ['other', 'other-pw-1234', 'project-b'],
  admin: ['admin', ADMIN_PASSWORD, 'admin'],
};
const tokens = new Map<CallerName, { token: string; expiresAt: number }>();
let expired: { token: string; expiresAt: number };
let revoked: string;
let signalToken: string;
let projectA: string;
let projectB: string;
let main: Targets;
let stackB: { name: string; id: string };

/** A valid token of a signed-in caller (signed in again shortly before it expires). */
async function tokenOf(caller: 'owner' | 'reader' | 'other' | 'admin'): Promise<string> {
  const known = tokens.get(caller);
  if (known && known.expiresAt - Date.now() > 2000) return known.token;
  const [user, password, project] = passwords[caller];
  const signed = await keystone.signIn(user, password, project);
  tokens.set(caller, { token: signed.token, expiresAt: Date.parse(signed.expiresAt) });
  return signed.token;
}

/** The `X-Auth-Token` a caller sends (none for `none`). */
async function tokenFor(caller: CallerName): Promise<string | undefined> {
  switch (caller) {
    case 'none':
      return undefined;
    case 'expired': {
      const wait = expired.expiresAt + 250 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return expired.token;
    }
    case 'revoked':
      return revoked;
    case 'signal':
      return signalToken;
    default:
      return tokenOf(caller);
  }
}

/** Creates a stack in A as the owner and waits for it. */
async function freshStack(name = `fresh-${randomUUID().slice(0, 8)}`): Promise<{ name: string; id: string }> {
  const token = await tokenOf('owner');
  const r = await call('POST', `${server.url}/v1/${projectA}/stacks`, {
    token,
    body: { stack_name: name, template: TEMPLATE },
  });
  expect(r.status).toBe(201);
  const stack = { name, id: r.body.stack.id as string };
  const done = await settled(
    `${server.url}/v1/${projectA}/stacks/${name}/${stack.id}`,
    await tokenOf('owner'),
  );
  expect(done.stack_status).toBe('CREATE_COMPLETE');
  return stack;
}

/** Creates a snapshot of a stack as the owner and waits for it. */
async function freshSnapshot(stack: { name: string; id: string }): Promise<string> {
  const url = `${server.url}/v1/${projectA}/stacks/${stack.name}/${stack.id}`;
  const r = await call('POST', `${url}/snapshots`, { token: await tokenOf('owner'), body: { name: 'base' } });
  expect(r.status).toBe(200);
  const id = r.body.id as string;
  await settled(url, await tokenOf('owner'));
  return id;
}

async function freshConfig(): Promise<string> {
  const r = await call('POST', `${server.url}/v1/${projectA}/software_configs`, {
    token: await tokenOf('owner'),
    body: { name: 'fresh', group: 'script', config: 'echo fresh' },
  });
  expect(r.status).toBe(200);
  return r.body.software_config.id;
}

async function freshDeployment(configId: string): Promise<string> {
  const r = await call('POST', `${server.url}/v1/${projectA}/software_deployments`, {
    token: await tokenOf('owner'),
    body: { config_id: configId, server_id: 'server-1', action: 'CREATE', status: 'IN_PROGRESS' },
  });
  expect(r.status).toBe(200);
  return r.body.software_deployment.id;
}

/** The targets one call of a row uses: the shared ones, or fresh ones when the call is allowed and changes them. */
async function targetsFor(r: Row, allowed: boolean): Promise<Targets> {
  if (!allowed || !r.fresh) return main;
  switch (r.fresh) {
    case 'stack': {
      const s = await freshStack();
      return { ...main, s: `stacks/${s.name}/${s.id}`, stackName: s.name };
    }
    case 'snapshot': {
      const s = await freshStack();
      return { ...main, s: `stacks/${s.name}/${s.id}`, stackName: s.name, snap: await freshSnapshot(s) };
    }
    case 'config':
      return { ...main, cfg: await freshConfig() };
    case 'deployment':
      return { ...main, dep: await freshDeployment(main.cfg) };
  }
}

/** Sends one call of the matrix. */
async function send(r: Row, caller: CallerName, t: Targets): Promise<Answer> {
  const token = await tokenFor(caller);
  const url = `${server.url}${r.path(t)}`;
  if (!r.stream) return call(r.method, url, { token, ...(r.body ? { body: r.body(t, caller) } : {}) });
  const abort = new AbortController();
  const res = await fetch(url, {
    signal: abort.signal,
    headers: { accept: 'text/event-stream', ...(token ? { 'x-auth-token': token } : {}) },
  });
  const answer: Answer = { status: res.status, body: null, headers: res.headers };
  if (res.status !== 200) answer.body = await res.json();
  abort.abort();
  return answer;
}

beforeAll(async () => {
  server = await startSecureHearth(['--token-ttl', String(TOKEN_TTL_SECONDS), '--enable-abandon']);
  keystone = new Keystone(server.url);
  const admin = await tokenOf('admin');
  projectA = await keystone.createProject(admin, 'project-a');
  projectB = await keystone.createProject(admin, 'project-b');
  await keystone.createUser(admin, 'owner', passwords.owner[1], projectA, 'member');
  await keystone.createUser(admin, 'reader', passwords.reader[1], projectA, 'reader');
  await keystone.createUser(admin, 'other', passwords.other[1], projectB, 'member');
  const soonExpired = await keystone.signIn('owner', passwords.owner[1], 'project-a');
  expired = { token: soonExpired.token, expiresAt: Date.parse(soonExpired.expiresAt) };
  revoked = (await keystone.signIn('owner', passwords.owner[1], 'project-a')).token;
  expect((await call('GET', `${server.url}/v1/${projectA}/stacks`, { token: revoked })).status).toBe(200);
  await keystone.revoke(revoked);

  const alpha = await freshStack('alpha');
  const s = `stacks/alpha/${alpha.id}`;
  const owner = await tokenOf('owner');
  const base = `${server.url}/v1/${projectA}/${s}`;
  signalToken = (await call('GET', `${base}/outputs/token`, { token: owner })).body.output.output_value;
  expect(typeof signalToken).toBe('string');
  const snap = await freshSnapshot(alpha);
  const events = await call('GET', `${base}/resources/r/events`, { token: owner });
  const cfg = await freshConfig();
  const dep = await freshDeployment(cfg);
  main = { p: projectA, s, stackName: 'alpha', snap, event: events.body.events[0].id, cfg, dep };

  const other = await tokenOf('other');
  const b = await call('POST', `${server.url}/v1/${projectB}/stacks`, {
    token: other,
    body: { stack_name: 'beta', template: SMALL },
  });
  expect(b.status).toBe(201);
  stackB = { name: 'beta', id: b.body.stack.id };
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('every endpoint × every caller', () => {
  it('answers each caller as the policy says', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const r of ROWS) {
      for (const caller of CALLERS) {
        checked += 1;
        const want = expectedStatus(r, caller);
        const t = await targetsFor(r, want === r.ok);
        const answer = await send(r, caller, t);
        const label = `${caller} ${r.method} ${r.path(main).replace(projectA, '{A}')}`;
        if (answer.status !== want) {
          mismatches.push(`${label}: ${answer.status} (expected ${want}) ${JSON.stringify(answer.body)}`);
          continue;
        }
        if (want === 401) {
          if (answer.body?.error?.code !== 401)
            mismatches.push(`${label}: 401 body ${JSON.stringify(answer.body)}`);
        } else if (want === 403 && caller === 'other') {
          if (answer.body?.error?.message !== 'Access was denied to this resource.') {
            mismatches.push(`${label}: 403 body ${JSON.stringify(answer.body)}`);
          }
        } else if (want === 403) {
          if (
            !/^You are not authorized to use [a-z_]+:[a-z_]+\.$/.test(String(answer.body?.error?.message))
          ) {
            mismatches.push(`${label}: 403 body ${JSON.stringify(answer.body)}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(ROWS.length * CALLERS.length);
  }, 180_000);
});

describe('nothing leaks across projects', () => {
  it('answers another project’s stack through one’s own URL exactly as a nonexistent stack', async () => {
    const token = await tokenOf('other');
    const alphaId = main.s.split('/')[2]!;
    for (const sub of ['', '/resources', '/resources/r', '/events', '/outputs', '/template', '/snapshots']) {
      const foreign = await call('GET', `${server.url}/v1/${projectB}/stacks/alpha/${alphaId}${sub}`, {
        token,
      });
      const missing = await call('GET', `${server.url}/v1/${projectB}/stacks/alpha/${randomUUID()}${sub}`, {
        token,
      });
      expect({ sub, status: foreign.status }).toEqual({ sub, status: 404 });
      expect(foreign.body).toEqual(missing.body);
      expect(JSON.stringify(foreign.body)).not.toContain(alphaId);
    }
    const byName = await call('GET', `${server.url}/v1/${projectB}/stacks/alpha`, { token });
    const noSuch = await call('GET', `${server.url}/v1/${projectB}/stacks/no-such-stack`, { token });
    expect(byName.status).toBe(404);
    expect(byName.body.error.type).toBe(noSuch.body.error.type);
  });

  it('checks both projects of a stack ARN lookup', async () => {
    const alphaArn = encodeURIComponent(`arn:openstack:heat::${projectA}:stacks/alpha`);
    const viaOwnUrl = await call('GET', `${server.url}/v1/${projectB}/stacks/${alphaArn}`, {
      token: await tokenOf('other'),
    });
    expect(viaOwnUrl.status).toBe(403);
    expect(viaOwnUrl.body.error.message).toBe('Access was denied to this resource.');
    const own = await call('GET', `${server.url}/v1/${projectA}/stacks/${alphaArn}`, {
      token: await tokenOf('reader'),
    });
    expect(own.status).toBe(302);
    expect(own.headers.get('location')).toContain(`/v1/${projectA}/stacks/alpha/`);
  });

  it('lists every project only for the admin’s global_tenant, with the tenant filter', async () => {
    const admin = await tokenOf('admin');
    const all = await call(
      'GET',
      `${server.url}/v1/${projectA}/stacks?global_tenant=true&tenant=${projectB}`,
      {
        token: admin,
      },
    );
    expect(all.status).toBe(200);
    expect(all.body.stacks.map((s: { id: string }) => s.id)).toEqual([stackB.id]);
  });
});

describe('the audit trail of the matrix', () => {
  it('holds the project’s successes and refusals, and a foreign caller’s refusals in its own project', async () => {
    const admin = await tokenOf('admin');
    const auditA = (await call('GET', `${server.url}/v1/${projectA}/audit`, { token: admin })).body.audit as {
      user_name: string;
      result: string;
      action: string;
      method: string;
    }[];
    expect(
      auditA.some((r) => r.user_name === 'owner' && r.result === 'success' && r.action === 'stacks:create'),
    ).toBe(true);
    expect(
      auditA.some((r) => r.user_name === 'reader' && r.result === 'denied' && r.action === 'stacks:delete'),
    ).toBe(true);
    expect(auditA.some((r) => r.user_name === 'other')).toBe(false);
    expect(auditA.every((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))).toBe(true);
    const auditB = (await call('GET', `${server.url}/v1/${projectB}/audit`, { token: admin })).body.audit as {
      user_name: string;
      result: string;
    }[];
    expect(auditB.some((r) => r.user_name === 'other' && r.result === 'denied')).toBe(true);
    // The identity admin calls of the setup, in the admin's own project.
    const adminProject = (await keystone.signIn('admin', ADMIN_PASSWORD, 'admin')).projectId;
    const auditAdmin = (await call('GET', `${server.url}/v1/${adminProject}/audit`, { token: admin })).body
      .audit as { action: string; route: string; result: string; target: string }[];
    expect(auditAdmin).toContainEqual(
      expect.objectContaining({
        action: 'identity:create_project',
        route: '/v3/projects',
        result: 'success',
      }),
    );
    expect(auditAdmin).toContainEqual(
      expect.objectContaining({ action: 'identity:create_grant', result: 'success' }),
    );
  });

  it('reads through `hearth audit list`, filtered, as JSON and as a table', async () => {
    const run = async (...args: string[]) =>
      (
        await promisify(execFile)(process.execPath, [
          BIN,
          '--endpoint',
          `${server.url}/v1/${projectA}`,
          '--os-token',
          await tokenOf('admin'),
          'audit',
          'list',
          ...args,
        ])
      ).stdout;
    const denied = JSON.parse(
      await run('--result', 'denied', '--action', 'stacks:delete', '-f', 'json'),
    ) as Record<string, unknown>[];
    expect(denied.length).toBeGreaterThan(0);
    for (const r of denied) expect(r).toMatchObject({ Action: 'stacks:delete', Result: 'denied' });
    const table = await run('--limit', '2', '--long');
    expect(table).toContain('| Request ID');
    expect(table.trim().split('\n').length).toBe(2 + 4);
  });
});
