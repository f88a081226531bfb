/**
 * Version discovery (`GET /`, 300 Multiple Choices, Heat's shape), `GET /v1/{tenant}/build_info` and the engine
 * services (`GET /v1/{tenant}/services`, admin).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { origin } from '../links.js';
import { sendJson, type ApiContext, type EngineProcessView } from '../context.js';
import { route } from '../route-table.js';
import { buildInfoOperation, serviceListOperation, versionsOperation } from '../schemas/versions.js';

/** Revision reported by build_info for both the API and the engine. */
export const HEARTH_REVISION = 'hearth-0.1.0';

/** Heat's versions document. */
export function versionsDocument(req: FastifyRequest): Record<string, unknown> {
  return {
    versions: [{ id: 'v1.0', status: 'CURRENT', links: [{ rel: 'self', href: `${origin(req)}/v1/` }] }],
  };
}

/** Registers `/`, `/versions`, `/v1/`, `build_info` and `services`. */
export function registerVersionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const versions = async (req: FastifyRequest, reply: FastifyReply) =>
    sendJson(reply, 300, versionsDocument(req));
  for (const url of ['/', '/versions', '/v1', '/v1/']) {
    route(app, url, { GET: versions }, { GET: versionsOperation(url) });
  }
  route(
    app,
    '/v1/:tenant/build_info',
    {
      GET: async (_req, reply) =>
        sendJson(reply, 200, { api: { revision: HEARTH_REVISION }, engine: { revision: HEARTH_REVISION } }),
    },
    { GET: buildInfoOperation },
  );
  route(
    app,
    '/v1/:tenant/services',
    {
      GET: async (_req, reply) =>
        sendJson(reply, 200, {
          services: ctx.services ? (await ctx.services()).map(registeredService) : [engineService()],
        }),
    },
    { GET: serviceListOperation },
  );
}

/** This process's engine, as Heat's `service` rows (one per engine worker). */
const ENGINE_SERVICE = {
  id: randomUUID(),
  engine_id: randomUUID(),
  host: hostname(),
  hostname: hostname(),
  binary: 'heat-engine',
  topic: 'engine',
  report_interval: 60,
  created_at: new Date().toISOString().slice(0, 19),
};

/** Heat's service view of the engine running in this process (always `up`: it is answering). */
function engineService(): Record<string, unknown> {
  return {
    ...ENGINE_SERVICE,
    status: 'up',
    updated_at: new Date().toISOString().slice(0, 19),
    deleted_at: null,
  };
}

/** Heat's service row for a registered engine process (its id doubles as engine_id). */
function registeredService(p: EngineProcessView): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
  return {
    id: p.id,
    engine_id: p.id,
    host: p.host,
    hostname: p.host,
    binary: 'heat-engine',
    topic: 'engine',
    report_interval: 5,
    created_at: iso(p.startedAt),
    updated_at: iso(p.heartbeatAt),
    deleted_at: null,
    status: p.up ? 'up' : 'down',
  };
}
