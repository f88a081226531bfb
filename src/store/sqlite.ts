/**
 * The SQLite flavour of the store: better-sqlite3 in WAL mode under Kysely's SQLite dialect.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrateToLatest } from './migrations/index.js';
import type { Database } from './schema.js';
import { SqlStore } from './sql-store.js';

/** How many prepared statements are kept for reuse (queries are few and shapes repeat). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Opens (creating if needed) the SQLite database at `path` with Hearth's pragmas — `journal_mode=WAL`,
 * `synchronous=NORMAL`, `busy_timeout=5000`, `foreign_keys=ON`, and a 64 MiB page cache (big batches touch many
 * index pages) — and migrates it to the latest schema.
 * `:memory:` gives a private in-memory database.
 */
export async function openSqliteStore(path: string): Promise<SqlStore> {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const connection = new BetterSqlite3(path);
  try {
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = NORMAL');
    connection.pragma('busy_timeout = 5000');
    connection.pragma('foreign_keys = ON');
    connection.pragma('cache_size = -8192');
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(connection) }),
    });
    try {
      await migrateToLatest(db, 'sqlite');
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return new SqlStore(db);
  } catch (error) {
    if (connection.open) connection.close();
    throw error;
  }
}

/**
 * Wraps a connection so that preparing the same SQL again reuses the compiled statement (Kysely prepares on every
 * execution; compiling is a large part of a small statement's cost). Safe because execution is synchronous and
 * statements are never iterated concurrently.
 */
function withStatementCache(connection: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => connection.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = connection.prepare(sql) as unknown as SqliteStatement;
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
