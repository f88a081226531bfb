/**
 * Evaluating conditions from parameter values (Heat's `heat.engine.conditions.Conditions`): named conditions are
 * resolved lazily and once, a cycle is reported as `Circular definition for condition "a"`, a definition that does
 * not resolve to a boolean as `The definition of condition "c" is invalid: …`, and an unknown name as
 * `Invalid condition "x"` (the caller adds the path of the `condition` key that named it).
 */
import { HeatError, heatPathMessage, type Path } from './errors.js';
import { resolveValue, type ResolveContext } from './functions/function.js';
import { CONDITION_ERROR } from './sections/conditions-section.js';
import { conditionHint } from './sections/resources.js';
import { locateProblem } from './sections/positions.js';
import { pythonStr } from './sections/python.js';
import type { Template } from './template.js';

/** `Invalid condition "x"`: a name that the conditions section does not define. Located by the caller. */
export class InvalidConditionError extends HeatError {
  constructor(name: unknown, defined: ReadonlySet<string>) {
    super('StackValidationFailed', `Invalid condition "${pythonStr(name)}"`, {
      hint: conditionHint(defined),
    });
    this.name = 'InvalidConditionError';
  }
}

const IN_PROGRESS = Symbol('in-progress');

/** Resolves the conditions of one template against one set of parameter values. */
export class ConditionResolver {
  private readonly resolved = new Map<string, boolean | typeof IN_PROGRESS>();
  private readonly names: ReadonlySet<string>;
  /** `ctx` with `condition(name)` answered by this resolver: use it to resolve anything that may contain `if`. */
  readonly context: ResolveContext;

  constructor(
    private readonly template: Template,
    ctx: ResolveContext,
  ) {
    this.names = new Set(template.conditions.keys());
    this.context = withConditions(ctx, (name) => this.isEnabled(name));
  }

  /**
   * Heat's `is_enabled`: `undefined`/`null` → true; a boolean → itself; a defined name → its value.
   * @throws InvalidConditionError for anything else; HeatError `Condition validation error: : …` for a cycle or a
   *   definition that is not a boolean.
   */
  isEnabled(condition: unknown): boolean {
    if (condition === undefined || condition === null) return true;
    if (typeof condition === 'boolean') return condition;
    if (typeof condition !== 'string' || !this.names.has(condition)) {
      throw new InvalidConditionError(condition, this.names);
    }
    const known = this.resolved.get(condition);
    if (known === IN_PROGRESS) {
      throw new HeatError(
        'StackValidationFailed',
        `${CONDITION_ERROR}: : Circular definition for condition "${condition}"`,
        {
          path: ['conditions', condition],
          hint: 'conditions may not refer to themselves, directly or through others',
        },
      );
    }
    if (known !== undefined) return known;
    this.resolved.set(condition, IN_PROGRESS);
    try {
      const value = resolveValue(this.template.conditions.get(condition), this.context);
      if (typeof value !== 'boolean') {
        throw new HeatError(
          'StackValidationFailed',
          `${CONDITION_ERROR}: : The definition of condition "${condition}" is invalid: ${pythonStr(value)}`,
          {
            path: ['conditions', condition],
            hint: 'a condition must resolve to true or false (get_param works only with a boolean parameter)',
          },
        );
      }
      this.resolved.set(condition, value);
      return value;
    } catch (e) {
      this.resolved.delete(condition);
      throw e;
    }
  }

  /**
   * Evaluates a resource's or output's `condition` value (a name, a boolean or an inline expression) found at
   * `path`; an unknown name is reported at `path` in Heat's `<path>: : Invalid condition "x"` layout.
   */
  evaluateAt(condition: unknown, path: Path): boolean {
    try {
      return this.isEnabled(resolveValue(condition, this.context));
    } catch (e) {
      if (e instanceof InvalidConditionError) {
        throw new HeatError('StackValidationFailed', heatPathMessage(path, e.message), {
          path,
          hint: e.hint,
        });
      }
      throw e;
    }
  }

  /** Every condition of the template, evaluated in template order. */
  evaluateAll(): Map<string, boolean> {
    const out = new Map<string, boolean>();
    for (const name of this.names) out.set(name, this.isEnabled(name));
    return out;
  }
}

/**
 * Evaluates every condition of `t` from the parameters `ctx` gives.
 * @throws HeatError (located in the template) for a cycle, a non-boolean definition, an unknown name, or what a
 *   function throws (e.g. `UserParameterMissing`).
 */
export function evaluateConditions(t: Template, ctx: ResolveContext): Map<string, boolean> {
  try {
    return new ConditionResolver(t, ctx).evaluateAll();
  } catch (e) {
    if (e instanceof HeatError) locateProblem(e, t.doc);
    throw e;
  }
}

/** A ResolveContext identical to `ctx` except that `condition(name)` is answered by `condition`. */
export function withConditions(ctx: ResolveContext, condition: (name: string) => boolean): ResolveContext {
  return {
    get identity() {
      return ctx.identity;
    },
    get validating() {
      return ctx.validating;
    },
    parameter: (name) => ctx.parameter(name),
    file: (key) => ctx.file(key),
    resource: (name) => ctx.resource(name),
    condition,
    facade: (kind) => ctx.facade(kind),
  };
}
