/**
 * Migration 0003: the identity tables (projects, users, role assignments, tokens, application credentials),
 * portable Kysely schema only. Tokens and secrets are stored hashed; deleting a user, a project or an application
 * credential cascades to what depends on it (so their tokens stop working at once).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectColumns, type SqlDialectName } from '../dialect.js';

/** The identity schema for a dialect (string types per dialect: see `dialect.ts`). */
export function identityMigration(dialect: SqlDialectName): Migration {
  const columns = dialectColumns(dialect);
  const ID = columns.varchar(32);
  const NAME = columns.varchar(255);
  const WORD = columns.varchar(32);
  const TIME = columns.varchar(40);
  const DIGEST = columns.varchar(64);
  const HASH = columns.varchar(255);
  const TEXT = columns.varchar(1024);
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('identity_projects')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('name', NAME, (c) => c.notNull().unique())
        .addColumn('description', TEXT, (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', TIME, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('identity_users')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('name', NAME, (c) => c.notNull().unique())
        .addColumn('password_hash', HASH)
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('default_project_id', ID, (c) => c.references('identity_projects.id').onDelete('set null'))
        .addColumn('description', TEXT, (c) => c.notNull())
        .addColumn('created_at', TIME, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('identity_assignments')
        .addColumn('user_id', ID, (c) => c.notNull().references('identity_users.id').onDelete('cascade'))
        .addColumn('project_id', ID, (c) =>
          c.notNull().references('identity_projects.id').onDelete('cascade'),
        )
        .addColumn('role', WORD, (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_assignments_pk', ['user_id', 'project_id', 'role'])
        .execute();
      await db.schema
        .createIndex('identity_assignments_project')
        .on('identity_assignments')
        .columns(['project_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('identity_app_credentials')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('identity_users.id').onDelete('cascade'))
        .addColumn('project_id', ID, (c) =>
          c.notNull().references('identity_projects.id').onDelete('cascade'),
        )
        .addColumn('name', NAME, (c) => c.notNull())
        .addColumn('description', TEXT, (c) => c.notNull())
        .addColumn('secret_hash', HASH, (c) => c.notNull())
        .addColumn('roles', TEXT, (c) => c.notNull())
        .addColumn('unrestricted', 'integer', (c) => c.notNull())
        .addColumn('expires_at', TIME)
        .addColumn('created_at', TIME, (c) => c.notNull())
        .addUniqueConstraint('identity_app_credentials_user_name', ['user_id', 'name'])
        .execute();
      await db.schema
        .createTable('identity_tokens')
        .addColumn('digest', DIGEST, (c) => c.primaryKey())
        .addColumn('user_id', ID, (c) => c.notNull().references('identity_users.id').onDelete('cascade'))
        .addColumn('project_id', ID, (c) => c.references('identity_projects.id').onDelete('cascade'))
        .addColumn('methods', TEXT, (c) => c.notNull())
        .addColumn('app_credential_id', ID, (c) =>
          c.references('identity_app_credentials.id').onDelete('cascade'),
        )
        .addColumn('audit_ids', TEXT, (c) => c.notNull())
        .addColumn('issued_at', TIME, (c) => c.notNull())
        .addColumn('expires_at', TIME, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('identity_tokens_user')
        .on('identity_tokens')
        .columns(['user_id', 'project_id'])
        .execute();
      await db.schema
        .createIndex('identity_tokens_expiry')
        .on('identity_tokens')
        .column('expires_at')
        .execute();
      await db.schema
        .createIndex('identity_tokens_app_credential')
        .on('identity_tokens')
        .column('app_credential_id')
        .execute();
    },

    async down(db: Kysely<any>): Promise<void> {
      for (const table of [
        'identity_tokens',
        'identity_app_credentials',
        'identity_assignments',
        'identity_users',
        'identity_projects',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
