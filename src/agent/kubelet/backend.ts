/**
 * Where the kubelet's pods run. On a host with Docker, the agent's own {@link PodRunner} (`local`). Inside a
 * container server, which has no Docker (and must not get the host's), the Hearth server runs them beside the
 * server through the agent API (`host`): the set of manifests is sent with `PUT …/pods` (only when it changed, or
 * when the server says it lost it, or every few minutes), statuses and figures come back from `GET …/pods`.
 */
import type { PodRunner } from '../../runtime/pods/runner.js';
import type { PodSpec } from '../../runtime/pods/spec.js';
import type { ContainerStats } from '../../runtime/pods/stats.js';
import type { PodStatus } from '../../runtime/pods/status.js';
import type { AgentApiClient } from '../api-client.js';
import type { AgentLogger } from '../log.js';

/** A desired pod: its manifest (as deployed) and the spec the agent read from it. */
export interface DesiredPod {
  readonly pod: string;
  readonly manifest: unknown;
  readonly spec: PodSpec;
}

/** What the kubelet asks of whatever runs its pods. */
export interface PodBackend {
  /** Whether {@link converge} ran since this backend was made (an agent restarted has not yet). */
  readonly reconciled: boolean;
  /** Makes exactly `pods` run. */
  converge(pods: readonly DesiredPod[]): Promise<void>;
  /** The statuses of the desired pods (of `pods` only, when given). */
  status(options?: { pods?: readonly string[] }): Promise<PodStatus[]>;
  /** CPU, memory and restarts of running containers (of `pods`; `waitMs` bounds the wait for samples). */
  stats(options?: { pods?: readonly string[]; waitMs?: number }): Promise<ContainerStats[]>;
}

/** The agent's own pod runner on this host's Docker. */
export class LocalPodBackend implements PodBackend {
  constructor(private readonly runner: PodRunner) {}

  get reconciled(): boolean {
    return this.runner.reconciled;
  }

  converge(pods: readonly DesiredPod[]): Promise<void> {
    return this.runner.converge(pods.map((p) => p.spec));
  }

  status(options: { pods?: readonly string[] } = {}): Promise<PodStatus[]> {
    return this.runner.status(options);
  }

  stats(options: { pods?: readonly string[]; waitMs?: number } = {}): Promise<ContainerStats[]> {
    return this.runner.stats(options);
  }
}

/** Re-send an unchanged pod set this often anyway (the Hearth server may have restarted). */
const RESEND_MS = 5 * 60_000;

/** The Hearth server runs the pods beside this container server. */
export class HostPodBackend implements PodBackend {
  #sent: string | undefined;
  #sentAt = 0;
  #stale = false;

  constructor(
    private readonly client: AgentApiClient,
    private readonly log: AgentLogger,
  ) {}

  get reconciled(): boolean {
    return this.#sent !== undefined;
  }

  async converge(pods: readonly DesiredPod[]): Promise<void> {
    const manifests = Object.fromEntries(pods.map((p) => [p.pod, p.manifest]));
    const text = JSON.stringify(manifests);
    if (text === this.#sent && !this.#stale && Date.now() - this.#sentAt < RESEND_MS) return;
    const answer = await this.client.applyPods(manifests);
    for (const refused of answer.invalid)
      this.log.warn({ pod: refused.pod, error: refused.message }, 'the host refused a pod manifest');
    this.#sent = text;
    this.#sentAt = Date.now();
    this.#stale = false;
  }

  async status(options: { pods?: readonly string[] } = {}): Promise<PodStatus[]> {
    if (options.pods?.length === 0) return [];
    const answer = await this.client.podStatus(options.pods ? { pods: options.pods } : {});
    if (answer.desired === false) this.#stale = true;
    return answer.pods as PodStatus[];
  }

  async stats(options: { pods?: readonly string[]; waitMs?: number } = {}): Promise<ContainerStats[]> {
    if (options.pods?.length === 0) return [];
    const answer = await this.client.podStatus({
      ...(options.pods ? { pods: options.pods } : {}),
      stats: true,
      ...(options.waitMs !== undefined ? { statsWaitMs: options.waitMs } : {}),
    });
    return (answer.stats ?? []) as ContainerStats[];
  }
}
