/**
 * `if` (≥ 2016-10-14): a macro choosing between two values by a condition.
 *
 * Only the chosen branch is ever parsed (so the other may hold anything, even invalid references). Branches are
 * parsed lazily, when the condition is known, and cached. From 2021-04-16 `[cond, value]` is allowed: when the
 * condition is false the result is {@link OMIT}, which removes the enclosing map entry or list item.
 */
import { HeatError, type Path } from '../errors.js';
import {
  IntrinsicFunction,
  OMIT,
  referencesIn,
  resolveValue,
  validateValue,
  type ParseContext,
  type ResolveContext,
  type ResourceReference,
  type ValidateContext,
} from './function.js';
import { conditionValue } from './conditions.js';
import { FunctionError, locatedError, resolveArg, type FunctionSpec } from './support.js';

/** An `if` call. `args` keeps the raw (unparsed) arguments. */
export class If extends IntrinsicFunction {
  /** The condition, parsed with the condition functions. */
  readonly condition: unknown;
  private readonly branches: readonly unknown[];
  private readonly parsed = new Map<number, unknown>();

  constructor(
    name: string,
    rawArgs: unknown,
    path: Path,
    private readonly pctx: ParseContext,
    nullable: boolean,
  ) {
    super(name, rawArgs, path);
    const ok = Array.isArray(rawArgs) && (rawArgs.length === 3 || (nullable && rawArgs.length === 2));
    if (!ok) {
      throw locatedError(
        path,
        `Arguments to "${name}" must be of the form: [condition_name, value_if_true, value_if_false]`,
      );
    }
    const [condition, ...branches] = rawArgs as unknown[];
    this.condition = pctx.parseCondition(condition, [...path, 0]);
    this.branches = branches;
  }

  /** Whether the condition holds. */
  test(ctx: ResolveContext): boolean {
    return conditionValue(resolveArg(this.condition, ctx), ctx);
  }

  /** The parsed branch the condition selects, or {@link OMIT} for a false two-argument `if`. */
  chosen(ctx: ResolveContext): unknown {
    return this.branch(this.test(ctx) ? 0 : 1);
  }

  private branch(i: number): unknown {
    if (i >= this.branches.length) return OMIT;
    if (!this.parsed.has(i)) this.parsed.set(i, this.pctx.parse(this.branches[i], [...this.path, i + 1]));
    return this.parsed.get(i);
  }

  resolve(ctx: ResolveContext): unknown {
    const value = this.chosen(ctx);
    return value === OMIT ? OMIT : resolveValue(value, ctx);
  }

  /**
   * Checks the condition (a literal name must be defined). With `ctx.resolver`, validates the chosen branch too;
   * without, branches are not validated (the choice is unknown).
   */
  override validate(ctx: ValidateContext): void {
    validateValue(this.condition, ctx);
    if (typeof this.condition === 'string' && !ctx.hasCondition(this.condition)) {
      throw locatedError(this.path, `Invalid condition "${this.condition}"`);
    }
    if (!ctx.resolver) return;
    let value: unknown;
    try {
      value = this.chosen(ctx.resolver);
    } catch (e) {
      if (e instanceof HeatError && e.path) throw e;
      const detail = e instanceof FunctionError ? e.detail : e instanceof Error ? e.message : String(e);
      throw locatedError(this.path, detail);
    }
    if (value !== OMIT) validateValue(value, ctx);
  }

  /** References of both branches (those that parse), marked `conditional`. */
  override references(): ResourceReference[] {
    const out: ResourceReference[] = [];
    for (let i = 0; i < this.branches.length; i++) {
      let value: unknown;
      try {
        value = this.branch(i);
      } catch {
        continue;
      }
      for (const ref of referencesIn(value)) out.push({ ...ref, conditional: true });
    }
    return out;
  }

  override toJSON(): unknown {
    return { [this.name]: this.args };
  }
}

const DESCRIPTION = 'A function to return corresponding value based on condition evaluation.';

/** `if` with three arguments (2016-10-14 … 2018-08-31) or also two (`nullable`, ≥ 2021-04-16). */
export function ifSpec(nullable: boolean): FunctionSpec {
  return {
    description: DESCRIPTION,
    factory: (name, raw, path, pctx) => new If(name, raw, path, pctx, nullable),
  };
}
