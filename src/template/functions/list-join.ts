/**
 * `list_join` (and CFN `Fn::Join`): joining strings with a delimiter.
 * Up to 2015-04-30 one list of strings; from 2015-10-15 several lists, with maps/lists serialised as JSON.
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, type ResolveContext } from './function.js';
import { pyFalsy, pyJsonDumps, pyRepr } from './python.js';
import { locatedError, resolveArg, resolveError, spec } from './support.js';

function mustBeList(value: unknown): boolean {
  return typeof value === 'string' || !Array.isArray(value);
}

/** `list_join: [delim, [s1, s2, …]]` — items must be strings (`null` → `''`). */
export class Join extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!Array.isArray(args) || args.length !== 2) {
      throw locatedError(
        path,
        `Incorrect arguments to "${name}" should be: "${name}" : [ " ", [ "str1", "str2"]]`,
      );
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const [rawDelim, rawStrings] = this.args as unknown[];
    let strings = resolveArg(rawStrings, ctx);
    if (strings === null) strings = [];
    if (mustBeList(strings)) throw resolveError(`"${this.name}" must operate on a list`);
    const delim = resolveArg(rawDelim, ctx);
    if (typeof delim !== 'string') throw resolveError(`"${this.name}" delimiter must be a string`);
    const parts = (strings as unknown[]).map((s) => {
      if (s === null || s === undefined) return '';
      if (typeof s !== 'string')
        throw resolveError(`Items to join must be strings not ${pyRepr(s).slice(0, 200)}`);
      return s;
    });
    return parts.join(delim);
  }
}

/** `list_join: [delim, list1, list2, …]` — maps and lists are JSON-serialised with sorted keys. */
export class JoinMultiple extends IntrinsicFunction {
  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!Array.isArray(args) || args.length < 2) {
      throw locatedError(
        path,
        `Incorrect arguments to "${name}" should be: "${name}" : [ " ", [ "str1", "str2"] ...]`,
      );
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const [rawDelim, ...rawLists] = this.args as unknown[];
    const lists = resolveArg(rawLists, ctx) as unknown[];
    const strings: unknown[] = [];
    for (const list of lists) {
      if (pyFalsy(list)) continue;
      if (mustBeList(list)) throw resolveError(`"${this.name}" must operate on a list`);
      strings.push(...(list as unknown[]));
    }
    const delim = resolveArg(rawDelim, ctx);
    if (typeof delim !== 'string') throw resolveError(`"${this.name}" delimiter must be a string`);
    const parts = strings.map((s) => {
      if (s === null || s === undefined) return '';
      if (typeof s === 'string') return s;
      if (typeof s === 'object') return pyJsonDumps(s, { sortKeys: true });
      throw resolveError(`Items to join must be string, map or list not ${pyRepr(s).slice(0, 200)}`);
    });
    return parts.join(delim);
  }
}

const SINGLE = 'A function for joining strings.';

/** `list_join` up to 2015-04-30, and `Fn::Join`. */
export const joinSpec = spec(SINGLE, (name, args, path) => new Join(name, args, path));

/** `list_join` from 2015-10-15. */
export const joinMultipleSpec = spec(
  'A function for joining one or more lists of strings.',
  (name, args, path) => new JoinMultiple(name, args, path),
);
