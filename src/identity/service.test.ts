/**
 * The identity service over the real SQL store (a SQLite file): authentication, tokens, directory changes that
 * revoke, application credentials, rate limits. A fake clock drives expiry and the validation cache.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../store/fixtures.js';
import { SqlIdentityStore } from '../store/identity-store.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { SqlStore } from '../store/sql-store.js';
import type { AuthRequest, AuthScope } from './auth-request.js';
import { IdentityError, UNAUTHORIZED_MESSAGE } from './errors.js';
import { tokenDigest } from './ids.js';
import { IdentityService, type IdentityOptions } from './service.js';

const CHEAP = { logN: 10, r: 8, p: 1 };

let dir: ReturnType<typeof temporaryDirectory>;
let sql: SqlStore;
let now: number;

async function service(options: IdentityOptions = {}): Promise<IdentityService> {
  return new IdentityService(new SqlIdentityStore(sql.db), { hashCost: CHEAP, now: () => now, ...options });
}

const byName = (project: string): AuthScope => ({
  kind: 'project',
  project: { name: project, domain: { name: 'Default' } },
});
const password = (
  user: string,
  pw: string,
  scope: AuthScope = { kind: 'default' },
  address = '10.0.0.1',
): AuthRequest => ({
  credential: { method: 'password', user: { name: user, domain: { id: 'default' } }, password: pw },
  scope,
  clientAddress: address,
});

/** The error an attempt fails with. */
async function failure(p: Promise<unknown>): Promise<IdentityError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IdentityError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

let identity: IdentityService;
let ids: { admin: string; alpha: string; beta: string; alice: string; bob: string };

beforeEach(async () => {
  now = Date.parse('2030-01-01T00:00:00Z');
  dir = temporaryDirectory('hearth-identity-svc-');
  sql = await openSqliteStore(join(dir.path, 'h.db'));
  identity = await service();
  await identity.bootstrap('admin-pw');
  const d = identity.directory;
  const alpha = await d.createProject({ name: 'alpha' });
  const beta = await d.createProject({ name: 'beta' });
  const alice = await d.createUser({ name: 'alice', password: 'alice-pw', defaultProjectId: alpha.id });
  const bob = await d.createUser({ name: 'bob', password: 'bob-pw' });
  await d.grant(alpha.id, alice.id, 'member');
  await d.grant(beta.id, bob.id, 'reader');
  ids = {
    admin: (await d.listProjects({ name: 'admin' }))[0]!.id,
    alpha: alpha.id,
    beta: beta.id,
    alice: alice.id,
    bob: bob.id,
  };
});
afterEach(async () => {
  await sql.close();
  dir.remove();
});

describe('bootstrap', () => {
  it('creates project admin, user admin with role admin, once; never resets the password', async () => {
    expect(await identity.bootstrap('other')).toEqual({ project: false, user: false });
    const { info } = await identity.authenticate(password('admin', 'admin-pw', byName('admin')));
    expect(info.roles).toEqual(['admin', 'member', 'reader']);
    expect(info.project?.name).toBe('admin');
    expect((await failure(identity.authenticate(password('admin', 'other')))).status).toBe(401);
  });
});

