/**
 * The software config service: Heat's `SoftwareConfigService` over a {@link SoftwareStore} — configs (immutable),
 * deployments (mutable), a server's deployment metadata and deployment signals, all scoped by the caller's
 * project, with Heat's per-project limits (which, as in Heat, do not apply to admins).
 */
import { randomUUID } from 'node:crypto';
import { HeatError } from '../../template/errors.js';
import { checkConfigRequest, type SoftwareConfigRequest } from './config-request.js';
import {
  checkDeploymentRequest,
  checkDeploymentUpdate,
  type SoftwareDeploymentRequest,
  type SoftwareDeploymentUpdateRequest,
} from './deployment-request.js';
import { PROCESS_DEPLOYMENT_CHANGES, type DeploymentChanges } from './deployment-changes.js';
import { describeValue, isMap } from './describe.js';
import {
  configNotFound,
  configReferenced,
  deploymentConfigMissing,
  deploymentNotFound,
  tooManyConfigs,
  tooManyDeployments,
} from './errors.js';
import type { SoftwareConfigRecord, SoftwareDeploymentPatch, SoftwareDeploymentRecord } from './records.js';
import { PROCESS_REFRESH_REQUESTS, type RefreshRequest, type RefreshRequests } from './refresh-requests.js';
import { signalOutcome } from './signal.js';
import type { SoftwareStore } from './store.js';

/** Who asks: the project acted in, and whether the caller is an admin (Heat's `context.is_admin`). */
export interface SoftwareCaller {
  readonly projectId: string;
  readonly admin: boolean;
}

/** Heat's per-project limits; -1 = unlimited. */
export interface SoftwareLimits {
  /** `max_software_configs_per_tenant`. */
  readonly maxConfigsPerProject: number;
  /** `max_software_deployments_per_tenant`. */
  readonly maxDeploymentsPerProject: number;
}

/** Heat's defaults: 4096 of each per project. */
export const DEFAULT_SOFTWARE_LIMITS: SoftwareLimits = {
  maxConfigsPerProject: 4096,
  maxDeploymentsPerProject: 4096,
};

/** Options of {@link SoftwareService}. */
export interface SoftwareServiceOptions {
  /** @default {@link DEFAULT_SOFTWARE_LIMITS} */
  readonly limits?: Partial<SoftwareLimits>;
  /** Current time. @default `() => new Date()` */
  readonly clock?: () => Date;
  /** Told of every deployment change (hosts' long-polls wait on it). @default {@link PROCESS_DEPLOYMENT_CHANGES} */
  readonly changes?: DeploymentChanges;
  /** Pending stats refresh requests. @default {@link PROCESS_REFRESH_REQUESTS} */
  readonly refreshes?: RefreshRequests;
}

/** What a host's fresh figures did. */
export interface StatsRefreshOutcome {
  /** False when the config declares no `containers` output (nothing is stored, as for any undeclared output). */
  readonly stored: boolean;
  /** Whether it answered a pending request. */
  readonly settled: boolean;
}

/** Paging of the config list. */
export interface ConfigListOptions {
  readonly limit?: number;
  readonly marker?: string;
  /** Every project's configs (Heat's `global_tenant`, admins only). */
  readonly allProjects?: boolean;
}

/** Software configs and deployments, per project. */
export class SoftwareService {
  readonly limits: SoftwareLimits;
  readonly #store: SoftwareStore;
  readonly #clock: () => Date;
  /** Notified with the server id whenever one of its deployments is created, updated or deleted. */
  readonly changes: DeploymentChanges;
  readonly #refreshes: RefreshRequests;

  constructor(store: SoftwareStore, options: SoftwareServiceOptions = {}) {
    this.#store = store;
    this.changes = options.changes ?? PROCESS_DEPLOYMENT_CHANGES;
    this.#refreshes = options.refreshes ?? PROCESS_REFRESH_REQUESTS;
    this.limits = { ...DEFAULT_SOFTWARE_LIMITS, ...options.limits };
    this.#clock = options.clock ?? (() => new Date());
  }

