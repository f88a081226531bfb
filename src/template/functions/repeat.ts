/**
 * `repeat` (≥ 2015-04-30): a template repeated for each value (or combination of values) of its loop variables.
 * - `lists` (2015-04-30 … 2016-04-08): `for_each` values must be lists;
 * - `maps` (2016-10-14, 2017-02-24): a map value iterates its keys;
 * - `permutations` (≥ 2017-09-01): `permutations: false` zips equal-length lists instead of the cartesian product.
 */
import type { Path } from '../errors.js';
import {
  IntrinsicFunction,
  isPlainMap,
  validateValue,
  type ResolveContext,
  type ValidateContext,
} from './function.js';
import { pyTypeName } from './python.js';
import { locatedError, putKey, resolveArg, resolveError, spec, type FunctionSpec } from './support.js';

/** Which `repeat` generation. */
export type RepeatMode = 'lists' | 'maps' | 'permutations';

const SYNTAX = `"repeat" syntax should be repeat:\n  template: This is %var%\n  for_each:\n    %var%: ['a', 'b', 'c']`;

/** A `repeat` call. */
export class Repeat extends IntrinsicFunction {
  private readonly forEach: unknown;
  private readonly template: unknown;
  private readonly nested: boolean;

  constructor(
    name: string,
    args: unknown,
    path: Path,
    readonly mode: RepeatMode,
  ) {
    super(name, args, path);
    if (!isPlainMap(args)) throw locatedError(path, `Arguments to "${name}" must be a map`);
    if (!Object.hasOwn(args, 'for_each') || !Object.hasOwn(args, 'template'))
      throw locatedError(path, SYNTAX);
    this.forEach = args.for_each;
    this.template = args.template;
    this.nested = true;
    if (mode === 'permutations' && Object.hasOwn(args, 'permutations')) {
      if (typeof args.permutations !== 'boolean') {
        throw locatedError(path, `"permutations" should be boolean type for ${name} function.`);
      }
      this.nested = args.permutations;
    }
  }

  override validate(ctx: ValidateContext): void {
    validateValue(this.args, ctx);
    if (!(this.forEach instanceof IntrinsicFunction) && !isPlainMap(this.forEach)) {
      throw locatedError(this.path, `The "for_each" argument to "${this.name}" must contain a map`);
    }
  }

  private allowsMaps(): boolean {
    return this.mode === 'maps' || (this.mode === 'permutations' && this.nested);
  }

  resolve(ctx: ResolveContext): unknown {
    const forEach = resolveArg(this.forEach, ctx);
    if (!isPlainMap(forEach)) throw resolveError(`'${pyTypeName(forEach)}' object has no attribute 'items'`);
    const keys = Object.keys(forEach);
    if (keys.length === 0) throw resolveError('not enough values to unpack (expected 2, got 0)');
    const lengths: number[] = [];
    const values = keys.map((k) => {
      const v = forEach[k];
      if (v === null || v === undefined) return [];
      const items = this.items(v);
      lengths.push(items.length);
      return items;
    });
    if (!this.nested && lengths.length > 0 && new Set(lengths).size !== 1) {
      throw resolveError(
        `For ${this.name}, the length of for_each values should be equal if no nested loop.`,
      );
    }
    const template = resolveArg(this.template, ctx);
    const combos = this.nested ? product(values) : zip(values);
    return combos.map((combo) => substitute(template, keys, combo));
  }

  private items(value: unknown): unknown[] {
    if (Array.isArray(value)) return value;
    if (isPlainMap(value) && this.allowsMaps()) return Object.keys(value);
    const what = this.allowsMaps() ? 'lists or maps' : 'lists';
    throw resolveError(`The values of the "for_each" argument to "${this.name}" must be ${what}`);
  }
}

function product(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((item) => [...prefix, item]));
  return out;
}

function zip(lists: unknown[][]): unknown[][] {
  const n = Math.min(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
}

function substitute(template: unknown, keys: readonly string[], values: readonly unknown[]): unknown {
  if (typeof template === 'string') {
    let out = template;
    keys.forEach((key, i) => {
      const value = values[i];
      if (typeof value !== 'string') {
        throw resolveError(`replace() argument 2 must be str, not ${pyTypeName(value)}`);
      }
      out = out.replaceAll(key, () => value);
    });
    return out;
  }
  if (Array.isArray(template)) return template.map((item) => substitute(item, keys, values));
  if (isPlainMap(template)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) {
      putKey(out, substitute(k, keys, values) as string, substitute(v, keys, values));
    }
    return out;
  }
  return template;
}

const LISTS = 'A function for iterating over a list of items.';
const MAPS = 'A function for iterating over a list of items or a dict of keys.';

/** Builds the `repeat` spec of one generation. */
export function repeatSpec(mode: RepeatMode): FunctionSpec {
  return spec(mode === 'lists' ? LISTS : MAPS, (name, args, path) => new Repeat(name, args, path, mode));
}
