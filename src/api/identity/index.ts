/**
 * The Keystone v3 subset at `/v3`: discovery, tokens, the admin API of projects, users and roles, and
 * application credentials. Registered as one Fastify plugin with its own Keystone-shaped errors; a hook validates
 * the `X-Auth-Token` of every `/v3` request once (routes that need one answer 401 without it) and sets
 * `req.caller` for project-scoped tokens (the audit trail reads it).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callerOf } from '../../identity/token-info.js';
import { registerAppCredentialRoutes } from './app-credential-routes.js';
import { registerAuthRoutes } from './auth-routes.js';
import { publicBase, setRequestToken, type IdentityApiContext } from './context.js';
import { registerDirectoryRoutes } from './directory-routes.js';
import { installKeystoneErrors } from './errors.js';
import { registerRoleRoutes } from './role-routes.js';

export type { IdentityApiContext } from './context.js';

/** The single `X-Auth-Token` header of a request. */
export function authTokenHeader(req: FastifyRequest): string | undefined {
  const value = req.headers['x-auth-token'];
  const token = Array.isArray(value) ? value[0] : value;
  return token ? token : undefined;
}

/** Registers the `/v3` routes. */
export function registerIdentityApi(app: FastifyInstance, ctx: IdentityApiContext): void {
  void app.register(
    async (v3) => {
      installKeystoneErrors(v3, (req) => `${publicBase(ctx, req)}/v3`, ctx.maxBodyBytes);
      v3.addHook('onRequest', async (req) => {
        const token = authTokenHeader(req);
        const info = token === undefined ? undefined : await ctx.identity.validate(token);
        if (!info) return;
        setRequestToken(req, info);
        const caller = callerOf(info);
        if (caller) req.caller = caller;
      });
      registerAuthRoutes(v3, ctx);
      registerDirectoryRoutes(v3, ctx);
      registerRoleRoutes(v3, ctx);
      registerAppCredentialRoutes(v3, ctx);
    },
    { prefix: '/v3' },
  );
}
