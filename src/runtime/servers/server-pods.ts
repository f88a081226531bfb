/**
 * Pods of container servers, run by the host: the kubelet hook of the agent inside a container server has no
 * Docker of its own (handing it the host's socket would hand the tenant the host), so it sends its manifest set
 * to the Hearth server (agent API `PUT …/agent/{server}/pods`), which runs them here. One {@link PodRunner} per
 * server, every pod in the server container's network namespace (`container:hearth-<server>`: a pod's port 8080
 * is the server's port 8080, as a kubelet on a Nova server publishes it), images verified as for any pod,
 * hostPath only under the operator's roots, every container labelled with the server's project, stack and
 * resource. The runners keep nothing that matters: a restarted Hearth server adopts the pods by label.
 */
import type Docker from 'dockerode';
import { dockerStatus } from '../docker.js';
import type { ImageResolver } from '../pods/images.js';
import { LABEL } from '../pods/labels.js';
import { parsePodManifest } from '../pods/manifest.js';
import { PodRunner } from '../pods/runner.js';
import type { PodSpec } from '../pods/spec.js';
import type { ContainerStats } from '../pods/stats.js';
import { waitingStatus, type PodStatus } from '../pods/status.js';
import { projectNetworkName, serialized, serverContainerName, SERVER_LABEL } from './network.js';

