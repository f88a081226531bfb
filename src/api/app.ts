/**
 * The Heat v1 REST API over an {@link EngineService}: every route Hearth backs, Heat's response shapes, and
 * Heat's fault bodies for every failure (never a 500 for bad input; unexpected errors are logged and answered
 * with a generic 500).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { EngineService } from '../engine/service.js';
import type { SoftwareDeployer } from '../engine/software/deployer.js';
import type { SoftwareService } from '../engine/software/service.js';
import type { IdentityService } from '../identity/service.js';
import { installAudit, type AuditLog } from './audit.js';
import { installAuth, type SignalTokenVerifier } from './auth.js';
import { installJsonBodyParser } from './body-parser.js';
import { redactingLogger } from './log-redaction.js';
import { registerDashboard } from './dashboard.js';
import { sendJson, type ApiContext } from './context.js';
import { faultBody, toFault } from './faults.js';
import { registerHealthRoutes, type HealthOptions } from './health.js';
import { registerIdentityApi } from './identity/index.js';
import { installOpenApi } from './openapi.js';
import { installPolicy, trackRoutes } from './policy.js';
import { registerAbandonRoutes } from './routes/abandon.js';
import { registerActionRoutes } from './routes/actions.js';
import { registerAgentRoutes } from './routes/agent.js';
import { registerAgentPodRoutes, type ServerPodsService } from './routes/agent-pods.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerEventRoutes } from './routes/events.js';
import { registerLookupRoutes } from './routes/lookup.js';
import { registerOutputRoutes } from './routes/outputs.js';
import { registerResourceRoutes } from './routes/resources.js';
import { registerSnapshotRoutes } from './routes/snapshots.js';
import { registerStackDataRoutes } from './routes/stack-data.js';
import { registerSignalUrlRoutes } from './routes/signal-url.js';
import { registerSoftwareConfigRoutes } from './routes/software-configs.js';
import { registerSoftwareDeploymentRoutes } from './routes/software-deployments.js';
import { registerStackRoutes } from './routes/stacks.js';
import { registerStreamRoutes } from './routes/stream.js';
import { registerValidateRoutes } from './routes/validate.js';
import { registerVersionRoutes } from './routes/versions.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { AJV_CONFIG } from './schemas/validation.js';

/** Heat's `max_json_body_size` default. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/** Options of {@link buildApi}. */
export interface ApiOptions {
  /** Trust the tenant in `/v1/{tenant}/…` (Heat's noauth); otherwise every /v1 call answers 401. */
  insecureNoauth: boolean;
  /** Fastify logger option (pino). */
  logger?: boolean | object;
  /** Largest accepted request body; default 1 MiB (Heat's max_json_body_size). */
  maxBodyBytes?: number;
  /** Serve `DELETE …/abandon` and `GET …/export` (Heat's `enable_stack_abandon`, default false). */
  enableAbandon?: boolean;
  /** Accept `adopt_stack_data` on `POST /stacks` (Heat's `enable_stack_adopt`, default false). */
  enableAdopt?: boolean;
  /** The engine processes sharing the database (`GET /services`); default: this process's engine. */
  services?: ApiContext['services'];
  /** Where every mutating call is recorded (`GET /v1/{tenant}/audit` reads it); none: no audit trail. */
  audit?: AuditLog;
  /** Software configs and deployments; none: their routes answer 503. */
  software?: SoftwareService;
  /** The identity service: serves `/v3` and validates `/v1` tokens (none, without noauth: every /v1 call is a 401). */
  identity?: IdentityService;
  /** Checks resource signal tokens on the signal route (the engine's `signals`). */
  signals?: SignalTokenVerifier;
  /** The public base URL (`--public-url`: service catalog, `WWW-Authenticate`); undefined: the request's origin. */
  publicUrl?: () => string | undefined;
  /** The software resource types' deployer: host credentials in the auth hook, the signed signal URL route. */
  deployer?: SoftwareDeployer;
  /** Runs container servers' pods for their agents (`hearth server --container-servers`); none: 503. */
  serverPods?: ServerPodsService;
  /** `/readyz` asks this store; `/metrics` serves these metrics (see `health.ts`). */
  health?: HealthOptions;
}

/** Builds the API application (not listening; call `listen` or `inject`). */
export function buildApi(engine: EngineService, opts: ApiOptions): FastifyInstance {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = Fastify({
    logger: redactingLogger(opts.logger ?? false),
    bodyLimit: maxBodyBytes,
    genReqId: () => `req-${randomUUID()}`,
    routerOptions: { maxParamLength: 1000 },
    ajv: AJV_CONFIG,
  });
  trackRoutes(app);
  installOpenApi(app);
  const ctx: ApiContext = {
    engine,
    maxBodyBytes,
    features: { abandon: opts.enableAbandon ?? false, adopt: opts.enableAdopt ?? false },
    ...(opts.services ? { services: opts.services } : {}),
  };

  installJsonBodyParser(app);
  // Structured logs carry the stack a request is about (next to Fastify's request id).
  app.addHook('preHandler', async (req) => {
    const stackId = (req.params as Record<string, string> | undefined)?.['stackId'];
    if (stackId) req.log = req.log.child({ stack_id: stackId });
  });
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-openstack-request-id', req.id);
    return payload;
  });
  app.setErrorHandler((err, req, reply) => {
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'the database is unreachable');
      const message = 'The database is unreachable; the request was not carried out. Retry later.';
      void reply.header('retry-after', '2');
      return sendJson(reply, 503, faultBody(503, 'HTTPServiceUnavailable', message));
    }
    const fault = toFault(err, maxBodyBytes, Number(req.headers['content-length']) || undefined);
    if (fault.unexpected) req.log.error({ err }, 'unexpected error while handling the request');
    return sendJson(reply, fault.status, fault.body);
  });
  app.setNotFoundHandler((_req, reply) =>
    sendJson(reply, 404, faultBody(404, 'HTTPNotFound', 'The resource could not be found.')),
  );

  const publicUrl = opts.publicUrl ?? (() => undefined);
  installAuth(app, {
    insecureNoauth: opts.insecureNoauth,
    identity: opts.identity,
    signals: opts.signals,
    publicUrl,
    ...(opts.deployer ? { hosts: opts.deployer } : {}),
  });
  installPolicy(app);
  if (opts.audit) installAudit(app, opts.audit);
  registerVersionRoutes(app, ctx);
  registerHealthRoutes(app, opts.health ?? {});
  registerLookupRoutes(app, ctx);
  registerStackRoutes(app, ctx);
  registerStackDataRoutes(app, ctx);
  registerAbandonRoutes(app, ctx);
  registerActionRoutes(app, ctx);
  registerSnapshotRoutes(app, ctx);
  registerOutputRoutes(app, ctx);
  registerResourceRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerValidateRoutes(app, ctx);
  registerDiscoveryRoutes(app, ctx);
  registerSoftwareConfigRoutes(app, opts.software);
  registerSoftwareDeploymentRoutes(app, opts.software);
  registerAgentRoutes(app, engine, opts.software);
  registerAgentPodRoutes(app, opts.serverPods);
  registerSignalUrlRoutes(app, opts.deployer);
  registerStreamRoutes(app, ctx);
  registerAuditRoutes(app, opts.audit);
  registerDashboard(app, { insecureNoauth: opts.insecureNoauth });
  if (opts.identity) registerIdentityApi(app, { identity: opts.identity, publicUrl, maxBodyBytes });
  return app;
}
