/**
 * Version discovery (`GET /v3`) and tokens: `POST /v3/auth/tokens` (sign in), `GET`/`HEAD` (validate the
 * `X-Subject-Token`), `DELETE` (revoke it), plus `GET /v3/auth/projects` and `GET /v3/auth/catalog`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, IdentityError, invalidField } from '../../identity/errors.js';
import type { TokenInfo } from '../../identity/token-info.js';
import { sendJson } from '../context.js';
import { route } from '../route-table.js';
import { tokenOperations as ops } from '../schemas/identity-tokens.js';
import { parseAuthBody } from './auth-body.js';
import { publicBase, requireToken, type IdentityApiContext } from './context.js';
import { catalog, collectionLinks, projectView, tokenBody } from './views.js';

/** The Keystone API version Hearth's subset follows. */
export const IDENTITY_VERSION = 'v3.14';

/** Keystone's single-version document for `GET /v3`. */
export function identityVersionDocument(publicUrl: string): Record<string, unknown> {
  return {
    version: {
      id: IDENTITY_VERSION,
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${publicUrl}/v3/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    },
  };
}

/** A single-valued request header. */
function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether the query asks for no catalog (`?nocatalog`). */
function noCatalog(req: FastifyRequest): boolean {
  return Object.hasOwn((req.query ?? {}) as object, 'nocatalog');
}

/**
 * The token named by `X-Subject-Token`, which the caller may see: their own, or any for an admin.
 * @throws IdentityError 400 (no header), 404 (not a valid token), 403 (someone else's)
 */
async function subjectToken(
  ctx: IdentityApiContext,
  req: FastifyRequest,
  action: string,
): Promise<[string, TokenInfo]> {
  const caller = requireToken(req);
  const subject = header(req, 'x-subject-token');
  if (!subject) throw invalidField('X-Subject-Token', 'the header is missing: name the token to check.');
  const info = await ctx.identity.validate(subject);
  if (!info) throw new IdentityError(404, 'Could not find token.');
  if (info.user.id !== caller.user.id && !caller.roles.includes('admin')) throw forbidden(action);
  return [subject, info];
}

/** Registers the discovery and token routes (inside the `/v3` prefix). */
export function registerAuthRoutes(v3: FastifyInstance, ctx: IdentityApiContext): void {
  route(
    v3,
    '/',
    {
      GET: async (req, reply) => sendJson(reply, 200, identityVersionDocument(publicBase(ctx, req))),
    },
    { GET: ops.version },
  );

  route(
    v3,
    '/auth/tokens',
    {
      POST: async (req, reply) => {
        const issued = await ctx.identity.authenticate(parseAuthBody(req.body, req.ip));
        void reply.header('x-subject-token', issued.token);
        return sendJson(reply, 201, tokenBody(issued.info, publicBase(ctx, req), !noCatalog(req)));
      },
      GET: async (req, reply) => {
        const [subject, info] = await subjectToken(ctx, req, 'validate_token');
        void reply.header('x-subject-token', subject);
        return sendJson(reply, 200, tokenBody(info, publicBase(ctx, req), !noCatalog(req)));
      },
      DELETE: async (req, reply) => {
        const [subject] = await subjectToken(ctx, req, 'revoke_token');
        await ctx.identity.revoke(subject);
        return reply.code(204).send();
      },
    },
    { POST: ops.issue, GET: ops.validate, DELETE: ops.revoke },
  );

  route(
    v3,
    '/auth/projects',
    {
      GET: async (req, reply) => {
        const caller = requireToken(req);
        const base = publicBase(ctx, req);
        const grants = await ctx.identity.directory.listGrants({ userId: caller.user.id });
        const ids = [...new Set(grants.map((g) => g.projectId))];
        const projects = (await ctx.identity.directory.listProjects()).filter(
          (p) => ids.includes(p.id) && p.enabled,
        );
        return sendJson(reply, 200, {
          projects: projects.map((p) => projectView(p, base)),
          links: collectionLinks(`${base}/v3/auth/projects`),
        });
      },
    },
    { GET: ops.projects },
  );

  route(
    v3,
    '/auth/catalog',
    {
      GET: async (req, reply) => {
        const caller = requireToken(req);
        const base = publicBase(ctx, req);
        return sendJson(reply, 200, {
          catalog: caller.project ? catalog(base, caller.project.id) : [],
          links: collectionLinks(`${base}/v3/auth/catalog`),
        });
      },
    },
    { GET: ops.catalog },
  );
}
