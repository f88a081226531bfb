/**
 * The pod runner: Hearth's kubelet, a library the agent calls. `reconcile(desired)` makes Docker match the desired
 * pods — an infra container holding each pod's network namespace and host ports, init containers run to
 * completion, app containers joined to it, restarts by policy (Docker's) and after liveness failures (ours), pods
 * no longer desired removed — and reports each pod's state. Everything it creates is labelled (labels.ts), so a
 * new runner adopts what a previous one left instead of duplicating it.
 */
import type Docker from 'dockerode';
import { dockerErrorMessage, dockerStatus } from '../docker.js';
import { containerOptions, infraOptions, type PodHostSettings } from './docker-config.js';
import { localImages, type ImageResolver } from './images.js';
import { LABEL, specHash, volumeName } from './labels.js';
import { runProbe } from './probes.js';
import type { PodSpec } from './spec.js';
import { sampleStats, type ContainerStats } from './stats.js';
import { containerStatus, podStatus, waitingStatus, type ContainerStatus, type PodStatus } from './status.js';

/** How a runner is set up. */
export interface PodRunnerOptions {
  /** Names this runner's containers and labels (`[a-z0-9-]+`); one per host/agent. */
  runnerId: string;
  /** Image of the infra containers (needs `sleep`: busybox or the golden image). */
  infraImage: string;
  /** Which images may run (default: any image present on the engine). */
  images?: ImageResolver;
  /** Address host ports are published on (default 0.0.0.0). */
  hostIp?: string;
  /** Directories under which hostPath volumes may lie (default: none, hostPath refused). */
  hostPathRoots?: string[];
  /** How long an init container may run (default 120 s). */
  initTimeoutMs?: number;
  /** Grace before SIGKILL when stopping (default 5 s). */
  stopTimeoutSeconds?: number;
  /**
   * Run every pod in the network namespace of this container (a container server's): the pods' ports are that
   * container's own, so a `hostPort` must equal its `containerPort` (or be left out), ports are unique across the
   * runner's pods, the pod address is the container's on `network`, and pods whose infra container is older than
   * the container's last start (its namespace was replaced) are recreated.
   */
  sharedNetwork?: { readonly container: string; readonly network: string };
  /** Docker's CgroupParent of every container (e.g. a container server's cgroup, so its limits cover the pods). */
  cgroupParent?: string;
}

interface Observed {
  info: Docker.ContainerInspectInfo;
  role: string;
  container: string;
}

/** Reconciles Docker with a set of desired pods. */
export class PodRunner {
  private readonly host: PodHostSettings;
  private readonly images: ImageResolver;
  /** The pods of the last reconcile, and the statuses of those that have no containers (rejected, waiting). */
  private desired: PodSpec[] | undefined;
  private readonly notCreated = new Map<string, PodStatus>();
  private readonly livenessFailures = new Map<string, { count: number; lastRun: number; message?: string }>();
  private readonly livenessRestarts = new Map<string, number>();

  constructor(
    private readonly docker: Docker,
    private readonly options: PodRunnerOptions,
  ) {
    if (!/^[a-z0-9-]+$/.test(options.runnerId))
      throw new Error(`runnerId ${JSON.stringify(options.runnerId)}: use [a-z0-9-]+`);
    this.host = {
      runner: options.runnerId,
      infraImage: options.infraImage,
      hostIp: options.hostIp ?? '0.0.0.0',
      ...(options.sharedNetwork ? { networkContainer: options.sharedNetwork.container } : {}),
      ...(options.cgroupParent ? { cgroupParent: options.cgroupParent } : {}),
    };
    this.images = options.images ?? localImages(docker);
  }

  /** Makes Docker run exactly `desired` (by pod name), then returns their statuses in the same order. */
  async reconcile(desired: PodSpec[]): Promise<PodStatus[]> {
    await this.converge(desired);
    return this.status();
  }

  /**
   * Makes Docker run exactly `desired` (by pod name), as {@link reconcile} does, without reading the statuses
   * back (no readiness probes): for callers that then ask {@link status} about the pods they wait for only.
   */
  async converge(desired: PodSpec[]): Promise<void> {
    this.desired = desired;
    this.notCreated.clear();
    const observed = await this.observe();
    const accepted = this.admit(desired, observed);
    const keep = new Set(accepted.map((p) => p.name));
    await Promise.all(
      [...observed.keys()]
        .filter((name) => !keep.has(name))
        .map((name) => this.removePod(name, observed.get(name) ?? [])),
    );
    const since = (await this.sharedNamespace())?.startedAt;
    await Promise.all(accepted.map((pod) => this.ensurePod(pod, observed.get(pod.name) ?? [], since)));
    await this.checkLiveness(accepted);
  }

