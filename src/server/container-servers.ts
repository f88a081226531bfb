/**
 * Container servers in the composition root: the Docker host of `hearth server --container-servers`, its plugins
 * (servers, containers, security groups, floating IPs), the default-environment mapping OS::Nova::Server →
 * Hearth::Docker::Server, and the pods the host runs for the agents inside servers (the agent API's `…/pods`).
 */
import type { ServerPodsService } from '../api/routes/agent-pods.js';
import type { ResourcePlugin } from '../engine/plugin.js';
import type { SoftwareDeployer } from '../engine/software/deployer.js';
import { dockerContainerResource } from '../resources/servers/docker-container.js';
import { floatingIpAssociationResource } from '../resources/servers/floating-ip-association.js';
import { floatingIpResource } from '../resources/servers/floating-ip.js';
import { CONTAINER_SERVER_TYPE, containerServerResource } from '../resources/servers/nova-server.js';
import { securityGroupResource } from '../resources/servers/security-group.js';
import { connectDocker } from '../runtime/docker.js';
import { ImageRegistry } from '../runtime/images/registry.js';
import { localImages, verifiedImages } from '../runtime/pods/images.js';
import { ServerFirewall } from '../runtime/servers/firewall.js';
import { FloatingIps } from '../runtime/servers/floating-ips.js';
import { serverContainerName } from '../runtime/servers/network.js';
import { ServerNotFoundError, ServerNotRunningError, ServerPods } from '../runtime/servers/server-pods.js';
import { DockerServerHost } from '../runtime/servers/server-host.js';
import { globalRegistry } from '../template/environment/index.js';
import { HeatError } from '../template/errors.js';

/** Options of container servers. */
export interface ContainerServerOptions {
  /** Docker socket (default: DOCKER_HOST or /var/run/docker.sock). */
  readonly dockerSocket?: string;
  /** Prefix of the per-project network names; default `hearth-`. */
  readonly networkPrefix?: string;
  /** Verified-image registry file (default: HEARTH_IMAGE_REGISTRY or /var/lib/hearth/images.json). */
  readonly imageRegistry?: string;
  /** Trust every image present on the engine (development and tests only). */
  readonly trustLocalImages?: boolean;
  /** Base URL the agents inside servers reach the API at; default: the network gateway, the server's port. */
  readonly agentUrl?: string;
  /** Host directories the pods of container servers may mount as hostPath (default: none). */
  readonly hostPathRoots?: readonly string[];
  /** Seconds between the host's reconciles of servers' pods (restarts, liveness). @default 10 */
  readonly podResyncSeconds?: number;
  /** Told about background failures (pod reconciles, firewall cleanup). */
  readonly log?: (message: string) => void;
}

/** What container servers add to a Hearth server. */
export interface ContainerServerRuntime {
  readonly plugins: ResourcePlugin[];
  /** For the API's `…/agent/{server}/pods`. */
  readonly pods: ServerPodsService;
  /** Stops the background work. */
  close(): void;
}

/** The pods service of the API over the runtime's {@link ServerPods}, its errors as Heat faults. */
export function serverPodsService(pods: ServerPods): ServerPodsService {
  const fault = (err: unknown): never => {
    if (err instanceof ServerNotFoundError) throw new HeatError('NotFound', err.message);
    if (err instanceof ServerNotRunningError) throw new HeatError('HTTPConflict', err.message);
    throw err;
  };
  return {
    apply: (projectId, serverId, manifests) => pods.apply(projectId, serverId, manifests).catch(fault),
    async status(projectId, serverId, options) {
      try {
        const statuses = await pods.status(projectId, serverId, options.pods);
        const known = pods.knows(serverId);
        if (!options.stats) return { pods: statuses, desired: known };
        const stats = await pods.stats(projectId, serverId, {
          ...(options.pods ? { pods: options.pods } : {}),
          ...(options.statsWaitMs !== undefined ? { waitMs: options.statsWaitMs } : {}),
        });
        return { pods: statuses, stats, desired: known };
      } catch (err) {
        return fault(err);
      }
    },
  };
}

/**
 * The container server runtime: plugins, the pods service, the host's reconcile timer, and a cleanup of
 * security group rules of servers that no longer exist (a crash between a container's removal and its rules').
 * Maps OS::Nova::Server to the server type in the global (operator) environment.
 */
export function containerServerRuntime(
  options: ContainerServerOptions,
  deployer: SoftwareDeployer | undefined,
): ContainerServerRuntime {
  const docker = connectDocker(options.dockerSocket);
  const networkPrefix = options.networkPrefix ?? 'hearth-';
  const images = options.trustLocalImages
    ? localImages(docker)
    : verifiedImages(docker, new ImageRegistry(options.imageRegistry));
  const host = new DockerServerHost(docker, { networkPrefix, images });
  const firewall = new ServerFirewall();
  const ips = new FloatingIps(docker, { networkPrefix });
  const pods = new ServerPods(docker, {
    images,
    networkPrefix,
    ...(options.hostPathRoots ? { hostPathRoots: options.hostPathRoots } : {}),
  });
  const log = options.log ?? (() => undefined);
  pods.startResync((options.podResyncSeconds ?? 10) * 1000, (serverId, err) =>
    log(`pods of server ${serverId}: reconcile failed: ${err.message}`),
  );
  void pruneFirewall(firewall, docker).catch((err: unknown) =>
    log(`security group rules not cleaned up: ${(err as Error).message}`),
  );
  globalRegistry().load({ 'OS::Nova::Server': CONTAINER_SERVER_TYPE });
  const plugins = [
    containerServerResource({
      host,
      firewall,
      ...(deployer ? { deployer } : {}),
      ...(options.agentUrl ? { agentUrl: options.agentUrl } : {}),
    }),
    dockerContainerResource(host),
    securityGroupResource(firewall),
    floatingIpResource({ ips, firewall }),
    floatingIpAssociationResource({ ips, firewall }),
  ];
  return { plugins, pods: serverPodsService(pods), close: () => pods.stopResync() };
}

/** The container server plugins (see {@link containerServerRuntime}). */
export function containerServerPlugins(
  options: ContainerServerOptions,
  deployer: SoftwareDeployer | undefined,
): ResourcePlugin[] {
  const runtime = containerServerRuntime(options, deployer);
  runtime.close();
  return runtime.plugins;
}

/** Removes the rules of servers whose container is gone; re-points those of servers whose address changed. */
async function pruneFirewall(
  firewall: ServerFirewall,
  docker: ReturnType<typeof connectDocker>,
): Promise<void> {
  const servers = await firewall.servers().catch(() => []);
  for (const serverId of servers) {
    const info = await docker
      .getContainer(serverContainerName(serverId))
      .inspect()
      .catch(() => undefined);
    if (!info) await firewall.detach(serverId);
    else
      await firewall.refresh(
        serverId,
        Object.values(info.NetworkSettings.Networks)
          .map((n) => n.IPAddress)
          .filter(Boolean),
      );
  }
}
