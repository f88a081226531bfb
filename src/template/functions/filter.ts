/**
 * `filter` (≥ 2017-02-24): a list without the given values.
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { pyFalsy, pyIncludes } from './python.js';
import { locatedError, resolveArg, resolveError, spec } from './support.js';

/** `filter: [values, list]` — removes every item equal to one of `values`. */
export class Filter extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!Array.isArray(args)) throw locatedError(path, `Argument to "${name}" must be a list`);
    if (args.length !== 2) {
      throw locatedError(
        path,
        `"${name}" expected 2 arguments of the form [values, sequence] but got ${args.length} arguments instead`,
      );
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const [rawValues, rawSequence] = this.args as unknown[];
    const sequence = resolveArg(rawSequence, ctx);
    if (pyFalsy(sequence)) return sequence;
    if (!Array.isArray(sequence)) throw resolveError(`"${this.name}" only works with lists`);
    const values = resolveArg(rawValues, ctx);
    if (pyFalsy(values)) return sequence;
    if (!Array.isArray(values)) throw resolveError(`"${this.name}" filters a list of values`);
    return sequence.filter((item) => !pyIncludes(values, item));
  }
}

/** `filter` (≥ 2017-02-24). */
export const filterSpec = spec(
  'A function for filtering out values from lists.',
  (name, args, path) => new Filter(name, args, path),
);
