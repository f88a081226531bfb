/**
 * What the `/v3` routes share: the identity service, the public URL, the token of the request (checked once per
 * request by the `/v3` hook) and the checks every protected route makes.
 */
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../../identity/errors.js';
import type { IdentityService } from '../../identity/service.js';
import type { TokenInfo } from '../../identity/token-info.js';
import { origin } from '../links.js';

/** Shared state of the `/v3` routes. */
export interface IdentityApiContext {
  identity: IdentityService;
  /** Configured public base URL (`--public-url`); undefined: the request's own origin. */
  publicUrl: () => string | undefined;
  maxBodyBytes: number;
}

/** The validated `X-Auth-Token` of each request that carried a valid one. */
const requestTokens = new WeakMap<FastifyRequest, TokenInfo>();

/** Records the request's validated token (the `/v3` hook). */
export function setRequestToken(req: FastifyRequest, info: TokenInfo): void {
  requestTokens.set(req, info);
}

/** The base URL clients reach Hearth at, without a trailing slash. */
export function publicBase(ctx: IdentityApiContext, req: FastifyRequest): string {
  return (ctx.publicUrl() ?? origin(req)).replace(/\/+$/, '');
}

/** The request's valid token. @throws IdentityError 401 when there is none */
export function requireToken(req: FastifyRequest): TokenInfo {
  const info = requestTokens.get(req);
  if (!info) throw unauthorized();
  return info;
}

/** The request's token, which must carry the admin role. @throws IdentityError 401/403 */
export function requireAdmin(req: FastifyRequest, action: string): TokenInfo {
  const info = requireToken(req);
  if (!info.roles.includes('admin')) throw forbidden(action);
  return info;
}

/** The request's token, which must belong to `userId` or carry the admin role. @throws IdentityError 401/403 */
export function requireSelfOrAdmin(req: FastifyRequest, userId: string, action: string): TokenInfo {
  const info = requireToken(req);
  if (info.user.id !== userId && !info.roles.includes('admin')) throw forbidden(action);
  return info;
}
