/**
 * What the software configuration resource types do with the software service: Heat's
 * `SoftwareDeployment._handle_action` / `_check_complete` / `_delete_resource`, the DeployedServer registry, host
 * credentials and the `deployments` metadata of servers. The plugins (`src/resources/software/`) map the engine's
 * action context onto these calls; everything a host sees or signals lives in the software service's rows.
 */
import { HeatError } from '../../template/errors.js';
import {
  componentActions,
  derivedConfigRequest,
  type DeploymentSpec,
  type DerivationSource,
  EMPTY_SOURCE,
} from './derived-config.js';
import type { SoftwareConfigRecord, SoftwareDeploymentRecord } from './records.js';
import type { DeployedServerRecord, DeployedServerStore } from './servers.js';
import type { SoftwareCaller, SoftwareService } from './service.js';
import { DeploymentSignalUrls, SIGNAL_URL_LIFETIME_SECONDS } from './signal-urls.js';

/** How often a waiting deployment reads its row when its waiter has no abort signal to wait on changes with. */
export const DEPLOYMENT_POLL_INTERVAL_MS = 200;

/**
 * The safety net of a waiting deployment woken by the change notifier: it reads its row at least this often, so
 * a change the notifier cannot see (made by another process over the same database) is still picked up.
 */
export const DEPLOYMENT_SAFETY_POLL_MS = 1000;

/** Longest stderr tail quoted in a failed deployment's reason. */
export const STDERR_TAIL_CHARS = 500;

/** Issues host credentials (`src/identity/host-credentials.ts`). */
export interface HostCredentialIssuer {
  issue(projectId: string, serverId: string): string;
  parse(token: string): { projectId: string; serverId: string } | undefined;
}

/** Refreshes the resource metadata of a deployed server (wired to the engine by the server). */
export type ServerMetadataRefresher = (server: DeployedServerRecord) => Promise<void>;

/** Records events of a deployment's resource (the deployment id is the resource row's id). */
export type DeploymentEventRecorder = (
  projectId: string,
  deploymentId: string,
  reasons: readonly string[],
) => Promise<unknown>;

/** What the deployer needs. */
export interface SoftwareDeployerDeps {
  readonly service: SoftwareService;
  readonly servers: DeployedServerStore;
  readonly hostCredentials: HostCredentialIssuer;
  readonly signalUrls: DeploymentSignalUrls;
  /** The public base URL (e.g. `http://127.0.0.1:8004`), known once the server listens. */
  readonly publicUrl: () => string;
  /** Current time. @default `() => new Date()` */
  readonly clock?: () => Date;
}

/** The waiting side of an action: the plugin context's abortable sleep and the signal it aborts on. */
export interface Waiter {
  sleep(ms: number): Promise<void>;
  /** Aborts the wait (timeout, cancel); with it, the wait is woken by deployment changes instead of polling. */
  readonly signal?: AbortSignal;
}

/** A deployment action as the plugin asks for it. */
export interface DeploymentAction {
  readonly projectId: string;
  /** The deployment id: the resource row's id. */
  readonly deploymentId: string;
  /** Whether the deployment row exists already (the resource has a physical id). */
  readonly exists: boolean;
  /** The `config` property (a config id), or null. */
  readonly configId: string | null;
  /** The `actions` property. */
  readonly actions: readonly string[];
  readonly spec: Omit<DeploymentSpec, 'signal'>;
  /** The stack's `timeout_mins`: how long a signed signal URL lives (none: {@link SIGNAL_URL_LIFETIME_SECONDS}). */
  readonly stackTimeoutMins?: number | null;
}

/** How long a signed signal URL lives: the stack's timeout, else {@link SIGNAL_URL_LIFETIME_SECONDS}. */
export function signalUrlLifetimeSeconds(stackTimeoutMins: number | null | undefined): number {
  return typeof stackTimeoutMins === 'number' && stackTimeoutMins > 0
    ? Math.ceil(stackTimeoutMins * 60)
    : SIGNAL_URL_LIFETIME_SECONDS;
}

/** What an action did. */
export interface DeploymentActionResult {
  /** False when the action is not one the deployment acts on (nothing was created or changed). */
  readonly acted: boolean;
  /** True when the resource must wait for the host's signal. */
  readonly waits: boolean;
}

/** Software configuration on behalf of the resource plugins. */
export class SoftwareDeployer {
  readonly #deps: SoftwareDeployerDeps;
  #refresh: ServerMetadataRefresher | undefined;
  #events: DeploymentEventRecorder | undefined;

  constructor(deps: SoftwareDeployerDeps) {
    this.#deps = deps;
  }

