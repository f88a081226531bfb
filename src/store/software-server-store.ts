/**
 * {@link DeployedServerStore} over the Hearth schema: the `software_servers` table (migration 0006) and a lookup of
 * a deployment's project in `software_deployments`.
 */
import type { Kysely } from 'kysely';
import type { DeployedServerRecord, DeployedServerStore } from '../engine/software/servers.js';
import type { Database } from './schema.js';

/** Row of `software_servers`. */
export interface SoftwareServersTable {
  id: string;
  project_id: string;
  stack_id: string;
  resource_name: string;
  created_at: string;
}

/** The table as Kysely sees it (a type alias: `withTables` needs an index signature). */
type ServerTables = { software_servers: SoftwareServersTable };

/** Deployed servers in SQL. */
export class SqlDeployedServerStore implements DeployedServerStore {
  readonly #db: Kysely<Database & ServerTables>;

  constructor(db: Kysely<Database>) {
    this.#db = db.withTables<ServerTables>();
  }

  async putServer(server: DeployedServerRecord): Promise<void> {
    const row: SoftwareServersTable = {
      id: server.id,
      project_id: server.projectId,
      stack_id: server.stackId,
      resource_name: server.resourceName,
      created_at: server.createdAt,
    };
    await this.#db.transaction().execute(async (tx) => {
      await tx.deleteFrom('software_servers').where('id', '=', server.id).execute();
      await tx.insertInto('software_servers').values(row).execute();
    });
  }

  async getServer(id: string): Promise<DeployedServerRecord | undefined> {
    const row = await this.#db
      .selectFrom('software_servers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        projectId: row.project_id,
        stackId: row.stack_id,
        resourceName: row.resource_name,
        createdAt: row.created_at,
      }
    );
  }

  async deleteServer(id: string): Promise<void> {
    await this.#db.deleteFrom('software_servers').where('id', '=', id).execute();
  }

  async deploymentProject(deploymentId: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('software_deployments')
      .select('project_id')
      .where('id', '=', deploymentId)
      .executeTakeFirst();
    return row?.project_id;
  }
}
