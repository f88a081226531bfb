/**
 * Hearth::Docker::Server — OS::Nova::Server on Docker (the default environment maps OS::Nova::Server to it when the
 * server runs with container servers). A long-running container from a verified golden image, its own address on
 * the project's network, the flavor's CPU and memory limits, the key in root's authorized_keys, and the boot-time
 * configuration applied once at first boot (`src/runtime/servers/boot.ts`). With user_data_format SOFTWARE_CONFIG
 * the agent inside runs with the server's own os_collect_config (a host credential, as DeployedServer's), so
 * software deployments to it work. Image, flavor, key_name and user_data changes replace the server (Heat's
 * update policies with REPLACE); name and metadata update in place.
 */
import type Docker from 'dockerode';
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { ResourceFailure } from '../../engine/plugin.js';
import type { SoftwareDeployer } from '../../engine/software/deployer.js';
import {
  checkServerTransport,
  SERVED_SERVER_TRANSPORT,
  SERVER_TRANSPORTS,
} from '../../engine/software/transports.js';
import { bootPlan } from '../../runtime/servers/boot-config.js';
import { BOOT_PATHS } from '../../runtime/servers/boot.js';
import { flavorLimits, flavorNamed, FLAVORS, UnknownFlavorError } from '../../runtime/servers/flavors.js';
import { imageReferenceProblem } from '../../runtime/servers/image-reference.js';
import type { ServerFirewall } from '../../runtime/servers/firewall.js';
import type { DockerServerHost } from '../../runtime/servers/server-host.js';
import type { ContainerFile } from '../../runtime/servers/tar-files.js';
import { HeatError } from '../../template/errors.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf } from '../support/common.js';
import { osCollectConfig } from '../software/deployed-server.js';
import { propertyError } from './property-error.js';
import { SECURITY_GROUP_TYPE } from './security-group.js';

/** The type name; OS::Nova::Server maps to it. */
export const CONTAINER_SERVER_TYPE = 'Hearth::Docker::Server';

/** What the server type needs. */
export interface ContainerServerDeps {
  readonly host: DockerServerHost;
  /** For SOFTWARE_CONFIG servers (host credentials, deployments metadata). */
  readonly deployer?: SoftwareDeployer;
  /**
   * Base URL the agent inside reaches the API at; default: the public URL, its host replaced by the network gateway
   * when it is a loopback or wildcard address. Deployment signal URLs always use the public URL.
   */
  readonly agentUrl?: string;
  /** Enforces `security_groups` (OS::Neutron::SecurityGroup resources); none: security groups are refused. */
  readonly firewall?: ServerFirewall;
}

/** The network name a server's `addresses` are keyed by when its `networks` name none (Nova's usual). */
export const DEFAULT_NETWORK_NAME = 'private';

const USER_DATA_FORMATS = ['HEAT_CFNTOOLS', 'RAW', 'SOFTWARE_CONFIG'];
const SERVED_USER_DATA_FORMATS = ['RAW', 'SOFTWARE_CONFIG'];
const BOOT_COMMAND = ['/usr/local/bin/node', '/opt/hearth/dist/runtime/servers/boot.js'];

const CONFIG_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const IGNORED = 'Accepted for compatibility with OS::Nova::Server; no effect on a container server.';

