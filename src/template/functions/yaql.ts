/**
 * `yaql` (≥ 2016-10-14; also a condition function ≥ 2017-09-01): evaluates a yaql expression over `data`.
 */
import { HeatError, type Path } from '../errors.js';
import { parseYaql } from '../yaql/index.js';
import {
  IntrinsicFunction,
  isPlainMap,
  validateValue,
  type ResolveContext,
  type ValidateContext,
} from './function.js';
import { locatedError, resolveArg, resolveError, spec } from './support.js';

const SYNTAX = (name: string): string =>
  `"${name}" syntax should be ${name}:\n  expression: $.data.var1.sum()\n  data:\n    var1: [3, 2, 1]`;

/** `yaql: {expression: str, data: any}`. A literal expression is parsed at validation ("Bad expression …"). */
export class Yaql extends IntrinsicFunction {
  private readonly expression: unknown;
  private readonly data: unknown;

  constructor(name: string, args: unknown, path: Path) {
    super(name, args, path);
    if (!isPlainMap(args)) throw locatedError(path, `Arguments to "${name}" must be a map.`);
    const extra = Object.keys(args).some((k) => k !== 'expression' && k !== 'data');
    if (!Object.hasOwn(args, 'expression') || extra) throw locatedError(path, SYNTAX(name));
    this.expression = args.expression;
    this.data = Object.hasOwn(args, 'data') ? args.data : {};
  }

  override validate(ctx: ValidateContext): void {
    validateValue(this.args, ctx);
    if (this.expression instanceof IntrinsicFunction) return;
    try {
      this.parse(this.expression);
    } catch (e) {
      throw locatedError(this.path, (e as Error).message);
    }
  }

  private parse(expression: unknown): { evaluate(data: unknown): unknown } {
    if (typeof expression !== 'string') {
      throw resolveError(`The "expression" argument to ${this.name} must contain a string.`);
    }
    try {
      return parseYaql(expression);
    } catch (e) {
      throw resolveError(`Bad expression ${(e as Error).message}.`);
    }
  }

  resolve(ctx: ResolveContext): unknown {
    const statement = this.parse(resolveArg(this.expression, ctx));
    const data = resolveArg(this.data, ctx);
    try {
      return statement.evaluate(data);
    } catch (e) {
      if (e instanceof HeatError) throw e;
      throw resolveError(e instanceof Error ? e.message : String(e));
    }
  }
}

/** `yaql`. */
export const yaqlSpec = spec(
  'A function for executing a yaql expression.',
  (name, args, path) => new Yaql(name, args, path),
);
