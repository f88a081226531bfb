/**
 * Software deployments (Heat's `software_deployments` API): `GET /software_deployments` (`server_id`) →
 * `{software_deployments}`, `POST` → 200 `{software_deployment}`, `GET|PUT /software_deployments/{id}` →
 * `{software_deployment}` (PUT also carries a host's outputs), `DELETE` → 204, and
 * `GET /software_deployments/metadata/{server_id}` → `{metadata: [config…]}` (what a host polls: the configs of
 * its deployments, sorted by config name).
 */
import type { FastifyInstance } from 'fastify';
import type { SoftwareService } from '../../engine/software/service.js';
import { param, query, sendJson } from '../context.js';
import { single } from '../params.js';
import { bodyObject } from '../request-body.js';
import { route } from '../route-table.js';
import { softwareOperations as ops } from '../schemas/software.js';
import { formatSoftwareConfig, formatSoftwareDeployment } from '../views/software.js';
import { requireSoftware, softwareCaller } from './software-common.js';

/** Registers the software deployment routes (answering 503 when `software` is undefined). */
export function registerSoftwareDeploymentRoutes(
  app: FastifyInstance,
  software: SoftwareService | undefined,
): void {
  const base = '/v1/:tenant/software_deployments';
  route(
    app,
    base,
    {
      GET: async (req, reply) => {
        const serverId = single(query(req), 'server_id');
        const deployments = await requireSoftware(software).listDeployments(softwareCaller(req), {
          ...(serverId ? { serverId } : {}),
        });
        return sendJson(reply, 200, { software_deployments: deployments.map(formatSoftwareDeployment) });
      },
      POST: async (req, reply) => {
        const body = bodyObject(req.body);
        const deployment = await requireSoftware(software).createDeployment(softwareCaller(req), body);
        return sendJson(reply, 200, { software_deployment: formatSoftwareDeployment(deployment) });
      },
    },
    { GET: ops.listDeployments, POST: ops.createDeployment },
  );
  route(
    app,
    `${base}/metadata/:serverId`,
    {
      GET: async (req, reply) => {
        const configs = await requireSoftware(software).metadata(softwareCaller(req), param(req, 'serverId'));
        return sendJson(reply, 200, { metadata: configs.map((c) => formatSoftwareConfig(c)) });
      },
    },
    { GET: ops.metadata },
  );
  route(
    app,
    `${base}/:deploymentId`,
    {
      GET: async (req, reply) => {
        const deployment = await requireSoftware(software).showDeployment(
          softwareCaller(req),
          param(req, 'deploymentId'),
        );
        return sendJson(reply, 200, { software_deployment: formatSoftwareDeployment(deployment) });
      },
      PUT: async (req, reply) => {
        const body = bodyObject(req.body);
        const deployment = await requireSoftware(software).updateDeployment(
          softwareCaller(req),
          param(req, 'deploymentId'),
          body,
        );
        return sendJson(reply, 200, { software_deployment: formatSoftwareDeployment(deployment) });
      },
      DELETE: async (req, reply) => {
        await requireSoftware(software).deleteDeployment(softwareCaller(req), param(req, 'deploymentId'));
        return reply.code(204).send();
      },
    },
    { GET: ops.showDeployment, PUT: ops.updateDeployment, DELETE: ops.deleteDeployment },
  );
}
