/**
 * Operations of the container server pod routes (`routes/agent-pods.ts`): what the agent inside a container
 * server sends for its kubelet hook, and what it reads back.
 */
import { operation } from './operation.js';
import { openMap, queryBool, queryInt, queryText, querystring, type JsonSchema } from './primitives.js';

const PODS = '/v1/:tenant/agent/:serverId/pods';
const PATHS = { serverId: 'Server id (a host credential names its own).' };

/** One pod's status, as the pod runner reports it. */
const podStatus: JsonSchema = {
  type: 'object',
  description:
    'name, phase (Pending, Running, Succeeded, Failed), ready, reason, message, podIp, initContainers and ' +
    'containers (name, image, state running|waiting|terminated, ready, reason, message, exitCode, restartCount).',
  additionalProperties: true,
};

/** The pod operations. */
export const agentPodOperations = {
  apply: operation({
    operationId: 'agentApplyPods',
    summary: "Makes a container server run exactly these pods (its kubelet hook's manifest set)",
    tag: 'agent',
    url: PODS,
    pathParams: PATHS,
    body: {
      type: 'object',
      properties: {
        pods: {
          type: 'object',
          description:
            'Pod name (a DNS label) → manifest (Heat v1beta2 container manifest or Kubernetes v1 Pod subset).',
          propertyNames: { pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
          additionalProperties: { type: 'object' },
        },
      },
      required: ['pods'],
      additionalProperties: false,
    },
    responses: {
      200: {
        type: 'object',
        description: 'The pods now desired, and the manifests the host refused (they run nothing)',
        properties: {
          pods: { type: 'array', items: { type: 'string' } },
          invalid: {
            type: 'array',
            items: {
              type: 'object',
              properties: { pod: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
  }),
  status: operation({
    operationId: 'agentPodStatus',
    summary: "A container server's pods: statuses (readiness probes run now) and, with stats, figures",
    tag: 'agent',
    url: PODS,
    pathParams: PATHS,
    querystring: querystring({
      pod: queryText('Only these pods (repeat it, or separate names with commas).'),
      stats: queryBool('Also CPU, memory and restarts of the running containers.'),
      stats_wait_ms: queryInt("How long to wait for Docker's samples (0-5000 ms; default: all of them)."),
    }),
    responses: {
      200: {
        type: 'object',
        description: 'The statuses (and figures)',
        properties: {
          pods: { type: 'array', items: podStatus },
          stats: {
            type: 'array',
            items: openMap('pod, container, cpuSeconds, memoryBytes, memoryLimitBytes, restartCount.'),
          },
        },
        required: ['pods'],
      },
    },
  }),
};
