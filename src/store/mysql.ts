/**
 * The MariaDB/MySQL flavour of the store: a `mysql2` connection pool under Kysely's MySQL dialect. Each transaction
 * holds one pooled connection from BEGIN to COMMIT. Text columns use `utf8mb4_bin` (see `dialect.ts`), so names
 * compare case-sensitively as in SQLite.
 */
import { createPool } from 'mysql2';
import { Kysely, MysqlDialect } from 'kysely';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema.js';
import { SqlStore } from './sql-store.js';

/** Options of {@link openMysqlStore}. */
export interface MysqlStoreOptions {
  /** Most connections held at once (default 10). */
  maxConnections?: number;
  /** Give up connecting after this long, in ms (default 5000). */
  connectTimeoutMs?: number;
}

/**
 * Opens the MariaDB/MySQL database of `url` (`mysql://USER:PASSWORD@HOST:PORT/DATABASE`; `mariadb://` is the same)
 * and migrates it to the latest schema. The database must exist.
 */
export async function openMysqlStore(url: string, options: MysqlStoreOptions = {}): Promise<SqlStore> {
  const pool = createPool({
    uri: url.replace(/^mariadb:/i, 'mysql:'),
    connectionLimit: options.maxConnections ?? 10,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    charset: 'utf8mb4_bin',
    // Updates report the rows they matched, not only those they changed: "update of a missing row" relies on it.
    flags: ['FOUND_ROWS'],
    supportBigNumbers: true,
    decimalNumbers: true,
    dateStrings: true,
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  try {
    await migrateToLatest(db, 'mysql');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return new SqlStore(db);
}
