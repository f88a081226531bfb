/**
 * The persistence port of software configs and deployments. The engine owns this interface; `src/store/`
 * implements it over SQL.
 *
 * Every read is scoped by project: a config belongs to one project; a deployment is visible to its project and to
 * its `stack_user_project_id` (the project of the server's own credentials), as in Heat.
 */
import type { SoftwareConfigRecord, SoftwareDeploymentPatch, SoftwareDeploymentRecord } from './records.js';

/** A page of the config list. */
export interface SoftwareConfigListQuery {
  /** Only this project's configs; undefined lists every project's (admin `global_tenant`). */
  readonly projectId: string | undefined;
  /** At most this many. */
  readonly limit?: number;
  /** Only configs after this one in the order (newest first); an id outside the listed set is ignored. */
  readonly marker?: string;
}

/** Which deployments to list. */
export interface SoftwareDeploymentListQuery {
  /** Deployments of this project or whose `stack_user_project_id` it is. */
  readonly projectId: string;
  /** Only those of this server. */
  readonly serverId?: string;
}

/** What {@link SoftwareStore.deleteConfig} did. */
export type ConfigDeleteOutcome = 'deleted' | 'referenced' | 'missing';

/** Storage of software configs and deployments. */
export interface SoftwareStore {
  /** Stores a new config. */
  insertConfig(config: SoftwareConfigRecord): Promise<void>;
  /** The config with this id if `projectId` owns it. */
  getConfig(id: string, projectId: string): Promise<SoftwareConfigRecord | undefined>;
  /** Configs newest first (creation time, then id, both descending), paged. */
  listConfigs(query: SoftwareConfigListQuery): Promise<SoftwareConfigRecord[]>;
  /** How many configs a project has. */
  countConfigs(projectId: string): Promise<number>;
  /**
   * Deletes the config with this id owned by `projectId`, atomically refusing when a deployment (of any project)
   * uses it.
   */
  deleteConfig(id: string, projectId: string): Promise<ConfigDeleteOutcome>;

  /** Stores a new deployment. */
  insertDeployment(deployment: SoftwareDeploymentRecord): Promise<void>;
  /** The deployment with this id if visible to `projectId`. */
  getDeployment(id: string, projectId: string): Promise<SoftwareDeploymentRecord | undefined>;
  /** Visible deployments, oldest first (creation time, then id). */
  listDeployments(query: SoftwareDeploymentListQuery): Promise<SoftwareDeploymentRecord[]>;
  /** How many deployments are visible to a project. */
  countDeployments(projectId: string): Promise<number>;
  /** Changes a deployment; returns it as stored afterwards, or undefined when it does not exist. */
  updateDeployment(id: string, patch: SoftwareDeploymentPatch): Promise<SoftwareDeploymentRecord | undefined>;
  /** Deletes a deployment (no error when absent). */
  deleteDeployment(id: string): Promise<void>;
  /**
   * The configs of the deployments of `serverId` visible to `projectId`, in the deployments' order (oldest
   * first): the data behind a server's deployment metadata.
   */
  listServerConfigs(projectId: string, serverId: string): Promise<SoftwareConfigRecord[]>;
}