/** The server type over `deps`. */
export function containerServerResource(deps: ContainerServerDeps): ResourcePlugin {
  const { host, deployer } = deps;

  function agentConfig(ctx: ActionContext, serverId: string, gateway: string): Record<string, unknown> {
    if (!deployer) throw new ResourceFailure('user_data_format SOFTWARE_CONFIG needs the software service');
    const config = osCollectConfig(deployer, {
      projectId: ctx.stack.projectId,
      serverId,
      stackPath: `${ctx.stack.stackName}/${ctx.stack.stackId}`,
      resourceName: ctx.state.name,
    });
    const hearth = config['hearth'] as Record<string, unknown>;
    const endpoint = new URL(String(hearth['endpoint']));
    if (deps.agentUrl) {
      const base = new URL(deps.agentUrl);
      endpoint.protocol = base.protocol;
      endpoint.host = base.host;
    } else if (gateway && /^(0\.0\.0\.0|127\.[0-9.]+|localhost|\[::1?\])$/.test(endpoint.hostname)) {
      endpoint.hostname = gateway;
    }
    // pods: the kubelet hook has no Docker in here; the host runs the pods (agent API …/pods).
    return { ...config, hearth: { ...hearth, endpoint: endpoint.toString(), pods: 'host' } };
  }

  /** user_data, or the config of the software config it names (Heat's server does the same for RAW/SOFTWARE_CONFIG). */
  async function userDataText(value: unknown, ctx: ActionContext): Promise<string> {
    const text = typeof value === 'string' ? value : '';
    if (!deployer || !CONFIG_ID.test(text)) return text;
    try {
      const config = await deployer.service.showConfig(
        { projectId: ctx.stack.projectId, admin: false },
        text,
      );
      return typeof config.config === 'string' ? config.config : JSON.stringify(config.config);
    } catch {
      return text;
    }
  }

  /** The security groups' ids (resources of this stack); `default` is the project network's own openness. */
  async function securityGroups(properties: Properties, ctx: ActionContext): Promise<string[]> {
    const refs = Array.isArray(properties['security_groups']) ? properties['security_groups'] : [];
    const ids: string[] = [];
    for (const ref of refs.map(String)) {
      if (ref === 'default') {
        await ctx.event(
          'security group default: no rules applied (the project network is isolated from other projects already)',
        );
        continue;
      }
      const group = await ctx.readResource(ref);
      if (!group || group.type !== SECURITY_GROUP_TYPE || group.physicalId === null)
        throw new ResourceFailure(
          `Server ${ctx.state.name}: security_groups entry "${ref}" is not a security group of this stack ` +
            `(container servers apply ${SECURITY_GROUP_TYPE} resources of their stack, named by get_resource)`,
        );
      if (!deps.firewall)
        throw new ResourceFailure(`Server ${ctx.state.name}: security groups are not enforced on this host`);
      ids.push(group.id);
    }
    return ids;
  }

  async function create(properties: Properties, ctx: ActionContext): Promise<ActionResult> {
    const projectId = ctx.stack.projectId;
    const serverId = ctx.state.id;
    if (ctx.state.physicalId === null) await ctx.savePhysicalId(serverId);
    const groups = await securityGroups(properties, ctx);
    const name = nameOf(properties, ctx);
    const softwareConfig = properties['user_data_format'] === 'SOFTWARE_CONFIG';
    const userData = await userDataText(properties['user_data'], ctx);
    const flavor = flavorNamed(String(properties['flavor']));
    const files: ContainerFile[] = [{ path: BOOT_PATHS.userData, content: userData, mode: 0o600 }];
    if (typeof properties['key_name'] === 'string' && properties['key_name'])
      files.push({ path: '/root/.ssh/authorized_keys', content: `${properties['key_name']}\n`, mode: 0o600 });
    if (softwareConfig) {
      await deployer?.registerServer({
        id: serverId,
        projectId,
        stackId: ctx.stack.stackId,
        resourceName: ctx.state.name,
      });
      const { gateway } = await host.network(projectId);
      files.push({
        path: BOOT_PATHS.agentConfig,
        content: JSON.stringify(agentConfig(ctx, serverId, gateway), null, 2),
        mode: 0o600,
      });
    }
    for (const problem of bootPlan(userData).unsupported)
      await ctx.event(`user_data not applied: ${problem}`);
    let view;
    try {
      view = await host.run({
        projectId,
        stackId: ctx.stack.stackId,
        resourceId: ctx.state.id,
        kind: 'server',
        image: String(properties['image']),
        cmd: BOOT_COMMAND,
        hostname: name.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, 63),
        limits: flavorLimits(flavor),
        files,
      });
    } catch (err) {
      throw new ResourceFailure(`Server ${name} could not start: ${(err as Error).message}`);
    }
    if (groups.length > 0) {
      try {
        await deps.firewall!.attach(serverId, groups, [view.address]);
      } catch (err) {
        // Never leave a server running unfiltered: it goes, the resource fails with iptables' words.
        await host.remove(serverId, projectId).catch(() => undefined);
        throw new ResourceFailure(
          `Server ${name}: its security groups cannot be applied (iptables): ${(err as Error).message}`,
        );
      }
    }
    return {
      physicalId: serverId,
      attributes: attributesOf(name, networkNames(properties), view.network, view.address, view.info),
      data: {
        project_id: projectId,
        stack_path: `${ctx.stack.stackName}/${ctx.stack.stackId}`,
        software_config: softwareConfig,
        ...(groups.length > 0 ? { security_groups: groups } : {}),
      },
      metadata: {
        ...ctx.state.metadata,
        ...(softwareConfig && deployer
          ? { deployments: await deployer.serverDeployments(projectId, serverId) }
          : {}),
      },
    };
  }

  return {
    type: CONTAINER_SERVER_TYPE,
    description: 'A server backed by a Docker container from a verified golden image (OS::Nova::Server).',
    supportStatus: { status: 'SUPPORTED', version: '2023.1' },
    properties: {
      name: { type: 'string', description: 'Server name (the container hostname).', updateAllowed: true },
      image: {
        type: 'string',
        required: true,
        description:
          'A verified image: name[:tag], name@sha256:<id> or sha256:<id>. A change replaces the server.',
      },
      flavor: {
        type: 'string',
        required: true,
        description: `CPU and memory limits: ${Object.keys(FLAVORS).join(', ')}. A change replaces the server.`,
      },
      key_name: { type: 'string', description: "An authorized_keys entry written into root's ~/.ssh." },
      networks: {
        type: 'list',
        description:
          "Networks; every entry maps to the project's network (one address), and its `network` (or `uuid`) " +
          `names the address in the addresses and networks attributes (none: "${DEFAULT_NETWORK_NAME}").`,
        default: [],
        items: { type: 'map' },
      },
      metadata: {
        type: 'map',
        description: 'Arbitrary key/value metadata.',
        default: {},
        updateAllowed: true,
      },
      user_data: {
        type: 'string',
        description: 'Boot-time configuration applied once at first boot.',
        default: '',
      },
      user_data_format: {
        type: 'string',
        description:
          'RAW or SOFTWARE_CONFIG (the agent runs inside). Default RAW: Heat defaults to HEAT_CFNTOOLS, whose ' +
          'cfn-init Hearth does not ship; the user_data still runs as cloud-init would run it.',
        default: 'RAW',
        constraints: [{ kind: 'allowed_values', values: USER_DATA_FORMATS }],
      },
      software_config_transport: {
        type: 'string',
        description: 'POLL_SERVER_HEAT: the agent long-polls the agent API with its host credential.',
        default: SERVED_SERVER_TRANSPORT,
        updateAllowed: true,
        constraints: [{ kind: 'allowed_values', values: SERVER_TRANSPORTS }],
      },
      admin_pass: { type: 'string', description: IGNORED },
      availability_zone: { type: 'string', description: IGNORED },
      security_groups: {
        type: 'list',
        description:
          'OS::Neutron::SecurityGroup resources of this stack (get_resource) filtering ingress (and egress) of ' +
          'the server\'s addresses; "default" applies no rules. A change replaces the server.',
        default: [],
        items: { type: 'string' },
      },
      config_drive: { type: 'boolean', description: IGNORED },
      scheduler_hints: { type: 'map', description: IGNORED },
      flavor_update_policy: {
        type: 'string',
        description: 'A flavor change always replaces.',
        updateAllowed: true,
      },
      image_update_policy: {
        type: 'string',
        description: 'An image change always replaces.',
        updateAllowed: true,
      },
      user_data_update_policy: {
        type: 'string',
        description: 'A user_data change always replaces.',
        updateAllowed: true,
      },
    },
    attributes: {
      name: { description: 'Name of the server.', type: 'string' },
      first_address: { description: "The server's address on the project network.", type: 'string' },
      accessIPv4: { description: 'The same address (no floating IPs).', type: 'string' },
      networks: {
        description: 'Addresses by network name and by Docker network name: {"<network>": ["<ip>"]}.',
        type: 'map',
      },
      addresses: {
        description: `Addresses by network name (the networks' \`network\`, else "${DEFAULT_NETWORK_NAME}"), Nova style.`,
        type: 'map',
      },
      instance_name: { description: 'The Docker container name.', type: 'string' },
      os_collect_config: { description: "The agent's configuration (SOFTWARE_CONFIG servers).", type: 'map' },
      show: { description: 'All attributes.', type: 'map' },
    },

    validate(properties, ctx) {
      validateServer(properties, ctx.resourceName);
    },

    create,

    async update(request, ctx) {
      const name = nameOf(request.newProperties, ctx);
      return {
        attributes: {
          ...ctx.state.attributes,
          name,
          show: { ...(ctx.state.attributes['show'] as object), name },
        },
      };
    },

    async delete(ctx) {
      if (ctx.state.physicalId === null) return;
      const projectId =
        typeof ctx.state.data['project_id'] === 'string' ? ctx.state.data['project_id'] : ctx.stack.projectId;
      if (Array.isArray(ctx.state.data['security_groups'])) await deps.firewall?.detach(ctx.state.id);
      await host.remove(ctx.state.id, projectId);
      if (ctx.state.data['software_config'] === true) await deployer?.unregisterServer(ctx.state.physicalId);
    },

    async suspend(ctx) {
      await host.setPaused(ctx.state.id, true);
    },

    async resume(ctx) {
      await host.setPaused(ctx.state.id, false);
    },

    async check(ctx) {
      const view = await host.find(ctx.state.id, ctx.stack.projectId);
      if (!view || view.status !== 'running')
        throw new ResourceFailure(`Server ${ctx.state.name}: container is ${view?.status ?? 'missing'}`);
      if (Array.isArray(ctx.state.data['security_groups']) && deps.firewall) {
        const addresses = Object.values(view.info.NetworkSettings.Networks)
          .map((n) => n.IPAddress)
          .filter(Boolean);
        await deps.firewall.refresh(ctx.state.id, addresses);
      }
    },

    async signal(details, ctx) {
      const refresh =
        details !== null &&
        typeof details === 'object' &&
        (details as Record<string, unknown>)['refresh'] === 'deployments';
      if (!refresh)
        throw new HeatError(
          'ValueError',
          `A server accepts only the signal {"refresh": "deployments"}, got ${JSON.stringify(details) ?? 'nothing'}.`,
        );
      if (ctx.state.physicalId === null || !deployer) return;
      const deployments = await deployer.serverDeployments(ctx.stack.projectId, ctx.state.physicalId);
      return { metadata: { ...ctx.state.metadata, deployments } };
    },

    referenceId: defaultReferenceId,

    attribute(state, name, path) {
      if (state.physicalId === null) return null;
      if (name !== 'os_collect_config') return selectFromAttribute(state.attributes[name] ?? null, path);
      const projectId = state.data['project_id'];
      const stackPath = state.data['stack_path'];
      if (!deployer || state.data['software_config'] !== true) return null;
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

function nameOf(properties: Properties, ctx: ActionContext): string {
  return typeof properties['name'] === 'string' && properties['name']
    ? properties['name']
    : physicalNameOf(ctx);
}

/** Checks image, flavor and formats (unknown values, null in validation, are skipped). */
export function validateServer(properties: Properties, resourceName: string): void {
  const image = properties['image'];
  if (typeof image === 'string') {
    const problem = imageReferenceProblem(image);
    if (problem) throw propertyError(resourceName, 'image', problem);
  }
  const flavor = properties['flavor'];
  if (typeof flavor === 'string') {
    try {
      flavorNamed(flavor);
    } catch (err) {
      if (err instanceof UnknownFlavorError) throw propertyError(resourceName, 'flavor', err.message);
      throw err;
    }
  }
  const format = properties['user_data_format'];
  if (typeof format === 'string' && !SERVED_USER_DATA_FORMATS.includes(format))
    throw propertyError(
      resourceName,
      'user_data_format',
      `${format} (heat-cfntools' cfn-init and cfn-hup) is not supported by container servers; use RAW (the ` +
        'user_data runs as a script, #cloud-config or multipart MIME at first boot) or SOFTWARE_CONFIG',
    );
  checkServerTransport(resourceName, properties['software_config_transport']);
}

/** The names of the server's networks (the `network` or `uuid` of each `networks` entry), else the default. */
export function networkNames(properties: Properties): string[] {
  const entries = Array.isArray(properties['networks']) ? properties['networks'] : [];
  const names = entries.flatMap((e: unknown) => {
    const entry = (e ?? {}) as Record<string, unknown>;
    const name = entry['network'] ?? entry['uuid'];
    return typeof name === 'string' && name ? [name] : [];
  });
  return names.length > 0 ? [...new Set(names)] : [DEFAULT_NETWORK_NAME];
}

function attributesOf(
  name: string,
  names: readonly string[],
  network: string,
  address: string,
  info: Docker.ContainerInspectInfo,
): Record<string, unknown> {
  const endpoint = info.NetworkSettings.Networks[network];
  const entry = {
    addr: address,
    version: 4,
    'OS-EXT-IPS:type': 'fixed',
    'OS-EXT-IPS-MAC:mac_addr': endpoint?.MacAddress ?? '',
    // Heat adds the Neutron port id; a container's port is its endpoint on the project network
    port: endpoint?.EndpointID ?? '',
  };
  const attrs = {
    name,
    first_address: address,
    accessIPv4: address,
    // Heat's networks attribute names each network by name and by id (here: the Docker network)
    networks: Object.fromEntries([...names, network].map((n) => [n, [address]])),
    addresses: Object.fromEntries(names.map((n) => [n, [{ ...entry }]])),
    instance_name: info.Name.replace(/^\//, ''),
  };
  return {
    ...attrs,
    show: { ...attrs, id: info.Id, status: info.State.Status === 'running' ? 'ACTIVE' : info.State.Status },
  };
}
