/**
 * The audit trail: one record per mutating call (POST, PUT, PATCH, DELETE) of an identified caller, successful,
 * failed or denied, written by an `onResponse` hook once the answer is sent (so writing it can never change the
 * answer; a failure to write is logged). A record says who (user id and name), what (method, route, Heat policy
 * action, target path), when, and how it ended (HTTP status, result, request id) — never a body, a query string
 * or a credential.
 *
 * Records land in the log of the project the call acted on (the URL's project), except denied calls, which land in
 * the caller's own project: nobody can fill another project's log (whose size is bounded) with refused attempts.
 * Calls without an identity (answered 401 by the auth hook) are not recorded: there is nobody to attribute them to.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestDecision } from './policy.js';

/** How a call ended: 2xx/3xx `success`, 401/403 `denied`, any other error `failure`. */
export type AuditResult = 'success' | 'failure' | 'denied';

/** Every result, for filters and messages. */
export const AUDIT_RESULTS: readonly AuditResult[] = ['success', 'failure', 'denied'];

/** One audited call. */
export interface AuditRecord {
  /** Random UUID. */
  readonly id: string;
  /** When the answer was sent (ISO 8601, UTC). */
  readonly time: string;
  /** The project whose log holds the record. */
  readonly projectId: string;
  readonly userId: string;
  readonly userName: string;
  /** HTTP method. */
  readonly method: string;
  /** The Fastify route URL (`/v1/:tenant/stacks/:stackName/:stackId`). */
  readonly route: string;
  /** The Heat policy action (`stacks:delete`), or null when the route has none. */
  readonly action: string | null;
  /** What the call addressed: the route's path with its parameters, without the project prefix. */
  readonly target: string | null;
  /** HTTP status of the answer. */
  readonly status: number;
  readonly result: AuditResult;
  /** `x-openstack-request-id` of the answer. */
  readonly requestId: string;
}

/** Filters and paging of an audit listing (newest first). */
export interface AuditQuery {
  readonly limit?: number;
  /** Id of the last record of the previous page. */
  readonly marker?: string;
  /** Only records at or after this time (ISO 8601, UTC). */
  readonly since?: string;
  /** Only these actions (exact). */
  readonly actions?: readonly string[];
  /** Only these results. */
  readonly results?: readonly AuditResult[];
}

/** The audit log port (implemented in `src/store/audit-store.ts`). */
export interface AuditLog {
  /** Stores a record and drops the project's oldest beyond the retention. */
  append(record: AuditRecord): Promise<void>;
  /** A project's record by id. */
  find(projectId: string, id: string): Promise<AuditRecord | undefined>;
  /** A project's records, newest first. */
  list(projectId: string, query: AuditQuery): Promise<AuditRecord[]>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The result of an answer's status. */
export function auditResult(status: number): AuditResult {
  if (status === 401 || status === 403) return 'denied';
  return status >= 400 ? 'failure' : 'success';
}

/** Fills a route URL's `:name` parameters with the request's values. */
function concretePath(route: string, params: Record<string, string | undefined>): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
    encodeURIComponent(params[name] ?? `:${name}`),
  );
}

/**
 * What a call addressed: the route's path with its values, without `/v1/{tenant}/` (`stacks/web/<id>/actions`);
 * for a create answered with a `Location` in the same project, that location's path (`stacks/web/<new id>`).
 * With `keepProject` (a record kept in another project's log than the URL's) the whole path.
 */
export function auditTarget(
  route: string,
  params: Record<string, string | undefined>,
  location?: string,
  keepProject = false,
): string | null {
  if (keepProject) return concretePath(route, params);
  const tenantPrefix = route.startsWith('/v1/:tenant')
    ? `/v1/${encodeURIComponent(params['tenant'] ?? '')}`
    : '';
  if (location !== undefined && tenantPrefix !== '') {
    let path: string | undefined;
    try {
      path = new URL(location, 'http://h').pathname;
    } catch {
      path = undefined;
    }
    if (path?.startsWith(`${tenantPrefix}/`)) return path.slice(tenantPrefix.length + 1);
  }
  const path = concretePath(route, params);
  if (tenantPrefix === '') return path;
  const rest = path.slice(tenantPrefix.length).replace(/^\//, '');
  return rest === '' ? null : rest;
}

/** The audit record of a finished request, or undefined when the call is not audited. */
export function auditRecordOf(req: FastifyRequest, reply: FastifyReply): AuditRecord | undefined {
  const caller = req.caller;
  const route = req.routeOptions.url;
  if (!MUTATING.has(req.method) || !caller || route === undefined || req.routeOptions.config.methodFallback) {
    return undefined;
  }
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  const status = reply.statusCode;
  const result = auditResult(status);
  const tenant = route.startsWith('/v1/:tenant') ? params['tenant'] : undefined;
  const projectId = result === 'denied' || tenant === undefined ? caller.projectId : tenant;
  const location = reply.getHeader('location');
  const elsewhere = tenant !== undefined && tenant !== projectId;
  return {
    id: randomUUID(),
    time: new Date().toISOString(),
    projectId,
    userId: caller.userId,
    userName: caller.userName,
    method: req.method,
    route,
    action: requestDecision(req)?.action ?? null,
    target: auditTarget(route, params, typeof location === 'string' ? location : undefined, elsewhere),
    status,
    result,
    requestId: req.id,
  };
}

/** Installs the `onResponse` hook that writes the audit records. */
export function installAudit(app: FastifyInstance, log: AuditLog): void {
  app.addHook('onResponse', async (req, reply) => {
    try {
      const record = auditRecordOf(req, reply);
      if (record) await log.append(record);
    } catch (err) {
      req.log.error({ err, requestId: req.id }, 'the audit record of a call could not be written');
    }
  });
}
