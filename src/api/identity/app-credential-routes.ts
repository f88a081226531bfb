/**
 * Application credentials of the calling user: `POST/GET /v3/users/{id}/application_credentials` and
 * `GET/DELETE /v3/users/{id}/application_credentials/{cid}`. The secret appears once, in the creation answer.
 */
import type { FastifyInstance } from 'fastify';
import { param, sendJson } from '../context.js';
import { route } from '../route-table.js';
import { identityAdminOperations as ops } from '../schemas/identity-admin.js';
import { parseAppCredentialCreate } from './admin-bodies.js';
import { publicBase, requireToken, type IdentityApiContext } from './context.js';
import { nameFilter } from './directory-routes.js';
import { appCredentialView, collectionLinks } from './views.js';

/** Registers the application credential routes (inside the `/v3` prefix). */
export function registerAppCredentialRoutes(v3: FastifyInstance, ctx: IdentityApiContext): void {
  const { appCredentials } = ctx.identity;
  const base = '/users/:userId/application_credentials';

  route(
    v3,
    base,
    {
      POST: async (req, reply) => {
        const caller = requireToken(req);
        const input = parseAppCredentialCreate(req.body);
        const { credential, secret } = await appCredentials.create(caller, param(req, 'userId'), input);
        return sendJson(reply, 201, {
          application_credential: appCredentialView(credential, publicBase(ctx, req), secret),
        });
      },
      GET: async (req, reply) => {
        const caller = requireToken(req);
        const userId = param(req, 'userId');
        const url = publicBase(ctx, req);
        const credentials = await appCredentials.list(caller, userId, nameFilter(req));
        return sendJson(reply, 200, {
          application_credentials: credentials.map((c) => appCredentialView(c, url)),
          links: collectionLinks(`${url}/v3/users/${userId}/application_credentials`),
        });
      },
    },
    { POST: ops.createAppCredential, GET: ops.listAppCredentials },
  );

  route(
    v3,
    `${base}/:credentialId`,
    {
      GET: async (req, reply) => {
        const caller = requireToken(req);
        const credential = await appCredentials.get(caller, param(req, 'userId'), param(req, 'credentialId'));
        return sendJson(reply, 200, {
          application_credential: appCredentialView(credential, publicBase(ctx, req)),
        });
      },
      DELETE: async (req, reply) => {
        const caller = requireToken(req);
        await appCredentials.delete(caller, param(req, 'userId'), param(req, 'credentialId'));
        return reply.code(204).send();
      },
    },
    { GET: ops.showAppCredential, DELETE: ops.deleteAppCredential },
  );
}
