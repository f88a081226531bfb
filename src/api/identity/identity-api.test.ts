/**
 * The `/v3` Keystone subset and the `/v1` auth hook through `app.inject`, over the real identity service and a
 * real SQLite file (the Heat engine is the API tests' fake: these tests are about identity).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { SignalTokens } from '../../engine/signal-tokens.js';
import { UNAUTHORIZED_MESSAGE } from '../../identity/errors.js';
import { roleId } from '../../identity/roles.js';
import { IdentityService, type IdentityOptions } from '../../identity/service.js';
import { temporaryDirectory } from '../../store/fixtures.js';
import { SqlIdentityStore } from '../../store/identity-store.js';
import { openSqliteStore } from '../../store/sqlite.js';
import type { SqlStore } from '../../store/sql-store.js';
import { buildApi } from '../app.js';
import { fakeEngine, type FakeEngine } from '../testing/fake-engine.js';

const PUBLIC = 'http://hearth.example:8004';
const ADMIN_PW = 'admin secret';
const CHEAP = { logN: 10, r: 8, p: 1 };
const HEX32 = /^[0-9a-f]{32}$/;

interface Harness {
  app: FastifyInstance;
  identity: IdentityService;
  engine: FakeEngine;
  signals: SignalTokens;
  sql: SqlStore;
  close(): Promise<void>;
}

let harness: Harness | undefined;

async function start(options: IdentityOptions = {}, insecureNoauth = false): Promise<Harness> {
  const dir = temporaryDirectory('hearth-identity-api-');
  const sql = await openSqliteStore(join(dir.path, 'h.db'));
  const identity = new IdentityService(new SqlIdentityStore(sql.db), { hashCost: CHEAP, ...options });
  await identity.bootstrap(ADMIN_PW);
  const engine = fakeEngine();
  const signals = new SignalTokens(randomBytes(32), PUBLIC);
  const app = buildApi(engine, { insecureNoauth, identity, signals, publicUrl: () => PUBLIC });
  await app.ready();
  harness = {
    app,
    identity,
    engine,
    signals,
    sql,
    close: async () => {
      await app.close();
      await sql.close();
      dir.remove();
    },
  };
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A password sign-in body. */
function passwordBody(user: string, password: string, project?: string | { id: string }): unknown {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: { user: { name: user, domain: { name: 'Default' }, password } },
      },
      ...(project === undefined
        ? {}
        : {
            scope: {
              project: typeof project === 'string' ? { name: project, domain: { id: 'default' } } : project,
            },
          }),
    },
  };
}

async function signIn(
  h: Harness,
  user = 'admin',
  password = ADMIN_PW,
  project: string | { id: string } | null = 'admin',
  remoteAddress = '127.0.0.1',
): Promise<LightMyRequestResponse> {
  return h.app.inject({
    method: 'POST',
    url: '/v3/auth/tokens',
    payload: passwordBody(user, password, project ?? undefined) as object,
    remoteAddress,
  });
}

async function tokenOf(h: Harness, user = 'admin', password = ADMIN_PW, project = 'admin'): Promise<string> {
  const res = await signIn(h, user, password, project);
  expect(res.statusCode, res.body).toBe(201);
  return res.headers['x-subject-token'] as string;
}

