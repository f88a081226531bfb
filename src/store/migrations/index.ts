/**
 * The store's migrations, in code (no file-system discovery: they ship inside the bundle) and in order.
 */
import {
  Migrator,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely';
import type { SqlDialectName } from '../dialect.js';
import type { Database } from '../schema.js';
import { initialMigration } from './0001_initial.js';
import { snapshotsMigration } from './0002_snapshots.js';
import { identityMigration } from './0003_identity.js';
import { auditMigration } from './0004_audit.js';
import { softwareConfigMigration } from './0005_software_config.js';
import { softwareServersMigration } from './0006_software_servers.js';
import { engineTasksMigration } from './0007_engine_tasks.js';
import { outboxMigration } from './0008_outbox.js';
import { resourceTasksMigration } from './0009_resource_tasks.js';

/** Every migration by name; names sort in application order. */
export function storeMigrations(dialect: SqlDialectName): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(dialect),
    '0002_snapshots': snapshotsMigration(dialect),
    '0003_identity': identityMigration(dialect),
    '0004_audit': auditMigration(dialect),
    '0005_software_config': softwareConfigMigration(dialect),
    '0006_software_servers': softwareServersMigration(dialect),
    '0007_engine_tasks': engineTasksMigration(dialect),
    '0008_outbox': outboxMigration(dialect),
    '0009_resource_tasks': resourceTasksMigration(dialect),
  };
}

/** A Kysely migration provider over {@link storeMigrations}. */
export function storeMigrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: async () => storeMigrations(dialect) };
}

/** Brings the database schema up to date; throws the first migration error. */
export async function migrateToLatest(
  db: Kysely<Database>,
  dialect: SqlDialectName,
): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: storeMigrationProvider(dialect) });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`store migration ${failed?.migrationName ?? '(setup)'} failed: ${cause}`, {
      cause: result.error,
    });
  }
  return result;
}