describe('password authentication', () => {
  it('scopes to a project by name or id, with effective roles', async () => {
    const byNameToken = await identity.authenticate(password('alice', 'alice-pw', byName('alpha')));
    expect(byNameToken.info).toMatchObject({
      user: { id: ids.alice, name: 'alice' },
      project: { id: ids.alpha, name: 'alpha' },
      roles: ['member', 'reader'],
      methods: ['password'],
      applicationCredential: null,
      expiresAt: '2030-01-01T01:00:00.000Z',
    });
    expect(byNameToken.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const byId = await identity.authenticate({
      ...password('alice', 'alice-pw'),
      credential: { method: 'password', user: { id: ids.alice }, password: 'alice-pw' },
      scope: { kind: 'project', project: { id: ids.alpha } },
    });
    expect(byId.info.project?.id).toBe(ids.alpha);
  });

  it("scopes to the user's default project without a scope, else answers an unscoped token", async () => {
    expect((await identity.authenticate(password('alice', 'alice-pw'))).info.project?.name).toBe('alpha');
    const bob = await identity.authenticate(password('bob', 'bob-pw'));
    expect(bob.info.project).toBeNull();
    expect(bob.info.roles).toEqual([]);
    const unscoped = await identity.authenticate(password('alice', 'alice-pw', { kind: 'unscoped' }));
    expect(unscoped.info.project).toBeNull();
  });

  it('answers the same 401 for a wrong password, an unknown user, a disabled user, a foreign project', async () => {
    await identity.directory.createUser({ name: 'carol', password: 'carol-pw', enabled: false });
    const attempts: AuthRequest[] = [
      password('alice', 'wrong', byName('alpha')),
      password('nobody', 'alice-pw', byName('alpha')),
      password('carol', 'carol-pw'),
      password('alice', 'alice-pw', byName('beta')),
      password('alice', 'alice-pw', byName('no-such-project')),
      {
        ...password('alice', 'alice-pw'),
        credential: {
          method: 'password',
          user: { name: 'alice', domain: { name: 'Other' } },
          password: 'alice-pw',
        },
      },
    ];
    for (const attempt of attempts) {
      const err = await failure(
        identity.authenticate({ ...attempt, clientAddress: `10.1.0.${attempts.indexOf(attempt)}` }),
      );
      expect([err.status, err.message]).toEqual([401, UNAUTHORIZED_MESSAGE]);
    }
  });

  it('rate-limits failures per user name (existing or not) with 429 and a retry delay, also for the right password', async () => {
    for (const user of ['alice', 'ghost']) {
      for (let i = 0; i < 5; i++) {
        expect(
          (await failure(identity.authenticate(password(user, 'bad', byName('alpha'), `10.2.${i}.1`))))
            .status,
        ).toBe(401);
      }
      const blocked = await failure(
        identity.authenticate(password(user, 'alice-pw', byName('alpha'), '10.3.0.1')),
      );
      expect(blocked.status).toBe(429);
      expect(blocked.retryAfterSeconds).toBe(300);
    }
    now += 300_001;
    expect((await identity.authenticate(password('alice', 'alice-pw', byName('alpha')))).info.user.name).toBe(
      'alice',
    );
  });

  it('rate-limits failures per client address across user names', async () => {
    const limited = await service({ addressFailureLimit: { failures: 3, windowMs: 60_000 } });
    for (const user of ['u1', 'u2', 'u3']) {
      expect(
        (await failure(limited.authenticate(password(user, 'x', byName('alpha'), '192.0.2.7')))).status,
      ).toBe(401);
    }
    expect(
      (await failure(limited.authenticate(password('alice', 'alice-pw', byName('alpha'), '192.0.2.7'))))
        .status,
    ).toBe(429);
    expect(
      (await limited.authenticate(password('alice', 'alice-pw', byName('alpha'), '192.0.2.8'))).info.user
        .name,
    ).toBe('alice');
  });

  it('clears the user counter after a success', async () => {
    for (let i = 0; i < 4; i++)
      await failure(identity.authenticate(password('alice', 'bad', byName('alpha'), `10.4.${i}.1`)));
    await identity.authenticate(password('alice', 'alice-pw', byName('alpha')));
    for (let i = 0; i < 4; i++)
      await failure(identity.authenticate(password('alice', 'bad', byName('alpha'), `10.5.${i}.1`)));
    expect((await identity.authenticate(password('alice', 'alice-pw', byName('alpha')))).info.user.name).toBe(
      'alice',
    );
  });
});

describe('tokens', () => {
  it('stores only the SHA-256 digest of a token', async () => {
    const { token } = await identity.authenticate(password('alice', 'alice-pw'));
    const rows = await sql.db
      .selectFrom('identity_tokens' as never)
      .selectAll()
      .execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).toContain(tokenDigest(token));
  });

  it('expires after the configured lifetime', async () => {
    const short = await service({ tokenTtlSeconds: 2 });
    const { token, info } = await short.authenticate(password('alice', 'alice-pw'));
    expect(info.expiresAt).toBe('2030-01-01T00:00:02.000Z');
    now += 1999;
    expect(await short.validate(token)).toBeDefined();
    now += 1;
    expect(await short.validate(token)).toBeUndefined();
  });

  it('revokes a token at once', async () => {
    const { token } = await identity.authenticate(password('alice', 'alice-pw'));
    expect(await identity.validate(token)).toBeDefined();
    expect(await identity.revoke(token)).toBe(true);
    expect(await identity.validate(token)).toBeUndefined();
    expect(await identity.revoke(token)).toBe(false);
  });

  it("stops a user's tokens when the user is deleted, disabled, changes password or loses the role", async () => {
    const d = identity.directory;
    const take = async () => (await identity.authenticate(password('alice', 'alice-pw'))).token;
    let token = await take();
    await d.updateUser(ids.alice, { enabled: false });
    expect(await identity.validate(token)).toBeUndefined();
    await d.updateUser(ids.alice, { enabled: true });
    token = await take();
    await d.updateUser(ids.alice, { password: 'alice-pw' });
    expect(await identity.validate(token)).toBeUndefined();
    token = await take();
    await d.revokeGrant(ids.alpha, ids.alice, 'member');
    expect(await identity.validate(token)).toBeUndefined();
    await d.grant(ids.alpha, ids.alice, 'member');
    token = await take();
    await d.deleteUser(ids.alice);
    expect(await identity.validate(token)).toBeUndefined();
  });

  it('stops tokens when their project is deleted or disabled', async () => {
    const { token } = await identity.authenticate(password('alice', 'alice-pw'));
    await identity.directory.updateProject(ids.alpha, { enabled: false });
    expect(await identity.validate(token)).toBeUndefined();
    await identity.directory.updateProject(ids.alpha, { enabled: true });
    const again = await identity.authenticate(password('alice', 'alice-pw'));
    await identity.directory.deleteProject(ids.alpha);
    expect(await identity.validate(again.token)).toBeUndefined();
  });

  it('sees roles granted after issue (roles are computed at validation)', async () => {
    const { token } = await identity.authenticate(password('alice', 'alice-pw'));
    await identity.directory.grant(ids.alpha, ids.alice, 'admin');
    expect((await identity.validate(token))?.roles).toEqual(['admin', 'member', 'reader']);
  });

  it('sees changes made by another process within the cache lifetime (5 s)', async () => {
    const { token } = await identity.authenticate(password('alice', 'alice-pw'));
    expect(await identity.validate(token)).toBeDefined();
    const otherProcess = await service();
    await otherProcess.revoke(token);
    expect(await identity.validate(token)).toBeDefined();
    now += 5000;
    expect(await identity.validate(token)).toBeUndefined();
  });

  it('rescopes with the token method, keeping the expiry and chaining audit ids', async () => {
    const unscoped = await identity.authenticate(password('bob', 'bob-pw'));
    now += 60_000;
    const scoped = await identity.authenticate({
      credential: { method: 'token', token: unscoped.token },
      scope: { kind: 'project', project: { id: ids.beta } },
      clientAddress: '10.0.0.1',
    });
    expect(scoped.info).toMatchObject({ project: { name: 'beta' }, roles: ['reader'], methods: ['token'] });
    expect(scoped.info.expiresAt).toBe(unscoped.info.expiresAt);
    expect(scoped.info.auditIds).toEqual([expect.any(String), unscoped.info.auditIds[0]]);
    const foreign = await failure(
      identity.authenticate({
        credential: { method: 'token', token: unscoped.token },
        scope: byName('alpha'),
        clientAddress: 'x',
      }),
    );
    expect(foreign.status).toBe(401);
    await identity.revoke(unscoped.token);
    const revoked = await failure(
      identity.authenticate({
        credential: { method: 'token', token: unscoped.token },
        scope: byName('beta'),
        clientAddress: 'x',
      }),
    );
    expect(revoked.status).toBe(401);
  });
});

