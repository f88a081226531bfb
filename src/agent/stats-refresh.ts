/**
 * Keeps the `containers` outputs of finished kubelet deployments fresh: on the server's request (a `refresh` entry
 * of the deployments answer, from a resource signal `{"refresh": "stats"}`) and periodically while the agent runs.
 * Each deployment's pod is re-sampled (state, restarts, CPU, memory) and posted to the agent API's `…/stats`,
 * which updates the output and the resource's attributes without changing the deployment's status.
 */
import { AgentHttpError, type AgentApiClient, type RefreshRequest } from './api-client.js';
import { deploymentIdOf, type DeploymentConfig } from './deployment.js';
import type { KubeletHook } from './hooks/kubelet.js';
import type { AgentLogger } from './log.js';
import type { AgentState } from './state.js';

/** The output the figures are stored as. */
const CONTAINERS_OUTPUT = 'containers';

/** Re-samples and posts kubelet deployments' figures. */
export class StatsRefresher {
  readonly #client: AgentApiClient;
  readonly #kubelet: KubeletHook;
  readonly #state: AgentState;
  readonly #log: AgentLogger;
  #busy = false;

  constructor(client: AgentApiClient, kubelet: KubeletHook, state: AgentState, log: AgentLogger) {
    this.#client = client;
    this.#kubelet = kubelet;
    this.#state = state;
    this.#log = log;
  }

  /** Answers the server's requests among `deployments` (a deployment without a pod here is left unanswered). */
  async answer(deployments: readonly DeploymentConfig[], requests: readonly RefreshRequest[]): Promise<void> {
    if (requests.length === 0) return;
    const tokens = new Map(requests.map((r) => [r.deploymentId, r.token]));
    const asked = deployments.filter((c) => tokens.has(deploymentIdOf(c) ?? ''));
    await this.#post(asked, (id) => tokens.get(id));
  }

  /**
   * The periodic refresh: every finished kubelet deployment declaring a `containers` output. Skipped while the
   * previous one still runs.
   */
  async periodic(deployments: readonly DeploymentConfig[]): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const finished = deployments.filter(
        (c) => c.outputs.some((o) => o.name === CONTAINERS_OUTPUT) && this.#state.isNotified(c.id),
      );
      await this.#post(finished, () => undefined);
    } finally {
      this.#busy = false;
    }
  }

  async #post(
    configs: readonly DeploymentConfig[],
    tokenOf: (id: string) => string | undefined,
  ): Promise<void> {
    if (configs.length === 0) return;
    const figures = await this.#kubelet.figures(configs);
    for (const c of configs) {
      const id = deploymentIdOf(c);
      const containers = figures.get(c.id);
      if (id === undefined || containers === undefined) continue;
      const token = tokenOf(id);
      try {
        const stored = await this.#client.stats(id, containers, token);
        this.#log.debug(
          { deployment: id, stored, requested: token !== undefined },
          'container figures posted',
        );
      } catch (err) {
        const status = err instanceof AgentHttpError ? err.status : undefined;
        // 409: the deployment is IN_PROGRESS again (an update); its final signal carries the figures.
        if (status === 409) continue;
        this.#log.warn(
          { deployment: id, status, error: (err as Error).message },
          'container figures not posted',
        );
      }
    }
  }
}
