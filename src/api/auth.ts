/**
 * Identity for the `/v1/{tenant}` routes: every request there gets a `req.caller` or an answer.
 * - `--insecure-noauth`: the tenant in the URL is trusted (Heat's noauth flavour): project = tenant, user from
 *   `X-Auth-User` (else `admin`), every role.
 * - Otherwise `X-Auth-Token` is validated by the identity service; a missing, unknown, expired or revoked token is
 *   a 401 in Keystone's shape (as keystonemiddleware answers for Heat), with `WWW-Authenticate`.
 * - A resource signal route (`POST …/resources/{name}/signal`) also accepts that resource's signal token, in
 *   `X-Auth-Token` or the `signal_token` query parameter; its caller may signal that resource only.
 * - A host credential (`hth1.…` in `X-Auth-Token`, from a DeployedServer's `os_collect_config`) is checked first,
 *   in every mode (noauth too, so that one host can never act as another): valid while its server exists, it
 *   yields a `host` caller scoped to that server; an invalid one is a 401.
 * - The signed deployment signal URL (`/v1/signal/deployments/{id}`) carries its own signature: no caller.
 * Whether the caller may do what it asks is the policy's business (`policy.ts`), not this hook's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_NAMES, type Caller } from '../identity/caller.js';
import { isHostCredential } from '../identity/host-credentials.js';
import { UNAUTHORIZED_MESSAGE } from '../identity/errors.js';
import { callerOf, type TokenInfo } from '../identity/token-info.js';
import { ApiFault } from './faults.js';
import { keystoneError, sendKeystoneError } from './identity/errors.js';
import { authTokenHeader } from './identity/index.js';
import { origin } from './links.js';

/** True for URLs under a tenant (`/v1/{tenant}/…`); the version documents stay public. */
export function isTenantUrl(url: string): boolean {
  return /^\/v1\/[^/?]+\/?/.test(url) && !/^\/v1\/?(\?|$)/.test(url);
}

/** Validates Keystone tokens (the identity service). */
export interface TokenValidator {
  validate(token: string): Promise<TokenInfo | undefined>;
}

/** Checks resource signal tokens (the engine's `SignalTokens`). */
export interface SignalTokenVerifier {
  verify(projectId: string, stackId: string, resourceName: string, token: string): boolean;
}

/** Checks host credentials (the software deployer): a right mac and a server that still exists. */
export interface HostCredentialVerifier {
  verifyHostCredential(
    token: string,
  ): Promise<{ readonly id: string; readonly projectId: string } | undefined>;
}

/** The route of signed deployment signal URLs, which authenticate by their own signature. */
export const SIGNAL_URL_ROUTE = '/v1/signal/deployments/:deploymentId';

/** Options of {@link installAuth}. */
export interface AuthOptions {
  /** Trust the tenant in the URL. */
  insecureNoauth: boolean;
  /** Token validation; without it (and without noauth) every `/v1` call is refused. */
  identity?: TokenValidator;
  /** Signal token checks; without it signal routes need a Keystone token like any other. */
  signals?: SignalTokenVerifier;
  /** Configured public base URL (for `WWW-Authenticate`); undefined: the request's origin. */
  publicUrl?: () => string | undefined;
  /** Host credential checks; without it a `hth1.…` token is treated as any other token. */
  hosts?: HostCredentialVerifier;
}

/** A single-valued header. */
function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** Route parameters by name. */
function params(req: FastifyRequest): Record<string, string | undefined> {
  return (req.params ?? {}) as Record<string, string | undefined>;
}

/** Heat's noauth caller: the URL's tenant, `X-Auth-User` (else `admin`), every role. */
export function noauthCaller(req: FastifyRequest): Caller {
  const tenant = params(req)['tenant'] ?? '';
  const user = header(req, 'x-auth-user') ?? 'admin';
  return {
    userId: user,
    userName: user,
    projectId: tenant,
    projectName: tenant,
    roles: ROLE_NAMES,
    method: 'noauth',
  };
}

/** True for the resource signal route. */
function isSignalRoute(req: FastifyRequest): boolean {
  return req.method === 'POST' && (req.routeOptions.url ?? '').endsWith('/resources/:resourceName/signal');
}

/** The caller of a valid resource signal token for the addressed resource, if the request carries one. */
function signalCaller(req: FastifyRequest, verifier: SignalTokenVerifier | undefined): Caller | undefined {
  if (!verifier || !isSignalRoute(req)) return undefined;
  const p = params(req);
  const tenant = p['tenant'] ?? '';
  const stackId = p['stackId'] ?? '';
  const resourceName = p['resourceName'] ?? '';
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.['signal_token'];
  const candidates = [header(req, 'x-auth-token'), typeof fromQuery === 'string' ? fromQuery : undefined];
  if (!candidates.some((t) => t !== undefined && verifier.verify(tenant, stackId, resourceName, t)))
    return undefined;
  return {
    userId: `signal:${stackId}/${resourceName}`,
    userName: `signal:${resourceName}`,
    projectId: tenant,
    projectName: tenant,
    roles: [],
    method: 'signal',
    signalScope: { stackId, resourceName },
  };
}

/** The caller of a host credential: server `serverId` of project `projectId`, no role. */
export function hostCaller(server: { readonly id: string; readonly projectId: string }): Caller {
  return {
    userId: `host:${server.id}`,
    userName: `host:${server.id}`,
    projectId: server.projectId,
    projectName: server.projectId,
    roles: [],
    method: 'host',
    hostScope: { serverId: server.id },
  };
}

/** Answers 401 in Keystone's shape. */
function refuse(reply: FastifyReply, req: FastifyRequest, options: AuthOptions): FastifyReply {
  const base = (options.publicUrl?.() ?? origin(req)).replace(/\/+$/, '');
  return sendKeystoneError(reply, `${base}/v3`, 401, keystoneError(401, UNAUTHORIZED_MESSAGE));
}

/** Installs the identity hook (and declares `req.caller`). */
export function installAuth(app: FastifyInstance, options: AuthOptions | boolean): void {
  const opts: AuthOptions = typeof options === 'boolean' ? { insecureNoauth: options } : options;
  app.decorateRequest('caller', undefined);
  app.addHook('onRequest', async (req, reply) => {
    if (!isTenantUrl(req.url) || req.routeOptions.url === SIGNAL_URL_ROUTE) return;
    const presented = header(req, 'x-auth-token');
    if (opts.hosts && presented !== undefined && isHostCredential(presented)) {
      const server = await opts.hosts.verifyHostCredential(presented);
      if (!server) return refuse(reply, req, opts);
      req.caller = hostCaller(server);
      return;
    }
    if (opts.insecureNoauth) {
      req.caller = noauthCaller(req);
      return;
    }
    const { identity } = opts;
    if (!identity) {
      throw new ApiFault(
        401,
        'HTTPUnauthorized',
        'Identity is not configured: Hearth has no authentication backend yet. Start the server with ' +
          '--insecure-noauth to trust the project in the URL (development only).',
      );
    }
    const signal = signalCaller(req, opts.signals);
    if (signal) {
      req.caller = signal;
      return;
    }
    const token = authTokenHeader(req);
    const info = token === undefined ? undefined : await identity.validate(token);
    const caller = info && callerOf(info);
    if (!caller) return refuse(reply, req, opts);
    req.caller = caller;
  });
}
