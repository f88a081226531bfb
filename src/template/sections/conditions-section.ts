/**
 * The `conditions` section: each definition parsed in condition mode and checked to be a boolean or a condition
 * function (Heat's `Conditions.validate`), with Heat's `Condition validation error` messages.
 */
import { HeatError, type Path } from '../errors.js';
import { IntrinsicFunction, isPlainMap, validateValue, type ValidateContext } from '../functions/function.js';
import { asHeatErrors } from './guard.js';
import type { ParseContexts } from './parse-context.js';
import { pythonStr, pythonTypeName } from './python.js';

/** Heat's prefix of condition problems that carry no path. */
export const CONDITION_ERROR = 'Condition validation error';

/** A `StackValidationFailed` in Heat's `<error>: : <message>` layout (a prefixed problem without a path). */
export function prefixedError(prefix: string, message: string, path: Path, hint?: string): HeatError {
  return new HeatError('StackValidationFailed', `${prefix}: : ${message}`, { path, hint });
}

/** What reading the `conditions` section produced. */
export interface ConditionsReading {
  /** Parsed definitions: a boolean or a condition-function tree, in template order. */
  readonly conditions: Map<string, unknown>;
  readonly problems: HeatError[];
}

/**
 * Reads the `conditions` section. Definitions that fail to parse are left out (their problem is reported).
 * @param validateContext used for the functions' static checks (argument counts …)
 */
export function readConditions(
  section: unknown,
  parsers: ParseContexts,
  validateContext: ValidateContext,
): ConditionsReading {
  const conditions = new Map<string, unknown>();
  const problems: HeatError[] = [];
  if (section === null || section === undefined) return { conditions, problems };
  if (!isPlainMap(section)) {
    const message = `Condition definitions must be a map. Found a ${pythonTypeName(section)} instead`;
    problems.push(prefixedError('Conditions validation error', message, ['conditions']));
    return { conditions, problems };
  }
  for (const [name, raw] of Object.entries(section)) {
    const path = ['conditions', name];
    let parsed: unknown;
    try {
      parsed = parsers.condition.parse(raw, path);
    } catch (e) {
      problems.push(...asHeatErrors(e, path));
      continue;
    }
    conditions.set(name, parsed);
  }
  for (const [name, parsed] of conditions) {
    const path = ['conditions', name];
    if (typeof parsed !== 'boolean' && !(parsed instanceof IntrinsicFunction)) {
      const message = `The definition of condition "${name}" is invalid: ${pythonStr(parsed)}`;
      const hint =
        typeof parsed === 'string' && conditions.has(parsed)
          ? `a condition name is only resolved inside and/or/not: write {and: [${parsed}, true]} or repeat its definition`
          : 'a condition must be true, false or a condition function (equals, not, and, or, contains, get_param of a boolean)';
      problems.push(prefixedError(CONDITION_ERROR, message, path, hint));
      continue;
    }
    try {
      validateValue(parsed, validateContext);
    } catch (e) {
      problems.push(...asHeatErrors(e, path));
    }
  }
  return { conditions, problems };
}
