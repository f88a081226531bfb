/**
 * Test support for the authorization and quota tests: a real `hearth server` with identity on (no
 * `--insecure-noauth`), and the few Keystone calls those tests make (sign in, create projects and users, grant
 * roles, revoke tokens), over plain HTTP.
 */
import { startHearth, type HearthProcess } from './hearth.js';

/** The bootstrap admin's password of the servers these helpers start. */
export const ADMIN_PASSWORD = 'admin-secret-pw';

/** An HTTP answer. */
export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** Sends a JSON request with an optional token (never following redirects). */
export async function call(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const r = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token !== undefined ? { 'x-auth-token': options.token } : {}),
      ...(options.headers ?? {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  return { status: r.status, body, headers: r.headers };
}

/** Starts `hearth server --bootstrap-admin-password …` (identity on) with extra flags, and waits until it answers. */
export function startSecureHearth(extraArgs: string[] = []): Promise<HearthProcess> {
  return startHearth({ noauth: false, adminPassword: ADMIN_PASSWORD, extraArgs });
}

/** A token and what it is scoped to. */
export interface SignedIn {
  token: string;
  projectId: string;
  userId: string;
  expiresAt: string;
}

/** The Keystone calls of the tests, against one server. */
export class Keystone {
  constructor(readonly url: string) {}

  /** Signs in with a password, scoped to a project (by name). @throws when refused */
  async signIn(user: string, password: string, project: string): Promise<SignedIn> {
    const r = await call('POST', `${this.url}/v3/auth/tokens`, {
      body: {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: user, domain: { name: 'Default' }, password } },
          },
          scope: { project: { name: project, domain: { name: 'Default' } } },
        },
      },
    });
    if (r.status !== 201)
      throw new Error(`sign-in of ${user} refused: ${r.status} ${JSON.stringify(r.body)}`);
    return {
      token: r.headers.get('x-subject-token')!,
      projectId: r.body.token.project.id,
      userId: r.body.token.user.id,
      expiresAt: r.body.token.expires_at,
    };
  }

  /** Creates a project; returns its id. */
  async createProject(admin: string, name: string): Promise<string> {
    const r = await call('POST', `${this.url}/v3/projects`, { token: admin, body: { project: { name } } });
    if (r.status !== 201) throw new Error(`project ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.project.id;
  }

  /** Creates a user with a password and grants them `role` in a project; returns the user id. */
  async createUser(admin: string, name: string, password: string, projectId: string, role: string) {
    const r = await call('POST', `${this.url}/v3/users`, {
      token: admin,
      body: { user: { name, password, default_project_id: projectId } },
    });
    if (r.status !== 201) throw new Error(`user ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    const userId = r.body.user.id as string;
    const g = await call('PUT', `${this.url}/v3/projects/${projectId}/users/${userId}/roles/${role}`, {
      token: admin,
    });
    if (g.status !== 204) throw new Error(`grant ${role} to ${name}: ${g.status} ${JSON.stringify(g.body)}`);
    return userId;
  }

  /** Revokes a token. */
  async revoke(token: string): Promise<void> {
    const r = await call('DELETE', `${this.url}/v3/auth/tokens`, {
      token,
      headers: { 'x-subject-token': token },
    });
    if (r.status !== 204) throw new Error(`revoke: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** Polls a stack (by its canonical URL) until it is no longer IN_PROGRESS; returns its body. */
export async function settled(stackUrl: string, token: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await call('GET', `${stackUrl}?resolve_outputs=false`, { token });
    const s = r.body?.stack;
    if (r.status === 404) return { stack_status: 'NOT_FOUND' };
    if (s && !String(s.stack_status).endsWith('IN_PROGRESS')) return s;
    if (Date.now() > deadline) throw new Error(`stack at ${stackUrl} still ${s?.stack_status ?? r.status}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
