/**
 * The Docker side of container servers and containers: a long-running container from a verified image, labelled
 * with its project, stack and resource, with its own address on the project's network. Every method is idempotent
 * by resource id (the container is named after it), so an action retried after a crash converges.
 */
import type Docker from 'dockerode';
import { dockerErrorMessage, dockerStatus } from '../docker.js';
import type { ImageResolver } from '../pods/images.js';
import {
  ensureProjectNetwork,
  projectNetworkName,
  releaseProjectNetwork,
  serialized,
  serverContainerName,
  SERVER_LABEL,
} from './network.js';
import { removeServerPods } from './server-pods.js';
import { tarFiles, type ContainerFile } from './tar-files.js';

/** What to run. */
export interface ContainerRequest {
  readonly projectId: string;
  readonly stackId: string;
  /** The resource row id: the idempotency key and the container's name. */
  readonly resourceId: string;
  readonly kind: 'server' | 'container';
  /** The `image` property (checked by {@link imageReferenceProblem} already). */
  readonly image: string;
  /** Command; none: the image's. */
  readonly cmd?: readonly string[];
  readonly env?: readonly string[];
  readonly hostname?: string;
  readonly limits?: { NanoCpus: number; Memory: number };
  /** Files copied in before the first start. */
  readonly files?: readonly ContainerFile[];
  /** `containerPort/proto` → host ports (Docker's PortBindings). */
  readonly portBindings?: Readonly<Record<string, readonly { HostIp?: string; HostPort: string }[]>>;
  readonly binds?: readonly string[];
  readonly links?: readonly string[];
  /** Docker's `Init` (an init process reaping children). */
  readonly init?: boolean;
  /** Restart policy; default `unless-stopped` for servers, `no` for containers. */
  readonly restartPolicy?: { Name: string; MaximumRetryCount?: number };
  /** Ports exposed without a host binding (`80/tcp`). */
  readonly exposedPorts?: readonly string[];
  /** Anonymous volumes at these container paths. */
  readonly volumes?: readonly string[];
  readonly user?: string;
  readonly tty?: boolean;
  readonly openStdin?: boolean;
  readonly stdinOnce?: boolean;
  readonly dns?: readonly string[];
  /**
   * The name the template gave the container: its DNS alias on the project network (reachable by that name from
   * the project's other containers only) and the label {@link SERVER_LABEL.name}, by which links find it.
   */
  readonly alias?: string;
  /** More labels (e.g. the server's security groups). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What a running container looks like from outside. */
export interface ContainerView {
  readonly id: string;
  readonly name: string;
  readonly network: string;
  readonly address: string;
  readonly gateway: string;
  readonly status: string;
  /** Docker's inspect document. */
  readonly info: Docker.ContainerInspectInfo;
}

/** An image that is not present and verified. */
export class ServerImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerImageError';
  }
}

/** Options of {@link DockerServerHost}. */
export interface DockerServerHostOptions {
  /** Prefix of project network names (e.g. `hearth-`). */
  readonly networkPrefix: string;
  /** Which images may run (verified ones in production, {@link localImages} in tests). */
  readonly images: ImageResolver;
}

/** Container servers on one dockerd. */
export class DockerServerHost {
  constructor(
    readonly docker: Docker,
    readonly options: DockerServerHostOptions,
  ) {}

  /** The container name of a resource. */
  containerName(resourceId: string): string {
    return serverContainerName(resourceId);
  }

  /** The project's network name. */
  networkName(projectId: string): string {
    return projectNetworkName(this.options.networkPrefix, projectId);
  }

  /** The project's network (created when missing): where its containers reach the host. */
  async network(projectId: string): Promise<{ name: string; gateway: string }> {
    const name = this.networkName(projectId);
    return serialized(name, () => ensureProjectNetwork(this.docker, name, projectId));
  }

