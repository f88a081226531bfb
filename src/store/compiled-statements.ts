/**
 * Reuse of compiled SQL for the statements a batch repeats thousands of times (row updates and deletes).
 *
 * Building and compiling a Kysely query costs several times more than SQLite executing it. The SQL of
 * "update these columns of the row with this id" depends only on the table and the column list, so it is compiled
 * once by Kysely (hence correct for the dialect) and afterwards executed with fresh parameters.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** Most distinct statement shapes remembered (patches touch a handful of column combinations). */
const MAX_SHAPES = 512;

/** A per-database cache of statement texts by shape. */
export class CompiledStatements {
  readonly #sqlByShape = new Map<string, string>();

  /**
   * Executes the statement of `shape` with `parameters`. On the first use `build()` makes the statement with
   * exactly these parameters; its SQL is kept only if Kysely bound them in the given order (so a cached text
   * can be reused with other values of the same shape).
   */
  async execute(
    db: Kysely<Database>,
    shape: string,
    parameters: readonly unknown[],
    build: () => Compilable,
  ): Promise<QueryResult<unknown>> {
    const sql = this.#sqlByShape.get(shape);
    if (sql !== undefined) return db.executeQuery(CompiledQuery.raw(sql, [...parameters]));
    const compiled = build().compile();
    const sameOrder =
      compiled.parameters.length === parameters.length &&
      compiled.parameters.every((value, index) => value === parameters[index]);
    if (sameOrder) {
      if (this.#sqlByShape.size >= MAX_SHAPES) this.#sqlByShape.clear();
      this.#sqlByShape.set(shape, compiled.sql);
    }
    return db.executeQuery(compiled);
  }
}
