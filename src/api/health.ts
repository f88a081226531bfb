/**
 * Operations routes: `GET /healthz` (the process answers), `GET /readyz` (the store answers and its migrations
 * are current; 503 otherwise) and `GET /metrics` (Prometheus). All three are public: probes and scrapers carry no
 * Keystone token, and none of them shows tenant data (see `docs/operations.md`).
 */
import type { FastifyInstance } from 'fastify';
import { sendJson } from './context.js';
import { faultBody } from './faults.js';
import type { HearthMetrics } from './metrics.js';
import { route } from './route-table.js';
import { healthzOperation, metricsOperation, readyzOperation } from './schemas/health.js';

/** What readiness asks the store. */
export interface ReadinessProbe {
  /** Never throws: `reachable` false with the driver's `error` when the database does not answer. */
  readiness(): Promise<{
    readonly reachable: boolean;
    readonly pendingMigrations: readonly string[];
    readonly error?: string;
  }>;
}

/** Options of {@link registerHealthRoutes}. */
export interface HealthOptions {
  /** The store; none: `/readyz` answers ready as soon as the process is up. */
  store?: ReadinessProbe;
  /** The metrics; none: `/metrics` answers a 404 fault. */
  metrics?: HearthMetrics;
}

/** Registers `/healthz`, `/readyz` and `/metrics` (a 404 fault when no metrics are given). */
export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  route(
    app,
    '/healthz',
    { GET: async (_req, reply) => sendJson(reply, 200, { status: 'ok' }) },
    {
      GET: healthzOperation,
    },
  );
  route(
    app,
    '/readyz',
    {
      GET: async (_req, reply) => {
        if (!options.store) {
          return sendJson(reply, 200, { status: 'ready', checks: { store: 'ok', migrations: 'current' } });
        }
        const found = await options.store.readiness();
        if (!found.reachable) {
          return sendJson(reply, 503, {
            status: 'unavailable',
            checks: { store: 'unreachable', migrations: 'unknown' },
            reason: `The database does not answer: ${found.error ?? 'no reason given'}`,
          });
        }
        if (found.pendingMigrations.length > 0) {
          return sendJson(reply, 503, {
            status: 'unavailable',
            checks: { store: 'ok', migrations: 'pending' },
            pending_migrations: [...found.pendingMigrations],
            reason: `The database schema lacks ${found.pendingMigrations.length} migration(s) of this build`,
          });
        }
        return sendJson(reply, 200, { status: 'ready', checks: { store: 'ok', migrations: 'current' } });
      },
    },
    { GET: readyzOperation },
  );
  const metrics = options.metrics;
  metrics?.install(app);
  route(
    app,
    '/metrics',
    {
      GET: async (_req, reply) => {
        if (!metrics) {
          return sendJson(reply, 404, faultBody(404, 'HTTPNotFound', 'This process collects no metrics.'));
        }
        const text = await metrics.registry.metrics();
        return reply.code(200).header('content-type', metrics.registry.contentType).send(text);
      },
    },
    { GET: metricsOperation },
  );
}
