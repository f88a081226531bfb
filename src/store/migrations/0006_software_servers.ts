/**
 * Migration 0006: `software_servers`, the deployed servers (one per OS::Heat::DeployedServer resource) whose host
 * credentials are valid, with the stack and resource each belongs to. Portable Kysely schema only.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The deployed servers schema for a dialect. */
export function softwareServersMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const TIME = columns.varchar(40);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('software_servers')
        .addColumn('id', NAME, (c) => c.primaryKey())
        .addColumn('project_id', NAME, (c) => c.notNull())
        .addColumn('stack_id', ID, (c) => c.notNull())
        .addColumn('resource_name', NAME, (c) => c.notNull())
        .addColumn('created_at', TIME, (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('software_servers').execute();
    },
  };
}
