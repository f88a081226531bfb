/**
 * The agent API (Hearth's own; what `hearth agent` on a host talks to), under `/v1/{tenant}/agent/{server_id}/`:
 *
 * - `GET deployments?wait=SECONDS&version=V` → `{version, deployments}`: the server's deployment metadata (exactly
 *   the `metadata/{server_id}` list) and an opaque version of it. A long-poll: when `version` equals the current
 *   one the request is held until the server's deployments change or `wait` (at most 60) seconds pass.
 * - `POST deployments/{id}/signal` → the host's signal (Heat's hook output: `deploy_stdout`, `deploy_stderr`,
 *   `deploy_status_code`, outputs) applied to a deployment of that server that is IN_PROGRESS, else 404/409.
 * - `POST deployments/{id}/progress` → `{lines, heartbeat}` recorded (rate-limited) as events of the deployment's
 *   resource, so `hearth stack event list --follow` shows a running script live.
 * - `POST deployments/{id}/stats` → `{containers, token}`: a kubelet host's fresh container figures for a finished
 *   deployment, stored as its `containers` output (and its resource's attributes) without changing its status.
 *   The `deployments` answer lists in `refresh` the deployments whose figures were asked for (`{"refresh":
 *   "stats"}` signalled to their resource); the host answers each with this call.
 *
 * Callers: the host itself (its `hth1.` credential, policy rule `host`: only its own server) or the project's
 * members and admins.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EngineService } from '../../engine/service.js';
import { ProgressLimiter } from '../../engine/software/progress-limiter.js';
import type { SoftwareDeploymentRecord } from '../../engine/software/records.js';
import { OUTPUTS_REFRESH_SIGNAL, type RefreshRequest } from '../../engine/software/refresh-requests.js';
import type { SoftwareService } from '../../engine/software/service.js';
import { HeatError } from '../../template/errors.js';
import { param, query, sendJson } from '../context.js';
import { ApiFault } from '../faults.js';
import { intParam, single } from '../params.js';
import { route } from '../route-table.js';
import { agentOperations } from '../schemas/agent.js';
import { formatSoftwareConfig } from '../views/software.js';
import { requireSoftware, softwareCaller } from './software-common.js';

/** The longest a `GET deployments` may be held, in seconds. */
export const MAX_AGENT_WAIT_SECONDS = 60;

/** Options of {@link registerAgentRoutes}. */
export interface AgentRouteOptions {
  /** Which progress lines become events. @default a {@link ProgressLimiter} with its default budget */
  readonly progress?: ProgressLimiter;
}

/** The metadata of a server and its version (a digest of exactly what the host receives). */
async function snapshot(
  software: SoftwareService,
  req: FastifyRequest,
  serverId: string,
): Promise<{ version: string; deployments: Record<string, unknown>[]; refresh: RefreshRequest[] }> {
  const configs = await software.metadata(softwareCaller(req), serverId);
  const deployments = configs.map((c) => formatSoftwareConfig(c));
  const refresh = software.pendingRefreshes(serverId);
  const version = createHash('sha256')
    .update(JSON.stringify(refresh.length > 0 ? [deployments, refresh] : deployments))
    .digest('base64url')
    .slice(0, 22);
  return { version, deployments, refresh };
}

/**
 * The body of a stats report: `{containers: {…}, token?}`.
 * @throws HeatError HTTPBadRequest naming the field and the value received.
 */
function statsReport(body: unknown): { containers: Record<string, unknown>; token?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HeatError(
      'HTTPBadRequest',
      `A stats report must be a JSON object {"containers": {…}, "token": "…"}, got ${JSON.stringify(body) ?? 'nothing'}.`,
    );
  }
  const { containers, token } = body as Record<string, unknown>;
  if (typeof containers !== 'object' || containers === null || Array.isArray(containers)) {
    throw new HeatError(
      'HTTPBadRequest',
      `"containers" must be a map of "<pod>/<container>" to figures, got ${JSON.stringify(containers) ?? 'nothing'}.`,
    );
  }
  if (token !== undefined && typeof token !== 'string') {
    throw new HeatError('HTTPBadRequest', `"token" must be a string, got ${JSON.stringify(token)}.`);
  }
  return { containers: containers as Record<string, unknown>, ...(token !== undefined ? { token } : {}) };
}

/**
 * A host credential may only address its own server (the policy's `host` rule checks it too: this is the
 * second lock on the same door).
 * @throws HeatError Forbidden
 */
export function checkHostScope(req: FastifyRequest): void {
  const caller = req.caller;
  if (caller?.method !== 'host') return;
  if (caller.hostScope?.serverId !== param(req, 'serverId')) {
    throw new HeatError('Forbidden', 'A host credential may only read and signal its own deployments.');
  }
}

/**
 * The deployment addressed by the URL, if it belongs to the URL's server.
 * @throws HeatError NotFound (unknown, another project's, or another server's: a host learns nothing of others)
 */
async function serverDeployment(
  software: SoftwareService,
  req: FastifyRequest,
): Promise<SoftwareDeploymentRecord> {
  const id = param(req, 'deploymentId');
  const deployment = await software.showDeployment(softwareCaller(req), id);
  if (deployment.serverId !== param(req, 'serverId')) {
    throw new HeatError(
      'NotFound',
      `Deployment with id ${id} not found for server ${param(req, 'serverId')}`,
    );
  }
  return deployment;
}

