/**
 * Container servers in the composition root: the Docker host of `hearth server --container-servers`, its plugins,
 * and the default-environment mapping OS::Nova::Server → Hearth::Docker::Server.
 */
import type { ResourcePlugin } from '../engine/plugin.js';
import type { SoftwareDeployer } from '../engine/software/deployer.js';
import { dockerContainerResource } from '../resources/servers/docker-container.js';
import { CONTAINER_SERVER_TYPE, containerServerResource } from '../resources/servers/nova-server.js';
import { connectDocker } from '../runtime/docker.js';
import { ImageRegistry } from '../runtime/images/registry.js';
import { localImages, verifiedImages } from '../runtime/pods/images.js';
import { DockerServerHost } from '../runtime/servers/server-host.js';
import { globalRegistry } from '../template/environment/index.js';

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
}

/** The container server plugins; maps OS::Nova::Server to them in the global (operator) environment. */
export function containerServerPlugins(
  options: ContainerServerOptions,
  deployer: SoftwareDeployer | undefined,
): ResourcePlugin[] {
  const docker = connectDocker(options.dockerSocket);
  const host = new DockerServerHost(docker, {
    networkPrefix: options.networkPrefix ?? 'hearth-',
    images: options.trustLocalImages
      ? localImages(docker)
      : verifiedImages(docker, new ImageRegistry(options.imageRegistry)),
  });
  globalRegistry().load({ 'OS::Nova::Server': CONTAINER_SERVER_TYPE });
  return [
    containerServerResource({
      host,
      ...(deployer ? { deployer } : {}),
      ...(options.agentUrl ? { agentUrl: options.agentUrl } : {}),
    }),
    dockerContainerResource(host),
  ];
}
