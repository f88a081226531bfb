/**
 * The CLI's credentials and identity verbs against a real listening API (real identity service over a SQLite
 * file; the fake Heat engine behind /v1): flags, OS_* variables, the token cache, application credentials.
 */
import { statSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApi } from '../api/app.js';
import { fakeEngine, type FakeEngine } from '../api/testing/fake-engine.js';
import { IdentityService } from '../identity/service.js';
import { temporaryDirectory } from '../store/fixtures.js';
import { SqlIdentityStore } from '../store/identity-store.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { SqlStore } from '../store/sql-store.js';
import { tokenCacheDir } from './auth-session.js';
import { main } from './main.js';

const ADMIN_PW = 'admin secret';

let dir: ReturnType<typeof temporaryDirectory>;
let sql: SqlStore;
let engine: FakeEngine;
let app: FastifyInstance;
let base: string;
let out: string[];
let err: string[];

beforeAll(async () => {
  dir = temporaryDirectory('hearth-cli-identity-');
  sql = await openSqliteStore(join(dir.path, 'h.db'));
  const identity = new IdentityService(new SqlIdentityStore(sql.db), { hashCost: { logN: 10, r: 8, p: 1 } });
  await identity.bootstrap(ADMIN_PW);
  engine = fakeEngine();
  app = buildApi(engine, { insecureNoauth: false, identity });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await sql.close();
  dir.remove();
});
beforeEach(() => {
  out = [];
  err = [];
  process.exitCode = 0;
});

/** Runs the CLI with an environment (HOME inside the test directory: the token cache stays there). */
async function run(env: Record<string, string>, ...args: string[]): Promise<string> {
  out = [];
  err = [];
  process.exitCode = 0;
  await main(['node', 'hearth', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { HOME: join(dir.path, 'home'), ...env },
  });
  return out.join('\n');
}

const adminEnv = () => ({
  OS_AUTH_URL: `${base}/v3`,
  OS_USERNAME: 'admin',
  OS_PASSWORD: ADMIN_PW,
  OS_PROJECT_NAME: 'admin',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
});

async function json(env: Record<string, string>, ...args: string[]): Promise<any> {
  const text = await run(env, ...args, '-f', 'json');
  expect(err, `hearth ${args.join(' ')}`).toEqual([]);
  return JSON.parse(text);
}