  /** The software service. */
  get service(): SoftwareService {
    return this.#deps.service;
  }

  /** The signed signal URLs (TEMP_URL_SIGNAL). */
  get signalUrls(): DeploymentSignalUrls {
    return this.#deps.signalUrls;
  }

  /**
   * Applies a signal that came through a signed signal URL (already checked) to its deployment.
   * @returns the deployment afterwards.
   * @throws HeatError NotFound when it no longer exists; HTTPConflict when it is not IN_PROGRESS (no change);
   * ValueError when `details` is not a map.
   */
  async signalByUrl(deploymentId: string, details: unknown): Promise<SoftwareDeploymentRecord> {
    const projectId = await this.#deps.servers.deploymentProject(deploymentId);
    const d = projectId === undefined ? undefined : await this.find(projectId, deploymentId);
    if (!d || projectId === undefined)
      throw new HeatError('NotFound', `Deployment with id ${deploymentId} not found`);
    if (d.status !== 'IN_PROGRESS') {
      throw new HeatError(
        'HTTPConflict',
        `Deployment ${deploymentId} is not waiting for a signal (its status is ${d.status ?? 'None'}: ` +
          `${d.statusReason ?? ''}); the signal was ignored.`,
      );
    }
    const reason = await this.#deps.service.signalDeployment(this.caller(projectId), deploymentId, details);
    if (reason === undefined) {
      throw new HeatError(
        'HTTPConflict',
        `Deployment ${deploymentId} was signalled by another request first; this signal was ignored.`,
      );
    }
    await this.recordEvent(projectId, deploymentId, reason);
    return (await this.find(projectId, deploymentId)) ?? d;
  }

  /** Wires the recording of deployment events (the engine exists after the plugins). */
  bindEvents(recorder: DeploymentEventRecorder): void {
    this.#events = recorder;
  }

  /** Records one event on the deployment's resource (best effort: a signal never fails for want of an event). */
  async recordEvent(projectId: string, deploymentId: string, reason: string): Promise<void> {
    await this.#events?.(projectId, deploymentId, [reason]).catch(() => undefined);
  }

  /** Wires the refresh of server metadata (the engine exists after the plugins). */
  bindServerRefresh(refresh: ServerMetadataRefresher): void {
    this.#refresh = refresh;
  }

  /** The engine's caller for a project (not an admin: Heat's per-project limits apply). */
  caller(projectId: string): SoftwareCaller {
    return { projectId, admin: false };
  }

  /** The config a deployment names (the empty source when it names none). @throws HeatError NotFound */
  async source(projectId: string, configId: string | null): Promise<DerivationSource> {
    if (!configId) return EMPTY_SOURCE;
    return this.#deps.service.showConfig(this.caller(projectId), configId);
  }

  /** The derived config of an existing deployment, or undefined. */
  async currentDerived(projectId: string, deploymentId: string): Promise<SoftwareConfigRecord | undefined> {
    const d = await this.find(projectId, deploymentId);
    if (!d) return undefined;
    return this.#deps.service.showConfig(this.caller(projectId), d.configId).catch(() => undefined);
  }

