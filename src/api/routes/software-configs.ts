/**
 * Software configs (Heat's `software_configs` API): `GET /software_configs` (`limit`, `marker`, `global_tenant`
 * for admins) → `{software_configs: [summary…]}`, `POST` → 200 `{software_config}`, `GET /software_configs/{id}`
 * → `{software_config}`, `DELETE` → 204. Configs are immutable: there is no update.
 */
import type { FastifyInstance } from 'fastify';
import type { SoftwareService } from '../../engine/software/service.js';
import { param, query, sendJson } from '../context.js';
import { boolParam, intParam, single } from '../params.js';
import { bodyObject } from '../request-body.js';
import { route } from '../route-table.js';
import { softwareOperations as ops } from '../schemas/software.js';
import { formatSoftwareConfig } from '../views/software.js';
import { requireSoftware, softwareCaller } from './software-common.js';

/** Registers the software config routes (answering 503 when `software` is undefined). */
export function registerSoftwareConfigRoutes(
  app: FastifyInstance,
  software: SoftwareService | undefined,
): void {
  const base = '/v1/:tenant/software_configs';
  route(
    app,
    base,
    {
      GET: async (req, reply) => {
        const q = query(req);
        const limit = intParam(q, 'limit');
        const marker = single(q, 'marker');
        const allProjects = boolParam(q, 'global_tenant') ?? false;
        const caller = softwareCaller(req);
        const configs = await requireSoftware(software).listConfigs(caller, {
          ...(limit !== undefined ? { limit } : {}),
          ...(marker ? { marker } : {}),
          allProjects,
        });
        return sendJson(reply, 200, {
          software_configs: configs.map((c) =>
            formatSoftwareConfig(c, { detail: false, includeProject: caller.admin }),
          ),
        });
      },
      POST: async (req, reply) => {
        const body = bodyObject(req.body);
        const config = await requireSoftware(software).createConfig(softwareCaller(req), body);
        return sendJson(reply, 200, { software_config: formatSoftwareConfig(config) });
      },
    },
    { GET: ops.listConfigs, POST: ops.createConfig },
  );
  route(
    app,
    `${base}/:configId`,
    {
      GET: async (req, reply) => {
        const config = await requireSoftware(software).showConfig(
          softwareCaller(req),
          param(req, 'configId'),
        );
        return sendJson(reply, 200, { software_config: formatSoftwareConfig(config) });
      },
      DELETE: async (req, reply) => {
        await requireSoftware(software).deleteConfig(softwareCaller(req), param(req, 'configId'));
        return reply.code(204).send();
      },
    },
    { GET: ops.showConfig, DELETE: ops.deleteConfig },
  );
}
