/**
 * Identity for the `/v1/{tenant}` routes: every request there gets a `req.caller` or an answer.
 * - `--insecure-noauth`: the tenant in the URL is trusted (Heat's noauth flavour): project = tenant, user from
 *   `X-Auth-User` (else `admin`), every role.
 * - Otherwise `X-Auth-Token` is validated by the identity service; a missing, unknown, expired or revoked token is
 *   a 401 in Keystone's shape (as keystonemiddleware answers for Heat), with `WWW-Authenticate`.
 * - A resource signal route (`POST …/resources/{name}/signal`) also accepts that resource's signal token, in
 *   `X-Auth-Token` or the `signal_token` query parameter; its caller may signal that resource only.
 * Whether the caller may do what it asks is the policy's business (`policy.ts`), not this hook's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_NAMES, type Caller } from '../identity/caller.js';
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
    if (!isTenantUrl(req.url)) return;
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