/** @throws HeatError HTTPConflict unless the deployment is IN_PROGRESS. */
function requireInProgress(deployment: SoftwareDeploymentRecord, what: string): void {
  if (deployment.status === 'IN_PROGRESS') return;
  throw new HeatError(
    'HTTPConflict',
    `Deployment ${deployment.id} is ${deployment.status ?? 'without a status'}, not IN_PROGRESS: ` +
      `it takes no ${what} (a deployment takes one final signal, while it is IN_PROGRESS).`,
  );
}

/** `wait` in milliseconds (0 when absent). @throws HeatError HTTPBadRequest past the maximum. */
function waitMs(req: FastifyRequest): number {
  const seconds = intParam(query(req), 'wait') ?? 0;
  if (seconds > MAX_AGENT_WAIT_SECONDS) {
    throw new HeatError(
      'HTTPBadRequest',
      `wait must be at most ${MAX_AGENT_WAIT_SECONDS} seconds, got ${seconds}.`,
    );
  }
  return seconds * 1000;
}

/** The lines of a progress body. @throws HeatError HTTPBadRequest when `lines` is not a list of strings. */
function progressLines(body: Record<string, unknown>): string[] {
  const lines = body['lines'] ?? [];
  if (!Array.isArray(lines) || lines.some((l) => typeof l !== 'string')) {
    throw new HeatError('HTTPBadRequest', `"lines" must be a list of strings, got ${JSON.stringify(lines)}.`);
  }
  return lines as string[];
}

/** Registers the agent routes (answering 503 when `software` is undefined). */
export function registerAgentRoutes(
  app: FastifyInstance,
  engine: EngineService,
  softwareService: SoftwareService | undefined,
  options: AgentRouteOptions = {},
): void {
  const base = '/v1/:tenant/agent/:serverId/deployments';
  const limiter = options.progress ?? new ProgressLimiter();

  route(
    app,
    base,
    {
      GET: async (req, reply) => {
        checkHostScope(req);
        const software = requireSoftware(softwareService);
        const serverId = param(req, 'serverId');
        const known = single(query(req), 'version');
        const deadline = Date.now() + waitMs(req);
        const gone = new AbortController();
        const onClose = () => gone.abort();
        req.raw.socket?.once('close', onClose);
        try {
          for (;;) {
            const since = software.changes.generation;
            const current = await snapshot(software, req, serverId);
            const left = deadline - Date.now();
            if (current.version !== known || left <= 0 || gone.signal.aborted) {
              return sendJson(reply, 200, current);
            }
            await software.changes.wait(serverId, left, gone.signal, since);
          }
        } finally {
          req.raw.socket?.off('close', onClose);
        }
      },
    },
    { GET: agentOperations.deployments },
  );

  route(
    app,
    `${base}/:deploymentId/signal`,
    {
      POST: async (req, reply) => {
        checkHostScope(req);
        const software = requireSoftware(softwareService);
        const deployment = await serverDeployment(software, req);
        requireInProgress(deployment, 'signal');
        const reason = await software.signalDeployment(softwareCaller(req), deployment.id, req.body ?? {});
        if (reason === undefined) requireInProgress(await serverDeployment(software, req), 'signal');
        limiter.forget(deployment.id);
        if (reason) await engine.appendResourceEvents(param(req, 'tenant'), deployment.id, [reason]);
        const after = await serverDeployment(software, req);
        return sendJson(reply, 200, { status: after.status, status_reason: after.statusReason });
      },
    },
    { POST: agentOperations.signal },
  );

  route(
    app,
    `${base}/:deploymentId/stats`,
    {
      POST: async (req, reply) => {
        checkHostScope(req);
        const report = statsReport(req.body);
        const software = requireSoftware(softwareService);
        const deployment = await serverDeployment(software, req);
        const outcome = await software.refreshStats(
          softwareCaller(req),
          deployment.id,
          report.containers,
          report.token,
        );
        if (outcome.stored) {
          await engine.signalResourceById(deployment.projectId, deployment.id, OUTPUTS_REFRESH_SIGNAL);
        }
        return sendJson(reply, 200, outcome);
      },
    },
    { POST: agentOperations.stats },
  );

  route(
    app,
    `${base}/:deploymentId/progress`,
    {
      POST: async (req, reply) => {
        checkHostScope(req);
        const body = req.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw new ApiFault(
            400,
            'HTTPBadRequest',
            'A progress report must be a JSON object {"lines": […]}.',
          );
        }
        const lines = progressLines(body as Record<string, unknown>);
        const heartbeat = (body as Record<string, unknown>)['heartbeat'] === true;
        const software = requireSoftware(softwareService);
        const deployment = await serverDeployment(software, req);
        requireInProgress(deployment, 'progress');
        const texts = lines.map((line) => `deployment ${deployment.id} progress: ${line}`);
        if (heartbeat) texts.push(`deployment ${deployment.id} heartbeat: the host is still running it`);
        const admitted = limiter.admit(deployment.id, texts);
        const recorded = await engine.appendResourceEvents(
          param(req, 'tenant'),
          deployment.id,
          admitted.lines,
        );
        return sendJson(reply, 200, { recorded, skipped: admitted.skipped });
      },
    },
    { POST: agentOperations.progress },
  );
}
