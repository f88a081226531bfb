/**
 * `hearth agent`: applies a server's software deployments on the host.
 *
 * It long-polls the agent API for the server's deployments (plain polling every `polling_interval` when the
 * server does not hold the request), and applies each new one in order, as heat-config does: write the deployed
 * marker, run the hook of the config's group, store the signal, deliver it. An agent restarted after a crash
 * first finishes what the previous one left: it re-sends a stored signal, collects the result of a hook that
 * kept running, and never runs a hook twice.
 */
import { AgentApiClient, AgentHttpError } from './api-client.js';
import type { AgentConfig } from './config.js';
import { coerceStringInputs, deploymentIdOf, resolveComponent, type DeploymentConfig } from './deployment.js';
import { resumeHook, startHook, type HookResult } from './hook-process.js';
import { failureSignal, planHook } from './hooks.js';
import { KubeletHook, type KubeletSettings } from './hooks/kubelet.js';
import { agentLogger, type AgentLogger } from './log.js';
import { deliverSignal, DEFAULT_RETRY, signalTarget, type RetryPolicy } from './notify.js';
import { ProgressReporter, type ProgressTiming } from './progress.js';
import { customSignal, scriptSignal, trimSignal } from './signal-data.js';
import { AgentState, type RunRecord } from './state.js';
import { StatsRefresher } from './stats-refresh.js';

/** Options of an {@link Agent}. */
export interface AgentOptions {
  /** Markers, signals, scripts and hook output. */
  readonly stateDir: string;
  /** Custom hooks: an executable per group name. */
  readonly hooksDir?: string;
  /** @default a pino logger at `info` on stdout */
  readonly logger?: AgentLogger;
  /** How long the server may hold a poll (at most 60). @default 55 */
  readonly waitSeconds?: number;
  /** Signal delivery retries. */
  readonly retry?: Partial<RetryPolicy>;
  /** Progress batching and heartbeats. */
  readonly progress?: Partial<ProgressTiming>;
  /** The kubelet hook's Docker, images and host settings. */
  readonly kubelet?: KubeletSettings;
}

/** Resolves after `ms`, or at once when `stop` aborts. */
function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (stop.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
    stop.addEventListener('abort', done, { once: true });
  });
}

/** One host's agent. */
export class Agent {
  readonly #config: AgentConfig;
  readonly #client: AgentApiClient;
  readonly #state: AgentState;
  readonly #hooksDir: string | undefined;
  readonly #log: AgentLogger;
  readonly #wait: number;
  readonly #retry: RetryPolicy;
  readonly #progress: Partial<ProgressTiming>;
  readonly #kubelet: KubeletHook;
  readonly #stats: StatsRefresher;
  /** The deployments of the last answer applied. */
  #current: readonly DeploymentConfig[] = [];
  #pendingSignals = false;
  /** The deployments version applied last (undefined before the first poll). */
  version: string | undefined;

