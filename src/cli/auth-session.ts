/**
 * Signing the CLI in: `POST <auth_url>/auth/tokens` with the resolved credentials, the service endpoints taken
 * from the token's catalog, and the token cached in `~/.cache/hearth/tokens/` (mode 0600, keyed by a hash of the
 * auth URL, user, project and secret) until shortly before it expires. `HEARTH_NO_TOKEN_CACHE=1` disables the cache.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type Connection, type ConnectionSource } from './client.js';
import { signInMethod, type Credentials } from './credentials.js';

/** A catalog entry as Keystone answers it. */
interface CatalogService {
  type: string;
  endpoints: { interface: string; region_id?: string; region?: string; url: string }[];
}

/** What the CLI keeps of a token. */
export interface SessionToken {
  token: string;
  expiresAt: string;
  userId: string;
  projectId: string | null;
  /** Endpoints by service type (of the credentials' interface and region). */
  endpoints: Record<string, string>;
}

/** Services the CLI talks to. */
export type ServiceType = 'orchestration' | 'identity';

/** A cached token is not used when it expires within this margin. */
const EXPIRY_MARGIN_MS = 60_000;

/** The JSON body of `POST /v3/auth/tokens` for the credentials. */
export function authRequestBody(creds: Credentials): unknown {
  const userRef = creds.userId
    ? { id: creds.userId }
    : { name: creds.username, domain: { name: creds.userDomainName } };
  let identity: Record<string, unknown>;
  switch (signInMethod(creds)) {
    case 'application_credential':
      identity = {
        methods: ['application_credential'],
        application_credential: creds.applicationCredentialId
          ? { id: creds.applicationCredentialId, secret: creds.applicationCredentialSecret }
          : {
              name: creds.applicationCredentialName,
              user: userRef,
              secret: creds.applicationCredentialSecret,
            },
      };
      return { auth: { identity } };
    case 'password':
      identity = { methods: ['password'], password: { user: { ...userRef, password: creds.password } } };
      break;
    case 'token':
      identity = { methods: ['token'], token: { id: creds.token } };
      break;
  }
  const project = creds.projectId
    ? { id: creds.projectId }
    : creds.projectName
      ? { name: creds.projectName, domain: { name: creds.projectDomainName } }
      : undefined;
  return { auth: { identity, ...(project ? { scope: { project } } : {}) } };
}

/** The endpoints of a catalog for an interface and optional region, by service type. */
export function catalogEndpoints(catalog: unknown, iface: string, region?: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(catalog)) return out;
  for (const service of catalog as CatalogService[]) {
    const endpoint = service.endpoints?.find(
      (e) => e.interface === iface && (!region || e.region_id === region || e.region === region),
    );
    if (endpoint) out[service.type] = endpoint.url.replace(/\/+$/, '');
  }
  return out;
}

/** The token cache directory (`$XDG_CACHE_HOME/hearth/tokens` or `~/.cache/hearth/tokens`). */
export function tokenCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache');
  return join(base, 'hearth', 'tokens');
}

/** The cache file of a set of credentials (a hash of everything that identifies the sign-in, secret included). */
function cacheFile(creds: Credentials, env: NodeJS.ProcessEnv): string {
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        creds.authUrl,
        creds.userId ?? creds.username,
        creds.userDomainName,
        creds.projectId ?? creds.projectName ?? null,
        creds.projectDomainName,
        creds.applicationCredentialId ?? creds.applicationCredentialName ?? null,
        creds.password ?? creds.applicationCredentialSecret ?? creds.token ?? null,
        creds.interface,
        creds.regionName ?? null,
      ]),
    )
    .digest('hex');
  return join(tokenCacheDir(env), `${key}.json`);
}

/** A signed-in session of the CLI. */
export class AuthSession {
  #current: SessionToken | undefined;

  constructor(
    readonly credentials: Credentials,
    private readonly env: NodeJS.ProcessEnv,
    private readonly now: () => number = Date.now,
  ) {}

