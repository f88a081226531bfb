/**
 * The built-in `kubelet` hook (heat-config-kubelet's job, with Hearth's pod runner as the kubelet): on every new
 * set of deployments the manifest directory becomes exactly the kubelet deployments and the runner reconciles; a
 * new kubelet deployment is signalled once its pod is ready (or failed, or `deploy_timeout` passed); a timer
 * reconciles in between. Docker is reached only once a kubelet deployment exists (or a previous run left
 * manifests), so hosts without containers never load the container runtime. Inside a container server (agent
 * config `"pods": "host"`) there is no Docker: the Hearth server runs the pods beside the server (backend.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentApiClient } from '../api-client.js';
import type { DeploymentConfig } from '../deployment.js';
import { kubeletConfigs, podNameOf } from '../kubelet/desired.js';
import type { Kubelet } from '../kubelet/kubelet.js';
import type { AgentLogger } from '../log.js';

/** How the kubelet reaches Docker and what it allows. */
export interface KubeletSettings {
  /** Image of the pods' infra containers (needs `sleep`). @default hearth/agent:latest (the golden image) */
  readonly infraImage?: string;
  /** Address host ports are published on. @default 0.0.0.0 */
  readonly hostIp?: string;
  /** Directories hostPath volumes may use. @default none */
  readonly hostPathRoots?: readonly string[];
  /** Verified-image registry file. @default env HEARTH_IMAGE_REGISTRY or /var/lib/hearth/images.json */
  readonly imageRegistry?: string;
  /** Docker socket. @default env DOCKER_HOST or /var/run/docker.sock */
  readonly dockerSocket?: string;
  /** Seconds between reconciles while the agent runs. @default 10 */
  readonly resyncSeconds?: number;
  /** Seconds between refreshes of finished deployments' `containers` outputs (0: only on request). @default 30 */
  readonly statsSeconds?: number;
  /**
   * The Hearth server runs the pods (a container server's agent, which has no Docker) through this client; the
   * Docker, image and host settings above then do not apply (the host applies its own).
   */
  readonly hostPods?: AgentApiClient;
}

/** The default of {@link KubeletSettings.statsSeconds}. */
export const DEFAULT_STATS_SECONDS = 30;

/** The default infra image: the golden image `hearth image build` makes. */
export const DEFAULT_INFRA_IMAGE = 'hearth/agent:latest';

/** The runner id of a server's kubelet: `hearth-<server id>`, cut to what labels and names allow. */
export function runnerIdOf(serverId: string): string {
  return `hearth-${serverId.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 60).replace(/-+$/, '');
}

/** The kubelet hook of one agent. */
export class KubeletHook {
  readonly #stateDir: string;
  readonly #serverId: string;
  readonly #settings: KubeletSettings;
  readonly #log: AgentLogger;
  #kubelet: Promise<Kubelet> | undefined;

  constructor(stateDir: string, serverId: string, settings: KubeletSettings, log: AgentLogger) {
    this.#stateDir = stateDir;
    this.#serverId = serverId;
    this.#settings = settings;
    this.#log = log;
  }

  /** Seconds between reconciles. */
  get resyncSeconds(): number {
    return this.#settings.resyncSeconds ?? 10;
  }

  /** Seconds between periodic stats refreshes (0: none). */
  get statsSeconds(): number {
    return this.#settings.statsSeconds ?? DEFAULT_STATS_SECONDS;
  }

  /**
   * Fresh `containers` outputs of the kubelet deployments among `configs` whose pod exists, by config id (empty
   * when the kubelet is inactive or Docker cannot be read — logged).
   */
  async figures(configs: readonly DeploymentConfig[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    const kubelet = kubeletConfigs(configs);
    if (kubelet.length === 0 || !this.active) return out;
    try {
      const byPod = await (await this.#get()).figures(kubelet.map(podNameOf));
      for (const c of kubelet) {
        const reports = byPod.get(podNameOf(c));
        if (reports) out.set(c.id, reports);
      }
    } catch (err) {
      this.#log.warn({ error: (err as Error).message }, 'kubelet stats could not be sampled');
    }
    return out;
  }

  /** Whether the kubelet runs (a kubelet deployment was seen, or a previous run left manifests). */
  get active(): boolean {
    return this.#kubelet !== undefined || this.#hasManifests();
  }

  /** Makes the manifest directory and the pods match the kubelet deployments among `deployments`. */
  async sync(deployments: readonly DeploymentConfig[]): Promise<void> {
    if (kubeletConfigs(deployments).length === 0 && !this.active) return;
    try {
      await (await this.#get()).sync(deployments);
    } catch (err) {
      this.#log.error({ error: (err as Error).message }, 'kubelet reconcile failed');
    }
  }

  /** Applies one kubelet deployment: waits for its pod; the signal carries per-container state. */
  async deploy(c: DeploymentConfig, stop: AbortSignal): Promise<Record<string, unknown>> {
    try {
      return await (await this.#get()).waitFor(c, stop);
    } catch (err) {
      return {
        deploy_stdout: '',
        deploy_stderr: `kubelet: ${(err as Error).message}\n`,
        deploy_status_code: 1,
        containers: {},
      };
    }
  }

  /** One reconcile of the timer (restarts, liveness, removed manifests); does nothing when inactive. */
  async tick(): Promise<void> {
    if (!this.active) return;
    try {
      await (await this.#get()).reconcile();
    } catch (err) {
      this.#log.warn({ error: (err as Error).message }, 'kubelet periodic reconcile failed');
    }
  }

  #hasManifests(): boolean {
    return existsSync(join(this.#stateDir, 'kubelet', 'manifests'));
  }

  #get(): Promise<Kubelet> {
    this.#kubelet ??= this.#create().catch((err: unknown) => {
      this.#kubelet = undefined;
      throw err;
    });
    return this.#kubelet;
  }

  async #create(): Promise<Kubelet> {
    const hostPods = this.#settings.hostPods;
    if (hostPods) {
      const [{ HostPodBackend }, { Kubelet }] = await Promise.all([
        import('../kubelet/backend.js'),
        import('../kubelet/kubelet.js'),
      ]);
      this.#log.info('kubelet started (pods run by the Hearth server beside this container server)');
      return new Kubelet(new HostPodBackend(hostPods, this.#log), this.#stateDir, this.#serverId, this.#log);
    }
    const [
      { connectDocker },
      { PodRunner },
      { verifiedImages },
      { ImageRegistry },
      { Kubelet },
      { LocalPodBackend },
    ] = await Promise.all([
      import('../../runtime/docker.js'),
      import('../../runtime/pods/runner.js'),
      import('../../runtime/pods/images.js'),
      import('../../runtime/images/registry.js'),
      import('../kubelet/kubelet.js'),
      import('../kubelet/backend.js'),
    ]);
    const docker = connectDocker(this.#settings.dockerSocket);
    const registry = new ImageRegistry(this.#settings.imageRegistry);
    const runner = new PodRunner(docker, {
      runnerId: runnerIdOf(this.#serverId),
      infraImage: this.#settings.infraImage ?? DEFAULT_INFRA_IMAGE,
      images: verifiedImages(docker, registry),
      hostIp: this.#settings.hostIp ?? '0.0.0.0',
      hostPathRoots: [...(this.#settings.hostPathRoots ?? [])],
      stopTimeoutSeconds: 2,
    });
    this.#log.info(
      { runner: runnerIdOf(this.#serverId), registry: registry.path },
      'kubelet started (pods from kubelet deployments)',
    );
    return new Kubelet(new LocalPodBackend(runner), this.#stateDir, this.#serverId, this.#log);
  }
}
