/**
 * The condition functions `equals`, `not`, `and`, `or` (conditions section, resource/output `condition`, the
 * condition of `if`), and how a resolved condition value becomes a boolean.
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { pyEqual, pyStr } from './python.js';
import { locatedError, resolveArg, resolveError, spec } from './support.js';

/**
 * Heat's `Conditions.is_enabled`: a boolean is itself, `null` is true, a string names a condition; anything
 * else is `Invalid condition "…"`.
 */
export function conditionValue(value: unknown, ctx: ResolveContext): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return ctx.condition(value);
  throw resolveError(`Invalid condition "${pyStr(value)}"`);
}

/** `equals: [a, b]` — Python equality of the resolved values. */
export class Equals extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!Array.isArray(args) || args.length !== 2) {
      throw locatedError(path, `Arguments to "${name}" must be of the form: [value_1, value_2]`);
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const [a, b] = this.args as unknown[];
    return pyEqual(resolveArg(a, ctx), resolveArg(b, ctx));
  }
}

/** `not: condition`. */
export class Not extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (args === null || args === undefined)
      throw locatedError(path, `Argument to "${name}" must be a condition`);
  }

  resolve(ctx: ResolveContext): unknown {
    return !conditionValue(resolveArg(this.args, ctx), ctx);
  }
}

/** `and`/`or: [c1, c2, …]` (at least two), evaluated left to right with short-circuit. */
export class AndOr extends IntrinsicFunction {
  constructor(
    name: string,
    args: unknown,
    path: Path,
    readonly all: boolean,
  ) {
    super(name, args, path);
    if (!Array.isArray(args)) throw locatedError(path, `Arguments to "${name}" must be a list of conditions`);
    if (args.length < 2)
      throw locatedError(path, `The minimum number of condition arguments to "${name}" is 2.`);
  }

  resolve(ctx: ResolveContext): unknown {
    const items = resolveArg(this.args, ctx) as unknown[];
    return this.all ? items.every((c) => conditionValue(c, ctx)) : items.some((c) => conditionValue(c, ctx));
  }
}

/** `equals`. */
export const equalsSpec = spec(
  'A function for comparing whether two values are equal.',
  (name, args, path) => new Equals(name, args, path),
);
/** `not`. */
export const notSpec = spec(
  'A function that acts as a NOT operator on a condition.',
  (name, args, path) => new Not(name, args, path),
);
/** `and`. */
export const andSpec = spec(
  'A function that acts as an AND operator on conditions.',
  (name, args, path) => new AndOr(name, args, path, true),
);
/** `or`. */
export const orSpec = spec(
  'A function that acts as an OR operator on conditions.',
  (name, args, path) => new AndOr(name, args, path, false),
);