describe('application credentials', () => {
  async function adminToken() {
    return (await identity.authenticate(password('admin', 'admin-pw', byName('admin')))).info;
  }
  const appCredential = (id: string, secret: string, address = '10.9.0.1'): AuthRequest => ({
    credential: { method: 'application_credential', id, secret },
    scope: { kind: 'default' },
    clientAddress: address,
  });

  it('creates a credential whose secret is shown once and stored hashed; it signs in on its project', async () => {
    const caller = await adminToken();
    const { credential, secret } = await identity.appCredentials.create(caller, caller.user.id, {
      name: 'ci',
    });
    expect(credential.id).toMatch(/^[0-9a-f]{32}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(credential.roles).toEqual(['admin', 'member', 'reader']);
    const rows = await sql.db
      .selectFrom('identity_app_credentials' as never)
      .selectAll()
      .execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
    const { info } = await identity.authenticate(appCredential(credential.id, secret));
    expect(info).toMatchObject({
      project: { id: ids.admin },
      methods: ['application_credential'],
      applicationCredential: { id: credential.id, name: 'ci', unrestricted: false },
    });
    const byName = await identity.authenticate({
      credential: {
        method: 'application_credential',
        name: 'ci',
        user: { name: 'admin', domain: { id: 'default' } },
        secret,
      },
      scope: { kind: 'default' },
      clientAddress: 'x',
    });
    expect(byName.info.user.name).toBe('admin');
    expect((await failure(identity.authenticate(appCredential(credential.id, 'wrong')))).message).toBe(
      UNAUTHORIZED_MESSAGE,
    );
  });

  it('grants only the roles chosen, and only roles the creator holds', async () => {
    const caller = await adminToken();
    const { credential, secret } = await identity.appCredentials.create(caller, caller.user.id, {
      name: 'readonly',
      roles: ['reader'],
    });
    expect((await identity.authenticate(appCredential(credential.id, secret))).info.roles).toEqual([
      'reader',
    ]);
    const alice = (await identity.authenticate(password('alice', 'alice-pw'))).info;
    const err = await failure(
      identity.appCredentials.create(alice, ids.alice, { name: 'x', roles: ['admin'] }),
    );
    expect(err.status).toBe(400);
    expect(err.message).toContain("'application_credential.roles'");
    expect(err.message).toContain("'admin'");
  });

  it('expires, and refuses an expiry in the past', async () => {
    const caller = await adminToken();
    const soon = new Date(now + 10_000).toISOString();
    const { credential, secret } = await identity.appCredentials.create(caller, caller.user.id, {
      name: 'short',
      expiresAt: soon,
    });
    const { token, info } = await identity.authenticate(appCredential(credential.id, secret));
    expect(info.expiresAt).toBe(soon);
    now += 10_000;
    expect(await identity.validate(token)).toBeUndefined();
    expect((await failure(identity.authenticate(appCredential(credential.id, secret)))).status).toBe(401);
    const past = await failure(
      identity.appCredentials.create(caller, caller.user.id, { name: 'old', expiresAt: soon }),
    );
    expect(past.status).toBe(400);
  });

  it('is managed by its owner only, not with a restricted credential token; deleting it stops its tokens', async () => {
    const caller = await adminToken();
    const { credential, secret } = await identity.appCredentials.create(caller, caller.user.id, {
      name: 'ci',
    });
    const { token, info } = await identity.authenticate(appCredential(credential.id, secret));
    expect(
      (await failure(identity.appCredentials.create(info, caller.user.id, { name: 'nested' }))).status,
    ).toBe(403);
    const alice = (await identity.authenticate(password('alice', 'alice-pw'))).info;
    expect((await failure(identity.appCredentials.list(alice, caller.user.id))).status).toBe(403);
    expect((await failure(identity.appCredentials.get(alice, ids.alice, credential.id))).status).toBe(404);
    expect((await identity.appCredentials.list(caller, caller.user.id)).map((c) => c.name)).toEqual(['ci']);
    expect(
      (await failure(identity.appCredentials.create(caller, caller.user.id, { name: 'ci' }))).status,
    ).toBe(409);
    await identity.appCredentials.delete(caller, caller.user.id, credential.id);
    expect(await identity.validate(token)).toBeUndefined();
  });

  it('is deleted when its user loses a role on its project (as Keystone)', async () => {
    const alice = (await identity.authenticate(password('alice', 'alice-pw'))).info;
    const { credential } = await identity.appCredentials.create(alice, ids.alice, { name: 'mine' });
    await identity.directory.revokeGrant(ids.alpha, ids.alice, 'member');
    expect(await new SqlIdentityStore(sql.db).getAppCredential(credential.id)).toBeUndefined();
  });
});

describe('directory', () => {
  it('refuses duplicate names (409) and unknown ids (404)', async () => {
    expect((await failure(identity.directory.createProject({ name: 'alpha' }))).status).toBe(409);
    expect((await failure(identity.directory.createUser({ name: 'alice' }))).status).toBe(409);
    const missing = await failure(identity.directory.project('0'.repeat(32)));
    expect([missing.status, missing.message]).toEqual([404, `Could not find project: ${'0'.repeat(32)}.`]);
    expect((await failure(identity.directory.revokeGrant(ids.alpha, ids.bob, 'admin'))).status).toBe(404);
    expect(await identity.directory.hasGrant(ids.beta, ids.bob, 'reader')).toBe(true);
  });
});