  /** Creates (or finds) and starts the container of `request`; the project network is created on demand. */
  async run(request: ContainerRequest): Promise<ContainerView> {
    const resolved = await this.options.images(request.image);
    if (!resolved.ok) throw new ServerImageError(resolved.message);
    const networkName = this.networkName(request.projectId);
    const name = this.containerName(request.resourceId);
    await serialized(networkName, async () => {
      await ensureProjectNetwork(this.docker, networkName, request.projectId);
      if (!(await this.#inspect(name))) await this.#create(request, resolved.image, name, networkName);
    });
    const container = this.docker.getContainer(name);
    const info = await container.inspect();
    if (!info.State.Running) await container.start();
    return this.#view(await container.inspect(), networkName);
  }

  /** The container of a resource, or undefined. */
  async find(resourceId: string, projectId: string): Promise<ContainerView | undefined> {
    const info = await this.#inspect(this.containerName(resourceId));
    return info ? this.#view(info, this.networkName(projectId)) : undefined;
  }

  /** Pauses (suspend) or unpauses (resume) the container. */
  async setPaused(resourceId: string, paused: boolean): Promise<void> {
    const name = this.containerName(resourceId);
    const info = await this.#inspect(name);
    if (!info) throw new Error(`container ${name} does not exist`);
    if (info.State.Paused === paused) return;
    const container = this.docker.getContainer(name);
    await (paused ? container.pause() : container.unpause());
  }

  /** The container's output (stdout and stderr, last `tail` lines). */
  async logs(resourceId: string, tail = 200): Promise<string> {
    const raw = await this.docker
      .getContainer(this.containerName(resourceId))
      .logs({ stdout: true, stderr: true, tail });
    return demultiplex(raw);
  }

  /**
   * Removes the container (and its anonymous volumes) with the pods the host ran in it (its agent is stopped
   * first, so it asks for none meanwhile), then the project network if it was the last.
   */
  async remove(resourceId: string, projectId: string): Promise<void> {
    const name = this.containerName(resourceId);
    await this.docker
      .getContainer(name)
      .kill()
      .catch(() => undefined);
    await removeServerPods(this.docker, resourceId);
    try {
      await this.docker.getContainer(name).remove({ force: true, v: true });
    } catch (err) {
      if (dockerStatus(err) !== 404)
        throw new Error(`removing container ${name}: ${dockerErrorMessage(err)}`);
    }
    const networkName = this.networkName(projectId);
    await serialized(networkName, () => releaseProjectNetwork(this.docker, networkName));
  }

  /** The Docker name of the project's container the template named `alias`, or undefined. */
  async containerByAlias(projectId: string, alias: string): Promise<string | undefined> {
    const found = await this.docker.listContainers({
      all: true,
      filters: { label: [`${SERVER_LABEL.project}=${projectId}`, `${SERVER_LABEL.name}=${alias}`] },
    });
    return found[0]?.Names[0]?.replace(/^\//, '');
  }

  async #create(request: ContainerRequest, image: string, name: string, networkName: string): Promise<void> {
    const ports = [...Object.keys(request.portBindings ?? {}), ...(request.exposedPorts ?? [])];
    const container = await this.docker.createContainer({
      name,
      Image: image,
      ...(request.cmd ? { Cmd: [...request.cmd] } : {}),
      ...(request.env ? { Env: [...request.env] } : {}),
      ...(request.hostname ? { Hostname: request.hostname } : {}),
      ...(request.user ? { User: request.user } : {}),
      ...(request.tty ? { Tty: true } : {}),
      ...(request.openStdin ? { OpenStdin: true, StdinOnce: request.stdinOnce ?? false } : {}),
      ...(ports.length > 0 ? { ExposedPorts: exposed(ports) } : {}),
      ...(request.volumes?.length ? { Volumes: exposed(request.volumes) } : {}),
      Labels: {
        [SERVER_LABEL.project]: request.projectId,
        [SERVER_LABEL.stack]: request.stackId,
        [SERVER_LABEL.resource]: request.resourceId,
        [SERVER_LABEL.kind]: request.kind,
        ...(request.alias ? { [SERVER_LABEL.name]: request.alias } : {}),
        ...request.labels,
      },
      ...(request.alias || request.links
        ? {
            NetworkingConfig: {
              // on a user-defined network, links are the endpoint's (HostConfig.Links is the default bridge's)
              EndpointsConfig: {
                [networkName]: {
                  ...(request.alias ? { Aliases: [request.alias] } : {}),
                  ...(request.links ? { Links: [...request.links] } : {}),
                },
              },
            },
          }
        : {}),
      HostConfig: {
        NetworkMode: networkName,
        RestartPolicy: request.restartPolicy ?? { Name: request.kind === 'server' ? 'unless-stopped' : 'no' },
        Init: request.init ?? true,
        ...(request.dns ? { Dns: [...request.dns] } : {}),
        ...(request.limits ?? {}),
        ...(request.portBindings ? { PortBindings: clone(request.portBindings) } : {}),
        ...(request.binds ? { Binds: [...request.binds] } : {}),
      },
    });
    if (request.files && request.files.length > 0) {
      await container.putArchive(tarFiles(request.files), { path: '/' });
    }
  }

  async #inspect(name: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.docker.getContainer(name).inspect();
    } catch (err) {
      if (dockerStatus(err) === 404) return undefined;
      throw err;
    }
  }

  #view(info: Docker.ContainerInspectInfo, networkName: string): ContainerView {
    const endpoint = info.NetworkSettings.Networks[networkName];
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      network: networkName,
      address: endpoint?.IPAddress ?? '',
      gateway: endpoint?.Gateway ?? '',
      status: info.State.Status,
      info,
    };
  }
}

function exposed(ports: readonly string[]): Record<string, Record<string, never>> {
  return Object.fromEntries(ports.map((p) => [p, {}]));
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Docker's multiplexed log stream (8-byte frame headers) as text; plain text is returned as is. */
export function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length && raw[offset]! <= 2 && raw.readUIntBE(offset + 1, 3) === 0) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === 0 ? raw.toString('utf8') : Buffer.concat(parts).toString('utf8');
}
