/**
 * The agent's kubelet: keeps the manifest directory equal to the current kubelet deployments, makes the pod
 * backend (this host's pod runner, or the Hearth server for a container server: backend.ts) run exactly those pods
 * (on every change and on a timer), and waits for deployments' pods to be ready or to fail. Calls into the backend
 * are serialised: one reconcile at a time. Waiting reads only the pods waited for, and the reads of deployments
 * waited for together are gathered into one (status-reads.ts).
 */
import type { PodStatus } from '../../runtime/pods/status.js';
import type { DeploymentConfig } from '../deployment.js';
import type { AgentLogger } from '../log.js';
import type { DesiredPod, PodBackend } from './backend.js';
import { deployTimeoutSeconds, kubeletConfigs, manifestOf, podNameOf, podSpecOf } from './desired.js';
import { ManifestDirectory, type ManifestEntry } from './manifests.js';
import {
  containerReports,
  judgePod,
  kubeletSignal,
  type ContainerReport,
  type PodVerdict,
} from './outcome.js';
import { StatusReads } from './status-reads.js';

/** How long a deployment's signal waits for its containers' CPU and memory figures. */
const SETTLE_STATS_WAIT_MS = 150;

/** Resolves after `ms`, or at once when `stop` aborts. */
function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

/** A pod backend driven by a manifest directory. */
export class Kubelet {
  readonly #runner: PodBackend;
  readonly #manifests: ManifestDirectory;
  readonly #serverId: string;
  readonly #log: AgentLogger;
  /** Why a deployment's manifest was not written (invalid), by pod name. */
  readonly #invalid = new Map<string, string>();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #reads: StatusReads;
  /** How often {@link waitFor} looks again. */
  readonly pollMs: number;

  constructor(runner: PodBackend, stateDir: string, serverId: string, log: AgentLogger, pollMs = 500) {
    this.#runner = runner;
    this.#manifests = new ManifestDirectory(stateDir);
    this.#serverId = serverId;
    this.#log = log;
    this.pollMs = pollMs;
    this.#reads = new StatusReads((pods) => this.#serial(() => this.#runner.status({ pods })));
  }

  /** The manifest directory. */
  get manifestDir(): string {
    return this.#manifests.path;
  }

  /**
   * Rewrites the manifest directory to exactly the kubelet deployments among `deployments` (invalid manifests are
   * left out and remembered for their deployment's signal), then reconciles.
   */
  async sync(deployments: readonly DeploymentConfig[]): Promise<void> {
    const entries: ManifestEntry[] = [];
    this.#invalid.clear();
    for (const c of kubeletConfigs(deployments)) {
      const pod = podNameOf(c);
      try {
        const manifest = manifestOf(c);
        podSpecOf(pod, manifest, this.#serverId);
        entries.push({ pod, manifest });
      } catch (err) {
        this.#invalid.set(pod, (err as Error).message);
      }
    }
    this.#manifests.replaceAll(entries);
    return this.reconcile();
  }

  /** Makes the runner run exactly the pods of the manifest directory (statuses are read by {@link waitFor}). */
  reconcile(): Promise<void> {
    return this.#serial(() => this.#runner.converge(this.#desired()));
  }

  /**
   * Waits (at most the deployment's `deploy_timeout`) until the pod of `c` is ready or failed; returns its signal.
   * Reconciles first only when nothing has yet (an agent restarted); otherwise {@link sync} created the pod and the
   * timer's reconciles restart it, so waiting only reads the pod's own status. Any number of deployments may be
   * waited for at once: their reads are gathered, and each returns as soon as its own pod settles.
   */
  async waitFor(c: DeploymentConfig, stop: AbortSignal): Promise<Record<string, unknown>> {
    const pod = podNameOf(c);
    const invalid = this.#invalid.get(pod);
    if (invalid !== undefined) {
      return { deploy_stdout: '', deploy_stderr: `${invalid}\n`, deploy_status_code: 1, containers: {} };
    }
    const timeout = deployTimeoutSeconds(c);
    const deadline = Date.now() + timeout * 1000;
    let status: PodStatus | undefined;
    let verdict: PodVerdict = { kind: 'waiting', message: `pod ${pod}: not created yet` };
    if (!this.#runner.reconciled) await this.reconcile();
    for (;;) {
      status = await this.#reads.of(pod);
      if (!status) {
        verdict = {
          kind: 'failed',
          message: `pod ${pod} is not in ${this.#manifests.path}: the deployment is no longer current`,
          statusCode: 1,
        };
        break;
      }
      verdict = judgePod(status);
      if (verdict.kind !== 'waiting') break;
      if (Date.now() >= deadline || stop.aborted) {
        verdict = {
          kind: 'failed',
          message: `pod ${pod} not ready after ${timeout} s (deploy_timeout): ${verdict.message}`,
          statusCode: 1,
        };
        break;
      }
      await pause(this.pollMs, stop);
    }
    this.#log.info({ deployment: c.id, pod, verdict: verdict.kind }, 'kubelet deployment settled');
    if (!status) {
      return {
        deploy_stdout: '',
        deploy_stderr: `${verdict.kind === 'failed' ? verdict.message : ''}\n`,
        deploy_status_code: 1,
        containers: {},
      };
    }
    // The signal does not wait for Docker's next stats tick: figures missing now come with the next refresh. Only
    // Docker is read, so deployments settling together sample at the same time instead of one after another.
    const stats = await this.#runner.stats({ pods: [pod], waitMs: SETTLE_STATS_WAIT_MS }).catch(() => []);
    return kubeletSignal(status, verdict, stats);
  }

  /**
   * Fresh `containers` outputs (state, restarts, CPU, memory) of the pods named `pods` that exist, by pod name.
   * Reads Docker only; changes nothing.
   */
  async figures(pods: readonly string[]): Promise<Map<string, Record<string, ContainerReport>>> {
    const statuses = await this.#serial(() => this.#runner.status());
    const wanted = statuses.filter((s) => pods.includes(s.name) && s.containers.length > 0);
    const out = new Map<string, Record<string, ContainerReport>>();
    if (wanted.length === 0) return out;
    const stats = await this.#serial(() => this.#runner.stats({ pods: wanted.map((s) => s.name) }));
    for (const status of wanted) out.set(status.name, containerReports(status, stats));
    return out;
  }

  /** The pods of the manifest directory (a file that no longer parses is logged and left out). */
  #desired(): DesiredPod[] {
    const { entries, unreadable } = this.#manifests.readAll();
    for (const file of unreadable) this.#log.warn({ file }, 'kubelet manifest is not JSON; ignored');
    const pods: DesiredPod[] = [];
    for (const e of entries) {
      try {
        pods.push({ pod: e.pod, manifest: e.manifest, spec: podSpecOf(e.pod, e.manifest, this.#serverId) });
      } catch (err) {
        this.#log.warn({ pod: e.pod, error: (err as Error).message }, 'kubelet manifest invalid; ignored');
      }
    }
    return pods;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