  /** The deployment with this id, or undefined. */
  async find(projectId: string, deploymentId: string): Promise<SoftwareDeploymentRecord | undefined> {
    return this.#deps.service.showDeployment(this.caller(projectId), deploymentId).catch((e: unknown) => {
      if (e instanceof HeatError && e.type === 'NotFound') return undefined;
      throw e;
    });
  }

  /**
   * The signal target of a deployment for its transport; a signed URL lives `lifetimeSeconds`.
   */
  signalTarget(
    projectId: string,
    deploymentSpec: Omit<DeploymentSpec, 'signal'>,
    deploymentId: string,
    lifetimeSeconds: number = SIGNAL_URL_LIFETIME_SECONDS,
  ) {
    const base = this.#deps.publicUrl().replace(/\/+$/, '');
    switch (deploymentSpec.transport) {
      case 'HEAT_SIGNAL':
        return {
          id:
            `${base}/v1/${encodeURIComponent(projectId)}/agent/${encodeURIComponent(deploymentSpec.serverId)}` +
            `/deployments/${encodeURIComponent(deploymentId)}/signal`,
          verb: 'POST' as const,
        };
      case 'TEMP_URL_SIGNAL': {
        const expires = Math.floor(this.#now().getTime() / 1000) + lifetimeSeconds;
        return { id: this.#deps.signalUrls.url(deploymentId, expires), verb: 'PUT' as const };
      }
      default:
        return undefined;
    }
  }

  /**
   * Heat's `_handle_action`: when the action is one the deployment acts on, stores a new derived config and
   * creates or updates the deployment row (IN_PROGRESS "Deploy data available", or COMPLETE "Not waiting for
   * outputs signal" for NO_SIGNAL), deletes the previous derived config and refreshes the server's metadata.
   */
  async act(request: DeploymentAction): Promise<DeploymentActionResult> {
    const { projectId, deploymentId, spec } = request;
    const source = await this.source(projectId, request.configId);
    const component = componentActions(source);
    const acts = component ? component.has(spec.action) : request.actions.includes(spec.action);
    if (!acts) return { acted: false, waits: false };
    const lifetime = signalUrlLifetimeSeconds(request.stackTimeoutMins);
    const signal = this.signalTarget(projectId, spec, deploymentId, lifetime);
    const derivedReq = derivedConfigRequest(source, { ...spec, ...(signal ? { signal } : {}) });
    const caller = this.caller(projectId);
    const derived = await this.#deps.service.createConfig(caller, derivedReq);
    const noSignal = spec.transport === 'NO_SIGNAL';
    const status = noSignal ? 'COMPLETE' : 'IN_PROGRESS';
    const statusReason = noSignal ? 'Not waiting for outputs signal' : 'Deploy data available';
    const existing = request.exists ? await this.find(projectId, deploymentId) : undefined;
    if (!existing) {
      await this.#deps.service.createDeployment(
        caller,
        {
          config_id: derived.id,
          server_id: spec.serverId,
          input_values: spec.inputValues,
          action: spec.action,
          status,
          status_reason: statusReason,
        },
        { id: deploymentId },
      );
    } else {
      await this.#deps.service.updateDeployment(caller, deploymentId, {
        config_id: derived.id,
        input_values: spec.inputValues,
        action: spec.action,
        status,
        status_reason: statusReason,
      });
      if (existing.configId !== derived.id) await this.#deleteConfig(projectId, existing.configId);
    }
    await this.refreshServer(projectId, spec.serverId);
    return { acted: true, waits: !noSignal };
  }

  /**
   * Heat's `_check_complete`: waits until the deployment leaves IN_PROGRESS and returns its output values. With
   * the waiter's abort signal, the row is read again when the change notifier reports a change of the
   * deployment's server (registered before each read, so none is missed), and at least every
   * {@link DEPLOYMENT_SAFETY_POLL_MS} (the notifier is in-process only); without it, every
   * {@link DEPLOYMENT_POLL_INTERVAL_MS}. A timeout or cancel rejects as the waiter's sleep does.
   * @throws HeatError `Deployment to server failed: <reason>` (with the stderr tail) when it FAILED.
   */
  async waitForSignal(
    projectId: string,
    deploymentId: string,
    waiter: Waiter,
  ): Promise<Record<string, unknown>> {
    const read = () => this.#deps.service.showDeployment(this.caller(projectId), deploymentId);
    const signal = waiter.signal;
    let d = await read();
    if (!signal) {
      while (!isSettled(d)) {
        await waiter.sleep(DEPLOYMENT_POLL_INTERVAL_MS);
        d = await read();
      }
      return settledOutputs(d);
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!isSettled(d)) {
        const changed = this.#deps.service.changes.wait(d.serverId, DEPLOYMENT_SAFETY_POLL_MS, stop.signal);
        d = await read();
        if (isSettled(d)) break;
        await changed;
        if (signal.aborted) {
          await waiter.sleep(0); // rejects with the waiter's own timeout / cancel error
          throw abortedWait(signal);
        }
        d = await read();
      }
      return settledOutputs(d);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }

  /** Heat's `_handle_cancel`: an IN_PROGRESS deployment becomes FAILED "Deployment cancelled.". */
  async cancel(projectId: string, deploymentId: string): Promise<void> {
    const d = await this.find(projectId, deploymentId);
    if (d?.status !== 'IN_PROGRESS') return;
    await this.#deps.service.updateDeployment(this.caller(projectId), deploymentId, {
      status: 'FAILED',
      status_reason: 'Deployment cancelled.',
    });
  }

  /** Heat's `_delete_resource`: deletes the deployment row and its derived config, refreshes the server. */
  async remove(projectId: string, deploymentId: string): Promise<void> {
    const d = await this.find(projectId, deploymentId);
    if (!d) return;
    await this.#deps.service.deleteDeployment(this.caller(projectId), deploymentId).catch(ignoreNotFound);
    await this.#deleteConfig(projectId, d.configId);
    await this.refreshServer(projectId, d.serverId);
  }

  /** Whether a deployed server with this id exists in this project (Heat's `_server_exists`, for ours). */
  async serverExists(projectId: string, serverId: string): Promise<boolean> {
    const s = await this.#deps.servers.getServer(serverId);
    return s?.projectId === projectId;
  }

  /** Registers a deployed server (idempotent). */
  async registerServer(server: Omit<DeployedServerRecord, 'createdAt'>): Promise<void> {
    const existing = await this.#deps.servers.getServer(server.id);
    await this.#deps.servers.putServer({
      ...server,
      createdAt: existing?.createdAt ?? this.#now().toISOString(),
    });
  }

  /** Forgets a deployed server: its host credential stops working. */
  async unregisterServer(serverId: string): Promise<void> {
    await this.#deps.servers.deleteServer(serverId);
  }

  /** The host credential of a server. */
  hostCredential(projectId: string, serverId: string): string {
    return this.#deps.hostCredentials.issue(projectId, serverId);
  }

  /** The agent endpoint of a project: `<public>/v1/<project>`. */
  agentEndpoint(projectId: string): string {
    return `${this.#deps.publicUrl().replace(/\/+$/, '')}/v1/${encodeURIComponent(projectId)}`;
  }

  /**
   * Checks a host credential: its mac, and that its server still exists in its project.
   * @returns the server, or undefined when the credential is not valid (now).
   */
  async verifyHostCredential(token: string): Promise<DeployedServerRecord | undefined> {
    const claims = this.#deps.hostCredentials.parse(token);
    if (!claims) return undefined;
    const server = await this.#deps.servers.getServer(claims.serverId);
    return server?.projectId === claims.projectId ? server : undefined;
  }

  /** The `deployments` metadata of a server: its derived configs sorted by name, as the metadata route shows them. */
  async serverDeployments(projectId: string, serverId: string): Promise<Record<string, unknown>[]> {
    const configs = await this.#deps.service.metadata(this.caller(projectId), serverId);
    return configs.map(formatMetadataConfig);
  }

  /** Refreshes the metadata of server `serverId` when it is one of ours (best effort: never fails the action). */
  async refreshServer(projectId: string, serverId: string): Promise<void> {
    if (!this.#refresh) return;
    const server = await this.#deps.servers.getServer(serverId);
    if (server?.projectId !== projectId) return;
    await this.#refresh(server).catch(() => undefined);
  }

  async #deleteConfig(projectId: string, configId: string): Promise<void> {
    await this.#deps.service.deleteConfig(this.caller(projectId), configId).catch(() => undefined);
  }

  #now(): Date {
    return (this.#deps.clock ?? (() => new Date()))();
  }
}

