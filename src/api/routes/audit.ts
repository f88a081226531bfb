/**
 * `GET /v1/{tenant}/audit` (Hearth extension, `audit:index`, project admins): the project's audit records, newest
 * first → `{"audit": [...]}`. Query: `limit`, `marker` (id of the last record of the previous page), `since`
 * (ISO 8601 time), `action` and `result` (each repeatable).
 */
import type { FastifyInstance } from 'fastify';
import { HeatError } from '../../template/errors.js';
import {
  AUDIT_RESULTS,
  type AuditLog,
  type AuditQuery,
  type AuditRecord,
  type AuditResult,
} from '../audit.js';
import { param, query, sendJson } from '../context.js';
import { badRequest } from '../faults.js';
import { intParam, multi, single, type Query } from '../params.js';
import { route } from '../route-table.js';
import { auditOperation } from '../schemas/extensions.js';

/** A record as the API shows it. */
export function formatAuditRecord(r: AuditRecord): Record<string, unknown> {
  return {
    id: r.id,
    time: r.time,
    project_id: r.projectId,
    user_id: r.userId,
    user_name: r.userName,
    method: r.method,
    route: r.route,
    action: r.action,
    target: r.target,
    status: r.status,
    result: r.result,
    request_id: r.requestId,
  };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `since` as a UTC ISO 8601 time (comparable as text with the stored times).
 * @throws HeatError HTTPBadRequest naming the value received and the form expected.
 */
export function parseSince(raw: string): string {
  const time = ISO_TIME.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(time)) {
    throw badRequest(
      `Invalid value "${raw}" for "since": expected an ISO 8601 time such as 2026-01-31T12:00:00Z.`,
    );
  }
  return new Date(time).toISOString();
}

/**
 * The audit listing query.
 * @throws HeatError HTTPBadRequest for a bad `limit`, `since` or `result`.
 */
export function parseAuditQuery(q: Query): AuditQuery {
  const limit = intParam(q, 'limit');
  const marker = single(q, 'marker');
  const since = single(q, 'since');
  const actions = multi(q, 'action')
    .flatMap((a) => a.split(','))
    .filter((a) => a !== '');
  const results = multi(q, 'result')
    .flatMap((r) => r.split(','))
    .filter((r) => r !== '');
  for (const r of results) {
    if (!AUDIT_RESULTS.includes(r as AuditResult)) {
      throw badRequest(`Invalid value "${r}" for "result": allowed values are ${AUDIT_RESULTS.join(', ')}.`);
    }
  }
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(marker ? { marker } : {}),
    ...(since !== undefined ? { since: parseSince(since) } : {}),
    ...(actions.length ? { actions } : {}),
    ...(results.length ? { results: results as AuditResult[] } : {}),
  };
}

/** Registers the audit route; without a log (`log` undefined) it answers 404. */
export function registerAuditRoutes(app: FastifyInstance, log: AuditLog | undefined): void {
  route(
    app,
    '/v1/:tenant/audit',
    {
      GET: async (req, reply) => {
        const tenant = param(req, 'tenant');
        const auditQuery = parseAuditQuery(query(req));
        if (!log) throw new HeatError('HTTPNotFound', 'This server keeps no audit log.');
        if (auditQuery.marker !== undefined && !(await log.find(tenant, auditQuery.marker))) {
          throw badRequest(
            `Invalid marker "${auditQuery.marker}": no audit record with this id in this project.`,
          );
        }
        const records = await log.list(tenant, auditQuery);
        return sendJson(reply, 200, { audit: records.map(formatAuditRecord) });
      },
    },
    { GET: { ...auditOperation, check: (req) => void parseAuditQuery(query(req)) } },
  );
}
