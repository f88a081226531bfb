/**
 * The store package: opens the persistence backend named by a URL and exports the SQL store.
 */
import { openMysqlStore } from './mysql.js';
import { openPostgresStore } from './postgres.js';
import type { SqlStore } from './sql-store.js';
import { openSqliteStore } from './sqlite.js';
import { storeDialectOfUrl } from './store-url.js';

export { SqlStore } from './sql-store.js';
export { openSqliteStore } from './sqlite.js';
export { openPostgresStore } from './postgres.js';
export { openMysqlStore } from './mysql.js';
export { redactStoreUrl, storeDialectOfUrl } from './store-url.js';
export type { Database } from './schema.js';
export type { SqlDialectName } from './dialect.js';
export { sqlDialectOf } from './dialect.js';
export { migrateToLatest, storeMigrations, storeMigrationProvider } from './migrations/index.js';

/**
 * Opens the store a URL names: `sqlite:PATH` (also `sqlite://PATH`, and `sqlite::memory:`) or a bare file path;
 * `postgres://…`/`postgresql://…` (PostgreSQL); `mysql://…`/`mariadb://…` (MariaDB or MySQL). The database is
 * migrated to the latest schema; a PostgreSQL or MariaDB database must already exist.
 */
export async function createStore(url: string): Promise<SqlStore> {
  const dialect = storeDialectOfUrl(url);
  if (dialect === 'postgres') return openPostgresStore(url);
  if (dialect === 'mysql') return openMysqlStore(url);
  if (/^sqlite:/i.test(url)) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error(`store URL '${url}' names no database file`);
    return openSqliteStore(path);
  }
  return openSqliteStore(url);
}