  /**
   * Creates a config in the caller's project.
   * @throws HeatError RequestLimitExceeded past the project's limit; ValueError/HTTPBadRequest for bad fields.
   */
  async createConfig(caller: SoftwareCaller, req: SoftwareConfigRequest): Promise<SoftwareConfigRecord> {
    const limit = this.limits.maxConfigsPerProject;
    if (!caller.admin && limit >= 0 && (await this.#store.countConfigs(caller.projectId)) >= limit) {
      throw tooManyConfigs(limit);
    }
    const checked = checkConfigRequest(req);
    const record: SoftwareConfigRecord = {
      id: randomUUID(),
      projectId: caller.projectId,
      ...checked,
      createdAt: this.#now(),
    };
    await this.#store.insertConfig(record);
    return record;
  }

  /**
   * The caller's configs, newest first; with `allProjects` every project's (admins only).
   * @throws HeatError Forbidden for `allProjects` by a non-admin.
   */
  async listConfigs(
    caller: SoftwareCaller,
    options: ConfigListOptions = {},
  ): Promise<SoftwareConfigRecord[]> {
    if (options.allProjects && !caller.admin) {
      throw new HeatError('Forbidden', 'You are not authorized to use global_index.');
    }
    return this.#store.listConfigs({
      projectId: options.allProjects ? undefined : caller.projectId,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
      ...(options.marker !== undefined ? { marker: options.marker } : {}),
    });
  }

  /** A config of the caller's project. @throws HeatError NotFound */
  async showConfig(caller: SoftwareCaller, id: string): Promise<SoftwareConfigRecord> {
    const config = await this.#store.getConfig(id, caller.projectId);
    if (!config) throw configNotFound(id);
    return config;
  }

  /** Deletes a config of the caller's project. @throws HeatError NotFound; InvalidRestrictedAction when in use. */
  async deleteConfig(caller: SoftwareCaller, id: string): Promise<void> {
    const outcome = await this.#store.deleteConfig(id, caller.projectId);
    if (outcome === 'missing') throw configNotFound(id);
    if (outcome === 'referenced') throw configReferenced(id);
  }

  /**
   * Creates a deployment of one of the caller's configs to a server.
   * @throws HeatError RequestLimitExceeded; Invalid for an unknown config; Forbidden when a non-admin names
   * another project as `stack_user_project_id`; HTTPBadRequest for bad fields.
   */
  async createDeployment(
    caller: SoftwareCaller,
    req: SoftwareDeploymentRequest,
    options: { id?: string } = {},
  ): Promise<SoftwareDeploymentRecord> {
    const limit = this.limits.maxDeploymentsPerProject;
    if (!caller.admin && limit >= 0 && (await this.#store.countDeployments(caller.projectId)) >= limit) {
      throw tooManyDeployments(limit);
    }
    const checked = checkDeploymentRequest(req);
    const stackUserProject = checked.stackUserProjectId;
    if (stackUserProject !== null && stackUserProject !== caller.projectId && !caller.admin) {
      throw new HeatError(
        'Forbidden',
        `Only an admin may give a deployment another project's stack_user_project_id ` +
          `("${stackUserProject}"): it would let that project read and change the deployment.`,
      );
    }
    if (!(await this.#store.getConfig(checked.configId, caller.projectId))) {
      throw deploymentConfigMissing(checked.configId);
    }
    const record: SoftwareDeploymentRecord = {
      id: options.id ?? randomUUID(),
      projectId: caller.projectId,
      ...checked,
      outputValues: null,
      createdAt: this.#now(),
      updatedAt: null,
    };
    await this.#store.insertDeployment(record);
    this.changes.notify(record.serverId);
    return record;
  }

  /** Deployments visible to the caller, oldest first, optionally of one server. */
  listDeployments(
    caller: SoftwareCaller,
    options: { serverId?: string } = {},
  ): Promise<SoftwareDeploymentRecord[]> {
    return this.#store.listDeployments({
      projectId: caller.projectId,
      ...(options.serverId ? { serverId: options.serverId } : {}),
    });
  }

  /** A deployment visible to the caller. @throws HeatError NotFound */
  async showDeployment(caller: SoftwareCaller, id: string): Promise<SoftwareDeploymentRecord> {
    const deployment = await this.#store.getDeployment(id, caller.projectId);
    if (!deployment) throw deploymentNotFound(id);
    return deployment;
  }

  /**
   * Updates a deployment (status, reason, outputs, inputs, action, config); `updated_time` becomes now (or
   * `updatedAt`). @throws HeatError NotFound; Invalid for an unknown config; HTTPBadRequest for bad fields.
   */
  async updateDeployment(
    caller: SoftwareCaller,
    id: string,
    req: SoftwareDeploymentUpdateRequest,
    options: { updatedAt?: string } = {},
  ): Promise<SoftwareDeploymentRecord> {
    const patch = checkDeploymentUpdate(req);
    const deployment = await this.showDeployment(caller, id);
    return this.#apply(deployment, patch, options.updatedAt);
  }

  /** Deletes a deployment visible to the caller (its config stays). @throws HeatError NotFound */
  async deleteDeployment(caller: SoftwareCaller, id: string): Promise<void> {
    const deployment = await this.showDeployment(caller, id);
    await this.#store.deleteDeployment(id);
    this.changes.notify(deployment.serverId);
  }

  /**
   * A server's deployment metadata: the config of each of its deployments visible to the caller, sorted by config
   * name (stable: equal names keep the deployments' creation order), as Heat's `metadata_software_deployments`.
   * @throws HeatError ValueError when `serverId` is empty.
   */
  async metadata(caller: SoftwareCaller, serverId: string): Promise<SoftwareConfigRecord[]> {
    if (!serverId) throw new HeatError('ValueError', 'server_id must be specified');
    const configs = await this.#store.listServerConfigs(caller.projectId, serverId);
    return configs.sort((a, b) => compareCodePoints(a.name ?? '', b.name ?? ''));
  }

  /**
   * Applies a host's signal to a deployment (see `signal.ts`).
   * @returns Heat's event reason (`deployment <id> succeeded`), or undefined when the deployment was not
   * IN_PROGRESS and nothing changed.
   * @throws HeatError NotFound; ValueError when `details` is not a map.
   */
  async signalDeployment(
    caller: SoftwareCaller,
    id: string,
    details: unknown,
    options: { updatedAt?: string } = {},
  ): Promise<string | undefined> {
    if (details !== undefined && details !== null && !isMap(details)) {
      throw new HeatError('ValueError', `A deployment signal must be a map, got ${describeValue(details)}.`);
    }
    const deployment = await this.showDeployment(caller, id);
    const config = await this.#store.getConfig(deployment.configId, deployment.projectId);
    if (!config) throw configNotFound(deployment.configId);
    const outcome = signalOutcome(deployment, config, details ?? {});
    if (!outcome) return undefined;
    await this.#apply(deployment, outcome.patch, options.updatedAt);
    return outcome.eventReason;
  }

  /**
   * Asks the deployment's host for fresh container figures (a resource signal `{"refresh": "stats"}`): recorded
   * for the host's next poll, which is woken. The deployment's status does not change.
   * @throws HeatError NotFound
   */
  async requestStatsRefresh(caller: SoftwareCaller, id: string): Promise<RefreshRequest> {
    const deployment = await this.showDeployment(caller, id);
    const token = this.#refreshes.request(deployment.serverId, deployment.id);
    this.changes.notify(deployment.serverId);
    return { deployment_id: deployment.id, token, what: 'stats' };
  }

  /** The pending refresh requests of a server's deployments (what its host is asked to re-sample). */
  pendingRefreshes(serverId: string): RefreshRequest[] {
    return this.#refreshes.pending(serverId);
  }

  /**
   * Stores a host's fresh `containers` figures as the deployment's output of that name, without changing its
   * status, and settles the request `token` answers (any pending one when absent).
   * @throws HeatError NotFound; HTTPConflict while the deployment is IN_PROGRESS (its final signal carries them).
   */
  async refreshStats(
    caller: SoftwareCaller,
    id: string,
    containers: Record<string, unknown>,
    token?: string,
  ): Promise<StatsRefreshOutcome> {
    const deployment = await this.showDeployment(caller, id);
    if (deployment.status === 'IN_PROGRESS') {
      throw new HeatError(
        'HTTPConflict',
        `Deployment ${id} is IN_PROGRESS: its figures come with its final signal, not as a refresh.`,
      );
    }
    const settled = this.#refreshes.settle(deployment.serverId, id, token);
    const config = await this.#store.getConfig(deployment.configId, deployment.projectId);
    const stored = config?.outputs.some((o) => o.name === 'containers') ?? false;
    if (stored) {
      await this.#apply(deployment, { outputValues: { ...deployment.outputValues, containers } }, undefined);
    } else if (settled) {
      this.changes.notify(deployment.serverId);
    }
    return { stored, settled };
  }

  /** Stores a patch (a new config must belong to the deployment's project) with its update time. */
  async #apply(
    deployment: SoftwareDeploymentRecord,
    patch: SoftwareDeploymentPatch,
    updatedAt: string | undefined,
  ): Promise<SoftwareDeploymentRecord> {
    if (
      patch.configId !== undefined &&
      !(await this.#store.getConfig(patch.configId, deployment.projectId))
    ) {
      throw deploymentConfigMissing(patch.configId);
    }
    const updated = await this.#store.updateDeployment(deployment.id, {
      ...patch,
      updatedAt: updatedAt ?? this.#now(),
    });
    if (!updated) throw deploymentNotFound(deployment.id);
    this.changes.notify(updated.serverId);
    return updated;
  }

  #now(): string {
    return this.#clock().toISOString();
  }
}

/** Python's string order (by code point), which is what Heat's `sorted` uses. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const d = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return left.length - right.length;
}
