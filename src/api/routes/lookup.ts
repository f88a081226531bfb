/**
 * Heat's stack lookup: URLs naming a stack by name, id or ARN answer `302 Found` (JSON body) with `Location`
 * at the canonical `/v1/{tenant}/stacks/{name}/{id}[/subpath]`, keeping the query string. This applies to every
 * method (`DELETE /stacks/{name}` is a redirect, not a delete).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { param, sendJson, webobBody, type ApiContext } from '../context.js';
import { segment, stackUrl, tenantUrl } from '../links.js';
import { operationRoute, type Handler } from '../route-table.js';
import { lookupOperation } from '../schemas/lookup.js';

/** Subpaths that may follow a name-only stack URL. */
export const LOOKUP_SUBPATHS = [
  'resources',
  'events',
  'template',
  'outputs',
  'environment',
  'files',
  'actions',
];

/** A parsed Heat stack ARN `arn:openstack:heat::<tenant>:stacks/<name>[/<id>[/<path>]]`. */
export interface StackArn {
  tenant: string;
  name: string;
  id?: string;
  /** Extra path after the id, without the leading slash ('' when none). */
  path: string;
}

/** Parses a stack ARN, or undefined when `text` is not one. */
export function parseStackArn(text: string): StackArn | undefined {
  const m = /^arn:openstack:heat::([^:/]*):stacks\/([^/]+)(?:\/([^/]+))?(?:\/(.*))?$/.exec(text);
  if (!m) return undefined;
  const arn: StackArn = { tenant: m[1]!, name: m[2]!, path: m[4] ?? '' };
  if (m[3] !== undefined) arn.id = m[3];
  return arn;
}

/** The query string of the request, with its `?`, or ''. */
function queryString(req: FastifyRequest): string {
  const i = req.url.indexOf('?');
  return i >= 0 ? req.url.slice(i) : '';
}

/** Sends Heat's 302 with JSON body. */
export function sendFound(reply: FastifyReply, location: string): FastifyReply {
  const message =
    `The resource was found at <a href="${location}">${location}</a>;\n` +
    'you should be redirected automatically.\n\n';
  return sendJson(reply.header('location', location), 302, webobBody('302 Found', message));
}

/** Resolves a name / id / ARN to the canonical URL and redirects there. */
async function redirect(
  ctx: ApiContext,
  req: FastifyRequest,
  reply: FastifyReply,
  tenant: string,
  nameOrArn: string,
  subpath: string,
): Promise<FastifyReply> {
  const arn = parseStackArn(nameOrArn);
  let location: string;
  if (arn?.id !== undefined) {
    const path = [arn.path, subpath].filter((p) => p !== '').join('/');
    location =
      `${tenantUrl(req, arn.tenant)}/stacks/${segment(arn.name)}/${segment(arn.id)}` +
      (path ? `/${path}` : '');
  } else {
    const stack = await ctx.engine.lookupStack(arn ? arn.tenant : tenant, arn ? arn.name : nameOrArn);
    location = stackUrl(req, arn ? arn.tenant : tenant, stack) + (subpath ? `/${subpath}` : '');
  }
  return sendFound(reply, location + queryString(req));
}

const ARN_URL = /^\/v1\/([^/?]+)\/stacks\/(arn(?::|%3[aA])[^?]*)/;

/**
 * Registers the name/id lookup routes, plus a hook for ARN URLs (whose raw slashes the router would split).
 */
export function registerLookupRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
  const lookup =
    (subpath: string): Handler =>
    (req, reply) =>
      redirect(ctx, req, reply, param(req, 'tenant'), param(req, 'stackName'), subpath);
  for (const sub of ['', ...LOOKUP_SUBPATHS]) {
    const url = `/v1/:tenant/stacks/:stackName${sub ? `/${sub}` : ''}`;
    for (const method of methods) {
      app.route({ method, url, ...operationRoute(lookupOperation(method, sub), lookup(sub)) });
    }
  }
  app.addHook('onRequest', async (req, reply) => {
    const m = ARN_URL.exec(req.url);
    if (!m) return;
    const arn = decodeURIComponent(m[2]!);
    if (!parseStackArn(arn)) return;
    await redirect(ctx, req, reply, decodeURIComponent(m[1]!), arn, '');
    return reply;
  });
}
