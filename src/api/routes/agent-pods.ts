/**
 * The pods of a container server, run by the Hearth server for the agent inside it (which has no Docker):
 *
 * - `PUT /v1/{tenant}/agent/{server_id}/pods` `{"pods": {"<pod>": <manifest>, …}}` → `{pods, invalid}`: the
 *   server runs exactly these pods (the full desired set: pods left out are removed). Each manifest is Heat's
 *   v1beta2 container manifest or a Kubernetes v1 Pod subset, parsed by the host again.
 * - `GET …/pods?pod=NAME&pod=…&stats=true&stats_wait_ms=150` → `{pods: [status…], stats?: [figures…]}`: the
 *   pods' statuses (phase, readiness, per-container state and reason; only the pods named, when named) and,
 *   with `stats`, their containers' CPU, memory and restarts.
 *
 * Callers: the server's own agent (its host credential; policy rule `host`) or the project's members. Answers
 * 503 unless `hearth server --container-servers` runs, 404 for a server that is not a container server of the
 * project, 409 while its container is not running.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HeatError } from '../../template/errors.js';
import { param, query, sendJson } from '../context.js';
import { ApiFault } from '../faults.js';
import { intParam } from '../params.js';
import { route } from '../route-table.js';
import { agentPodOperations } from '../schemas/agent-pods.js';
import { checkHostScope } from './agent.js';

/** What the host runs the pods with (`src/server/container-servers.ts` adapts the runtime's ServerPods). */
export interface ServerPodsService {
  /**
   * Makes the server run exactly `pods`. @throws HeatError NotFound (no such container server of the project),
   * HTTPConflict (its container is not running)
   */
  apply(
    projectId: string,
    serverId: string,
    pods: Readonly<Record<string, unknown>>,
  ): Promise<{ pods: string[]; invalid: { pod: string; message: string }[] }>;
  /**
   * The pods' statuses (and figures with `stats`); `desired` false when this process has had no apply for the
   * server since it started (the agent then sends its set again). @throws HeatError NotFound
   */
  status(
    projectId: string,
    serverId: string,
    options: { pods?: readonly string[]; stats?: boolean; statsWaitMs?: number },
  ): Promise<{ pods: unknown[]; stats?: unknown[]; desired?: boolean }>;
}

/** The longest a stats sample may be waited for, in milliseconds. */
const MAX_STATS_WAIT_MS = 5000;

/** The most pods one server runs. */
export const MAX_SERVER_PODS = 100;

function requirePods(service: ServerPodsService | undefined): ServerPodsService {
  if (service) return service;
  throw new ApiFault(
    503,
    'HTTPServiceUnavailable',
    'Pods of container servers are run only by `hearth server --container-servers`.',
  );
}

/** The `pod` query values (repeated or comma-separated). */
function podNames(req: FastifyRequest): string[] | undefined {
  const raw = query(req)['pod'];
  if (raw === undefined) return undefined;
  return (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).filter(Boolean);
}

/** Registers the pod routes (503 when `service` is undefined). */
export function registerAgentPodRoutes(app: FastifyInstance, service: ServerPodsService | undefined): void {
  route(
    app,
    '/v1/:tenant/agent/:serverId/pods',
    {
      PUT: async (req, reply) => {
        checkHostScope(req);
        const body = (req.body ?? {}) as { pods?: unknown };
        const pods = body.pods as Record<string, unknown>;
        const count = Object.keys(pods).length;
        if (count > MAX_SERVER_PODS)
          throw new HeatError(
            'HTTPBadRequest',
            `A server runs at most ${MAX_SERVER_PODS} pods, got ${count} in "pods".`,
          );
        const outcome = await requirePods(service).apply(param(req, 'tenant'), param(req, 'serverId'), pods);
        return sendJson(reply, 200, outcome);
      },
      GET: async (req, reply) => {
        checkHostScope(req);
        const q = query(req);
        const stats = String(q['stats'] ?? 'false').toLowerCase() === 'true';
        const wait = intParam(q, 'stats_wait_ms');
        if (wait !== undefined && wait > MAX_STATS_WAIT_MS)
          throw new HeatError(
            'HTTPBadRequest',
            `stats_wait_ms must be at most ${MAX_STATS_WAIT_MS}, got ${wait}.`,
          );
        const pods = podNames(req);
        const outcome = await requirePods(service).status(param(req, 'tenant'), param(req, 'serverId'), {
          ...(pods ? { pods } : {}),
          stats,
          ...(wait !== undefined ? { statsWaitMs: wait } : {}),
        });
        return sendJson(reply, 200, outcome);
      },
    },
    { PUT: agentPodOperations.apply, GET: agentPodOperations.status },
  );
}
