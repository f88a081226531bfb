/**
 * Migration 0004: `audit_records`, one row per audited API call (see `src/api/audit.ts`), portable Kysely schema
 * only. `seq` orders the records (newest first = highest seq) and keeps paging and retention cheap per project.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The audit schema for a dialect. */
export function auditMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const WORD = columns.varchar(16);
  const TIME = columns.varchar(40);
  const TEXT = columns.varchar(2048);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('audit_records')
        .addColumn('seq', columns.serialType, (c) => columns.serialPrimaryKey(c))
        .addColumn('id', ID, (c) => c.notNull().unique())
        .addColumn('time', TIME, (c) => c.notNull())
        .addColumn('project_id', NAME, (c) => c.notNull())
        .addColumn('user_id', NAME, (c) => c.notNull())
        .addColumn('user_name', NAME, (c) => c.notNull())
        .addColumn('method', WORD, (c) => c.notNull())
        .addColumn('route', TEXT, (c) => c.notNull())
        .addColumn('action', NAME)
        .addColumn('target', columns.longText)
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('result', WORD, (c) => c.notNull())
        .addColumn('request_id', NAME, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('audit_records_project_seq')
        .on('audit_records')
        .columns(['project_id', 'seq'])
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('audit_records').execute();
    },
  };
}