  /** Whether this runner has reconciled (so knows the desired pods) since it was made. */
  get reconciled(): boolean {
    return this.desired !== undefined;
  }

  /**
   * The statuses of the pods of the last reconcile (after a restart, before any reconcile: of every pod this
   * runner's labels show), with readiness probes run now. With `pods`, only those pods are read (their
   * containers inspected, their probes run) and reported.
   */
  async status(options: { pods?: readonly string[] } = {}): Promise<PodStatus[]> {
    const observed = await this.observe(options.pods);
    const all = this.desired ?? [...observed.keys()].map((name) => ({ name }) as Pick<PodSpec, 'name'>);
    const wanted = options.pods;
    const pods = wanted ? all.filter((p) => wanted.includes(p.name)) : all;
    const sharedIp = (await this.sharedNamespace())?.address;
    return Promise.all(
      pods.map(
        async (pod) =>
          this.notCreated.get(pod.name) ??
          (await this.observedStatus(pod as PodSpec, observed.get(pod.name) ?? [], sharedIp)),
      ),
    );
  }

  /**
   * CPU, memory and restarts of the running app containers of this runner (of the pods named `pods`, default all),
   * sampled in parallel. With `waitMs`, a container whose sample has not arrived by then is reported without CPU
   * and memory in use (its limit from its configuration, when it has one) instead of holding the answer up to the
   * next tick of Docker's stats collector (up to a second).
   */
  async stats(options: { pods?: readonly string[]; waitMs?: number } = {}): Promise<ContainerStats[]> {
    const wanted = [...(await this.observe(options.pods))];
    const running = wanted.flatMap(([pod, containers]) =>
      containers.filter((o) => o.role === 'app' && o.info.State.Running).map((c) => ({ pod, c })),
    );
    return Promise.all(
      running.map(async ({ pod, c }) => {
        const restartCount = c.info.RestartCount + (this.livenessRestarts.get(`${pod}/${c.container}`) ?? 0);
        const limit = c.info.HostConfig.Memory ? { memoryLimitBytes: c.info.HostConfig.Memory } : {};
        const sample = await withDeadline(sampleStats(this.docker, c.info.Id), options.waitMs);
        return { pod, container: c.container, ...limit, ...sample, restartCount };
      }),
    );
  }

  /** Removes every pod of this runner (containers and emptyDir volumes). */
  async removeAll(): Promise<void> {
    await this.reconcile([]);
    this.desired = undefined;
  }

  /**
   * Refuses pods the host cannot run: hostPath outside the allowed roots, a host port another pod holds. Pods that
   * already have containers are admitted first, so a new pod never takes a running pod's host port.
   */
  private admit(desired: PodSpec[], observed: ReadonlyMap<string, Observed[]>): PodSpec[] {
    const roots = (this.options.hostPathRoots ?? []).map((r) => r.replace(/\/+$/, ''));
    const ports = new Map<string, string>();
    const seen = new Set<string>();
    const existingFirst = [...desired].sort(
      (a, b) => Number(!observed.has(a.name)) - Number(!observed.has(b.name)),
    );
    const admitted = new Set<PodSpec>();
    for (const pod of existingFirst) if (this.admitOne(pod, roots, ports, seen)) admitted.add(pod);
    return desired.filter((pod) => admitted.has(pod));
  }

  /** Whether `pod` may run beside the pods admitted before it (recording its host ports); else why not. */
  private admitOne(pod: PodSpec, roots: string[], ports: Map<string, string>, seen: Set<string>): boolean {
    const reject = (reason: string, message: string) => {
      const containers = pod.containers.map((c) => waitingStatus(c.name, c.image, reason, message));
      this.notCreated.set(pod.name, {
        name: pod.name,
        phase: 'Failed',
        ready: false,
        reason,
        message,
        initContainers: [],
        containers,
      });
      return false;
    };
    if (seen.has(pod.name)) return reject('DuplicatePod', `pod ${pod.name} is desired twice`);
    seen.add(pod.name);
    for (const v of pod.volumes) {
      if (v.kind !== 'hostPath') continue;
      const normal = v.path.replace(/\/+$/, '');
      if (
        normal.split('/').includes('..') ||
        !roots.some((r) => normal === r || normal.startsWith(`${r}/`))
      ) {
        return reject(
          'VolumeNotAllowed',
          `volume ${v.name}: hostPath ${v.path} is outside the allowed roots (${roots.join(', ') || 'none'})`,
        );
      }
    }
    const mine: string[] = [];
    const shared = this.options.sharedNetwork !== undefined;
    for (const c of pod.containers) {
      for (const p of c.ports) {
        if (shared) {
          const problem = sharedPortProblem(c.name, p);
          if (problem) return reject('PortNotAllowed', problem);
        } else if (p.hostPort === undefined) continue;
        const key = shared
          ? `${p.containerPort}/${p.protocol}`
          : `${p.hostIP ?? this.host.hostIp}:${p.hostPort}/${p.protocol}`;
        const holder = ports.get(key);
        if (holder)
          return reject(
            'PortConflict',
            shared
              ? `port ${p.containerPort}/${p.protocol} of the server is already used by pod ${holder}`
              : `hostPort ${p.hostPort}/${p.protocol} is already used by pod ${holder}`,
          );
        mine.push(key);
      }
    }
    for (const key of mine) ports.set(key, pod.name);
    return true;
  }

