/**
 * Resource routes: list (`nested_depth`, `with_detail`, filters), show (`with_attr`), metadata, signal, and
 * `PATCH` mark-unhealthy.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResourceView } from '../../engine/service.js';
import { HeatError } from '../../template/errors.js';
import { identifiedStack, param, query, sendJson, type ApiContext } from '../context.js';
import { badRequest } from '../faults.js';
import { boolParam, extractBool, intParam, multi, type Query } from '../params.js';
import { bodyObject } from '../request-body.js';
import { route } from '../route-table.js';
import { resourceOperations as ops } from '../schemas/resources.js';
import { formatResource } from '../views/resource.js';
import { displayStatus } from '../views/stack.js';

/** Query keys Heat accepts on the resource list. */
const FILTER_KEYS = ['type', 'status', 'name', 'action', 'id', 'physical_resource_id'] as const;
const LIST_KEYS = new Set<string>([...FILTER_KEYS, 'nested_depth', 'with_detail']);

/** Python's `repr` of a list of strings, as in Heat's messages. */
function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}

/**
 * The resource-list filter for a query.
 * @throws HeatError HTTPBadRequest `Invalid filter parameters ['x']` for unknown keys.
 */
export function resourceFilter(q: Query): (r: ResourceView) => boolean {
  const unknown = Object.keys(q).filter((k) => !LIST_KEYS.has(k));
  if (unknown.length) throw badRequest(`Invalid filter parameters ${pyList(unknown)}`);
  const field: Record<(typeof FILTER_KEYS)[number], (r: ResourceView) => string[]> = {
    type: (r) => [r.type],
    status: (r) => [r.status, displayStatus(r)],
    name: (r) => [r.name],
    action: (r) => [r.action],
    id: (r) => [r.id],
    physical_resource_id: (r) => [r.physicalId ?? ''],
  };
  const checks = FILTER_KEYS.filter((k) => q[k] !== undefined).map((k) => {
    const wanted = multi(q, k);
    return (r: ResourceView) => field[k](r).some((v) => wanted.includes(v));
  });
  return (r) => checks.every((c) => c(r));
}

/** Names of the nested stacks owned by some of `resources` (for their `rel: nested` links). */
async function nestedStackNames(
  ctx: ApiContext,
  tenant: string,
  resources: ResourceView[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    resources
      .filter((r) => r.nestedStackId)
      .map(async (r) => {
        try {
          const child = await ctx.engine.lookupStack(tenant, r.nestedStackId!);
          names.set(child.id, child.name);
        } catch (err) {
          if (!(err instanceof HeatError)) throw err;
        }
      }),
  );
  return names;
}

/** Formats resources with their nested links. */
async function formatAll(
  ctx: ApiContext,
  req: FastifyRequest,
  resources: ResourceView[],
  detail: boolean,
): Promise<Record<string, unknown>[]> {
  const tenant = param(req, 'tenant');
  const nested = await nestedStackNames(ctx, tenant, resources);
  return resources.map((r) => {
    const nestedStackName = r.nestedStackId ? nested.get(r.nestedStackId) : undefined;
    return formatResource(req, tenant, r, {
      detail,
      ...(nestedStackName !== undefined ? { nestedStackName } : {}),
    });
  });
}

/** The list handler's query checks, in its order (the schema check of the list). */
function checkListQuery(req: FastifyRequest): void {
  const q = query(req);
  resourceFilter(q);
  intParam(q, 'nested_depth');
  boolParam(q, 'with_detail');
}

/** Registers the resource routes. */
export function registerResourceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx;
  const one = '/v1/:tenant/stacks/:stackName/:stackId/resources';
  route(
    app,
    one,
    {
      GET: async (req, reply) => {
        const q = query(req);
        const filter = resourceFilter(q);
        const nestedDepth = intParam(q, 'nested_depth') ?? 0;
        const withDetail = boolParam(q, 'with_detail') ?? false;
        const stack = await identifiedStack(ctx, req);
        const resources = await engine.listResources(param(req, 'tenant'), stack.id, {
          nestedDepth,
          withDetail,
        });
        return sendJson(reply, 200, {
          resources: await formatAll(ctx, req, resources.filter(filter), withDetail),
        });
      },
    },
    { GET: { ...ops.list, check: checkListQuery } },
  );
  route(
    app,
    `${one}/:resourceName`,
    {
      GET: async (req, reply) => {
        const withAttr = multi(query(req), 'with_attr');
        const stack = await identifiedStack(ctx, req);
        const resource = await engine.showResource(
          param(req, 'tenant'),
          stack.id,
          param(req, 'resourceName'),
          {
            ...(withAttr.length ? { withAttr } : {}),
          },
        );
        const [body] = await formatAll(ctx, req, [resource], true);
        return sendJson(reply, 200, { resource: body });
      },
      PATCH: async (req, reply) => {
        const body = bodyObject(req.body);
        const unknown = Object.keys(body).filter(
          (k) => k !== 'mark_unhealthy' && k !== 'resource_status_reason',
        );
        if (unknown.length) {
          throw badRequest(
            `Invalid keys in resource mark unhealthy {${unknown.map((k) => `'${k}'`).join(', ')}}`,
          );
        }
        if (!('mark_unhealthy' in body)) {
          throw badRequest('Missing mandatory (mark_unhealthy) key from mark unhealthy request');
        }
        const mark = extractBool('mark_unhealthy', body.mark_unhealthy);
        const rawReason = body.resource_status_reason;
        const reason =
          rawReason === undefined || rawReason === null
            ? ''
            : typeof rawReason === 'string'
              ? rawReason
              : JSON.stringify(rawReason);
        const stack = await identifiedStack(ctx, req);
        await engine.markResourceUnhealthy(
          param(req, 'tenant'),
          stack.id,
          param(req, 'resourceName'),
          mark,
          reason,
        );
        return sendJson(reply, 200, null);
      },
    },
    { GET: ops.show, PATCH: ops.markUnhealthy },
  );
  route(
    app,
    `${one}/:resourceName/metadata`,
    {
      GET: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        const metadata = await engine.resourceMetadata(
          param(req, 'tenant'),
          stack.id,
          param(req, 'resourceName'),
        );
        return sendJson(reply, 200, { metadata });
      },
    },
    { GET: ops.metadata },
  );
  route(
    app,
    `${one}/:resourceName/signal`,
    {
      POST: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        await engine.signalResource(
          param(req, 'tenant'),
          stack.id,
          param(req, 'resourceName'),
          req.body ?? null,
        );
        return sendJson(reply, 200, null);
      },
    },
    { POST: ops.signal },
  );
}
