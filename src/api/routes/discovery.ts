/**
 * Discovery routes: template versions and their functions, resource types, type schemas and generated
 * provider templates.
 */
import type { FastifyInstance } from 'fastify';
import { param, query, sendJson, type ApiContext } from '../context.js';
import { badRequest } from '../faults.js';
import { boolParam, single } from '../params.js';
import { route } from '../route-table.js';
import { discoveryOperations as ops } from '../schemas/discovery.js';

/** Registers the discovery routes. */
export function registerDiscoveryRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx;
  route(
    app,
    '/v1/:tenant/template_versions',
    {
      GET: async (_req, reply) => sendJson(reply, 200, { template_versions: engine.templateVersions() }),
    },
    { GET: ops.templateVersions },
  );
  route(
    app,
    '/v1/:tenant/template_versions/:version/functions',
    {
      GET: async (req, reply) => {
        const withCondition = boolParam(query(req), 'with_condition_func') ?? false;
        const functions = engine.templateFunctions(param(req, 'version'), withCondition);
        return sendJson(reply, 200, { template_functions: functions });
      },
    },
    { GET: ops.templateFunctions },
  );
  route(
    app,
    '/v1/:tenant/resource_types',
    {
      GET: async (req, reply) => {
        const q = query(req);
        const withDescription = boolParam(q, 'with_description') ?? false;
        const name = single(q, 'name');
        const supportStatus = single(q, 'support_status');
        const types = engine.resourceTypes({
          withDescription,
          ...(name !== undefined ? { name } : {}),
          ...(supportStatus !== undefined ? { supportStatus } : {}),
        });
        return sendJson(reply, 200, {
          resource_types: withDescription ? types : types.map((t) => t.resource_type),
        });
      },
    },
    { GET: ops.resourceTypes },
  );
  route(
    app,
    '/v1/:tenant/resource_types/:type',
    {
      GET: async (req, reply) => sendJson(reply, 200, engine.resourceTypeSchema(param(req, 'type'))),
    },
    { GET: ops.resourceTypeSchema },
  );
  route(
    app,
    '/v1/:tenant/resource_types/:type/template',
    {
      GET: async (req, reply) => {
        const templateType = single(query(req), 'template_type') ?? 'cfn';
        if (templateType !== 'hot' && templateType !== 'cfn') {
          throw badRequest(`Template type is not supported: ${templateType}`);
        }
        return sendJson(reply, 200, engine.resourceTypeTemplate(param(req, 'type'), templateType));
      },
    },
    { GET: ops.resourceTypeTemplate },
  );
}
