/**
 * How library functions are declared: yaql-style overloads with typed parameters, so that argument
 * matching (and its error messages) behaves like yaql's overload resolution.
 */
import { isInt, isNumber } from '../numbers.js';
import { Scope } from '../scope.js';
import { YRegex } from './regex-value.js';
import { isIterable, LazySeq, MappingRule, YDict } from '../values.js';

/** Parameter types (yaql's yaqltypes / Python types used by the standard library). */
export type ParamType =
  | 'any'
  | 'iterable'
  | 'sequence'
  | 'iterator'
  | 'string'
  | 'number'
  | 'int'
  | 'bool'
  | 'dict'
  | 'lambda'
  | 'mappingRule'
  | 'scope'
  | 'regex';

/** One parameter. `name` is the camelCase name used for `name => value` arguments. */
export interface Param {
  readonly name: string;
  readonly type: ParamType;
  /** May be omitted (then `undefined` is passed). */
  readonly optional?: boolean;
  /** Collects all remaining positional arguments (as an array). */
  readonly rest?: boolean;
  /** Accepts null (for typed parameters; `any` always accepts null). */
  readonly nullable?: boolean;
}

/** A lambda argument: evaluates the argument expression with `$1..$n` (and `$`) bound to the given values. */
export type YaqlLambda = (...args: unknown[]) => unknown;

/** What an implementation can use besides its arguments. */
export interface CallEnvironment {
  /** The scope the call is evaluated in. */
  readonly scope: Scope;
  /** Calls another library function (as yaql's delegates do), e.g. `str` inside `join`. */
  call(name: string, args: readonly unknown[], asMethod?: boolean): unknown;
}

/** One overload of a function. */
export interface Overload {
  /** `method`: only `x.f()`; `function`: only `f(x)`; `both`: yaql "extension method". */
  readonly usage: 'method' | 'function' | 'both';
  /** Parameters; for methods the first is the receiver. */
  readonly params: readonly Param[];
  /** Accepts `name => value` arguments with any name; they arrive as a final extra `Map<string, unknown>` argument. */
  readonly namedRest?: boolean;
  /** The implementation; receives one entry per parameter (rest → array, lambda → {@link YaqlLambda}). */
  run(args: unknown[], env: CallEnvironment): unknown;
}

/** A named function with its overloads. */
export interface FunctionSpec {
  readonly name: string;
  /** `name => value` arguments stay positional {@link MappingRule}s (yaql's `@no_kwargs`, e.g. `dict`). */
  readonly noKwargs?: boolean;
  readonly overloads: readonly Overload[];
  /** One-line description for docs and the unsupported-function message. */
  readonly summary: string;
}

/** Whether a value fits a (non-lazy) parameter type. */
export function fitsType(value: unknown, param: Param): boolean {
  if (value === null) return param.type === 'any' || param.nullable === true;
  switch (param.type) {
    case 'any':
    case 'lambda':
      return true;
    case 'iterable':
      return isIterable(value);
    case 'sequence':
      return Array.isArray(value);
    case 'iterator':
      return value instanceof LazySeq;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return isNumber(value);
    case 'int':
      return isInt(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'dict':
      return value instanceof YDict;
    case 'mappingRule':
      return value instanceof MappingRule;
    case 'scope':
      return value instanceof Scope;
    case 'regex':
      return value instanceof YRegex;
  }
}

/** Shorthand for a parameter. */
export function p(name: string, type: ParamType, extra: Omit<Param, 'name' | 'type'> = {}): Param {
  return { name, type, ...extra };
}

/** Shorthand for an optional parameter. */
export function opt(
  name: string,
  type: ParamType,
  extra: Omit<Param, 'name' | 'type' | 'optional'> = {},
): Param {
  return { name, type, optional: true, ...extra };
}
