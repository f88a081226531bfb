/**
 * The PostgreSQL flavour of the store: a `pg` connection pool under Kysely's PostgreSQL dialect. Each transaction
 * (each batch of the engine's group commit) holds one pooled connection from BEGIN to COMMIT.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema.js';
import { SqlStore } from './sql-store.js';

/** PostgreSQL's type id of `bigint` (`int8`): the store's autoincrement `seq` and `count(*)`. */
const INT8_OID = 20;

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** Most connections held at once (default 10). */
  maxConnections?: number;
  /** Give up connecting after this long, in ms (default 5000). */
  connectTimeoutMs?: number;
}

/**
 * Opens the PostgreSQL database of `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, libpq-style query
 * options accepted by `pg`) and migrates it to the latest schema. The database must exist.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<SqlStore> {
  const pool = new pg.Pool({
    connectionString: url.replace(/^postgresql:/i, 'postgres:'),
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    // bigint columns hold counters far below 2^53: read them as numbers, like SQLite and MariaDB do.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server is an error event of the pool: without a listener it would crash the
  // process. The next query gets a fresh connection (or fails, and the API answers 503).
  pool.on('error', () => undefined);
  // A connection checked out of the pool has no listener of the pool's: the server ending it between two queries
  // (a restart: 57P01) would crash the process too. Its next query fails instead, and the pool drops it on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db, 'postgres');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqlStore(db);
}
