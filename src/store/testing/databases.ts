/**
 * Real databases for the store's tests: a fresh, randomly named database per store on the PostgreSQL and MariaDB
 * servers of the machine (dropped afterwards), or a temporary SQLite file.
 *
 * Servers: `HEARTH_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`) and
 * `HEARTH_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`); the URL's database is only used to run
 * `CREATE DATABASE`. A server that does not answer is skipped with a loud warning, unless
 * `HEARTH_REQUIRE_DATABASES=1` (CI), where it fails the run instead.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import type { SqlDialectName } from '../dialect.js';
import { temporaryDirectory } from '../fixtures.js';
import { openMysqlStore } from '../mysql.js';
import { openPostgresStore } from '../postgres.js';
import type { SqlStore } from '../sql-store.js';
import { openSqliteStore } from '../sqlite.js';

/** The server URL the tests use for PostgreSQL. */
export const TEST_POSTGRES_URL =
  process.env['HEARTH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The server URL the tests use for MariaDB. */
export const TEST_MYSQL_URL = process.env['HEARTH_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

/** A fresh database of one dialect, empty until a store opens it. */
export interface TestDatabase {
  readonly dialect: SqlDialectName;
  /** The store URL of the database (for `createStore` or `hearth server --db`). */
  readonly url: string;
  /** Drops the database (or removes the file); close every store on it first. */
  drop(): Promise<void>;
}

/** A migrated store on a fresh database. */
export interface TestStore {
  readonly store: SqlStore;
  readonly database: TestDatabase;
  /** Closes the store and drops its database. */
  dispose(): Promise<void>;
}

/** Runs one administrative statement on a server. */
async function adminStatement(dialect: 'postgres' | 'mysql', statement: string): Promise<void> {
  if (dialect === 'postgres') {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
    return;
  }
  const connection = await createConnection({ uri: TEST_MYSQL_URL, connectTimeout: 2000 });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** The server URL with another database name. */
function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a fresh database (a random name `hearth_test_…`) for the dialect. */
export async function createTestDatabase(dialect: SqlDialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = temporaryDirectory();
    return {
      dialect,
      url: `sqlite:${join(dir.path, 'hearth.db')}`,
      drop: async () => dir.remove(),
    };
  }
  const name = `hearth_test_${randomBytes(6).toString('hex')}`;
  await adminStatement(dialect, `CREATE DATABASE ${name}`);
  const serverUrl = dialect === 'postgres' ? TEST_POSTGRES_URL : TEST_MYSQL_URL;
  return {
    dialect,
    url: withDatabase(serverUrl, name),
    drop: () =>
      adminStatement(
        dialect,
        dialect === 'postgres'
          ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`
          : `DROP DATABASE IF EXISTS ${name}`,
      ),
  };
}

/** Opens a migrated store on a fresh database of the dialect. */
export async function openTestStore(dialect: SqlDialectName): Promise<TestStore> {
  const database = await createTestDatabase(dialect);
  try {
    const store = await openDatabase(database);
    return {
      store,
      database,
      async dispose() {
        await store.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** Opens (another) store on an existing test database. */
export function openDatabase(database: TestDatabase): Promise<SqlStore> {
  switch (database.dialect) {
    case 'sqlite':
      return openSqliteStore(database.url.slice('sqlite:'.length));
    case 'postgres':
      return openPostgresStore(database.url);
    case 'mysql':
      return openMysqlStore(database.url);
  }
}

/** Whether the dialect's server answers (SQLite always does). */
async function reachable(dialect: SqlDialectName): Promise<boolean> {
  if (dialect === 'sqlite') return true;
  try {
    await adminStatement(dialect, 'SELECT 1');
    return true;
  } catch (error) {
    const required = process.env['HEARTH_REQUIRE_DATABASES'] === '1';
    const server = dialect === 'postgres' ? 'PostgreSQL (127.0.0.1:5432)' : 'MariaDB (127.0.0.1:3306)';
    const why = error instanceof Error ? error.message : String(error);
    if (required) throw new Error(`${server} is unreachable and HEARTH_REQUIRE_DATABASES=1: ${why}`);
    console.warn(`\n!!! ${server} is unreachable (${why}): its store tests are SKIPPED !!!\n`);
    return false;
  }
}

/** The dialects whose servers answer, probed once per test file: SQLite always, then PostgreSQL and MariaDB. */
export const TEST_DIALECTS: readonly SqlDialectName[] = (
  await Promise.all(
    (['sqlite', 'postgres', 'mysql'] as const).map(async (dialect) =>
      (await reachable(dialect)) ? dialect : undefined,
    ),
  )
).filter((dialect): dialect is SqlDialectName => dialect !== undefined);
