/**
 * DockerInc::Docker::Container — Heat's contrib `heat_docker` type on Hearth's dockerd: a container from a verified
 * image (never pulled) on the project's network, labelled with project, stack and resource ids, named after the
 * resource (so a create retried after a crash adopts the container instead of making another). Its `name` is its
 * DNS alias on the project network and what `links` of the project's other containers name. Attributes are read
 * from Docker after create and on stack check: info, network_info, network_ip, network_gateway,
 * network_tcp_ports, network_udp_ports, logs, logs_head, logs_tail. Every property change replaces the container
 * (Heat's type has no update either).
 */
import type { ActionContext, ActionResult, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { ResourceFailure } from '../../engine/plugin.js';
import { imageReferenceProblem } from '../../runtime/servers/image-reference.js';
import type { ContainerView, DockerServerHost } from '../../runtime/servers/server-host.js';
import { defaultReferenceId } from '../support/common.js';
import { containerOptions } from './docker-container-properties.js';
import { propertyError } from './property-error.js';

/** The type name. */
export const DOCKER_CONTAINER_TYPE = 'DockerInc::Docker::Container';

const IGNORED = 'Accepted for compatibility with heat_docker; no effect.';

/** Heat's network_info: NetworkSettings plus `TcpPorts`/`UdpPorts`, the published host ports joined by commas. */
export function networkInfo(view: ContainerView): Record<string, unknown> {
  const settings = view.info.NetworkSettings;
  const tcp: string[] = [];
  const udp: string[] = [];
  for (const [port, bindings] of Object.entries(settings.Ports ?? {})) {
    const hostPort = (bindings as { HostPort?: string }[] | null)?.[0]?.HostPort;
    if (!hostPort) continue;
    if (port.endsWith('/tcp')) tcp.push(hostPort);
    else if (port.endsWith('/udp')) udp.push(hostPort);
  }
  return {
    ...settings,
    IPAddress: view.address,
    Gateway: view.gateway,
    TcpPorts: [...new Set(tcp)].join(','),
    UdpPorts: [...new Set(udp)].join(','),
  };
}

/**
 * Docker's inspect document with the values of `Config.Env` masked (`NAME=******`): environments carry passwords
 * and tokens, and attributes are shown by the API, events and outputs.
 */
export function maskEnvironment(info: Record<string, unknown>): Record<string, unknown> {
  const config = info['Config'] as { Env?: unknown } | undefined;
  if (!config || !Array.isArray(config.Env)) return info;
  const env = config.Env.map((entry: unknown) =>
    typeof entry === 'string' && entry.includes('=') ? `${entry.slice(0, entry.indexOf('='))}=******` : entry,
  );
  return { ...info, Config: { ...config, Env: env } };
}

/** The attributes of a container as Docker and its logs show it now. */
export function containerAttributes(view: ContainerView, logs: string): Record<string, unknown> {
  const network = networkInfo(view);
  const lines = logs.replace(/\n$/, '').split('\n');
  return {
    info: maskEnvironment(view.info as unknown as Record<string, unknown>),
    network_info: network,
    network_ip: view.address,
    network_gateway: view.gateway,
    network_tcp_ports: network['TcpPorts'],
    network_udp_ports: network['UdpPorts'],
    logs,
    logs_head: lines[0] ?? '',
    logs_tail: lines[lines.length - 1] ?? '',
  };
}

/** The DockerInc::Docker::Container type over `host`. */
export function dockerContainerResource(host: DockerServerHost): ResourcePlugin {
  async function attributes(view: ContainerView, resourceId: string): Promise<Record<string, unknown>> {
    const logs = await host.logs(resourceId).catch(() => '');
    return containerAttributes(view, logs);
  }

  async function linksOf(
    links: Readonly<Record<string, string>> | undefined,
    ctx: ActionContext,
  ): Promise<string[] | undefined> {
    if (!links) return undefined;
    const result: string[] = [];
    for (const [target, alias] of Object.entries(links)) {
      const docker = await host.containerByAlias(ctx.stack.projectId, target);
      if (!docker)
        throw new ResourceFailure(
          `Container ${ctx.state.name}: links names "${target}", which is no container of this project ` +
            '(links name the `name` property of another DockerInc::Docker::Container; add a depends_on on it)',
        );
      result.push(`${docker}:${alias}`);
    }
    return result;
  }

  async function create(properties: Properties, ctx: ActionContext): Promise<ActionResult> {
    if (ctx.state.physicalId === null) await ctx.savePhysicalId(host.containerName(ctx.state.id));
    const { links, ...options } = containerOptions(properties, ctx.state.name);
    const linked = await linksOf(links, ctx);
    let view: ContainerView;
    try {
      view = await host.run({
        ...options,
        ...(linked ? { links: linked } : {}),
        projectId: ctx.stack.projectId,
        stackId: ctx.stack.stackId,
        resourceId: ctx.state.id,
        kind: 'container',
      });
    } catch (err) {
      throw new ResourceFailure(`Container ${ctx.state.name} could not start: ${(err as Error).message}`);
    }
    return {
      physicalId: view.name,
      attributes: await attributes(view, ctx.state.id),
      data: { project_id: ctx.stack.projectId },
    };
  }

  function projectOf(ctx: ActionContext): string {
    const stored = ctx.state.data['project_id'];
    return typeof stored === 'string' ? stored : ctx.stack.projectId;
  }

  return {
    type: DOCKER_CONTAINER_TYPE,
    description:
      "A Docker container from a verified image on the project's network (Heat's contrib heat_docker).",
    supportStatus: { status: 'SUPPORTED', version: '2023.1' },
    properties: {
      docker_endpoint: {
        type: 'string',
        description: "Must stay unset: containers run on Hearth's dockerd.",
      },
      hostname: { type: 'string', description: 'Hostname of the container.', default: '' },
      user: { type: 'string', description: 'Username or UID.', default: '' },
      memory: { type: 'integer', description: 'Memory limit (bytes); 0: none.', default: 0 },
      port_specs: { type: 'list', description: 'Ports exposed (`80`, `53/udp`).' },
      port_bindings: {
        type: 'map',
        description: 'Container port → host port(s): `{"80/tcp": [{"HostPort": "8080"}]}` or `{"80": 8080}`.',
      },
      links: {
        type: 'map',
        description: "The project's containers by `name` → alias in this one.",
      },
      name: {
        type: 'string',
        description: "The container's name on the project network (its DNS alias there) and for links.",
      },
      privileged: { type: 'boolean', description: 'Refused when true (shared host).', default: false },
      tty: { type: 'boolean', description: 'Allocate a pseudo-tty.', default: false },
      open_stdin: { type: 'boolean', description: 'Open stdin.', default: false },
      stdin_once: {
        type: 'boolean',
        description: 'Close stdin after the first client detaches.',
        default: false,
      },
      env: { type: 'list', description: 'Environment, `KEY=value` entries.' },
      cmd: { type: 'list', description: "Command; empty: the image's.", default: [] },
      dns: { type: 'list', description: 'DNS servers.' },
      image: {
        type: 'string',
        required: true,
        description: 'A verified image: name[:tag], name@sha256:<id> or sha256:<id> (never pulled).',
      },
      volumes: {
        type: 'map',
        description: 'Container paths of anonymous volumes (`{"/data": {}}`); host bind mounts are refused.',
        default: {},
      },
      volumes_from: { type: 'list', description: 'Refused when not empty.', default: [] },
      restart_policy: {
        type: 'map',
        description: '`{Name: no|always|on-failure|unless-stopped, MaximumRetryCount: N}`.',
      },
      cpu_shares: { type: 'integer', description: IGNORED },
      cap_add: { type: 'list', description: IGNORED },
      cap_drop: { type: 'list', description: IGNORED },
      read_only: { type: 'boolean', description: IGNORED },
    },
    attributes: {
      info: { description: "Docker's inspect document.", type: 'map' },
      network_info: { description: 'NetworkSettings with TcpPorts and UdpPorts.', type: 'map' },
      network_ip: { description: "The container's address on the project network.", type: 'string' },
      network_gateway: { description: 'The project network gateway.', type: 'string' },
      network_tcp_ports: { description: 'Published TCP host ports, comma separated.', type: 'string' },
      network_udp_ports: { description: 'Published UDP host ports, comma separated.', type: 'string' },
      logs: { description: 'Container output (as of create or the last check).', type: 'string' },
      logs_head: { description: 'First line of the logs.', type: 'string' },
      logs_tail: { description: 'Last line of the logs.', type: 'string' },
    },

    validate(properties, ctx) {
      const image = properties['image'];
      if (typeof image === 'string') {
        const problem = imageReferenceProblem(image);
        if (problem) throw propertyError(ctx.resourceName, 'image', problem);
      }
      containerOptions(properties, ctx.resourceName);
    },

    create,

    async delete(ctx) {
      if (ctx.state.physicalId === null) return;
      await host.remove(ctx.state.id, projectOf(ctx));
    },

    async suspend(ctx) {
      await host.setPaused(ctx.state.id, true);
    },

    async resume(ctx) {
      await host.setPaused(ctx.state.id, false);
    },

    async check(ctx) {
      const view = await host.find(ctx.state.id, projectOf(ctx));
      if (!view || view.status !== 'running')
        throw new ResourceFailure(`Container ${ctx.state.name}: container is ${view?.status ?? 'missing'}`);
      return { attributes: await attributes(view, ctx.state.id) };
    },

    referenceId: defaultReferenceId,
  };
}