function ignoreNotFound(e: unknown): void {
  if (e instanceof HeatError && e.type === 'NotFound') return;
  throw e;
}

/** A config as Heat's `format_software_config` renders it (the metadata route's body). */
export function formatMetadataConfig(c: SoftwareConfigRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    group: c.group,
    creation_time: c.createdAt.replace(/\.\d{3}Z$/, 'Z'),
    config: c.config,
    inputs: c.inputs,
    outputs: c.outputs,
    options: c.options,
  };
}

/** The last `max` characters of a text, on a line boundary when one is near. */
export function tail(text: string, max: number = STDERR_TAIL_CHARS): string {
  const trimmed = text.trimEnd();
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(-max);
  const nl = cut.indexOf('\n');
  return nl >= 0 && nl < max / 2 ? cut.slice(nl + 1) : cut;
}

/**
 * Heat's failure of a deployment action: `Deployment to server failed: <status reason>`; Hearth adds the tail of
 * the host's stderr when there is one (the status reason carries the exit code).
 */
export function deploymentFailure(d: SoftwareDeploymentRecord): Error {
  const stderr = d.outputValues?.['deploy_stderr'];
  const suffix = typeof stderr === 'string' && stderr.trim() !== '' ? `; stderr: ${tail(stderr)}` : '';
  const err = new Error(`Deployment to server failed: ${d.statusReason ?? 'None'}${suffix}`);
  err.name = 'Error';
  return err;
}

/** Whether a deployment has left IN_PROGRESS (COMPLETE or FAILED). */
function isSettled(d: SoftwareDeploymentRecord): boolean {
  return d.status === 'COMPLETE' || d.status === 'FAILED';
}

/** The output values of a settled deployment. @throws HeatError when it FAILED */
function settledOutputs(d: SoftwareDeploymentRecord): Record<string, unknown> {
  if (d.status === 'FAILED') throw deploymentFailure(d);
  return d.outputValues ?? {};
}

/** The error of a wait whose signal aborted (as the engine's abortable sleep reports it). */
function abortedWait(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const e = new Error(reason instanceof Error ? reason.message : String(reason ?? 'Operation cancelled'));
  e.name = 'AbortError';
  return e;
}
