/**
 * OS::Heat::DeployedServer — a pre-existing host that runs Hearth's agent (Heat's `deployed_server.py`). Its
 * physical id is a new UUID, the `server` of its deployments. Attribute `os_collect_config` is what the user copies
 * to the host (`hearth agent --config FILE`): the agent endpoint, the server id and the server's host credential
 * (computed on read, never stored, never in events). The resource metadata carries `deployments`: the server's
 * derived configs sorted by name, refreshed whenever one of its deployments changes. Deleting the resource revokes
 * the credential.
 */
import { randomUUID } from 'node:crypto';
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import {
  checkServerTransport,
  SERVED_SERVER_TRANSPORT,
  SERVER_TRANSPORTS,
} from '../../engine/software/transports.js';
import { HeatError } from '../../template/errors.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf } from '../support/common.js';

/** The signal body that refreshes a server's `deployments` metadata. */
export const REFRESH_SIGNAL = { refresh: 'deployments' } as const;

/** How often (seconds) the agent polls when it cannot hold a long poll. */
export const AGENT_POLLING_INTERVAL = 30;

/** The `os_collect_config` of a server (the agent's configuration file). */
export function osCollectConfig(
  deployer: SoftwareDeployer,
  server: { projectId: string; serverId: string; stackPath: string; resourceName: string },
): Record<string, unknown> {
  return {
    collectors: ['hearth'],
    hearth: {
      endpoint: deployer.agentEndpoint(server.projectId),
      server_id: server.serverId,
      token: deployer.hostCredential(server.projectId, server.serverId),
      stack_id: server.stackPath,
      resource_name: server.resourceName,
      polling_interval: AGENT_POLLING_INTERVAL,
    },
  };
}

/** The OS::Heat::DeployedServer plugin. */
export function deployedServerResource(deployer: SoftwareDeployer): ResourcePlugin {
  async function converge(properties: Properties, ctx: ActionContext): Promise<ActionResult> {
    const serverId = ctx.state.physicalId ?? randomUUID();
    if (ctx.state.physicalId === null) await ctx.savePhysicalId(serverId);
    const projectId = ctx.stack.projectId;
    await deployer.registerServer({
      id: serverId,
      projectId,
      stackId: ctx.stack.stackId,
      resourceName: ctx.state.name,
    });
    const name =
      typeof properties['name'] === 'string' && properties['name'] ? properties['name'] : physicalNameOf(ctx);
    return {
      physicalId: serverId,
      attributes: { name },
      data: { project_id: projectId, stack_path: `${ctx.stack.stackName}/${ctx.stack.stackId}` },
      metadata: { ...ctx.state.metadata, deployments: await deployer.serverDeployments(projectId, serverId) },
    };
  }

  return {
    type: 'OS::Heat::DeployedServer',
    description: 'A server for which Hearth does not manage the lifecycle: a host running the Hearth agent.',
    supportStatus: { status: 'SUPPORTED', version: '8.0.0' },
    properties: {
      name: { type: 'string', description: 'Server name.', updateAllowed: true },
      metadata: {
        type: 'map',
        description: 'Arbitrary key/value metadata to store for this server.',
        updateAllowed: true,
        default: {},
      },
      software_config_transport: {
        type: 'string',
        description:
          'How the server should receive the metadata required for software configuration. POLL_SERVER_HEAT: ' +
          "Hearth's agent polls the agent API with its host credential (the only one Hearth serves).",
        default: SERVED_SERVER_TRANSPORT,
        updateAllowed: true,
        constraints: [{ kind: 'allowed_values', values: SERVER_TRANSPORTS }],
      },
      deployment_swift_data: {
        type: 'map',
        description:
          'Swift container and object to use for storing deployment data (POLL_TEMP_URL; not served).',
        default: {},
        updateAllowed: true,
      },
    },
    attributes: {
      name: { description: 'Name of the server.', type: 'string' },
      os_collect_config: {
        description:
          "The agent's configuration (`hearth agent --config FILE`): endpoint, server id, host credential, stack " +
          'and resource.',
        type: 'map',
      },
    },

    validate(properties, ctx) {
      checkServerTransport(ctx.resourceName, properties['software_config_transport']);
    },

    create: converge,

    update: (request, ctx) => converge(request.newProperties, ctx),

    async delete(ctx) {
      if (ctx.state.physicalId !== null) await deployer.unregisterServer(ctx.state.physicalId);
    },

    async signal(details, ctx) {
      const isRefresh =
        details !== null &&
        typeof details === 'object' &&
        (details as Record<string, unknown>)['refresh'] === 'deployments';
      if (!isRefresh) {
        throw new HeatError(
          'ValueError',
          `A DeployedServer accepts only the signal {"refresh": "deployments"} (which re-reads its deployments ` +
            `metadata), got ${JSON.stringify(details) ?? 'nothing'}.`,
        );
      }
      if (ctx.state.physicalId === null) return;
      const deployments = await deployer.serverDeployments(ctx.stack.projectId, ctx.state.physicalId);
      return { metadata: { ...ctx.state.metadata, deployments } };
    },

    referenceId: defaultReferenceId,

    attribute(state, name, path) {
      if (state.physicalId === null) return null;
      if (name === 'name') return selectFromAttribute(state.attributes['name'] ?? null, path);
      if (name !== 'os_collect_config') return null;
      const projectId = state.data['project_id'];
      const stackPath = state.data['stack_path'];
      if (typeof projectId !== 'string' || typeof stackPath !== 'string') return null;
      return selectFromAttribute(
        osCollectConfig(deployer, {
          projectId,
          serverId: state.physicalId,
          stackPath,
          resourceName: state.name,
        }),
        path,
      );
    },
  };
}
