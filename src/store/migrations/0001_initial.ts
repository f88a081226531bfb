/**
 * Migration 0001: stacks, their tags, resources, events and the meta table, with the indexes the queries use.
 * Written with Kysely's schema builder only (no dialect-specific SQL) so PostgreSQL and MariaDB can run it.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The initial schema for a dialect. */
export function initialMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(36);
  const NAME = columns.varchar(255);
  const WORD = columns.varchar(32);
  const TIME = columns.varchar(40);
  const TOKEN = columns.varchar(64);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('stacks')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('name', NAME, (c) => c.notNull())
        .addColumn('project_id', NAME, (c) => c.notNull())
        .addColumn('parent_id', ID)
        .addColumn('owner_resource', NAME)
        .addColumn('root_id', ID, (c) => c.notNull())
        .addColumn('depth', 'integer', (c) => c.notNull())
        .addColumn('action', WORD, (c) => c.notNull())
        .addColumn('status', WORD, (c) => c.notNull())
        .addColumn('status_reason', columns.longText, (c) => c.notNull())
        .addColumn('inputs', columns.longText, (c) => c.notNull())
        .addColumn('previous_inputs', columns.longText)
        .addColumn('disable_rollback', 'integer', (c) => c.notNull())
        .addColumn('timeout_mins', 'integer')
        .addColumn('tags', columns.longText, (c) => c.notNull())
        .addColumn('username', NAME)
        .addColumn('created_at', TIME, (c) => c.notNull())
        .addColumn('updated_at', TIME)
        .addColumn('deleted_at', TIME)
        .addColumn('traversal', TOKEN, (c) => c.notNull())
        .addColumn('deadline', TIME)
        .addColumn('action_data', columns.longText, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('stacks_project_name')
        .on('stacks')
        .columns(['project_id', 'name'])
        .execute();
      await db.schema.createIndex('stacks_parent').on('stacks').column('parent_id').execute();
      await db.schema.createIndex('stacks_status').on('stacks').column('status').execute();

      await db.schema
        .createTable('stack_tags')
        .addColumn('stack_id', ID, (c) => c.notNull().references('stacks.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('tag', NAME, (c) => c.notNull())
        .addPrimaryKeyConstraint('stack_tags_pk', ['stack_id', 'position'])
        .execute();
      await db.schema.createIndex('stack_tags_tag').on('stack_tags').columns(['tag', 'stack_id']).execute();

      await db.schema
        .createTable('resources')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('stack_id', ID, (c) => c.notNull().references('stacks.id').onDelete('cascade'))
        .addColumn('name', NAME, (c) => c.notNull())
        .addColumn('type', NAME, (c) => c.notNull())
        .addColumn('action', WORD, (c) => c.notNull())
        .addColumn('status', WORD, (c) => c.notNull())
        .addColumn('status_reason', columns.longText, (c) => c.notNull())
        .addColumn('physical_id', NAME)
        .addColumn('properties', columns.longText)
        .addColumn('attributes', columns.longText, (c) => c.notNull())
        .addColumn('data', columns.longText, (c) => c.notNull())
        .addColumn('metadata', columns.longText, (c) => c.notNull())
        .addColumn('requires', columns.longText, (c) => c.notNull())
        .addColumn('current', 'integer', (c) => c.notNull())
        .addColumn('replaces', ID)
        .addColumn('created_at', TIME, (c) => c.notNull())
        .addColumn('updated_at', TIME)
        .addColumn('traversal', TOKEN, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('resources_stack').on('resources').column('stack_id').execute();

      await db.schema
        .createTable('events')
        .addColumn('seq', columns.serialType, (c) => columns.serialPrimaryKey(c))
        .addColumn('id', ID, (c) => c.notNull().unique())
        .addColumn('stack_id', ID, (c) => c.notNull())
        .addColumn('root_stack_id', ID, (c) => c.notNull())
        .addColumn('resource_name', NAME, (c) => c.notNull())
        .addColumn('physical_id', NAME)
        .addColumn('resource_type', NAME, (c) => c.notNull())
        .addColumn('action', WORD, (c) => c.notNull())
        .addColumn('status', WORD, (c) => c.notNull())
        .addColumn('reason', columns.longText, (c) => c.notNull())
        .addColumn('properties', columns.longText)
        .addColumn('time', TIME, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_stack_seq').on('events').columns(['stack_id', 'seq']).execute();
      await db.schema.createIndex('events_root_seq').on('events').columns(['root_stack_id', 'seq']).execute();

      await db.schema
        .createTable('hearth_meta')
        .addColumn('key', TOKEN, (c) => c.primaryKey())
        .addColumn('value', columns.longText, (c) => c.notNull())
        .execute();
      await db
        .insertInto('hearth_meta')
        .values({ key: 'schema_created_at', value: new Date().toISOString() })
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      for (const table of ['hearth_meta', 'events', 'resources', 'stack_tags', 'stacks']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
