/**
 * The store package: opens the persistence backend named by a URL and exports the SQL store.
 */
import { SqlStore } from './sql-store.js';
import { openSqliteStore } from './sqlite.js';

export { SqlStore } from './sql-store.js';
export { openSqliteStore } from './sqlite.js';
export type { Database } from './schema.js';
export type { SqlDialectName } from './dialect.js';
export { migrateToLatest, storeMigrations, storeMigrationProvider } from './migrations/index.js';

/**
 * Opens the store a URL names: `sqlite:PATH` (also `sqlite://PATH`, and `sqlite::memory:`) or a bare file path.
 * `postgres://`, `postgresql://` and `mysql://`/`mariadb://` are recognised but not available yet.
 */
export async function createStore(url: string): Promise<SqlStore> {
  if (url.trim() === '') throw new Error('store URL is empty (use sqlite:PATH or a file path)');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'mysql' || scheme === 'mariadb') {
    throw new Error('PostgreSQL/MariaDB support arrives with the scale-out work');
  }
  if (scheme === 'sqlite') {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error(`store URL '${url}' names no database file`);
    return openSqliteStore(path);
  }
  if (scheme !== undefined && scheme.length > 1) {
    throw new Error(`unsupported store URL scheme '${scheme}:' (use sqlite:PATH or a file path)`);
  }
  return openSqliteStore(url);
}
