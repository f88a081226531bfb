/**
 * The dialect seam: what differs between SQLite, PostgreSQL and MariaDB in Hearth's schema.
 * The migrations consult it for column types; queries are written once with Kysely and compiled per dialect by
 * Kysely itself (the rare statement with no portable form asks {@link sqlDialectOf}).
 */
import { sql, type ColumnDataType, type ColumnDefinitionBuilder, type Expression, type Kysely } from 'kysely';

/** A column type: one of Kysely's names or raw SQL for a dialect-specific type. */
export type ColumnType = ColumnDataType | Expression<unknown>;

/** SQL dialects the store runs on. */
export type SqlDialectName = 'sqlite' | 'postgres' | 'mysql';

/** Column types and column tweaks that depend on the dialect. */
export interface DialectColumns {
  /**
   * Type for JSON documents and long texts (templates can reach 512 KiB: MariaDB's TEXT stops at 64 KiB).
   * Compared byte for byte, like SQLite's default BINARY collation.
   */
  readonly longText: ColumnType;
  /**
   * A bounded string (names, ids, times, statuses) that compares and sorts byte for byte in every dialect, as
   * SQLite's BINARY collation does: `collate "C"` on PostgreSQL, `utf8mb4_bin` on MariaDB (whose default collation
   * is case-insensitive: `'Web'` would equal `'web'`).
   */
  varchar(length: number): ColumnType;
  /** Type of an autoincrement integer primary key. */
  readonly serialType: ColumnType;
  /** Turns a column into an autoincrement primary key. */
  serialPrimaryKey(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
}

/** The column choices of a dialect. */
export function dialectColumns(dialect: SqlDialectName): DialectColumns {
  switch (dialect) {
    case 'sqlite':
      // `integer primary key autoincrement`: a rowid alias that never reuses a value, even after purges.
      return {
        longText: 'text',
        varchar: (length) => `varchar(${length})` as ColumnDataType,
        serialType: 'integer',
        serialPrimaryKey: (column) => column.primaryKey().autoIncrement(),
      };
    case 'postgres':
      return {
        longText: 'text',
        varchar: (length) => sql`varchar(${sql.raw(String(length))}) collate "C"`,
        serialType: 'bigint',
        serialPrimaryKey: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
      };
    case 'mysql':
      return {
        longText: sql`longtext character set utf8mb4 collate utf8mb4_bin`,
        varchar: (length) =>
          sql`varchar(${sql.raw(String(length))}) character set utf8mb4 collate utf8mb4_bin`,
        serialType: 'bigint',
        serialPrimaryKey: (column) => column.primaryKey().autoIncrement(),
      };
  }
}

/**
 * The dialect of an open Kysely instance, read from how it compiles a probe query (public API only): MySQL quotes
 * identifiers with backticks, PostgreSQL numbers its parameters (`$1`), SQLite does neither.
 */
export function sqlDialectOf<DB>(db: Kysely<DB>): SqlDialectName {
  const probe = (db as unknown as Kysely<Record<string, { x: number }>>)
    .selectFrom('probe')
    .where('x', '=', 0)
    .compile().sql;
  if (probe.includes('`')) return 'mysql';
  if (probe.includes('$1')) return 'postgres';
  return 'sqlite';
}
