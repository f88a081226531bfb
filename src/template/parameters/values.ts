/**
 * Parameter values: choosing each parameter's value (API/environment value, then environment
 * `parameter_defaults`, then the template default), checking it against the type and constraints, and converting
 * it to the typed value functions see — Heat's `Parameters.validate` and `Parameter.value()`.
 */
import { HeatError } from '../errors.js';
import { checkConstraint } from './constraints.js';
import { customConstraintHint, isKnownCustomConstraint } from './custom-constraints.js';
import { pyEquals, strToNum } from './python.js';
import { schemaProblem, type ParameterSchema } from './schema.js';
import { boolFromString, coerceByType, parseCommaDelimitedList, parseJsonParameter } from './types.js';

/** Heat's HOT pseudo parameters (always defined; `OS::stack_name` only once the stack has a name). */
export const PSEUDO_PARAMETERS: readonly string[] = [
  'OS::stack_id',
  'OS::stack_name',
  'OS::region',
  'OS::project_id',
];

/** Where values come from. */
export interface ParameterInput {
  /** API `parameters` (highest precedence). */
  user?: Record<string, unknown>;
  /** Environment `parameters` (merged environment files + request environment). */
  environment?: Record<string, unknown>;
  /** Environment `parameter_defaults` (replace template defaults; unknown names ignored). */
  defaults?: Record<string, unknown>;
}

/** Options of {@link resolveParameterValues}. */
export interface ResolveParameterOptions {
  /**
   * false: do not check values at all (no missing-value, type or constraint errors), as Heat's template-validate
   * without strict validation; unknown parameters and schema problems are still reported. Default true.
   */
  validateValues?: boolean;
  /** Alias of `validateValues` (either set to false disables value checks). */
  requireValues?: boolean;
}

/** A parameter's chosen raw value and where it came from. */
export interface RawParameterValue {
  readonly value: unknown;
  readonly source: 'user' | 'environment' | 'parameter_defaults' | 'default';
}

const present = (v: unknown): boolean => v !== null && v !== undefined;

/**
 * The raw value Heat would use for `schema`: the user value (API `parameters` over environment `parameters`),
 * else the `parameter_defaults` entry, else the template default; undefined when there is none.
 */
export function rawParameterValue(
  schema: ParameterSchema,
  input: ParameterInput,
): RawParameterValue | undefined {
  const name = schema.name;
  const { user = {}, environment = {}, defaults = {} } = input;
  if (Object.hasOwn(user, name)) {
    if (present(user[name])) return { value: user[name], source: 'user' };
  } else if (present(environment[name])) return { value: environment[name], source: 'environment' };
  if (present(defaults[name])) return { value: defaults[name], source: 'parameter_defaults' };
  if (schema.hasDefault) return { value: schema.default, source: 'default' };
  return undefined;
}

/**
 * Checks a raw value against the parameter's type and constraints (`Parameter._validate`).
 * @returns null when valid, else Heat's message without the `Parameter 'x' is invalid: ` prefix
 */
