/**
 * Deployed servers: the hosts that run Hearth's agent (one per `OS::Heat::DeployedServer` resource). A server's
 * record says which project and which resource it belongs to, so that a host credential can be checked (valid only
 * while its server exists) and the server's resource metadata can be refreshed when its deployments change.
 */

/** One deployed server. */
export interface DeployedServerRecord {
  /** The server id: the DeployedServer's physical id (a UUID), the `server` of its deployments. */
  readonly id: string;
  readonly projectId: string;
  /** The stack holding the DeployedServer resource. */
  readonly stackId: string;
  /** The DeployedServer resource's name in that stack. */
  readonly resourceName: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** The persistence port of deployed servers (SQL in `src/store/software-server-store.ts`). */
export interface DeployedServerStore {
  /** Stores a server, replacing the record with the same id (idempotent for a resumed create). */
  putServer(server: DeployedServerRecord): Promise<void>;
  /** The server with this id, if any. */
  getServer(id: string): Promise<DeployedServerRecord | undefined>;
  /** Deletes a server (no error when absent). */
  deleteServer(id: string): Promise<void>;
  /**
   * The project of a software deployment, whatever project asks (a signed signal URL names no project; its
   * signature is what authorises it).
   */
  deploymentProject(deploymentId: string): Promise<string | undefined>;
}