  /** This runner's containers, by pod (with `pods`: only those pods' containers are inspected). */
  private async observe(pods?: readonly string[]): Promise<Map<string, Observed[]>> {
    const label = [`${LABEL.runner}=${this.host.runner}`];
    if (pods?.length === 1) label.push(`${LABEL.pod}=${pods[0]}`);
    const list = await this.docker.listContainers({ all: true, filters: { label } });
    const byPod = new Map<string, Observed[]>();
    const infos = await Promise.all(
      list
        .filter((c) => !pods || pods.includes(c.Labels?.[LABEL.pod] ?? ''))
        .map((c) =>
          this.docker
            .getContainer(c.Id)
            .inspect()
            .catch(() => undefined),
        ),
    );
    for (const info of infos) {
      if (!info) continue;
      const labels = info.Config.Labels ?? {};
      const pod = labels[LABEL.pod] ?? '';
      const entry = { info, role: labels[LABEL.role] ?? '', container: labels[LABEL.container] ?? '' };
      byPod.set(pod, [...(byPod.get(pod) ?? []), entry]);
    }
    return byPod;
  }

  /**
   * Keeps a pod that matches its spec; otherwise replaces it. `since`: when the shared network namespace was last
   * started (an infra container started before it holds a namespace that is gone).
   */
  private async ensurePod(pod: PodSpec, current: Observed[], since?: number): Promise<void> {
    const hash = specHash(pod);
    const infra = current.find((c) => c.role === 'infra');
    const stale =
      since !== undefined && infra !== undefined && Date.parse(infra.info.State.StartedAt) < since;
    const complete =
      !stale &&
      infra?.info.State.Running &&
      current.every((c) => c.info.Config.Labels?.[LABEL.specHash] === hash) &&
      pod.containers.every((spec) => current.some((c) => c.role === 'app' && c.container === spec.name));
    const initFailed = current.some(
      (c) => c.role === 'init' && c.info.State.Status === 'exited' && c.info.State.ExitCode !== 0,
    );
    if (complete || (initFailed && current.every((c) => c.info.Config.Labels?.[LABEL.specHash] === hash)))
      return;
    if (current.length > 0) await this.removePod(pod.name, current);
    await this.createPod(pod);
  }

  private async createPod(pod: PodSpec): Promise<void> {
    const all = [...pod.initContainers, ...pod.containers];
    const resolved = await Promise.all(all.map((c) => this.images(c.image)));
    const missing = resolved.findIndex((r) => !r.ok);
    if (missing !== -1) {
      const statuses = all.map((c, i) => {
        const r = resolved[i];
        return r && !r.ok
          ? waitingStatus(c.name, c.image, r.reason, r.message)
          : waitingStatus(c.name, c.image, 'PodInitializing');
      });
      const first = resolved[missing];
      const reason = first && !first.ok ? first.reason : 'ImageMissing';
      this.notCreated.set(pod.name, {
        name: pod.name,
        phase: 'Pending',
        ready: false,
        reason,
        message: first && !first.ok ? first.message : undefined,
        initContainers: statuses.slice(0, pod.initContainers.length),
        containers: statuses.slice(pod.initContainers.length),
      });
      return;
    }
    const image = (i: number) => {
      const r = resolved[i];
      return r?.ok ? r.image : '';
    };
    try {
      for (const v of pod.volumes.filter((v) => v.kind === 'emptyDir')) {
        await this.docker.createVolume({
          Name: volumeName(this.host.runner, pod.name, v.name),
          Labels: { [LABEL.runner]: this.host.runner, [LABEL.pod]: pod.name },
        });
      }
      const infra = await this.docker.createContainer(infraOptions(pod, this.host));
      await infra.start();
      for (const [i, spec] of pod.initContainers.entries()) {
        const c = await this.docker.createContainer(
          containerOptions(pod, spec, 'init', image(i), infra.id, this.host),
        );
        await c.start();
        const exit = await this.waitFor(c, spec.name);
        if (exit !== 0) return;
      }
      const apps = await Promise.all(
        pod.containers.map((spec, i) =>
          this.docker.createContainer(
            containerOptions(pod, spec, 'app', image(pod.initContainers.length + i), infra.id, this.host),
          ),
        ),
      );
      await Promise.all(apps.map((c) => c.start()));
    } catch (err) {
      // Nothing half-started stays behind: the next reconcile tries again from scratch.
      await this.removePod(pod.name, (await this.observe([pod.name])).get(pod.name) ?? []);
      const message = dockerErrorMessage(err);
      this.notCreated.set(pod.name, {
        name: pod.name,
        phase: 'Failed',
        ready: false,
        reason: 'StartError',
        message,
        initContainers: pod.initContainers.map((c) => waitingStatus(c.name, c.image, 'StartError', message)),
        containers: pod.containers.map((c) => waitingStatus(c.name, c.image, 'StartError', message)),
      });
    }
  }

