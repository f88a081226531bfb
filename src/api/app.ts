/**
 * The Heat v1 REST API over an {@link EngineService}: every route Hearth backs, Heat's response shapes, and
 * Heat's fault bodies for every failure (never a 500 for bad input; unexpected errors are logged and answered
 * with a generic 500).
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { EngineService } from '../engine/service.js';
import { installAuth } from './auth.js';
import { installJsonBodyParser } from './body-parser.js';
import { sendJson, type ApiContext } from './context.js';
import { faultBody, toFault } from './faults.js';
import { registerAbandonRoutes } from './routes/abandon.js';
import { registerActionRoutes } from './routes/actions.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerEventRoutes } from './routes/events.js';
import { registerLookupRoutes } from './routes/lookup.js';
import { registerOutputRoutes } from './routes/outputs.js';
import { registerResourceRoutes } from './routes/resources.js';
import { registerSnapshotRoutes } from './routes/snapshots.js';
import { registerStackDataRoutes } from './routes/stack-data.js';
import { registerStackRoutes } from './routes/stacks.js';
import { registerValidateRoutes } from './routes/validate.js';
import { registerVersionRoutes } from './routes/versions.js';

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
}

/** Builds the API application (not listening; call `listen` or `inject`). */
export function buildApi(engine: EngineService, opts: ApiOptions): FastifyInstance {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: maxBodyBytes,
    genReqId: () => `req-${randomUUID()}`,
    routerOptions: { maxParamLength: 1000 },
  });
  const ctx: ApiContext = {
    engine,
    maxBodyBytes,
    features: { abandon: opts.enableAbandon ?? false, adopt: opts.enableAdopt ?? false },
  };

  installJsonBodyParser(app);
  app.addHook('onSend', async (req, reply, payload) => {
    void reply.header('x-openstack-request-id', req.id);
    return payload;
  });
  app.setErrorHandler((err, req, reply) => {
    const fault = toFault(err, maxBodyBytes);
    if (fault.unexpected) req.log.error({ err }, 'unexpected error while handling the request');
    return sendJson(reply, fault.status, fault.body);
  });
  app.setNotFoundHandler((_req, reply) =>
    sendJson(reply, 404, faultBody(404, 'HTTPNotFound', 'The resource could not be found.')),
  );

  installAuth(app, opts.insecureNoauth);
  registerVersionRoutes(app, ctx);
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
  return app;
}
