/**
 * Identity end to end: a real `hearth server --bootstrap-admin-password` (no `--insecure-noauth`) and the real
 * `hearth` CLI process. The admin creates a project and a member user; the user signs in through OS_* variables,
 * creates a stack and lists it. Also: tokens are required, the bootstrap never resets a password, and the
 * bootstrap password may come from HEARTH_BOOTSTRAP_ADMIN_PASSWORD.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BIN, ROOT, startHearth, type HearthProcess } from './helpers/hearth.js';

const ADMIN_PW = 'bootstrap pw';

let server: HearthProcess;
let home: string;

/** Runs the `hearth` CLI with an environment; resolves with its exit code and output. */
function hearth(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: home,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out, err }));
  });
}

/** The admin's credentials as flags. */
const adminFlags = () => [
  '--os-auth-url',
  `${server.url}/v3`,
  '--os-username',
  'admin',
  '--os-password',
  ADMIN_PW,
  '--os-project-name',
  'admin',
  '--os-user-domain-name',
  'Default',
  '--os-project-domain-name',
  'Default',
];

/** Signs in with a password; the token and the token body. */
async function signIn(url: string, user: string, password: string, project: string) {
  const r = await fetch(`${url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: user, domain: { id: 'default' }, password } },
        },
        scope: { project: { name: project, domain: { id: 'default' } } },
      },
    }),
  });
  return { status: r.status, token: r.headers.get('x-subject-token'), body: (await r.json()) as any };
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'hearth-identity-home-'));
  server = await startHearth({ noauth: false, adminPassword: ADMIN_PW });
});
afterAll(async () => {
  await server?.stop();
});

describe('hearth with identity', () => {
  it('refuses /v1 without a token (Keystone 401) and serves the /v3 version document', async () => {
    const admin = await signIn(server.url, 'admin', ADMIN_PW, 'admin');
    expect(admin.status).toBe(201);
    const projectId = admin.body.token.project.id as string;
    const anonymous = await api('GET', `${server.url}/v1/${projectId}/stacks`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
    expect(anonymous.headers.get('www-authenticate')).toBe(`Keystone uri="${server.url}/v3"`);
    const version = await api('GET', `${server.url}/v3`);
    expect(version.body.version.links[0].href).toBe(`${server.url}/v3/`);
    const orchestration = admin.body.token.catalog.find((s: any) => s.type === 'orchestration');
    expect(orchestration.endpoints[0].url).toBe(`${server.url}/v1/${projectId}`);
  });

  it('lets the admin create a project and a member, who signs in through OS_* and creates and lists a stack', async () => {
    const project = await hearth({}, ...adminFlags(), 'project', 'create', 'demo', '-f', 'json');
    expect(project.code, project.err).toBe(0);
    const projectId = JSON.parse(project.out).id as string;
    const user = await hearth(
      {},
      ...adminFlags(),
      'user',
      'create',
      'dev',
      '--password',
      'dev pw',
      '-f',
      'json',
    );
    expect(user.code, user.err).toBe(0);
    const role = await hearth(
      {},
      ...adminFlags(),
      'role',
      'add',
      '--user',
      'dev',
      '--project',
      'demo',
      'member',
    );
    expect(role.code, role.err).toBe(0);
    const listed = await hearth({}, ...adminFlags(), 'role', 'assignment', 'list', '--names', '-f', 'json');
    expect(JSON.parse(listed.out)).toContainEqual({ Role: 'member', User: 'dev', Project: 'demo' });

    const dev = {
      OS_AUTH_URL: `${server.url}/v3`,
      OS_USERNAME: 'dev',
      OS_PASSWORD: 'dev pw',
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
    };
    const template = join(ROOT, 'examples', 'hello.yaml');
    const created = await hearth(dev, 'stack', 'create', 'hello', '-t', template, '--wait');
    expect(created.code, created.err + created.out).toBe(0);
    const stacks = await hearth(dev, 'stack', 'list', '-f', 'json');
    expect(stacks.code, stacks.err).toBe(0);
    const hello = JSON.parse(stacks.out).find((s: any) => s['Stack Name'] === 'hello');
    expect(hello['Stack Status']).toBe('CREATE_COMPLETE');

    // The stack lives in the project's id and belongs to the user.
    const { token } = await signIn(server.url, 'dev', 'dev pw', 'demo');
    const shown = await fetch(`${server.url}/v1/${projectId}/stacks/hello`, {
      headers: { 'x-auth-token': token!, accept: 'application/json' },
    });
    const stack = ((await shown.json()) as any).stack;
    expect(stack.stack_owner).toBe('dev');
    expect(stack.stack_name).toBe('hello');

    const issued = await hearth(dev, 'token', 'issue', '-f', 'json');
    expect(JSON.parse(issued.out)).toMatchObject({ project_id: projectId, user_id: JSON.parse(user.out).id });
    const wrong = await hearth({ ...dev, OS_PASSWORD: 'nope', HEARTH_NO_TOKEN_CACHE: '1' }, 'stack', 'list');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('HTTP 401');
  }, 60_000);

  it('never resets the admin password on a later start, and reads the password from the environment', async () => {
    const dataDir = server.dataDir;
    await server.stop();
    server = await startHearth({
      noauth: false,
      dataDir,
      env: { HEARTH_BOOTSTRAP_ADMIN_PASSWORD: 'another' },
    });
    expect((await signIn(server.url, 'admin', ADMIN_PW, 'admin')).status).toBe(201);
    expect((await signIn(server.url, 'admin', 'another', 'admin')).status).toBe(401);

    const fresh = await startHearth({
      noauth: false,
      dataDir: mkdtempSync(join(tmpdir(), 'hearth-bootstrap-env-')),
      env: { HEARTH_BOOTSTRAP_ADMIN_PASSWORD: 'from env' },
    });
    try {
      expect((await signIn(fresh.url, 'admin', 'from env', 'admin')).status).toBe(201);
    } finally {
      await fresh.stop();
    }
  }, 60_000);
});