describe('identity verbs', () => {
  it('creates a project and a member user, who signs in through OS_* variables and uses the API', async () => {
    const project = await json(adminEnv(), 'project', 'create', 'web', '--description', 'web tier');
    expect(project).toMatchObject({
      name: 'web',
      description: 'web tier',
      enabled: true,
      domain_id: 'default',
    });
    const user = await json(
      adminEnv(),
      'user',
      'create',
      'wendy',
      '--password',
      'wendy-pw',
      '--project',
      'web',
    );
    expect(user).toMatchObject({ name: 'wendy', default_project_id: project.id });
    await run(adminEnv(), 'role', 'add', '--user', 'wendy', '--project', 'web', 'member');
    expect(err).toEqual([]);
    const assignments = await json(adminEnv(), 'role', 'assignment', 'list', '--project', 'web', '--names');
    expect(assignments).toEqual([{ Role: 'member', User: 'wendy', Project: 'web' }]);
    expect((await json(adminEnv(), 'project', 'list')).map((p: any) => p.Name)).toEqual(['admin', 'web']);
    expect((await json(adminEnv(), 'user', 'show', 'wendy')).id).toBe(user.id);

    const wendy = {
      OS_AUTH_URL: base,
      OS_USERNAME: 'wendy',
      OS_PASSWORD: 'wendy-pw',
      OS_PROJECT_NAME: 'web',
    };
    await run(
      wendy,
      'stack',
      'create',
      'site',
      '-t',
      join(import.meta.dirname, '..', '..', 'examples', 'hello.yaml'),
    );
    expect(err).toEqual([]);
    expect(engine.calls.created.at(-1)).toMatchObject({ stackName: 'site', username: 'wendy' });
    const stacks = await json(wendy, 'stack', 'list');
    expect(stacks.map((s: any) => s['Stack Name'])).toContain('site');
    const issued = await json(wendy, 'token', 'issue');
    expect(issued).toMatchObject({ project_id: project.id, user_id: user.id });

    // A reader cannot manage the directory: the API's 403 reaches the user.
    await run(wendy, 'project', 'list');
    expect(process.exitCode).toBe(1);
    expect(err.join('\n')).toContain(
      'You are not authorized to perform the requested action: identity:list_projects.',
    );
  });

  it('caches the token (mode 0600) and signs in again when the cached one was revoked', async () => {
    const env = adminEnv();
    const first = (await run(env, 'token', 'issue', '-f', 'value', '-c', 'id')).trim();
    const again = (await run(env, 'token', 'issue', '-f', 'value', '-c', 'id')).trim();
    expect(again).toBe(first);
    const cacheDir = tokenCacheDir({ HOME: join(dir.path, 'home') });
    const files = readdirSync(cacheDir);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(statSync(join(cacheDir, f)).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    // Revoked behind the cache's back (as another client would): the next command signs in anew.
    await app.inject({
      method: 'DELETE',
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': first, 'x-subject-token': first },
    });
    expect((await json(env, 'project', 'show', 'admin')).name).toBe('admin');
    const fresh = (await run(env, 'token', 'issue', '-f', 'value', '-c', 'id')).trim();
    expect(fresh).not.toBe(first);
    await run(env, 'token', 'revoke', fresh);
    expect(err).toEqual([]);
    expect((await run(env, 'token', 'issue', '-f', 'value', '-c', 'id')).trim()).not.toBe(fresh);
  });

  it('manages users, roles and projects by name', async () => {
    await json(adminEnv(), 'project', 'create', 'tmp');
    await json(adminEnv(), 'user', 'create', 'tom', '--password', 'tom-pw');
    await run(adminEnv(), 'role', 'add', '--user', 'tom', '--project', 'tmp', 'reader');
    await run(adminEnv(), 'user', 'set', 'tom', '--password', 'tom-pw-2');
    expect(err).toEqual([]);
    const tom = { OS_AUTH_URL: base, OS_USERNAME: 'tom', OS_PASSWORD: 'tom-pw-2', OS_PROJECT_NAME: 'tmp' };
    expect((await json(tom, 'token', 'issue')).user_id).toMatch(/^[0-9a-f]{32}$/);
    await run(adminEnv(), 'role', 'remove', '--user', 'tom', '--project', 'tmp', 'reader');
    expect(err).toEqual([]);
    expect(await json(adminEnv(), 'role', 'assignment', 'list', '--user', 'tom')).toEqual([]);
    await run(adminEnv(), 'user', 'delete', 'tom');
    await run(adminEnv(), 'project', 'delete', 'tmp');
    expect(err).toEqual([]);
    await run(adminEnv(), 'project', 'show', 'tmp');
    expect(err).toEqual(['ERROR: no project with name or id "tmp"']);
    expect((await json(adminEnv(), 'role', 'list')).map((r: any) => r.Name)).toEqual([
      'admin',
      'member',
      'reader',
    ]);
  });

  it('creates an application credential whose id and secret sign in', async () => {
    const created = await json(adminEnv(), 'application', 'credential', 'create', 'ci', '--role', 'reader');
    expect(created).toMatchObject({ name: 'ci', roles: 'reader', unrestricted: false });
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const listed = await json(adminEnv(), 'application', 'credential', 'list');
    expect(listed.map((c: any) => c.Name)).toEqual(['ci']);
    const ci = {
      OS_AUTH_URL: `${base}/v3`,
      OS_APPLICATION_CREDENTIAL_ID: created.id,
      OS_APPLICATION_CREDENTIAL_SECRET: created.secret,
    };
    expect(await json(ci, 'stack', 'list')).toBeInstanceOf(Array);
    await run(adminEnv(), 'application', 'credential', 'delete', 'ci');
    expect(err).toEqual([]);
    await run({ ...ci, HEARTH_NO_TOKEN_CACHE: '1' }, 'stack', 'list');
    expect(process.exitCode).toBe(1);
    expect(err.join('\n')).toContain('The request you have made requires authentication. (HTTP 401');
  });

  it('reports a wrong password, and identity verbs without credentials', async () => {
    await run({ ...adminEnv(), OS_PASSWORD: 'wrong' }, 'stack', 'list');
    expect(process.exitCode).toBe(1);
    expect(err).toEqual([
      `ERROR: ${base}/v3/auth/tokens: The request you have made requires authentication. (HTTP 401 Unauthorized)`,
    ]);
    await run({}, 'project', 'list');
    expect(process.exitCode).toBe(1);
    expect(err[0]).toContain('identity commands need credentials');
  });

  it('sends a bare --os-token to --endpoint as is', async () => {
    const token = (await run(adminEnv(), 'token', 'issue', '-f', 'value', '-c', 'id')).trim();
    const projectId = (await json(adminEnv(), 'token', 'issue')).project_id;
    const list = await json(
      {},
      '--os-token',
      token,
      '--endpoint',
      `${base}/v1/${projectId}`,
      'stack',
      'list',
    );
    expect(list).toBeInstanceOf(Array);
  });
});
