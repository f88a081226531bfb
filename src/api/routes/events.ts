/**
 * Event routes: stack events, resource events (404 when none), one event.
 */
import type { FastifyInstance } from 'fastify';
import type { EngineService } from '../../engine/service.js';
import { HeatError } from '../../template/errors.js';
import { identifiedStack, param, query, sendJson, type ApiContext } from '../context.js';
import { intParam, multi, single, sortDirParam, type Query } from '../params.js';
import { route } from '../route-table.js';
import { eventOperations as ops } from '../schemas/events.js';
import { formatEvent } from '../views/event.js';

/** The engine's event query. */
export type EventQuery = Parameters<EngineService['listEvents']>[2];

/**
 * Parses Heat's event list query: `limit, marker, sort_dir, nested_depth` and the filters `resource_name,
 * resource_action, resource_status` (the status part only, e.g. `COMPLETE`), `resource_type`. Newest first by default.
 * @throws HeatError HTTPBadRequest for bad integers / sort direction.
 */
export function parseEventQuery(q: Query): EventQuery {
  const out: EventQuery = { sortDir: sortDirParam(q) ?? 'desc' };
  const limit = intParam(q, 'limit');
  if (limit !== undefined) out.limit = limit;
  const marker = single(q, 'marker');
  if (marker) out.marker = marker;
  const depth = intParam(q, 'nested_depth');
  if (depth !== undefined) out.nestedDepth = depth;
  const names = multi(q, 'resource_name');
  if (names.length) out.resourceName = names;
  const types = multi(q, 'resource_type');
  if (types.length) out.resourceType = types;
  const actions = multi(q, 'resource_action');
  // Heat filters the event table's `resource_status` column, which holds only the status part: a full
  // `CREATE_COMPLETE` matches no event (unlike the stack list's status filter).
  const statuses = multi(q, 'resource_status');
  if (actions.length) out.resourceAction = actions;
  if (statuses.length) out.resourceStatus = statuses;
  return out;
}

/** Registers the event routes. */
export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const one = '/v1/:tenant/stacks/:stackName/:stackId';
  route(
    app,
    `${one}/events`,
    {
      GET: async (req, reply) => {
        const tenant = param(req, 'tenant');
        const eq = parseEventQuery(query(req));
        const stack = await identifiedStack(ctx, req);
        const events = await ctx.engine.listEvents(tenant, stack.id, eq);
        const withRootStackId = (eq.nestedDepth ?? 0) > 0;
        return sendJson(reply, 200, {
          events: events.map((e) => formatEvent(req, tenant, e, { detail: false, withRootStackId })),
        });
      },
    },
    { GET: { ...ops.list, check: (req) => void parseEventQuery(query(req)) } },
  );
  route(
    app,
    `${one}/resources/:resourceName/events`,
    {
      GET: async (req, reply) => {
        const tenant = param(req, 'tenant');
        const name = param(req, 'resourceName');
        const eq = { ...parseEventQuery(query(req)), resourceName: [name] };
        const stack = await identifiedStack(ctx, req);
        const events = await ctx.engine.listEvents(tenant, stack.id, eq);
        if (events.length === 0) {
          throw new HeatError('HTTPNotFound', `No events found for resource ${name}`);
        }
        return sendJson(reply, 200, {
          events: events.map((e) => formatEvent(req, tenant, e, { detail: false })),
        });
      },
    },
    { GET: { ...ops.listForResource, check: (req) => void parseEventQuery(query(req)) } },
  );
  route(
    app,
    `${one}/resources/:resourceName/events/:eventId`,
    {
      GET: async (req, reply) => {
        const tenant = param(req, 'tenant');
        const stack = await identifiedStack(ctx, req);
        const eventId = param(req, 'eventId');
        // Heat's EventController.show lists the resource's events filtered by id and answers
        // HTTPNotFound 'No event <id> found' when that list is empty (unknown id or another resource's event).
        const event = await ctx.engine
          .showEvent(tenant, stack.id, param(req, 'resourceName'), eventId)
          .catch((err: unknown) => {
            if (
              err instanceof HeatError &&
              err.type === 'EntityNotFound' &&
              err.message.startsWith('The Event (')
            )
              throw new HeatError('HTTPNotFound', `No event ${eventId} found`);
            throw err;
          });
        return sendJson(reply, 200, { event: formatEvent(req, tenant, event, { detail: true }) });
      },
    },
    { GET: ops.show },
  );
}
