/**
 * Migration 0002: the `snapshots` table (Heat's stack snapshots), portable Kysely schema only.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The snapshots schema for a dialect. */
export function snapshotsMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const WORD = columns.varchar(32);
  const TIME = columns.varchar(40);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('snapshots')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('stack_id', ID, (c) => c.notNull().references('stacks.id').onDelete('cascade'))
        .addColumn('project_id', NAME, (c) => c.notNull())
        .addColumn('name', NAME)
        .addColumn('status', WORD, (c) => c.notNull())
        .addColumn('status_reason', columns.longText)
        .addColumn('data', columns.longText)
        .addColumn('created_at', TIME, (c) => c.notNull())
        .addColumn('updated_at', TIME)
        .execute();
      await db.schema
        .createIndex('snapshots_stack_created')
        .on('snapshots')
        .columns(['stack_id', 'created_at'])
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('snapshots').execute();
    },
  };
}
