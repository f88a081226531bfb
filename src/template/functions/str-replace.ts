/**
 * `str_replace` and its stricter siblings, and CFN `Fn::Replace`.
 *
 * Placeholders are applied longest first (then in code-point order) by splitting and re-joining, so text that a
 * replacement inserted is never scanned again.
 */
import type { Path } from '../errors.js';
import { IntrinsicFunction, isPlainMap, type ResolveContext } from './function.js';
import { comparePyStrings, pyJsonDumps, pyNumber, pySplit } from './python.js';
import {
  asResolveError,
  locatedError,
  resolveArg,
  resolveError,
  spec,
  type FunctionSpec,
} from './support.js';

/** How a `str_replace` variant treats parameter values. */
export interface ReplaceMode {
  /** ≥ 2015-10-15: maps and lists are JSON-serialised (else only strings, numbers and booleans). */
  readonly json: boolean;
  /** `str_replace_strict`: every placeholder must occur in the template. */
  readonly strict: boolean;
  /** `str_replace_vstrict`: no `null`/empty value. */
  readonly allowEmpty: boolean;
  /** `Fn::Replace`: arguments are `[params, template]`. */
  readonly cfn: boolean;
}

const SYNTAX = (name: string): string =>
  `"${name}" syntax should be ${name}:\n  template: This is var1 template var2\n  params:\n    var1: a\n    var2: string`;

/** A `str_replace`-family call. */
export class Replace extends IntrinsicFunction {
  private readonly params: unknown;
  private readonly template: unknown;

  constructor(
    name: string,
    args: unknown,
    path: Path,
    readonly mode: ReplaceMode,
  ) {
    super(name, args, path);
    if (mode.cfn) {
      if (typeof args === 'string' || isPlainMap(args) || !Array.isArray(args) || args.length !== 2) {
        throw locatedError(
          path,
          `Incorrect arguments to "${name}" should be: {"${name}": [ {"$var1": "foo", "%var2%": "bar"}, "$var1 is %var2%"]}`,
        );
      }
      [this.params, this.template] = args;
    } else {
      if (!isPlainMap(args)) throw locatedError(path, `Arguments to "${name}" must be a map`);
      if (!Object.hasOwn(args, 'params') || !Object.hasOwn(args, 'template')) {
        throw locatedError(path, SYNTAX(name));
      }
      this.params = args.params;
      this.template = args.template;
    }
    if (!isPlainMap(this.params) && !(this.params instanceof IntrinsicFunction)) {
      throw locatedError(path, `"${name}" parameters must be a mapping`);
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const template = resolveArg(this.template, ctx);
    const params = resolveArg(this.params, ctx);
    if (typeof template !== 'string') throw resolveError(`"${this.name}" template must be a string`);
    if (!isPlainMap(params)) throw resolveError(`"${this.name}" params must be a map`);
    const keys = Object.keys(params)
      .sort(comparePyStrings)
      .sort((a, b) => b.length - a.length);
    const values = keys.map((k) => this.replacement(params[k], k));
    const unused = new Set(keys);
    const replace = (text: string, i: number): string => {
      if (i >= keys.length) return text;
      const key = keys[i] as string;
      let pieces: string[];
      try {
        pieces = pySplit(text, key);
      } catch (e) {
        return asResolveError(e);
      }
      if (pieces.length > 1) unused.delete(key);
      return pieces.map((p) => replace(p, i + 1)).join(values[i] as string);
    };
    const result = replace(template, 0);
    if (this.mode.strict && unused.size > 0) {
      const missing = [...unused].sort(comparePyStrings).sort((a, b) => b.length - a.length);
      throw resolveError(`The following params were not found in the template: ${missing.join(',')}`);
    }
    return result;
  }

  private replacement(value: unknown, param: string): string {
    const empty = (): never => {
      throw resolveError(
        `${this.name} has an undefined or empty value for param ${param}, must be a defined non-empty value`,
      );
    };
    if (value === null || value === undefined) return this.mode.allowEmpty ? '' : empty();
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number') text = pyNumber(value);
    else if (typeof value === 'boolean') text = value ? 'True' : 'False';
    else if (this.mode.json && (Array.isArray(value) || isPlainMap(value))) {
      if (!this.mode.allowEmpty && Object.keys(value).length === 0) empty();
      return pyJsonDumps(value, { sortKeys: true });
    } else if (this.mode.json) {
      throw resolveError(`"${this.name}" params must be strings, numbers, list or map.`);
    } else {
      throw resolveError(`"${this.name}" params must be strings or numbers, param ${param} is not valid`);
    }
    if (!this.mode.allowEmpty && text === '') empty();
    return text;
  }
}

const DESCRIPTION = 'A function for performing string substitutions.';

function replaceSpec(mode: ReplaceMode): FunctionSpec {
  return spec(DESCRIPTION, (name, args, path) => new Replace(name, args, path, mode));
}

/** `str_replace` up to 2015-04-30: values must be strings, numbers or booleans. */
export const replacePlainSpec = replaceSpec({ json: false, strict: false, allowEmpty: true, cfn: false });
/** `str_replace` from 2015-10-15: maps/lists JSON-serialised. */
export const replaceJsonSpec = replaceSpec({ json: true, strict: false, allowEmpty: true, cfn: false });
/** `str_replace_strict` (≥ 2017-02-24). */
export const replaceStrictSpec = replaceSpec({ json: true, strict: true, allowEmpty: true, cfn: false });
/** `str_replace_vstrict` (≥ 2017-09-01). */
export const replaceVeryStrictSpec = replaceSpec({ json: true, strict: true, allowEmpty: false, cfn: false });
/** CFN `Fn::Replace: [params, template]` (2013-05-23). */
export const cfnReplaceSpec = replaceSpec({ json: false, strict: false, allowEmpty: true, cfn: true });