export function parameterValueProblem(schema: ParameterSchema, raw: unknown): string | null {
  let checked: unknown = raw;
  try {
    switch (schema.type) {
      case 'number':
        strToNum(raw);
        break;
      case 'boolean':
        boolFromString(raw);
        break;
      case 'comma_delimited_list':
        checked = parseCommaDelimitedList(raw);
        break;
      case 'json':
        checked = parseJsonParameter(raw);
        break;
      case 'string':
        break;
    }
    for (const c of schema.constraints) {
      const failure = checkConstraint(c, schema.type, checked);
      if (failure !== null) return failure;
    }
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

/**
 * Typed coercion of one value (number from `"5"`, boolean from `'yes'`, comma_delimited_list from `"a,b"` without
 * trimming, json from a JSON string, string via Python's `str()`); constraints are not checked.
 * @throws HeatError StackValidationFailed with Heat's message (`Value must be valid JSON: …`, `Unrecognized value 'maybe', …`)
 */
export function coerceParameterValue(schema: ParameterSchema, value: unknown): unknown {
  try {
    return coerceByType(schema.type, value);
  } catch (e) {
    throw new HeatError('StackValidationFailed', (e as Error).message, { path: schema.path, value });
  }
}

function invalid(schema: ParameterSchema, message: string): HeatError {
  const unknownCustom = schema.constraints.find(
    (c) => c.kind === 'custom_constraint' && !isKnownCustomConstraint(c.name),
  );
  return new HeatError('StackValidationFailed', `Parameter '${schema.name}' is invalid: ${message}`, {
    path: schema.path,
    ...(unknownCustom ? { hint: customConstraintHint() } : {}),
  });
}

/**
 * Computes typed values: API params override env `parameters`, which override env `parameter_defaults`, which
 * override the template default. Unknown user/env `parameters` → UnknownUserParameter (unknown parameter_defaults
 * are ignored); missing → UserParameterMissing; constraint failure → StackValidationFailed
 * `Parameter 'x' is invalid: <msg or constraint description>`; schema problems → InvalidSchemaError.
 * Returns ALL problems, not the first; `values` holds every value that could be computed.
 */
export function resolveParameterValues(
  schemas: ReadonlyMap<string, ParameterSchema>,
  input: ParameterInput,
  opts: ResolveParameterOptions = {},
): { values: Map<string, unknown>; problems: HeatError[] } {
  const validate = opts.validateValues !== false && opts.requireValues !== false;
  const values = new Map<string, unknown>();
  const problems: HeatError[] = [];
  const given = new Set([...Object.keys(input.user ?? {}), ...Object.keys(input.environment ?? {})]);
  for (const name of given) {
    if (!schemas.has(name)) {
      problems.push(
        new HeatError('UnknownUserParameter', `The Parameter (${name}) was not defined in template.`),
      );
    }
  }
  for (const schema of schemas.values()) {
    const schemaIssue = schemaProblem(schema);
    if (schemaIssue) {
      problems.push(
        new HeatError('InvalidSchemaError', schemaIssue.message, { path: [...schema.path, schemaIssue.at] }),
      );
      continue;
    }
    const raw = rawParameterValue(schema, input);
    if (raw === undefined) {
      if (validate) {
        problems.push(
          new HeatError('UserParameterMissing', `The Parameter (${schema.name}) was not provided.`, {
            path: schema.path,
          }),
        );
      }
      continue;
    }
    if (validate) {
      const problem = parameterValueProblem(schema, raw.value);
      if (problem !== null) {
        problems.push(invalid(schema, problem));
        continue;
      }
    }
    try {
      values.set(schema.name, coerceByType(schema.type, raw.value));
    } catch {
      // Only reachable without value validation: the value stays unknown.
    }
  }
  return { values, problems };
}

/**
 * Heat's immutable-parameter check on update: names of parameters marked `immutable` in the new template, present
 * in both stacks, whose value changes. A parameter given in the update request is compared as given (Heat compares
 * the raw request value with the old typed value).
 * @returns the names (empty when none); raise `ImmutableParameterModified` with
 *   `The following parameters are immutable and may not be updated: a, b` when not empty
 */
export function immutableParametersModified(
  oldValues: ReadonlyMap<string, unknown>,
  newSchemas: ReadonlyMap<string, ParameterSchema>,
  newValues: ReadonlyMap<string, unknown>,
  requestParameters: Record<string, unknown> = {},
): string[] {
  const changed: string[] = [];
  for (const [name, schema] of newSchemas) {
    if (!schema.immutable || !oldValues.has(name)) continue;
    const next = Object.hasOwn(requestParameters, name) ? requestParameters[name] : newValues.get(name);
    if (!pyEquals(oldValues.get(name), next)) changed.push(name);
  }
  return changed;
}