  private async waitFor(container: Docker.Container, name: string): Promise<number> {
    const timeout = this.options.initTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<number>((done) => {
      timer = setTimeout(() => {
        void container.kill().catch(() => undefined);
        done(-1);
      }, timeout);
    });
    try {
      const result = await Promise.race([container.wait() as Promise<{ StatusCode: number }>, expired]);
      return typeof result === 'number' ? result : result.StatusCode;
    } catch (err) {
      throw new Error(`init container ${name}: ${dockerErrorMessage(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async removePod(pod: string, containers: Observed[]): Promise<void> {
    const order = [...containers].sort((a, b) => Number(a.role === 'infra') - Number(b.role === 'infra'));
    for (const c of order) {
      await this.docker
        .getContainer(c.info.Id)
        .remove({ force: true, v: true })
        .catch((err: unknown) => {
          if (dockerStatus(err) !== 404) throw err;
        });
      this.livenessFailures.delete(c.info.Id);
    }
    for (const key of [...this.livenessRestarts.keys()].filter((k) => k.startsWith(`${pod}/`)))
      this.livenessRestarts.delete(key);
    const volumes = await this.docker.listVolumes({
      filters: { label: [`${LABEL.runner}=${this.host.runner}`, `${LABEL.pod}=${pod}`] },
    });
    await Promise.all(
      (volumes.Volumes ?? []).map((v) =>
        this.docker
          .getVolume(v.Name)
          .remove()
          .catch(() => undefined),
      ),
    );
  }

  /** Runs due liveness probes; restarts (or, with restartPolicy Never, stops) containers that failed enough. */
  private async checkLiveness(pods: PodSpec[]): Promise<void> {
    const probed = pods.filter((p) => p.containers.some((c) => c.livenessProbe));
    if (probed.length === 0) return;
    const observed = await this.observe(probed.map((p) => p.name));
    const now = Date.now();
    const checks: Promise<void>[] = [];
    const shared = await this.sharedNamespace();
    for (const pod of pods) {
      const current = observed.get(pod.name) ?? [];
      const podIp = shared ? shared.address : podAddress(current.find((c) => c.role === 'infra')?.info);
      for (const spec of pod.containers) {
        const probe = spec.livenessProbe;
        const c = current.find((o) => o.role === 'app' && o.container === spec.name);
        if (!probe || !c?.info.State.Running) continue;
        const started = Date.parse(c.info.State.StartedAt);
        const state = this.livenessFailures.get(c.info.Id) ?? { count: 0, lastRun: 0 };
        if (
          now - started < probe.initialDelaySeconds * 1000 ||
          now - state.lastRun < probe.periodSeconds * 1000
        )
          continue;
        checks.push(
          (async () => {
            const result = await runProbe(this.docker, c.info.Id, spec, probe, podIp);
            const next = {
              count: result.ok ? 0 : state.count + 1,
              lastRun: Date.now(),
              message: result.message,
            };
            this.livenessFailures.set(c.info.Id, next);
            if (next.count < probe.failureThreshold) return;
            this.livenessFailures.set(c.info.Id, { count: 0, lastRun: Date.now(), message: result.message });
            const container = this.docker.getContainer(c.info.Id);
            const t = this.options.stopTimeoutSeconds ?? 5;
            if (pod.restartPolicy === 'Never') {
              await container.stop({ t }).catch(() => undefined);
              return;
            }
            await container.restart({ t });
            const key = `${pod.name}/${spec.name}`;
            this.livenessRestarts.set(key, (this.livenessRestarts.get(key) ?? 0) + 1);
          })(),
        );
      }
    }
    await Promise.all(checks);
  }

  /**
   * The shared network namespace's owner (see {@link PodRunnerOptions.sharedNetwork}): its address and when it
   * last started; undefined without one, or when it does not exist.
   */
  private async sharedNamespace(): Promise<{ address?: string; startedAt: number } | undefined> {
    const shared = this.options.sharedNetwork;
    if (!shared) return undefined;
    const info = await this.docker
      .getContainer(shared.container)
      .inspect()
      .catch(() => undefined);
    if (!info) return undefined;
    const address = info.NetworkSettings.Networks[shared.network]?.IPAddress || undefined;
    return { ...(address ? { address } : {}), startedAt: Date.parse(info.State.StartedAt) };
  }

  private async observedStatus(pod: PodSpec, current: Observed[], sharedIp?: string): Promise<PodStatus> {
    const infra = current.find((c) => c.role === 'infra');
    const podIp = this.options.sharedNetwork ? sharedIp : podAddress(infra?.info);
    const specs =
      pod.containers ??
      current
        .filter((c) => c.role === 'app')
        .map((c) => ({ name: c.container, image: c.info.Config.Image }) as PodSpec['containers'][number]);
    const inits = pod.initContainers ?? [];
    const one = async (
      spec: PodSpec['containers'][number],
      role: 'init' | 'app',
    ): Promise<ContainerStatus> => {
      const c = current.find((o) => o.role === role && o.container === spec.name);
      if (!c)
        return waitingStatus(
          spec.name,
          spec.image,
          role === 'app' && inits.length > 0 ? 'PodInitializing' : 'ContainerCreating',
        );
      const status = containerStatus(
        spec.name,
        spec.image,
        c.info,
        this.livenessRestarts.get(`${pod.name}/${spec.name}`) ?? 0,
      );
      if (role !== 'app' || status.state !== 'running') return status;
      const liveness = this.livenessFailures.get(c.info.Id);
      if (liveness?.message && liveness.count > 0)
        return { ...status, reason: 'LivenessProbeFailed', message: liveness.message };
      if (!spec.readinessProbe) return status;
      const ready = await runProbe(this.docker, c.info.Id, spec, spec.readinessProbe, podIp);
      return ready.ok
        ? status
        : { ...status, ready: false, reason: 'ReadinessProbeFailed', message: ready.message };
    };
    const initStatuses = await Promise.all(inits.map((s) => one(s, 'init')));
    const appStatuses = await Promise.all(specs.map((s) => one(s, 'app')));
    const policy = pod.restartPolicy ?? 'Always';
    const status = podStatus(pod.name, policy, initStatuses, appStatuses, podIp);
    if (!infra && current.length === 0 && this.desired)
      return { ...status, phase: 'Pending', reason: status.reason ?? 'ContainerCreating' };
    return status;
  }
}

/**
 * Why a port cannot be a container server's: the pod shares the server's address, so a hostPort other than the
 * containerPort (or a hostIP) would need a translation the server's namespace does not have.
 */
function sharedPortProblem(container: string, p: PodSpec['containers'][number]['ports'][number]): string {
  if (p.hostPort !== undefined && p.hostPort !== p.containerPort)
    return (
      `container ${container}: hostPort ${p.hostPort} differs from containerPort ${p.containerPort}; on a ` +
      "container server the pod listens on the server's own address, so hostPort must equal containerPort " +
      '(or be left out)'
    );
  if (p.hostIP !== undefined && p.hostIP !== '0.0.0.0')
    return (
      `container ${container}: hostIP ${p.hostIP} cannot be chosen on a container server (the pod listens on ` +
      'every address of the server); leave hostIP out'
    );
  return '';
}

/** `work`'s result, or undefined when `ms` (if given) passes first (a failed sample counts as none). */
async function withDeadline<T>(work: Promise<T>, ms: number | undefined): Promise<T | undefined> {
  const settled = work.catch(() => undefined);
  if (ms === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((done) => (timer = setTimeout(() => done(undefined), ms)));
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The pod's address: the infra container's on its (first) network. */
function podAddress(info: Docker.ContainerInspectInfo | undefined): string | undefined {
  const networks = Object.values(info?.NetworkSettings.Networks ?? {});
  return networks.find((n) => n.IPAddress)?.IPAddress || undefined;
}
