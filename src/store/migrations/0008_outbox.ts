/**
 * Migration 0008: `outbox`, the notifications waiting to be published (see `src/store/outbox-writer.ts` and
 * `src/notify/`). A row is written in the same transaction as the event it announces and deleted once the broker
 * confirmed it; `seq` orders the rows, `stack_id` (the event's root stack) groups the rows that must be published
 * in order. Portable Kysely schema only.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The outbox schema for a dialect. */
export function outboxMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const TIME = columns.varchar(40);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('outbox')
        .addColumn('seq', columns.serialType, (c) => columns.serialPrimaryKey(c))
        .addColumn('event_id', ID, (c) => c.notNull())
        .addColumn('stack_id', ID, (c) => c.notNull())
        .addColumn('routing_key', NAME, (c) => c.notNull())
        .addColumn('payload', columns.longText, (c) => c.notNull())
        .addColumn('created_at', TIME, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outbox_stack_seq').on('outbox').columns(['stack_id', 'seq']).execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable('outbox').execute();
    },
  };
}
