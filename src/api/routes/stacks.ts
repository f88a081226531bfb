/**
 * Stack collection and stack routes: list, detail, create (and adopt, when enabled), preview, show, update
 * (PUT/PATCH), update preview (Heat's `resource_changes` plus Hearth's `hearth_changes`), delete.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HeatError } from '../../template/errors.js';
import { identifiedStack, param, query, sendJson, webobBody, type ApiContext } from '../context.js';
import { link, origin, stackUrl } from '../links.js';
import { boolParam } from '../params.js';
import { parseCreateBody, parseUpdateBody } from '../request-body.js';
import { route, type Handler } from '../route-table.js';
import { stackOperations as ops } from '../schemas/stacks.js';
import { isAdmin } from '../policy.js';
import { parseStackListQuery } from '../stack-list-query.js';
import { formatPreviewResource } from '../views/resource.js';
import { formatStackListItem, formatStackShow } from '../views/stack.js';

/** The stack owner: the caller's user name (under noauth Heat's `X-Auth-User`, else `admin`). */
export function requestUser(req: FastifyRequest): string {
  if (req.caller) return req.caller.userName;
  const h = req.headers['x-auth-user'];
  return (Array.isArray(h) ? h[0] : h) || 'admin';
}

/** Heat's `next` link: the same URL with `marker` set to the last item's id. */
function nextLink(req: FastifyRequest, lastId: string): string {
  const [path, qs = ''] = req.url.split('?', 2) as [string, string?];
  const params = new URLSearchParams(qs);
  params.set('marker', lastId);
  return `${origin(req)}${path}?${params.toString()}`;
}

/** Registers the stack routes. */
export function registerStackRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx;
  const base = '/v1/:tenant/stacks';

  const list: Handler = async (req, reply) => {
    const tenant = param(req, 'tenant');
    const { query: listQuery, withCount, globalTenant } = parseStackListQuery(query(req));
    // `global_tenant=true` (admins only, see the policy table): every project's stacks, each linked in its own.
    const scope = globalTenant ? null : tenant;
    const stacks = await engine.listStacks(scope, listQuery);
    const body: Record<string, unknown> = {
      stacks: stacks.map((s) => formatStackListItem(req, s.projectId, s)),
    };
    const last = stacks[stacks.length - 1];
    if (listQuery.limit && listQuery.limit > 0 && stacks.length === listQuery.limit && last) {
      body.links = [link(nextLink(req, last.id), 'next')];
    }
    if (withCount) {
      const { limit: _limit, marker: _marker, ...countQuery } = listQuery;
      body.count = await engine.countStacks(scope, countQuery);
    }
    return sendJson(reply, 200, body);
  };

  const create: Handler = async (req, reply) => {
    const tenant = param(req, 'tenant');
    const body = parseCreateBody(req.body);
    if (body.adoptStackData !== undefined && !ctx.features.adopt) {
      throw new HeatError('NotSupported', 'Stack Adopt is not supported.');
    }
    const stack = await engine.createStack(tenant, {
      ...body,
      username: requestUser(req),
      callerIsAdmin: req.caller !== undefined && isAdmin(req.caller),
    });
    const href = stackUrl(req, tenant, stack);
    return sendJson(reply.header('location', href), 201, { stack: { id: stack.id, links: [link(href)] } });
  };

  route(app, base, { GET: list, POST: create }, { GET: ops.list, POST: ops.create });

  route(
    app,
    `${base}/detail`,
    {
      GET: async (req, reply) => {
        const tenant = param(req, 'tenant');
        const stacks = await engine.listStacks(tenant, {});
        return sendJson(reply, 200, {
          stacks: stacks.map((s) => {
            const { outputs: _o, ...view } = s;
            return formatStackShow(req, tenant, view);
          }),
        });
      },
    },
    { GET: ops.detail },
  );

  route(
    app,
    `${base}/preview`,
    {
      POST: async (req, reply) => {
        const tenant = param(req, 'tenant');
        const { adoptStackData: _adopt, ...body } = parseCreateBody(req.body);
        const preview = await engine.previewStack(tenant, { ...body, username: requestUser(req) });
        const stack = formatStackShow(req, tenant, preview.stack);
        stack.resources = preview.resources.map(formatPreviewResource);
        return sendJson(reply, 200, { stack });
      },
    },
    { POST: ops.preview },
  );

  const one = `${base}/:stackName/:stackId`;
  const update =
    (patch: boolean): Handler =>
    async (req, reply) => {
      const stack = await identifiedStack(ctx, req);
      const body = parseUpdateBody(req.body, patch);
      await engine.updateStack(param(req, 'tenant'), stack.id, body);
      return sendJson(
        reply,
        202,
        webobBody('202 Accepted', 'The request is accepted for processing.<br /><br />\n\n\n'),
      );
    };
  route(
    app,
    one,
    {
      GET: async (req, reply) => {
        const tenant = param(req, 'tenant');
        const resolveOutputs = boolParam(query(req), 'resolve_outputs') ?? true;
        const stack = await identifiedStack(ctx, req);
        const view = await engine.showStack(tenant, stack.id, { resolveOutputs });
        if (!resolveOutputs) delete view.outputs;
        return sendJson(reply, 200, { stack: formatStackShow(req, tenant, view) });
      },
      PUT: update(false),
      PATCH: update(true),
      DELETE: async (req, reply) => {
        const stack = await identifiedStack(ctx, req);
        await engine.deleteStack(param(req, 'tenant'), stack.id);
        return reply.code(204).send();
      },
    },
    { GET: ops.show, PUT: ops.update, PATCH: ops.patch, DELETE: ops.delete },
  );

  const previewUpdate =
    (patch: boolean): Handler =>
    async (req, reply) => {
      const stack = await identifiedStack(ctx, req);
      const body = parseUpdateBody(req.body, patch);
      const showNested = boolParam(query(req), 'show_nested');
      const preview = await engine.previewUpdateStack(param(req, 'tenant'), stack.id, {
        ...body,
        ...(showNested !== undefined ? { showNested } : {}),
      });
      return sendJson(reply, 200, {
        resource_changes: preview.resource_changes,
        hearth_changes: preview.hearth_changes,
      });
    };
  route(
    app,
    `${one}/preview`,
    { PUT: previewUpdate(false), PATCH: previewUpdate(true) },
    { PUT: ops.previewUpdate, PATCH: ops.previewPatch },
  );
}
