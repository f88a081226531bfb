/**
 * Migration 0007: the engines' work queue and the registry of running processes.
 *
 * - `engine_tasks`: one row per root stack with an action to run (written by the API in the same transaction as the
 *   stack's new state); an engine owns it while its lease (`lease_until`, epoch ms) is fresh.
 * - `hearth_processes`: every `hearth api` / `hearth engine` / `hearth server` process with its role, version and
 *   task protocol, refreshed by heartbeats (`GET /services`, version-skew checks).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The engine task and process registry schema for a dialect. */
export function engineTasksMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const SHORT = columns.varchar(40);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('engine_tasks')
        .addColumn('stack_id', ID, (c) => c.primaryKey())
        .addColumn('project_id', NAME, (c) => c.notNull())
        .addColumn('action', SHORT, (c) => c.notNull())
        .addColumn('traversal', ID, (c) => c.notNull())
        .addColumn('control', SHORT)
        .addColumn('protocol', 'integer', (c) => c.notNull())
        .addColumn('engine_id', ID)
        .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('engine_tasks_claim')
        .on('engine_tasks')
        .columns(['project_id', 'requested_at'])
        .execute();
      await db.schema.createIndex('engine_tasks_engine').on('engine_tasks').column('engine_id').execute();
      await db.schema
        .createTable('hearth_processes')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('role', SHORT, (c) => c.notNull())
        .addColumn('version', SHORT, (c) => c.notNull())
        .addColumn('protocol', 'integer', (c) => c.notNull())
        .addColumn('host', NAME, (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('hearth_processes').execute();
      await db.schema.dropTable('engine_tasks').execute();
    },
  };
}
