/**
 * Migration 0005: `software_configs` and `software_deployments` (Heat's software configuration rows), portable
 * Kysely schema only. A deployment references its config (no cascade: a config in use cannot be deleted).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The software config schema for a dialect. */
export function softwareConfigMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const PROJECT = columns.varchar(255);
  const STACK_USER_PROJECT = columns.varchar(64);
  const WORD = columns.varchar(32);
  const TIME = columns.varchar(40);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('software_configs')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('project_id', PROJECT, (c) => c.notNull())
        .addColumn('name', NAME)
        .addColumn('group_name', NAME, (c) => c.notNull())
        .addColumn('config', columns.longText, (c) => c.notNull())
        .addColumn('inputs', columns.longText, (c) => c.notNull())
        .addColumn('outputs', columns.longText, (c) => c.notNull())
        .addColumn('options', columns.longText)
        .addColumn('created_at', TIME, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('software_configs_project_created')
        .on('software_configs')
        .columns(['project_id', 'created_at', 'id'])
        .execute();

      await db.schema
        .createTable('software_deployments')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('project_id', PROJECT, (c) => c.notNull())
        .addColumn('config_id', ID, (c) => c.notNull().references('software_configs.id'))
        .addColumn('server_id', NAME, (c) => c.notNull())
        .addColumn('input_values', columns.longText)
        .addColumn('output_values', columns.longText)
        .addColumn('action', NAME)
        .addColumn('status', WORD)
        .addColumn('status_reason', columns.longText)
        .addColumn('created_at', TIME, (c) => c.notNull())
        .addColumn('updated_at', TIME)
        .addColumn('stack_user_project_id', STACK_USER_PROJECT)
        .execute();
      await db.schema
        .createIndex('software_deployments_project_server')
        .on('software_deployments')
        .columns(['project_id', 'server_id'])
        .execute();
      await db.schema
        .createIndex('software_deployments_stack_user_project')
        .on('software_deployments')
        .columns(['stack_user_project_id', 'server_id'])
        .execute();
      await db.schema
        .createIndex('software_deployments_config')
        .on('software_deployments')
        .column('config_id')
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('software_deployments').execute();
      await db.schema.dropTable('software_configs').execute();
    },
  };
}
