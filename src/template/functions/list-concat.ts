/**
 * `list_concat` and `list_concat_unique` (≥ 2017-09-01).
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { pyIncludes, pyJsonDumps } from './python.js';
import { resolveArg, resolveError, spec } from './support.js';

/** `list_concat: [l1, l2, …]` (`null` items skipped); `unique` keeps first occurrences (Python equality). */
export class ListConcat extends IntrinsicFunction {
  constructor(
    name: string,
    args: unknown,
    path: Path,
    readonly unique: boolean,
  ) {
    super(name, args, path);
  }

  resolve(ctx: ResolveContext): unknown {
    const args = resolveArg(this.args, ctx);
    if (!Array.isArray(args)) {
      throw resolveError(
        `Incorrect arguments to "${this.name}" should be: "${this.name}" : [ [ <value 1>, <value 2> ], [ <value 3>, <value 4> ] ]`,
      );
    }
    const out: unknown[] = [];
    for (const item of args) {
      if (item === null || item === undefined) continue;
      if (!Array.isArray(item)) {
        throw resolveError(
          `Incorrect arguments: Items to concat must be lists. ${pyJsonDumps(args)} contains an item that is not a list: ${pyJsonDumps(item)}`,
        );
      }
      out.push(...item);
    }
    if (!this.unique) return out;
    const unique: unknown[] = [];
    for (const item of out) if (!pyIncludes(unique, item)) unique.push(item);
    return unique;
  }
}

/** `list_concat`. */
export const listConcatSpec = spec(
  'A function for extending lists.',
  (name, args, path) => new ListConcat(name, args, path, false),
);
/** `list_concat_unique`. */
export const listConcatUniqueSpec = spec(
  'A function for extending lists with unique items.',
  (name, args, path) => new ListConcat(name, args, path, true),
);
