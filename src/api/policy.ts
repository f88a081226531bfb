/**
 * Authorization on every call, from the policy table (`policy-table.ts`):
 * - a route without a table entry is refused (deny by default);
 * - on `/v1/{tenant}/…` routes the caller (set by the auth hook) must belong to the URL's project, unless it is an
 *   admin (Heat's `context_is_admin`), else 403 "Access was denied to this resource.";
 * - then the entry's rule must hold (reader / member / admin role; a resource signal token only for its own
 *   resource's signal route; a host credential only for its own server's agent routes), else 403 `Forbidden`
 *   "You are not authorized to use <action>.".
 *
 * The project check runs as soon as the route is known (`onRequest`), so a foreign caller learns nothing from how
 * the body would have been parsed or validated, and again with the rule check in `preHandler`, once the body is
 * parsed (a stack action's rule depends on which action the body names). Stack ARN URLs, which the lookup hook answers
 * before any route handler, are checked in `onRequest` too: the ARN's project counts as well as the URL's.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasRole, type Caller } from '../identity/caller.js';
import { HeatError } from '../template/errors.js';
import type { Query } from './params.js';
import { policyDecision, policyEntry, type PolicyDecision, type PolicyRule } from './policy-table.js';
import { parseStackArn } from './routes/lookup.js';

/** What a request addresses, for the checks. */
export interface PolicyTarget {
  /** The project in the URL (`/v1/{tenant}/…`). */
  readonly tenant: string;
  readonly stackId?: string;
  readonly resourceName?: string;
  /** The server of an agent route (`/v1/{tenant}/agent/{serverId}/…`). */
  readonly serverId?: string;
}

/** Heat's answer to a caller outside the URL's project (webob's `HTTPForbidden`). */
export function accessDenied(): HeatError {
  return new HeatError('HTTPForbidden', 'Access was denied to this resource.');
}

/** Heat's answer when a policy rule refuses an action (`heat.common.exception.Forbidden`). */
export function notAuthorized(action: string): HeatError {
  return new HeatError('Forbidden', `You are not authorized to use ${action}.`);
}

/** Heat's `context_is_admin`: the admin role (a signal token or host credential is never an admin). */
export function isAdmin(caller: Caller): boolean {
  return caller.method !== 'signal' && caller.method !== 'host' && hasRole(caller, 'admin');
}

/** Whether `caller` satisfies `rule` on `target`. */
export function satisfiesRule(caller: Caller, rule: PolicyRule, target: PolicyTarget): boolean {
  if (caller.method === 'signal') {
    const scope = caller.signalScope;
    return (
      rule === 'signal' &&
      scope !== undefined &&
      scope.stackId === target.stackId &&
      scope.resourceName === target.resourceName
    );
  }
  if (caller.method === 'host') {
    const scope = caller.hostScope;
    return rule === 'host' && scope !== undefined && scope.serverId === target.serverId;
  }
  switch (rule) {
    case 'host':
      return hasRole(caller, 'member');
    case 'public':
    case 'authenticated':
      return true;
    case 'read':
    case 'signal':
      return hasRole(caller, 'reader');
    case 'write':
      return hasRole(caller, 'member');
    case 'admin':
      return hasRole(caller, 'admin');
  }
}

/**
 * The project check: the caller's project must be the URL's (and the ARN's, for ARN lookups), unless the caller
 * is an admin.
 * @throws HeatError HTTPForbidden "Access was denied to this resource."
 */
export function checkProject(caller: Caller, ...projects: string[]): void {
  if (isAdmin(caller)) return;
  if (projects.some((p) => p !== caller.projectId)) throw accessDenied();
}

/**
 * The whole check for one request on a `/v1/{tenant}` route.
 * @throws HeatError HTTPForbidden (wrong project) or Forbidden (rule not satisfied).
 */
export function authorize(caller: Caller, decision: PolicyDecision, target: PolicyTarget): void {
  checkProject(caller, target.tenant);
  if (!satisfiesRule(caller, decision.rule, target)) throw notAuthorized(decision.action);
}

/** The decision taken for each request (read by the audit hook). */
const decisions = new WeakMap<FastifyRequest, PolicyDecision>();

/**
 * The policy action and rule of a request: the one the policy hook decided, else the route's table entry (for
 * requests answered before the rule check, e.g. a malformed body), else undefined (no route, or none in the table).
 */
export function requestDecision(req: FastifyRequest): PolicyDecision | undefined {
  const decided = decisions.get(req);
  if (decided) return decided;
  const url = req.routeOptions.url;
  const entry = url === undefined ? undefined : policyEntry(req.method, url);
  return entry && { action: entry.action, rule: entry.rule };
}

/** True for route URLs under a project: `/v1/:tenant/…`. */
export function isTenantRoute(url: string): boolean {
  return url.startsWith('/v1/:tenant/') || url === '/v1/:tenant';
}