  constructor(config: AgentConfig, options: AgentOptions) {
    this.#config = config;
    this.#client = new AgentApiClient(config);
    this.#state = new AgentState(options.stateDir);
    this.#hooksDir = options.hooksDir;
    this.#log = options.logger ?? agentLogger('info', { server_id: config.serverId });
    this.#wait = Math.max(1, Math.min(60, options.waitSeconds ?? 55));
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#progress = options.progress ?? {};
    const kubelet = {
      ...options.kubelet,
      ...(config.pods === 'host' ? { hostPods: this.#client } : {}),
    };
    this.#kubelet = new KubeletHook(options.stateDir, config.serverId, kubelet, this.#log);
    this.#stats = new StatsRefresher(this.#client, this.#kubelet, this.#state, this.#log);
  }

  /** Runs until `stop` aborts: finishes what a previous run left, then polls and applies deployments. */
  async run(stop: AbortSignal): Promise<void> {
    this.#log.info({ endpoint: this.#config.endpoint, state_dir: this.#state.root }, 'agent started');
    await this.recover(stop);
    const resync = setInterval(() => void this.#kubelet.tick(), this.#kubelet.resyncSeconds * 1000);
    stop.addEventListener('abort', () => clearInterval(resync), { once: true });
    if (this.#kubelet.statsSeconds > 0) {
      const stats = setInterval(
        () => void this.#stats.periodic(this.#current),
        this.#kubelet.statsSeconds * 1000,
      );
      stop.addEventListener('abort', () => clearInterval(stats), { once: true });
    }
    let failures = 0;
    while (!stop.aborted) {
      const asked = this.version;
      const started = Date.now();
      let answer;
      try {
        answer = await this.#client.deployments(asked, this.#wait, stop);
        if (failures > 0) this.#log.info('server reachable again');
        failures = 0;
      } catch (err) {
        if (stop.aborted) break;
        const delay = Math.min(
          this.#config.pollingIntervalSeconds * 1000,
          500 * 2 ** Math.min(failures++, 10),
        );
        const status = err instanceof AgentHttpError ? err.status : undefined;
        this.#log.error(
          { status, error: (err as Error).message, retry_ms: delay },
          'cannot read deployments',
        );
        await sleep(Math.round(delay * (0.5 + Math.random())), stop);
        continue;
      }
      if (answer.version !== asked) {
        await this.apply(answer.deployments, stop);
        this.#current = answer.deployments;
        this.version = answer.version;
        await this.#stats.answer(answer.deployments, answer.refresh);
      } else if (Date.now() - started < (this.#wait * 1000) / 2) {
        // The server (or a proxy) did not hold the request: poll at the configured interval instead.
        const splay = Math.random() * Math.min(5000, this.#config.pollingIntervalSeconds * 100);
        await sleep(this.#config.pollingIntervalSeconds * 1000 + splay, stop);
      }
      if (this.#pendingSignals) await this.resendPending(stop);
    }
    this.#log.info('agent stopped');
  }

  /** Finishes the deployments a previous run started: re-sends their signals, collects running hooks. */
  async recover(stop: AbortSignal): Promise<void> {
    for (const id of this.#state.unfinished()) {
      if (stop.aborted) return;
      const c = this.#state.readDeployed(id);
      if (this.#state.readNotify(id)) {
        this.#log.info({ deployment: id }, 're-sending the signal of a deployment finished before a restart');
        await this.#notify(c, stop);
        continue;
      }
      const resumed = resumeHook(this.#state, id, this.#lineSink(c));
      if (resumed) {
        this.#log.info(
          { deployment: id, pid: resumed.record.pid },
          'collecting a hook started before a restart',
        );
        await this.#finishProcess(c, resumed.record.kind, resumed.running.done, stop);
        continue;
      }
      if (c.group === 'kubelet') {
        // Waiting for a pod is idempotent: the manifest directory still says what runs.
        await this.#finish(c, await this.#kubelet.deploy(c, stop), stop);
        continue;
      }
      this.#log.warn({ deployment: id }, 'deployment interrupted before its hook started; not run again');
      await this.#finish(
        c,
        failureSignal(
          `The agent stopped before the hook of deployment ${id} started; it is not run again ` +
            `(remove ${this.#state.deployedPath(id)} on the host to force a run).`,
        ),
        stop,
      );
    }
  }

  /**
   * Applies each deployment not applied yet, in order. Consecutive kubelet deployments are waited for together
   * (their pods were all created by the sync), each signalled as soon as its own pod settles; any other deployment
   * starts only once those before it are done.
   */
  async apply(deployments: readonly DeploymentConfig[], stop: AbortSignal): Promise<void> {
    await this.#kubelet.sync(deployments);
    const podWaits: Promise<void>[] = [];
    for (const raw of deployments) {
      if (stop.aborted) break;
      if (this.#state.isDeployed(raw.id)) continue;
      await this.#deploy(raw, stop, podWaits).catch((err: unknown) => {
        this.#log.error(
          { deployment: raw.id, error: (err as Error).message },
          'deployment could not be applied',
        );
      });
    }
    await Promise.all(podWaits);
  }

  /** Tries again the signals whose delivery gave up. */
  async resendPending(stop: AbortSignal): Promise<void> {
    this.#pendingSignals = false;
    for (const id of this.#state.unfinished()) {
      if (this.#state.readNotify(id)) await this.#notify(this.#state.readDeployed(id), stop);
    }
  }

  /**
   * Applies one deployment. A kubelet deployment's wait is pushed onto `podWaits` and not awaited; any other
   * deployment first waits for those (the order of deployments holds).
   */
  async #deploy(raw: DeploymentConfig, stop: AbortSignal, podWaits: Promise<void>[]): Promise<void> {
    const coerced = coerceStringInputs(raw);
    const c = resolveComponent(coerced) ?? coerced;
    if (!this.#state.markDeployed(c)) return;
    const fields = { deployment: c.id, name: c.name, group: c.group };
    let plan;
    try {
      plan = c.group === 'component' ? undefined : planHook(this.#state, c, this.#hooksDir);
    } catch (err) {
      await Promise.all(podWaits.splice(0));
      return this.#finish(
        c,
        failureSignal(`The hook could not be prepared: ${(err as Error).message}`),
        stop,
      );
    }
    if (plan?.kind === 'kubelet') {
      this.#log.info(fields, 'waiting for the pod of a kubelet deployment');
      const settled = this.#kubelet.deploy(c, stop).then((signal) => this.#finish(c, signal, stop));
      podWaits.push(
        settled.catch((err: unknown) => {
          this.#log.error({ deployment: c.id, error: (err as Error).message }, 'kubelet deployment failed');
        }),
      );
      return;
    }
    await Promise.all(podWaits.splice(0));
    if (!plan) {
      this.#log.warn(fields, 'component has no config for this action');
      const action = c.inputs.find((i) => i.name === 'deploy_action')?.value;
      return this.#finish(
        c,
        failureSignal(`The component has no config for action ${String(action)}.`),
        stop,
      );
    }
    if (plan.kind === 'signal') {
      this.#log.info(fields, 'deployment applied in process');
      return this.#finish(c, plan.signal, stop);
    }
    this.#log.info({ ...fields, hook: plan.command.file }, 'running deployment');
    const sink = this.#lineSink(c);
    const running = startHook(this.#state, c.id, plan.command, sink);
    await this.#finishProcess(c, plan.command.kind, running.done, stop, sink);
  }

  /** A sink for a running hook's stdout lines: progress reports when the deployment id is known. */
  #lineSink(c: DeploymentConfig): ((line: string) => void) & { close?: () => Promise<void> } {
    const deploymentId = deploymentIdOf(c);
    if (!deploymentId) return () => {};
    const reporter = new ProgressReporter(this.#client, deploymentId, this.#log, this.#progress);
    const sink = (line: string) => reporter.line(line);
    return Object.assign(sink, { close: () => reporter.close() });
  }

  async #finishProcess(
    c: DeploymentConfig,
    kind: RunRecord['kind'],
    done: Promise<HookResult>,
    stop: AbortSignal,
    sink?: { close?: () => Promise<void> },
  ): Promise<void> {
    const result = await done;
    await sink?.close?.();
    this.#log.info({ deployment: c.id, status_code: result.statusCode }, 'hook finished');
    const signal =
      kind === 'script' ? scriptSignal(c, this.#state.outputsPath(c.id), result) : customSignal(result);
    await this.#finish(c, signal, stop);
  }

  async #finish(c: DeploymentConfig, signal: Record<string, unknown>, stop: AbortSignal): Promise<void> {
    this.#state.writeNotify(c.id, signal);
    await this.#notify(c, stop);
  }

  /** Delivers the stored signal of `c` (unless delivered already). */
  async #notify(c: DeploymentConfig, stop: AbortSignal): Promise<void> {
    if (this.#state.isNotified(c.id)) return;
    const target = signalTarget(c);
    if ('none' in target) {
      this.#log.info({ deployment: c.id, reason: target.none }, 'no signal to send');
      this.#state.markNotified(c.id, `not sent: ${target.none}`);
      return;
    }
    const body = trimSignal(this.#state.readNotify(c.id) ?? {});
    const outcome = await deliverSignal(this.#client, target, body, this.#log, this.#retry, stop);
    switch (outcome.kind) {
      case 'delivered':
        this.#log.info({ deployment: c.id, status: outcome.status }, 'signal delivered');
        this.#state.markNotified(c.id, `delivered HTTP ${outcome.status}`);
        return;
      case 'refused':
        this.#log.error(
          { deployment: c.id, status: outcome.status, error: outcome.message },
          'signal refused; not sent again',
        );
        this.#state.markNotified(c.id, `refused HTTP ${outcome.status}: ${outcome.message}`);
        return;
      case 'gave-up':
        this.#log.error({ deployment: c.id, error: outcome.message }, 'signal not delivered; will try again');
        this.#pendingSignals = true;
    }
  }
}