  get #cacheEnabled(): boolean {
    return this.env['HEARTH_NO_TOKEN_CACHE'] !== '1';
  }

  /** The session's token: the one in memory or in the cache while valid, else a new sign-in. @throws ApiError */
  async token(): Promise<SessionToken> {
    if (this.#current && this.#fresh(this.#current)) return this.#current;
    const cached = this.#readCache();
    if (cached) return (this.#current = cached);
    return (this.#current = await this.signIn());
  }

  /** Signs in anew (and caches the token). @throws ApiError (401 for wrong credentials) */
  async signIn(): Promise<SessionToken> {
    const url = `${this.credentials.authUrl}/auth/tokens`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(authRequestBody(this.credentials)),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new ApiError(0, 'ConnectionError', `cannot reach ${url}: ${cause ?? (err as Error).message}`);
    }
    const text = await res.text();
    let body: { token?: Record<string, unknown>; error?: { message?: string; title?: string } } | null = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    const subject = res.headers.get('x-subject-token');
    if (!res.ok || !body?.token || !subject) {
      const message = body?.error?.message ?? (text || res.statusText);
      throw new ApiError(
        res.status,
        body?.error?.title?.replace(/\s+/g, '') ?? `HTTP${res.status}`,
        `${url}: ${message}`,
      );
    }
    const token = body.token as {
      expires_at: string;
      user: { id: string };
      project?: { id: string };
      catalog?: unknown;
    };
    const session: SessionToken = {
      token: subject,
      expiresAt: token.expires_at,
      userId: token.user.id,
      projectId: token.project?.id ?? null,
      endpoints: catalogEndpoints(token.catalog, this.credentials.interface, this.credentials.regionName),
    };
    this.#writeCache(session);
    return session;
  }

  /** Drops the token from memory and the cache (after a 401: it was revoked or expired early). */
  forget(): void {
    this.#current = undefined;
    if (this.#cacheEnabled) rmSync(cacheFile(this.credentials, this.env), { force: true });
  }

  /**
   * A connection source for one service: its catalog endpoint (or `endpointOverride`) and the session's token;
   * after a 401 it signs in once more.
   */
  source(service: ServiceType, endpointOverride?: string): ConnectionSource {
    const connect = async (): Promise<Connection> => {
      const session = await this.token();
      const endpoint =
        endpointOverride?.replace(/\/+$/, '') ??
        session.endpoints[service] ??
        (service === 'identity' ? this.credentials.authUrl : undefined);
      if (!endpoint) {
        throw new ApiError(
          0,
          'EndpointNotFound',
          `the service catalog of ${this.credentials.authUrl} has no ${service} endpoint for interface ` +
            `${this.credentials.interface}${this.credentials.regionName ? ` in ${this.credentials.regionName}` : ''}` +
            (session.projectId ? '' : ' (the token is unscoped: give --os-project-name or --os-project-id)'),
        );
      }
      return { endpoint, token: session.token };
    };
    return {
      describe: endpointOverride ?? `the ${service} endpoint of ${this.credentials.authUrl}`,
      connect,
      reconnect: async () => {
        this.forget();
        return connect();
      },
    };
  }

  #fresh(token: SessionToken): boolean {
    return Date.parse(token.expiresAt) - EXPIRY_MARGIN_MS > this.now();
  }

  #readCache(): SessionToken | undefined {
    if (!this.#cacheEnabled) return undefined;
    try {
      const cached = JSON.parse(readFileSync(cacheFile(this.credentials, this.env), 'utf8')) as SessionToken;
      return typeof cached.token === 'string' && this.#fresh(cached) ? cached : undefined;
    } catch {
      return undefined;
    }
  }

  #writeCache(token: SessionToken): void {
    if (!this.#cacheEnabled) return;
    try {
      const dir = tokenCacheDir(this.env);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = cacheFile(this.credentials, this.env);
      writeFileSync(file, JSON.stringify(token), { mode: 0o600 });
      chmodSync(file, 0o600);
    } catch {
      // An unwritable cache only costs a sign-in per command.
    }
  }
}
