/**
 * Operations of the agent API (`routes/agent.ts`): what `hearth agent` on a host reads and sends.
 */
import { ref } from './components.js';
import { operation } from './operation.js';
import { openMap, queryInt, queryText, querystring, type JsonSchema } from './primitives.js';

const DEPLOYMENTS = '/v1/:tenant/agent/:serverId/deployments';
const PATHS = { serverId: 'Server id (a host credential names its own).', deploymentId: 'Deployment id.' };

/** The answer to a signal or progress report. */
const outcome = (description: string, properties: Record<string, JsonSchema>): JsonSchema => ({
  type: 'object',
  description,
  properties,
});

/** The agent operations. */
export const agentOperations = {
  deployments: operation({
    operationId: 'agentListDeployments',
    summary: "A server's deployments (long-poll: held until they change when `version` is current)",
    tag: 'agent',
    url: DEPLOYMENTS,
    pathParams: PATHS,
    querystring: querystring({
      wait: queryInt('Seconds to hold the request while nothing changed (0-60; default 0).'),
      version: queryText('The version the host has; the answer is held while it is current.'),
    }),
    responses: {
      200: {
        type: 'object',
        description:
          'The deployment metadata (as `software_deployments/metadata/{server_id}`) and its version',
        properties: {
          version: { type: 'string', description: 'Opaque; changes whenever the deployments change.' },
          deployments: { type: 'array', items: ref('SoftwareConfig') },
          refresh: {
            type: 'array',
            description: 'Deployments whose container figures were asked for: answer each with POST …/stats.',
            items: {
              type: 'object',
              properties: {
                deployment_id: { type: 'string' },
                token: { type: 'string', description: 'Echo it in the stats report.' },
                what: { type: 'string', enum: ['stats'] },
              },
              required: ['deployment_id', 'token', 'what'],
            },
          },
        },
        required: ['version', 'deployments'],
      },
    },
  }),
  signal: operation({
    operationId: 'agentSignalDeployment',
    summary: "A host's final signal for a deployment IN_PROGRESS (its hook's output)",
    tag: 'agent',
    url: `${DEPLOYMENTS}/:deploymentId/signal`,
    pathParams: PATHS,
    body: openMap('deploy_stdout, deploy_stderr, deploy_status_code and the declared outputs.'),
    responses: {
      200: outcome('The deployment after the signal', {
        status: { type: 'string', description: 'COMPLETE or FAILED.' },
        status_reason: { type: ['string', 'null'], description: 'Why.' },
      }),
    },
  }),
  stats: operation({
    operationId: 'agentDeploymentStats',
    summary: "A kubelet host's fresh container figures for a finished deployment (its `containers` output)",
    tag: 'agent',
    url: `${DEPLOYMENTS}/:deploymentId/stats`,
    pathParams: PATHS,
    body: {
      type: 'object',
      properties: {
        containers: openMap(
          'Per container, keyed `<pod>/<container>`: state, restarts, cpu_seconds, memory_bytes…',
        ),
        token: { type: 'string', description: 'The token of the refresh request answered, if any.' },
      },
      additionalProperties: false,
    },
    responses: {
      200: outcome('Whether the figures were stored and answered a pending request', {
        stored: { type: 'boolean', description: 'False when the config declares no `containers` output.' },
        settled: { type: 'boolean' },
      }),
    },
  }),
  progress: operation({
    operationId: 'agentDeploymentProgress',
    summary: 'Progress of a running deployment (output lines, heartbeats), recorded as resource events',
    tag: 'agent',
    url: `${DEPLOYMENTS}/:deploymentId/progress`,
    pathParams: PATHS,
    body: {
      type: 'object',
      properties: {
        lines: { type: 'array', items: { type: 'string' }, description: 'New output lines.' },
        heartbeat: { type: 'boolean', description: 'The hook is still running.' },
      },
      additionalProperties: true,
    },
    responses: {
      200: outcome('How many lines became events, and how many the rate limit skipped', {
        recorded: { type: 'integer' },
        skipped: { type: 'integer' },
      }),
    },
  }),
};
