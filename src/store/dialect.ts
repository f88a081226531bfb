/**
 * The dialect seam: what differs between SQLite, PostgreSQL and MariaDB in Hearth's schema.
 * Only the migrations consult it; queries are written once with Kysely and compiled per dialect by Kysely itself.
 */
import { sql, type ColumnDataType, type ColumnDefinitionBuilder, type Expression } from 'kysely';

/** A column type: one of Kysely's names or raw SQL for a dialect-specific type. */
export type ColumnType = ColumnDataType | Expression<unknown>;

/** SQL dialects the store is shaped for. Only `sqlite` has a driver today. */
export type SqlDialectName = 'sqlite' | 'postgres' | 'mysql';

/** Column types and column tweaks that depend on the dialect. */
export interface DialectColumns {
  /** Type for JSON documents and long texts (templates can reach 512 KiB: MariaDB's TEXT stops at 64 KiB). */
  readonly longText: ColumnType;
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
        serialType: 'integer',
        serialPrimaryKey: (column) => column.primaryKey().autoIncrement(),
      };
    case 'postgres':
      return {
        longText: 'text',
        serialType: 'bigint',
        serialPrimaryKey: (column) => column.primaryKey().generatedByDefaultAsIdentity(),
      };
    case 'mysql':
      return {
        longText: sql`longtext`,
        serialType: 'bigint',
        serialPrimaryKey: (column) => column.primaryKey().autoIncrement(),
      };
  }
}
