/**
 * Migration 0009: `resource_tasks`, the provider calls of distributable resources waiting for, or held by, an
 * engine (see `src/engine/resource-tasks.ts`). One row per resource; removed once the traversal took the outcome.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The resource task schema for a dialect. */
export function resourceTasksMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const SHORT = columns.varchar(40);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('resource_tasks')
        .addColumn('resource_id', ID, (c) => c.primaryKey())
        .addColumn('stack_id', ID, (c) => c.notNull())
        .addColumn('project_id', NAME, (c) => c.notNull())
        .addColumn('action', SHORT, (c) => c.notNull())
        .addColumn('traversal', ID, (c) => c.notNull())
        .addColumn('request', columns.longText, (c) => c.notNull())
        .addColumn('state', SHORT, (c) => c.notNull())
        .addColumn('engine_id', ID)
        .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('result', columns.longText)
        .addColumn('failure', columns.longText)
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('resource_tasks_claim')
        .on('resource_tasks')
        .columns(['project_id', 'requested_at'])
        .execute();
      await db.schema.createIndex('resource_tasks_engine').on('resource_tasks').column('engine_id').execute();
      await db.schema.createIndex('resource_tasks_state').on('resource_tasks').column('state').execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('resource_tasks').execute();
    },
  };
}
