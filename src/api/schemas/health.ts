/**
 * Operations of the health and metrics routes (`health.ts`): `/healthz`, `/readyz`, `/metrics`.
 */
import type { Operation } from '../route-table.js';
import { operation } from './operation.js';

const checks = {
  type: 'object',
  properties: {
    store: { type: 'string', enum: ['ok', 'unreachable'] },
    migrations: { type: 'string', enum: ['current', 'pending', 'unknown'] },
  },
  required: ['store', 'migrations'],
};

const readiness = (description: string) => ({
  type: 'object',
  description,
  properties: {
    status: { type: 'string', enum: ['ready', 'unavailable'] },
    checks,
    pending_migrations: { type: 'array', items: { type: 'string' } },
    reason: { type: 'string' },
  },
  required: ['status', 'checks'],
});

/** `GET /healthz`: the process is alive. */
export const healthzOperation: Operation = operation({
  operationId: 'showHealth',
  summary: 'Liveness: the process answers',
  tag: 'operations',
  url: '/healthz',
  public: true,
  responses: {
    200: {
      type: 'object',
      description: 'The process is alive',
      properties: { status: { type: 'string', enum: ['ok'] } },
      required: ['status'],
    },
  },
});

/** `GET /readyz`: the store answers and its schema is current. */
export const readyzOperation: Operation = operation({
  operationId: 'showReadiness',
  summary: 'Readiness: the database answers and its migrations are current',
  tag: 'operations',
  url: '/readyz',
  public: true,
  responses: {
    200: readiness('Ready to serve'),
    503: readiness('Not ready: the database is unreachable or migrations are pending'),
  },
});

/** `GET /metrics`: Prometheus text exposition. */
export const metricsOperation: Operation = operation({
  operationId: 'showMetrics',
  summary: 'Prometheus metrics (text exposition format 0.0.4)',
  tag: 'operations',
  url: '/metrics',
  public: true,
  responses: { 200: { type: 'string', description: 'The metrics, text/plain; version=0.0.4' } },
});
