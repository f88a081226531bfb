/**
 * `str_split` (≥ 2015-10-15): splitting a string into a list, optionally picking one item.
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, isPlainMap, type ResolveContext } from './function.js';
import { PyError, pyIndex, pyInt, pySplit, pyTypeName } from './python.js';
import { asResolveError, locatedError, resolveArg, resolveError, spec } from './support.js';

/** `str_split: [delimiter, string, index?]`. */
export class StrSplit extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (typeof args === 'string' || isPlainMap(args)) throw locatedError(path, this.usage());
  }

  private usage(): string {
    return `Incorrect arguments to "${this.name}" should be: "${this.name}" : [ ",", "apples,pears", <index>]`;
  }

  resolve(ctx: ResolveContext): unknown {
    const args = resolveArg(this.args, ctx);
    if (!Array.isArray(args) || args.length < 2) throw resolveError(this.usage());
    const [delim, text, ...rest] = args;
    if (text === null || text === undefined) return null;
    if (typeof text !== 'string') throw resolveError(`'${pyTypeName(text)}' object has no attribute 'split'`);
    let parts: string[];
    try {
      parts = pySplit(text, delim);
    } catch (e) {
      return asResolveError(e);
    }
    if (rest.length === 0) return parts;
    let index: number;
    try {
      index = pyInt(rest[0]);
    } catch (e) {
      if (e instanceof PyError && e.kind === 'ValueError') {
        throw resolveError(
          `Incorrect index to "${this.name}" should be: "${this.name}" : [ ",", "apples,pears", <index>]`,
        );
      }
      return asResolveError(e);
    }
    const picked = pyIndex(parts, index);
    if (!picked.found) {
      throw resolveError(`Incorrect index to "${this.name}" should be between 0 and ${parts.length - 1}`);
    }
    return picked.value;
  }
}

/** `str_split` (≥ 2015-10-15). */
export const strSplitSpec = spec(
  'A function for splitting delimited strings into a list.',
  (name, args, path) => new StrSplit(name, args, path),
);
