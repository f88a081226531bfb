/**
 * Signing in: with project credentials through the identity API (`POST /v3/auth/tokens`, Keystone's password
 * method), or — when the server runs with `--insecure-noauth` — with a project name only. The session is kept in
 * sessionStorage (gone with the tab) and ends at the token's expiry.
 */
import { errorFromBody, ApiError } from './client.js';

/** What `/dashboard/config.json` says. */
export interface DashboardConfig {
  auth: 'keystone' | 'noauth';
  identityPath: string;
}

/** A signed-in project. */
export interface Session {
  auth: 'keystone' | 'noauth';
  projectId: string;
  projectName: string;
  userName: string;
  /** Keystone token (absent under noauth). */
  token?: string;
  /** ISO time the token expires. */
  expiresAt?: string;
}

/** What the sign-in form collects. */
export interface Credentials {
  project: string;
  user: string;
  password: string;
  domain: string;
}

const STORAGE_KEY = 'hearth.session';

/** Reads the dashboard configuration. */
export async function loadConfig(): Promise<DashboardConfig> {
  const res = await fetch('config.json', { headers: { accept: 'application/json' } });
  if (!res.ok)
    throw new ApiError(res.status, `HTTP ${res.status}`, 'The dashboard configuration is unavailable.');
  return (await res.json()) as DashboardConfig;
}

/** The stored session, unless absent, malformed or expired. */
export function storedSession(now = Date.now()): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as Session;
    if (typeof s.projectId !== 'string' || !s.projectId) return undefined;
    if (s.expiresAt && Date.parse(s.expiresAt) <= now) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/** Keeps the session for this tab. */
export function storeSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

/** Forgets the session. */
export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The Keystone password-method request scoped to a project (user and project in one domain). */
export function passwordAuthBody(c: Credentials): unknown {
  const domain = { name: c.domain || 'Default' };
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: c.user, domain, password: c.password } } },
      scope: { project: { name: c.project, domain } },
    },
  };
}

/** Signs in; under noauth checks that the server answers for the project. @throws ApiError */
export async function signIn(config: DashboardConfig, c: Credentials): Promise<Session> {
  if (config.auth === 'noauth') {
    const project = c.project.trim();
    const res = await fetch(`/v1/${encodeURIComponent(project)}/stacks?limit=1`, {
      headers: { accept: 'application/json' },
    }).catch(() => undefined);
    if (!res) throw new ApiError(0, 'NetworkError', 'The Hearth server cannot be reached.');
    if (!res.ok) throw errorFromBody(res.status, await res.json().catch(() => null), `HTTP ${res.status}`);
    return { auth: 'noauth', projectId: project, projectName: project, userName: c.user.trim() || 'admin' };
  }
  let res: Response;
  try {
    res = await fetch(`${config.identityPath}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(passwordAuthBody(c)),
    });
  } catch {
    throw new ApiError(0, 'NetworkError', 'The Hearth server cannot be reached.');
  }
  const body = (await res.json().catch(() => null)) as {
    token?: { expires_at?: string; project?: { id: string; name: string }; user?: { name: string } };
  } | null;
  if (res.status === 401) {
    throw new ApiError(401, 'Unauthorized', 'The user name, password or project is wrong.');
  }
  if (!res.ok) throw errorFromBody(res.status, body, `Sign-in failed with HTTP ${res.status}`);
  const token = res.headers.get('x-subject-token');
  const project = body?.token?.project;
  if (!token || !project)
    throw new ApiError(res.status, 'BadToken', 'The identity service answered without a project token.');
  return {
    auth: 'keystone',
    token,
    projectId: project.id,
    projectName: project.name,
    userName: body?.token?.user?.name ?? c.user,
    ...(body?.token?.expires_at ? { expiresAt: body.token.expires_at } : {}),
  };
}

/** Revokes the token (best effort: the session ends locally whatever the answer). */
export async function revoke(config: DashboardConfig, session: Session): Promise<void> {
  if (!session.token) return;
  await fetch(`${config.identityPath}/auth/tokens`, {
    method: 'DELETE',
    headers: { 'x-auth-token': session.token, 'x-subject-token': session.token },
  }).catch(() => undefined);
}
