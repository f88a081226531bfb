/**
 * Readiness of the store: the database answers and its schema carries every migration this build knows.
 */
import { Migrator, sql, type Kysely } from 'kysely';
import { sqlDialectOf } from './dialect.js';
import { storeMigrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** What {@link checkStoreReadiness} found. */
export interface StoreReadiness {
  /** The database answered a query. */
  readonly reachable: boolean;
  /** Migrations this build knows that the database has not run (empty when current). */
  readonly pendingMigrations: readonly string[];
  /** Why the database did not answer (the driver's message; never the URL or a password). */
  readonly error?: string;
}

/** Asks the database for a trivial query and its migration list; never throws. */
export async function checkStoreReadiness(db: Kysely<Database>): Promise<StoreReadiness> {
  try {
    await sql`select 1`.execute(db);
    const migrator = new Migrator({ db, provider: storeMigrationProvider(sqlDialectOf(db)) });
    const migrations = await migrator.getMigrations();
    const pending = migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
    return { reachable: true, pendingMigrations: pending };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reachable: false, pendingMigrations: [], error: message || 'the database did not answer' };
  }
}

/** Live stacks (nested ones included) counted by status. */
export async function countStacksByStatus(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('stacks')
    .select(['status', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('deleted_at', 'is', null)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}
