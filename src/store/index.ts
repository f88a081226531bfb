/**
 * The store package: opens the persistence backend named by a URL and exports the SQL store.
 */
import { openMysqlStore } from './mysql.js';
import { openPostgresStore } from './postgres.js';
import type { SqlStore } from './sql-store.js';
import { openSqliteStore } from './sqlite.js';
import { storeDialectOfUrl } from './store-url.js';
import type { OutboxOptions } from './outbox-writer.js';

export { SqlStore } from './sql-store.js';
export { openSqliteStore } from './sqlite.js';
export { openPostgresStore } from './postgres.js';
export { openMysqlStore } from './mysql.js';
export { redactStoreUrl, storeDialectOfUrl } from './store-url.js';
export type { Database } from './schema.js';
export type { SqlDialectName } from './dialect.js';
export { sqlDialectOf } from './dialect.js';
export { migrateToLatest, storeMigrations, storeMigrationProvider } from './migrations/index.js';
export { SqlOutbox, type OutboxMessage, type OutboxSink, type DrainResult } from './outbox-queue.js';
export type { OutboxOptions } from './outbox-writer.js';

/** Options of {@link createStore}. */
export interface CreateStoreOptions {
  /** Write every event's notification to the outbox in the event's transaction (see `SqlStore.enableOutbox`). */
  outbox?: boolean | OutboxOptions;
}

/**
 * Opens the store a URL names: `sqlite:PATH` (also `sqlite://PATH`, and `sqlite::memory:`) or a bare file path;
 * `postgres://…`/`postgresql://…` (PostgreSQL); `mysql://…`/`mariadb://…` (MariaDB or MySQL). The database is
 * migrated to the latest schema; a PostgreSQL or MariaDB database must already exist. `options.outbox` turns the
 * notification outbox on.
 */
export async function createStore(url: string, options: CreateStoreOptions = {}): Promise<SqlStore> {
  const store = await openStore(url);
  if (options.outbox) store.enableOutbox(options.outbox === true ? {} : options.outbox);
  return store;
}

async function openStore(url: string): Promise<SqlStore> {
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