/** An admin request helper. */
function call(h: Harness, token: string | undefined, method: string, url: string, payload?: unknown) {
  return h.app.inject({
    method: method as 'GET',
    url,
    headers: token ? { 'x-auth-token': token } : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

/** Creates a project and a user with a role there; returns their ids. */
async function member(h: Harness, admin: string, user: string, project: string, role = 'member') {
  const p = await call(h, admin, 'POST', '/v3/projects', { project: { name: project } });
  const projectId =
    p.statusCode === 201
      ? p.json().project.id
      : (await h.identity.directory.listProjects({ name: project }))[0]!.id;
  const u = await call(h, admin, 'POST', '/v3/users', { user: { name: user, password: `${user}-pw` } });
  expect(u.statusCode, u.body).toBe(201);
  const userId = u.json().user.id as string;
  const g = await call(h, admin, 'PUT', `/v3/projects/${projectId}/users/${userId}/roles/${role}`);
  expect(g.statusCode, g.body).toBe(204);
  return { projectId, userId };
}

const unauthorizedBody = {
  error: { code: 401, title: 'Unauthorized', message: UNAUTHORIZED_MESSAGE },
};

describe('version discovery', () => {
  it('answers the v3 version document at /v3 and /v3/, and keeps Heat versions at /', async () => {
    const h = await start();
    for (const url of ['/v3', '/v3/']) {
      const res = await h.app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        version: {
          id: 'v3.14',
          status: 'stable',
          updated: '2020-04-07T00:00:00Z',
          links: [{ rel: 'self', href: `${PUBLIC}/v3/` }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
        },
      });
    }
    const root = await h.app.inject({ url: '/' });
    expect(root.statusCode).toBe(300);
    expect(root.json().versions[0].id).toBe('v1.0');
  });
});

describe('POST /v3/auth/tokens', () => {
  it('signs in with a password and answers 201, X-Subject-Token and the Keystone token body', async () => {
    const h = await start();
    const res = await signIn(h);
    expect(res.statusCode).toBe(201);
    const token = res.headers['x-subject-token'] as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const body = res.json().token;
    expect(Object.keys(body).sort()).toEqual(
      [
        'audit_ids',
        'catalog',
        'expires_at',
        'is_domain',
        'issued_at',
        'methods',
        'project',
        'roles',
        'user',
      ].sort(),
    );
    expect(body.methods).toEqual(['password']);
    expect(body.user).toEqual({
      id: expect.stringMatching(HEX32),
      name: 'admin',
      domain: { id: 'default', name: 'Default' },
      password_expires_at: null,
    });
    expect(body.project).toEqual({
      id: expect.stringMatching(HEX32),
      name: 'admin',
      domain: { id: 'default', name: 'Default' },
    });
    expect(body.roles).toEqual([
      { id: roleId('admin'), name: 'admin' },
      { id: roleId('member'), name: 'member' },
      { id: roleId('reader'), name: 'reader' },
    ]);
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(Date.parse(body.expires_at) - Date.parse(body.issued_at)).toBe(3600_000);
    expect(body.audit_ids).toEqual([expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)]);
    const byType = Object.fromEntries(body.catalog.map((s: any) => [s.type, s]));
    expect(byType.orchestration.name).toBe('heat');
    expect(byType.identity.name).toBe('keystone');
    expect(byType.orchestration.endpoints.map((e: any) => [e.interface, e.region_id, e.url])).toEqual([
      ['public', 'RegionOne', `${PUBLIC}/v1/${body.project.id}`],
      ['internal', 'RegionOne', `${PUBLIC}/v1/${body.project.id}`],
      ['admin', 'RegionOne', `${PUBLIC}/v1/${body.project.id}`],
    ]);
    expect(byType.identity.endpoints[0]).toMatchObject({
      interface: 'public',
      region: 'RegionOne',
      url: `${PUBLIC}/v3`,
    });
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it('scopes by project id, omits the catalog for ?nocatalog, answers an unscoped token without a project', async () => {
    const h = await start();
    const adminProject = (await h.identity.directory.listProjects({ name: 'admin' }))[0]!;
    const byId = await h.app.inject({
      method: 'POST',
      url: '/v3/auth/tokens?nocatalog',
      payload: passwordBody('admin', ADMIN_PW, { id: adminProject.id }) as object,
    });
    expect(byId.statusCode).toBe(201);
    expect(byId.json().token.project.id).toBe(adminProject.id);
    expect(byId.json().token.catalog).toBeUndefined();
    const admin = byId.headers['x-subject-token'] as string;
    const { userId } = await member(h, admin, 'loner', 'lonely');
    await h.identity.directory.revokeGrant(
      (await h.identity.directory.listProjects({ name: 'lonely' }))[0]!.id,
      userId,
      'member',
    );
    const unscoped = await signIn(h, 'loner', 'loner-pw', null);
    expect(unscoped.statusCode).toBe(201);
    expect(unscoped.json().token.project).toBeUndefined();
    expect(unscoped.json().token.roles).toBeUndefined();
    expect(unscoped.json().token.catalog).toEqual([]);
  });

  it('rescopes with the token method and signs in with an application credential', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const rescoped = await h.app.inject({
      method: 'POST',
      url: '/v3/auth/tokens',
      payload: {
        auth: {
          identity: { methods: ['token'], token: { id: admin } },
          scope: { project: { name: 'admin', domain: { name: 'Default' } } },
        },
      },
    });
    expect(rescoped.statusCode, rescoped.body).toBe(201);
    expect(rescoped.json().token.methods).toEqual(['token']);
  });

  it('refuses malformed bodies with 400 naming the field, never echoing a secret', async () => {
    const h = await start();
    const cases: [unknown, string][] = [
      [undefined, "Invalid input for field 'body': expected an object, got nothing."],
      [{ auth: 1 }, "Invalid input for field 'auth': expected an object, got number 1."],
      [{ auth: { identity: {} } }, "Invalid input for field 'auth.identity.methods'"],
      [
        { auth: { identity: { methods: ['totp'] } } },
        '\'auth.identity.methods[0]\': the string "totp" is not a supported method',
      ],
      [
        { auth: { identity: { methods: ['password'] } } },
        "'auth.identity.password': expected an object, got nothing.",
      ],
      [
        {
          auth: {
            identity: { methods: ['password'], password: { user: { name: 'admin', password: 12345678 } } },
          },
        },
        "Invalid input for field 'auth.identity.password.user.password': expected a string, got a number.",
      ],
      [
        { auth: { identity: { methods: ['password'], password: { user: { password: 'x' } } } } },
        '\'auth.identity.password.user\': expected "id", or "name" with "domain".',
      ],
      [
        {
          auth: {
            identity: { methods: ['password'], password: { user: { name: 'a', password: 'x' } } },
            scope: 7,
          },
        },
        "'auth.scope': expected an object, got number 7.",
      ],
    ];
    for (const [payload, message] of cases) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/v3/auth/tokens',
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe(400);
      expect(res.json().error.title).toBe('Bad Request');
      expect(res.json().error.message).toContain(message);
      expect(res.body).not.toContain('12345678');
    }
    const notJson = await h.app.inject({
      method: 'POST',
      url: '/v3/auth/tokens',
      headers: { 'content-type': 'application/json' },
      payload: '{"auth": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toMatchObject({ code: 400, title: 'Bad Request' });
  });

  it('answers a wrong password, an unknown user, a disabled user and a foreign project identically', async () => {
    const h = await start({ hashCost: undefined, userFailureLimit: { failures: 100, windowMs: 60_000 } });
    const admin = await tokenOf(h);
    await member(h, admin, 'dora', 'elsewhere');
    const disabled = await call(h, admin, 'POST', '/v3/users', {
      user: { name: 'off', password: 'off-pw', enabled: false },
    });
    expect(disabled.statusCode).toBe(201);
    const attempts: [string, string, string][] = [
      ['admin', 'wrong password', 'admin'],
      ['nobody', ADMIN_PW, 'admin'],
      ['off', 'off-pw', 'admin'],
      ['dora', 'dora-pw', 'admin'],
      ['admin', ADMIN_PW, 'no-such-project'],
    ];
    const answers: string[] = [];
    const times: number[] = [];
    for (const [i, [user, pw, project]] of attempts.entries()) {
      const t0 = performance.now();
      const res = await signIn(h, user, pw, project, `10.0.0.${i}`);
      times.push(performance.now() - t0);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(unauthorizedBody);
      answers.push(JSON.stringify([res.body, res.headers['www-authenticate'], res.headers['content-type']]));
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain(`Keystone uri=\\"${PUBLIC}/v3\\"`);
    expect(times).toHaveLength(attempts.length);
    // Each attempt costs one scrypt hash, the unknown user's included (a dummy hash): similar times (medians of 3).
    const median = async (user: string, pw: string) => {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await signIn(h, user, pw, 'admin', `10.0.1.${samples.length}`);
        samples.push(performance.now() - t0);
      }
      return samples.sort((a, b) => a - b)[1]!;
    };
    const wrongPassword = await median('admin', 'wrong password');
    const unknownUser = await median('nobody', 'wrong password');
    expect(unknownUser).toBeGreaterThan(wrongPassword / 3);
    expect(unknownUser).toBeLessThan(wrongPassword * 3);
  });

  it('rate-limits failed attempts per user name with 429 and Retry-After, without revealing whether the user exists', async () => {
    const h = await start();
    for (const user of ['admin', 'ghost']) {
      for (let i = 0; i < 5; i++) {
        expect((await signIn(h, user, 'guess', 'admin', `10.1.${i}.1`)).statusCode).toBe(401);
      }
      const blocked = await signIn(h, user, ADMIN_PW, 'admin', '10.1.9.1');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBe('300');
      expect(blocked.json()).toEqual({
        error: {
          code: 429,
          title: 'Too Many Requests',
          message: 'Too many failed authentication attempts; try again in 300 seconds.',
        },
      });
    }
  });

  it('rate-limits failed attempts per client address', async () => {
    const h = await start({ addressFailureLimit: { failures: 3, windowMs: 60_000 } });
    for (const user of ['a', 'b', 'c'])
      expect((await signIn(h, user, 'x', 'admin', '192.0.2.1')).statusCode).toBe(401);
    expect((await signIn(h, 'admin', ADMIN_PW, 'admin', '192.0.2.1')).statusCode).toBe(429);
    expect((await signIn(h, 'admin', ADMIN_PW, 'admin', '192.0.2.2')).statusCode).toBe(201);
  });
});

describe('GET, HEAD and DELETE /v3/auth/tokens', () => {
  it('validates the subject token for its owner and for an admin, not for another user', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    await member(h, admin, 'erin', 'proj-e');
    const erin = await tokenOf(h, 'erin', 'erin-pw', 'proj-e');
    const own = await h.app.inject({
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': erin, 'x-subject-token': erin },
    });
    expect(own.statusCode).toBe(200);
    expect(own.headers['x-subject-token']).toBe(erin);
    expect(own.json().token.user.name).toBe('erin');
    expect(own.json().token.roles.map((r: any) => r.name)).toEqual(['member', 'reader']);
    const byAdmin = await h.app.inject({
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': erin },
    });
    expect(byAdmin.statusCode).toBe(200);
    const head = await h.app.inject({
      method: 'HEAD',
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': erin },
    });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    const foreign = await h.app.inject({
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': erin, 'x-subject-token': admin },
    });
    expect(foreign.statusCode).toBe(403);
    const unknown = await h.app.inject({
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': 'nope' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: { code: 404, title: 'Not Found', message: 'Could not find token.' },
    });
    const noSubject = await h.app.inject({ url: '/v3/auth/tokens', headers: { 'x-auth-token': admin } });
    expect(noSubject.statusCode).toBe(400);
    expect(noSubject.json().error.message).toContain("'X-Subject-Token'");
    const anonymous = await h.app.inject({ url: '/v3/auth/tokens', headers: { 'x-subject-token': admin } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe(`Keystone uri="${PUBLIC}/v3"`);
    expect(anonymous.json()).toEqual(unauthorizedBody);
  });

  it('revokes a token: it stops working at once on /v1 and /v3', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const other = await tokenOf(h);
    const project = (await h.identity.directory.listProjects({ name: 'admin' }))[0]!.id;
    expect((await call(h, other, 'GET', `/v1/${project}/stacks`)).statusCode).toBe(200);
    const del = await h.app.inject({
      method: 'DELETE',
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': other },
    });
    expect(del.statusCode).toBe(204);
    expect((await call(h, other, 'GET', `/v1/${project}/stacks`)).statusCode).toBe(401);
    expect((await call(h, other, 'GET', '/v3/projects')).statusCode).toBe(401);
    const again = await h.app.inject({
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': other },
    });
    expect(again.statusCode).toBe(404);
  });
});

describe('the /v1 auth hook', () => {
  it('refuses a missing, unknown or unscoped token with a Keystone 401 and WWW-Authenticate', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const { userId } = await member(h, admin, 'solo', 'p-solo');
    const project = (await h.identity.directory.listProjects({ name: 'p-solo' }))[0]!.id;
    await h.identity.directory.updateUser(userId, { defaultProjectId: null });
    const unscopedAnswer = await signIn(h, 'solo', 'solo-pw', null);
    expect(unscopedAnswer.statusCode).toBe(201);
    expect(unscopedAnswer.json().token.project).toBeUndefined();
    const unscoped = unscopedAnswer.headers['x-subject-token'] as string;
    for (const token of [undefined, 'garbage', unscoped]) {
      const res = await call(h, token, 'GET', `/v1/${project}/stacks`);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual(unauthorizedBody);
      expect(res.headers['www-authenticate']).toBe(`Keystone uri="${PUBLIC}/v3"`);
    }
  });

  it('lets a valid token through and makes its user the stack owner', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const { projectId } = await member(h, admin, 'frank', 'p-frank');
    const frank = await tokenOf(h, 'frank', 'frank-pw', 'p-frank');
    const res = await call(h, frank, 'POST', `/v1/${projectId}/stacks`, {
      stack_name: 's1',
      template: { heat_template_version: '2018-08-31' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(h.engine.calls.created.at(-1)?.username).toBe('frank');
  });

  it('refuses an expired token', async () => {
    const h = await start({ tokenTtlSeconds: 1 });
    const admin = await tokenOf(h);
    const project = (await h.identity.directory.listProjects({ name: 'admin' }))[0]!.id;
    expect((await call(h, admin, 'GET', `/v1/${project}/stacks`)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(h, admin, 'GET', `/v1/${project}/stacks`)).statusCode).toBe(401);
  });

  it("refuses a deleted user's token, and a token whose role was removed", async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const g = await member(h, admin, 'gina', 'p-gina');
    const h2 = await member(h, admin, 'hank', 'p-gina');
    const gina = await tokenOf(h, 'gina', 'gina-pw', 'p-gina');
    const hank = await tokenOf(h, 'hank', 'hank-pw', 'p-gina');
    expect((await call(h, gina, 'GET', `/v1/${g.projectId}/stacks`)).statusCode).toBe(200);
    expect((await call(h, admin, 'DELETE', `/v3/users/${g.userId}`)).statusCode).toBe(204);
    expect((await call(h, gina, 'GET', `/v1/${g.projectId}/stacks`)).statusCode).toBe(401);
    expect(
      (await call(h, admin, 'DELETE', `/v3/projects/${h2.projectId}/users/${h2.userId}/roles/member`))
        .statusCode,
    ).toBe(204);
    expect((await call(h, hank, 'GET', `/v1/${h2.projectId}/stacks`)).statusCode).toBe(401);
  });

  it("accepts a resource's signal token on its signal route only (header or signal_token query)", async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const project = (await h.identity.directory.listProjects({ name: 'admin' }))[0]!.id;
    const created = await call(h, admin, 'POST', `/v1/${project}/stacks`, {
      stack_name: 'sig',
      template: { heat_template_version: '2018-08-31' },
    });
    const stackId = created.json().stack.id as string;
    const signalUrl = `/v1/${project}/stacks/sig/${stackId}/resources/a/signal`;
    const token = h.signals.token(project, stackId, 'a');
    const viaHeader = await call(h, token, 'POST', signalUrl, { x: 1 });
    expect(viaHeader.statusCode, viaHeader.body).toBe(200);
    const viaQuery = await h.app.inject({
      method: 'POST',
      url: `${signalUrl}?signal_token=${token}`,
      payload: { x: 2 },
    });
    expect(viaQuery.statusCode, viaQuery.body).toBe(200);
    expect(h.engine.calls.signals.map((s) => s.details)).toEqual([{ x: 1 }, { x: 2 }]);
    const otherResource = h.signals.token(project, stackId, 'b');
    expect((await call(h, otherResource, 'POST', signalUrl, {})).statusCode).toBe(401);
    expect((await call(h, token, 'GET', `/v1/${project}/stacks`)).statusCode).toBe(401);
  });

  it('under --insecure-noauth trusts the URL tenant and X-Auth-User', async () => {
    const h = await start({}, true);
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/demo/stacks',
      headers: { 'x-auth-user': 'ivy' },
      payload: { stack_name: 'n', template: { heat_template_version: '2018-08-31' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(h.engine.calls.created.at(-1)?.username).toBe('ivy');
  });
});

describe('admin API', () => {
  it('creates, lists, shows, updates and deletes projects (admin only)', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const created = await call(h, admin, 'POST', '/v3/projects', {
      project: { name: 'web', description: 'the web tier' },
    });
    expect(created.statusCode).toBe(201);
    const project = created.json().project;
    expect(project).toEqual({
      id: expect.stringMatching(HEX32),
      name: 'web',
      domain_id: 'default',
      description: 'the web tier',
      enabled: true,
      parent_id: 'default',
      is_domain: false,
      tags: [],
      options: {},
      links: { self: `${PUBLIC}/v3/projects/${project.id}` },
    });
    expect((await call(h, admin, 'POST', '/v3/projects', { project: { name: 'web' } })).statusCode).toBe(409);
    const list = await call(h, admin, 'GET', '/v3/projects');
    expect(list.json().projects.map((p: any) => p.name)).toEqual(['admin', 'web']);
    expect(list.json().links).toEqual({ self: `${PUBLIC}/v3/projects`, previous: null, next: null });
    expect((await call(h, admin, 'GET', '/v3/projects?name=web')).json().projects).toHaveLength(1);
    expect((await call(h, admin, 'GET', `/v3/projects/${project.id}`)).json().project.name).toBe('web');
    const patched = await call(h, admin, 'PATCH', `/v3/projects/${project.id}`, {
      project: { description: 'x' },
    });
    expect(patched.json().project.description).toBe('x');
    expect((await call(h, admin, 'DELETE', `/v3/projects/${project.id}`)).statusCode).toBe(204);
    const gone = await call(h, admin, 'GET', `/v3/projects/${project.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({
      error: { code: 404, title: 'Not Found', message: `Could not find project: ${project.id}.` },
    });
  });

  it('refuses non-admins (403) and anonymous callers (401)', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    await member(h, admin, 'jack', 'p-jack');
    const jack = await tokenOf(h, 'jack', 'jack-pw', 'p-jack');
    const denied = await call(h, jack, 'GET', '/v3/projects');
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({
      error: {
        code: 403,
        title: 'Forbidden',
        message: 'You are not authorized to perform the requested action: identity:list_projects.',
      },
    });
    for (const [method, url] of [
      ['POST', '/v3/projects'],
      ['GET', '/v3/users'],
      ['POST', '/v3/users'],
      ['GET', '/v3/role_assignments'],
    ] as const) {
      expect(
        (await call(h, jack, method, url, { project: { name: 'z' }, user: { name: 'z' } })).statusCode,
      ).toBe(403);
      expect((await call(h, undefined, method, url, {})).statusCode).toBe(401);
    }
  });

  it('manages users: created without exposing the password, changed, deleted', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const created = await call(h, admin, 'POST', '/v3/users', {
      user: { name: 'kim', password: 'kim-pw-1', description: 'ops' },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json().user;
    expect(user).toEqual({
      id: expect.stringMatching(HEX32),
      name: 'kim',
      domain_id: 'default',
      enabled: true,
      description: 'ops',
      password_expires_at: null,
      options: {},
      links: { self: `${PUBLIC}/v3/users/${user.id}` },
    });
    expect(created.body).not.toContain('kim-pw-1');
    expect(created.body).not.toContain('scrypt');
    expect((await call(h, admin, 'POST', '/v3/users', { user: { name: 'kim' } })).statusCode).toBe(409);
    expect((await call(h, admin, 'GET', '/v3/users?name=kim')).json().users.map((u: any) => u.id)).toEqual([
      user.id,
    ]);
    const project = (await h.identity.directory.listProjects({ name: 'admin' }))[0]!.id;
    await call(h, admin, 'PUT', `/v3/projects/${project}/users/${user.id}/roles/reader`);
    const kim = await tokenOf(h, 'kim', 'kim-pw-1', 'admin');
    expect((await call(h, kim, 'GET', `/v3/users/${user.id}`)).statusCode).toBe(200);
    const changed = await call(h, admin, 'PATCH', `/v3/users/${user.id}`, { user: { password: 'kim-pw-2' } });
    expect(changed.statusCode).toBe(200);
    expect((await call(h, kim, 'GET', `/v1/${project}/stacks`)).statusCode).toBe(401);
    expect((await signIn(h, 'kim', 'kim-pw-1', 'admin')).statusCode).toBe(401);
    const kim2 = await tokenOf(h, 'kim', 'kim-pw-2', 'admin');
    const self = await call(h, kim2, 'POST', `/v3/users/${user.id}/password`, {
      user: { original_password: 'kim-pw-2', password: 'kim-pw-3' },
    });
    expect(self.statusCode, self.body).toBe(204);
    expect((await signIn(h, 'kim', 'kim-pw-3', 'admin')).statusCode).toBe(201);
    expect((await call(h, admin, 'DELETE', `/v3/users/${user.id}`)).statusCode).toBe(204);
    expect((await call(h, admin, 'DELETE', `/v3/users/${user.id}`)).statusCode).toBe(404);
  });

  it('refuses malformed admin bodies with the path of the bad field', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const cases: [string, unknown, string][] = [
      ['/v3/projects', {}, "Invalid input for field 'project': expected an object, got nothing."],
      ['/v3/projects', { project: { name: '' } }, "'project.name': expected 1 to 255 characters"],
      [
        '/v3/projects',
        { project: { name: ' x' } },
        '\'project.name\': the string " x" has leading or trailing blanks.',
      ],
      [
        '/v3/projects',
        { project: { name: 'x', enabled: 'yes' } },
        "'project.enabled': expected true or false",
      ],
      ['/v3/projects', { project: { name: 'x', domain_id: 'other' } }, "'project.domain_id'"],
      [
        '/v3/users',
        { user: { name: 'x', password: 42 } },
        "'user.password': expected a string, got a number.",
      ],
    ];
    for (const [url, payload, message] of cases) {
      const res = await call(h, admin, 'POST', url, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toContain(message);
    }
  });

  it('lists roles, grants, checks and revokes them, and lists assignments', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const roles = await call(h, admin, 'GET', '/v3/roles');
    expect(roles.json().roles.map((r: any) => [r.name, r.id])).toEqual([
      ['admin', roleId('admin')],
      ['member', roleId('member')],
      ['reader', roleId('reader')],
    ]);
    expect((await call(h, admin, 'GET', '/v3/roles?name=member')).json().roles).toHaveLength(1);
    expect((await call(h, admin, 'GET', `/v3/roles/${roleId('reader')}`)).json().role.name).toBe('reader');
    expect((await call(h, admin, 'GET', '/v3/roles/owner')).statusCode).toBe(404);
    const { projectId, userId } = await member(h, admin, 'lee', 'p-lee', roleId('member'));
    const grant = `/v3/projects/${projectId}/users/${userId}/roles`;
    expect((await call(h, admin, 'HEAD', `${grant}/member`)).statusCode).toBe(204);
    expect((await call(h, admin, 'HEAD', `${grant}/admin`)).statusCode).toBe(404);
    expect((await call(h, admin, 'GET', grant)).json().roles.map((r: any) => r.name)).toEqual(['member']);
    const listed = await call(
      h,
      admin,
      'GET',
      `/v3/role_assignments?scope.project.id=${projectId}&include_names`,
    );
    expect(listed.json().role_assignments).toEqual([
      {
        role: { id: roleId('member'), name: 'member' },
        user: { id: userId, name: 'lee', domain: { id: 'default', name: 'Default' } },
        scope: { project: { id: projectId, name: 'p-lee', domain: { id: 'default', name: 'Default' } } },
        links: { assignment: `${PUBLIC}${grant}/${roleId('member')}` },
      },
    ]);
    const effective = await call(h, admin, 'GET', `/v3/role_assignments?user.id=${userId}&effective`);
    expect(effective.json().role_assignments.map((a: any) => a.role.id)).toEqual([
      roleId('member'),
      roleId('reader'),
    ]);
    const lee = await tokenOf(h, 'lee', 'lee-pw', 'p-lee');
    expect((await call(h, lee, 'GET', `/v3/role_assignments?user.id=${userId}`)).statusCode).toBe(200);
    expect((await call(h, lee, 'GET', '/v3/role_assignments')).statusCode).toBe(403);
    expect((await call(h, admin, 'DELETE', `${grant}/member`)).statusCode).toBe(204);
    expect((await call(h, admin, 'DELETE', `${grant}/member`)).statusCode).toBe(404);
    expect(
      (await call(h, admin, 'PUT', `/v3/projects/${'0'.repeat(32)}/users/${userId}/roles/member`)).statusCode,
    ).toBe(404);
  });

  it('answers unknown /v3 paths and methods in Keystone shape', async () => {
    const h = await start();
    const missing = await h.app.inject({ url: '/v3/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      error: { code: 404, title: 'Not Found', message: 'The resource could not be found.' },
    });
    const method = await h.app.inject({ method: 'PATCH', url: '/v3/auth/tokens' });
    expect(method.statusCode).toBe(405);
    expect(method.json().error.code).toBe(405);
  });
});

describe('application credentials', () => {
  it('creates one (secret shown once), lists it, signs in with it, and deleting it stops its tokens', async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const { projectId, userId } = await member(h, admin, 'mia', 'p-mia');
    const mia = await tokenOf(h, 'mia', 'mia-pw', 'p-mia');
    const url = `/v3/users/${userId}/application_credentials`;
    const created = await call(h, mia, 'POST', url, {
      application_credential: { name: 'ci', roles: [{ name: 'reader' }], expires_at: '2099-01-01T00:00:00' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const credential = created.json().application_credential;
    expect(credential).toMatchObject({
      id: expect.stringMatching(HEX32),
      name: 'ci',
      user_id: userId,
      project_id: projectId,
      roles: [{ id: roleId('reader'), name: 'reader', domain_id: null }],
      unrestricted: false,
      expires_at: '2099-01-01T00:00:00.000000Z',
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/),
    });
    const listed = await call(h, mia, 'GET', url);
    expect(listed.json().application_credentials.map((c: any) => c.id)).toEqual([credential.id]);
    expect(listed.body).not.toContain(credential.secret);
    expect(
      (await call(h, mia, 'GET', `${url}/${credential.id}`)).json().application_credential.secret,
    ).toBeUndefined();
    const signedIn = await h.app.inject({
      method: 'POST',
      url: '/v3/auth/tokens',
      payload: {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: { id: credential.id, secret: credential.secret },
          },
        },
      },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(201);
    const token = signedIn.json().token;
    expect(token.methods).toEqual(['application_credential']);
    expect(token.application_credential).toEqual({ id: credential.id, name: 'ci', restricted: true });
    expect(token.roles.map((r: any) => r.name)).toEqual(['reader']);
    expect(token.project.id).toBe(projectId);
    const appToken = signedIn.headers['x-subject-token'] as string;
    expect((await call(h, appToken, 'GET', `/v1/${projectId}/stacks`)).statusCode).toBe(200);
    expect(
      (await call(h, appToken, 'POST', url, { application_credential: { name: 'more' } })).statusCode,
    ).toBe(403);
    expect((await call(h, mia, 'DELETE', `${url}/${credential.id}`)).statusCode).toBe(204);
    expect((await call(h, appToken, 'GET', `/v1/${projectId}/stacks`)).statusCode).toBe(401);
  });

  it("refuses roles the creator lacks, and another user's credentials", async () => {
    const h = await start();
    const admin = await tokenOf(h);
    const { userId } = await member(h, admin, 'ned', 'p-ned', 'reader');
    const ned = await tokenOf(h, 'ned', 'ned-pw', 'p-ned');
    const url = `/v3/users/${userId}/application_credentials`;
    const tooMuch = await call(h, ned, 'POST', url, {
      application_credential: { name: 'x', roles: [{ name: 'member' }] },
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.message).toContain("'application_credential.roles'");
    const unknownRole = await call(h, ned, 'POST', url, {
      application_credential: { name: 'x', roles: [{ name: 'owner' }] },
    });
    expect(unknownRole.json().error.message).toContain("'application_credential.roles[0]'");
    expect((await call(h, admin, 'GET', url)).statusCode).toBe(403);
  });
});