/** Pod names: DNS labels, as the agent makes them. */
export const POD_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The runner id of a container server's pods (`hearth-<server id>`, as the agent's kubelet names its own). */
export function serverRunnerId(serverId: string): string {
  return `hearth-${serverId.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 60).replace(/-+$/, '');
}

/** The server is not a container server of the project (or does not exist). */
export class ServerNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerNotFoundError';
  }
}

/** The server exists but its container is not running, so its pods cannot be started. */
export class ServerNotRunningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerNotRunningError';
  }
}

/** Options of {@link ServerPods}. */
export interface ServerPodsOptions {
  /** Which images pods may run (verified ones; the same check as every pod). */
  readonly images: ImageResolver;
  /** Prefix of the project networks (the pod address is the server's address there). */
  readonly networkPrefix: string;
  /** Host directories hostPath volumes may lie under (default: none — hostPath refused). */
  readonly hostPathRoots?: readonly string[];
  /** Grace before SIGKILL when a pod's container stops. @default 2 */
  readonly stopTimeoutSeconds?: number;
}

/** What {@link ServerPods.apply} accepted. */
export interface PodApplyResult {
  /** The pods now desired (their containers created or being created). */
  readonly pods: string[];
  /** Manifests that do not parse, each with every problem (path and value); they run nothing. */
  readonly invalid: { pod: string; message: string }[];
}

interface ServerRunner {
  readonly containerId: string;
  readonly runner: PodRunner;
  /** Why a desired pod's manifest was refused, by pod name. */
  invalid: Map<string, string>;
  /** The pods of the last apply (undefined: none since this process started). */
  desired?: PodSpec[];
}

/** The pods of every container server of one dockerd. */
export class ServerPods {
  readonly #runners = new Map<string, ServerRunner>();
  #timer: NodeJS.Timeout | undefined;
  #nestedCgroups: Promise<boolean> | undefined;

  constructor(
    readonly docker: Docker,
    readonly options: ServerPodsOptions,
  ) {}

  /**
   * Makes the server run exactly `manifests` (pod name → manifest: Heat's v1beta2 container manifest or a
   * Kubernetes v1 Pod subset). Pods the host refuses (image missing or unverified, port clash on the server,
   * hostPath outside the allowed roots, invalid manifest) report why in {@link status}.
   * @throws ServerNotFoundError, ServerNotRunningError
   */
  async apply(
    projectId: string,
    serverId: string,
    manifests: Readonly<Record<string, unknown>>,
  ): Promise<PodApplyResult> {
    return serialized(`pods:${serverId}`, async () => {
      const server = await this.#server(projectId, serverId);
      if (!server.State.Running)
        throw new ServerNotRunningError(
          `server ${serverId} is ${server.State.Status}: its pods start once it runs again`,
        );
      const entry = this.#runner(serverId, server, await this.#nested());
      const labels = {
        [SERVER_LABEL.project]: projectId,
        [SERVER_LABEL.stack]: server.Config.Labels?.[SERVER_LABEL.stack] ?? '',
        [SERVER_LABEL.resource]: serverId,
        [SERVER_LABEL.kind]: 'pod',
        [SERVER_LABEL.server]: serverId,
      };
      const desired: PodSpec[] = [];
      const invalid = new Map<string, string>();
      for (const [pod, manifest] of Object.entries(manifests)) {
        try {
          desired.push(parsePodManifest(manifest, pod, { ...labels, 'org.hearth.deployment': pod }));
        } catch (err) {
          invalid.set(pod, (err as Error).message);
        }
      }
      entry.invalid = invalid;
      entry.desired = desired;
      await entry.runner.converge(desired);
      return {
        pods: desired.map((p) => p.name),
        invalid: [...invalid].map(([pod, message]) => ({ pod, message })),
      };
    });
  }

  /**
   * The statuses of the server's desired pods (with `pods`, only those), readiness probes run now; each pod's
   * address is the server's.
   * @throws ServerNotFoundError
   */
  async status(projectId: string, serverId: string, pods?: readonly string[]): Promise<PodStatus[]> {
    return serialized(`pods:${serverId}`, async () => {
      const server = await this.#server(projectId, serverId);
      const entry = this.#runner(serverId, server, await this.#nested());
      const statuses = await entry.runner.status(pods ? { pods } : {});
      const refused = [...entry.invalid]
        .filter(([pod]) => !pods || pods.includes(pod))
        .map(([pod, message]) => invalidStatus(pod, message));
      return [...statuses, ...refused];
    });
  }

  /**
   * CPU, memory and restarts of the server's running pod containers (of `pods`, default all); `waitMs` bounds
   * the wait for Docker's samples (see {@link PodRunner.stats}).
   * @throws ServerNotFoundError
   */
  async stats(
    projectId: string,
    serverId: string,
    options: { pods?: readonly string[]; waitMs?: number } = {},
  ): Promise<ContainerStats[]> {
    const server = await this.#server(projectId, serverId);
    return this.#runner(serverId, server, await this.#nested()).runner.stats(options);
  }

  /** Whether the server's desired pods are known here (an apply reached this process since it started). */
  knows(serverId: string): boolean {
    return this.#runners.get(serverId)?.desired !== undefined;
  }

  /**
   * Reconciles every server's last applied pods every `ms` (restarts of pods whose server restarted, liveness
   * probes, pods removed behind the host's back); `onError` hears of each failure.
   */
  startResync(ms: number, onError: (serverId: string, err: Error) => void = () => undefined): void {
    this.stopResync();
    this.#timer = setInterval(() => {
      for (const [serverId, entry] of this.#runners) {
        const desired = entry.desired;
        if (!desired) continue;
        void serialized(`pods:${serverId}`, async () => {
          if (this.#runners.get(serverId) !== entry) return;
          const running = await this.docker
            .getContainer(entry.containerId)
            .inspect()
            .catch(() => undefined);
          if (!running) return void this.#runners.delete(serverId);
          if (running.State.Running) await entry.runner.converge(desired);
        }).catch((err: unknown) => onError(serverId, err as Error));
      }
    }, ms);
    this.#timer.unref();
  }

  /** Stops {@link startResync}. */
  stopResync(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Forgets the runner of a server (its containers are removed with the server: {@link removeServerPods}). */
  forget(serverId: string): void {
    this.#runners.delete(serverId);
  }

  /**
   * Whether pods can live in their server's cgroup, so that its flavor's CPU and memory limits cover them: with
   * Docker's cgroupfs driver on cgroup v1 (a systemd driver wants slices; cgroup v2 forbids processes in inner
   * cgroups).
   */
  #nested(): Promise<boolean> {
    this.#nestedCgroups ??= this.docker.info().then(
      (info: { CgroupDriver?: string; CgroupVersion?: string }) =>
        info.CgroupDriver === 'cgroupfs' && (info.CgroupVersion ?? '1') === '1',
      () => false,
    );
    return this.#nestedCgroups;
  }

  #runner(serverId: string, server: Docker.ContainerInspectInfo, nested: boolean): ServerRunner {
    const known = this.#runners.get(serverId);
    if (known && known.containerId === server.Id) return known;
    const projectId = server.Config.Labels?.[SERVER_LABEL.project] ?? '';
    const parent = (server.HostConfig.CgroupParent || '/docker').replace(/\/+$/, '');
    const runner = new PodRunner(this.docker, {
      runnerId: serverRunnerId(serverId),
      // The server's own image: verified when the server was created, and it has `sleep` (the golden image).
      infraImage: server.Image,
      images: this.options.images,
      hostPathRoots: [...(this.options.hostPathRoots ?? [])],
      stopTimeoutSeconds: this.options.stopTimeoutSeconds ?? 2,
      sharedNetwork: {
        container: server.Id,
        network: projectNetworkName(this.options.networkPrefix, projectId),
      },
      ...(nested ? { cgroupParent: `${parent}/${server.Id}` } : {}),
    });
    const entry = { containerId: server.Id, runner, invalid: new Map<string, string>() };
    this.#runners.set(serverId, entry);
    return entry;
  }

  /** The server's container, if it is a container server of the project. @throws ServerNotFoundError */
  async #server(projectId: string, serverId: string): Promise<Docker.ContainerInspectInfo> {
    const name = serverContainerName(serverId);
    let info: Docker.ContainerInspectInfo | undefined;
    try {
      info = await this.docker.getContainer(name).inspect();
    } catch (err) {
      if (dockerStatus(err) !== 404) throw err;
    }
    const labels = info?.Config.Labels ?? {};
    if (!info || labels[SERVER_LABEL.kind] !== 'server' || labels[SERVER_LABEL.project] !== projectId) {
      this.#runners.delete(serverId);
      throw new ServerNotFoundError(
        `server ${serverId} is not a container server of project ${projectId} (no container ${name})`,
      );
    }
    return info;
  }
}

/** The status of a pod whose manifest the host refused. */
function invalidStatus(pod: string, message: string): PodStatus {
  return {
    name: pod,
    phase: 'Failed',
    ready: false,
    reason: 'InvalidManifest',
    message,
    initContainers: [],
    containers: [waitingStatus(pod, '', 'InvalidManifest', message)],
  };
}

/**
 * Removes every pod container and emptyDir volume of a container server (before the server itself goes: they
 * live in its network namespace).
 */
export async function removeServerPods(docker: Docker, serverId: string): Promise<void> {
  const label = [`${LABEL.runner}=${serverRunnerId(serverId)}`];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const infraLast = [...containers].sort(
    (a, b) => Number(a.Labels?.[LABEL.role] === 'infra') - Number(b.Labels?.[LABEL.role] === 'infra'),
  );
  for (const c of infraLast) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch((err: unknown) => {
        if (dockerStatus(err) !== 404) throw err;
      });
  }
  const volumes = await docker.listVolumes({ filters: { label } });
  await Promise.all(
    (volumes.Volumes ?? []).map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
}