/** Route parameters by name. */
function params(req: FastifyRequest): Record<string, string | undefined> {
  return (req.params ?? {}) as Record<string, string | undefined>;
}

/** The target of a request on a tenant route. */
function targetOf(req: FastifyRequest): PolicyTarget {
  const p = params(req);
  return {
    tenant: p['tenant'] ?? '',
    ...(p['stackId'] !== undefined ? { stackId: p['stackId'] } : {}),
    ...(p['resourceName'] !== undefined ? { resourceName: p['resourceName'] } : {}),
    ...(p['serverId'] !== undefined ? { serverId: p['serverId'] } : {}),
  };
}

/** The authenticated caller of a tenant route (the auth hook has answered 401 already when there is none). */
function callerOf(req: FastifyRequest): Caller {
  if (req.caller) return req.caller;
  // Only reachable if an auth hook let a request through without an identity: refuse rather than guess.
  throw accessDenied();
}

const ARN_URL = /^\/v1\/([^/?]+)\/stacks\/(arn(?::|%3[aA])[^?]*)/;

/** The project named by a stack ARN URL (`/v1/{tenant}/stacks/arn:openstack:heat::{project}:stacks/…`), if any. */
export function arnProject(rawUrl: string): string | undefined {
  const m = ARN_URL.exec(rawUrl);
  if (!m) return undefined;
  let arn: string;
  try {
    arn = decodeURIComponent(m[2]!);
  } catch {
    return undefined;
  }
  return parseStackArn(arn)?.tenant;
}

/** Checks a stack ARN lookup (answered by the lookup hook before routing completes): `stacks:lookup`, read. */
function checkArnLookup(req: FastifyRequest, arnTenant: string): void {
  const m = ARN_URL.exec(req.url)!;
  const caller = callerOf(req);
  let tenant: string;
  try {
    tenant = decodeURIComponent(m[1]!);
  } catch {
    tenant = m[1]!;
  }
  const decision: PolicyDecision = { action: 'stacks:lookup', rule: 'read' };
  decisions.set(req, decision);
  checkProject(caller, tenant, arnTenant);
  if (!satisfiesRule(caller, decision.rule, { tenant })) throw notAuthorized(decision.action);
}

/** A registered route, as the policy saw it. */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  /** An `OPTIONS`/405 answer of the route helper (no operation of its own, no entry needed). */
  readonly methodFallback: boolean;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered after {@link trackRoutes} (or {@link installPolicy}), by method. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return registered.get(app) ?? [];
}

/** The registered routes that would be refused because the policy table has no entry for them. */
export function unmappedRoutes(app: FastifyInstance): RegisteredRoute[] {
  return registeredRoutes(app).filter((r) => !r.methodFallback && !policyEntry(r.method, r.url));
}

/**
 * Starts recording the routes registered from now on (see {@link registeredRoutes}, {@link unmappedRoutes}) and
 * logs, when the application is ready, those without a policy entry. Call before anything registers a route;
 * {@link installPolicy} calls it if that has not been done.
 */
export function trackRoutes(app: FastifyInstance): void {
  if (registered.has(app)) return;
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (opts) => {
    for (const method of [opts.method].flat()) {
      routes.push({ method, url: opts.url, methodFallback: opts.config?.methodFallback === true });
    }
  });
  app.addHook('onReady', async () => {
    const missing = unmappedRoutes(app);
    if (missing.length > 0) {
      app.log.error(
        { routes: missing.map((r) => `${r.method} ${r.url}`) },
        'routes without a policy entry: every call to them is refused',
      );
    }
  });
}

/**
 * Installs the policy hooks. Call after the auth hook and before the routes (the stack lookup's ARN hook must
 * come after this one).
 */
export function installPolicy(app: FastifyInstance): void {
  trackRoutes(app);
  app.addHook('onRequest', async (req) => {
    const arnTenant = arnProject(req.url);
    if (arnTenant !== undefined) return checkArnLookup(req, arnTenant);
    const url = req.routeOptions.url;
    if (url === undefined || req.routeOptions.config.methodFallback || !isTenantRoute(url)) return;
    // Without a caller the auth hook has answered already (or the preHandler check refuses the call).
    if (req.caller) checkProject(req.caller, targetOf(req).tenant);
  });
  app.addHook('preHandler', async (req) => {
    const url = req.routeOptions.url;
    if (url === undefined || req.routeOptions.config.methodFallback) return;
    const entry = policyEntry(req.method, url);
    if (!entry) {
      req.log.error({ method: req.method, route: url }, 'route without a policy entry refused');
      throw new HeatError('Forbidden', `You are not authorized to use ${req.method} ${url}.`);
    }
    const decision = policyDecision(entry, { body: req.body, query: (req.query ?? {}) as Query });
    decisions.set(req, decision);
    if (!isTenantRoute(url)) return;
    authorize(callerOf(req), decision, targetOf(req));
  });
}
