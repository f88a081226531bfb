/**
 * Version discovery (`GET /`, 300 Multiple Choices, Heat's shape) and `GET /v1/{tenant}/build_info`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { origin } from '../links.js';
import { sendJson, type ApiContext } from '../context.js';
import { route } from '../route-table.js';

/** Revision reported by build_info for both the API and the engine. */
export const HEARTH_REVISION = 'hearth-0.1.0';

/** Heat's versions document. */
export function versionsDocument(req: FastifyRequest): Record<string, unknown> {
  return {
    versions: [{ id: 'v1.0', status: 'CURRENT', links: [{ rel: 'self', href: `${origin(req)}/v1/` }] }],
  };
}

/** Registers `/`, `/versions`, `/v1/` and `build_info`. */
export function registerVersionRoutes(app: FastifyInstance, _ctx: ApiContext): void {
  const versions = async (req: FastifyRequest, reply: FastifyReply) =>
    sendJson(reply, 300, versionsDocument(req));
  for (const url of ['/', '/versions', '/v1', '/v1/']) route(app, url, { GET: versions });
  route(app, '/v1/:tenant/build_info', {
    GET: async (_req, reply) =>
      sendJson(reply, 200, { api: { revision: HEARTH_REVISION }, engine: { revision: HEARTH_REVISION } }),
  });
}
