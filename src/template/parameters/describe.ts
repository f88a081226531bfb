/**
 * How parameters are shown to users: the `/validate` "Parameters" entries (Heat's `format_validate_parameter`)
 * and the stack-show `parameters` map (Heat's `str(param)`).
 */
import { pyJsonDumps, pyNumberStr, pyStr, strToNum } from './python.js';
import type { ParameterSchema } from './schema.js';
import { coerceByType, type ParameterType } from './types.js';

/** Heat's API names of the parameter types. */
export const API_PARAMETER_TYPES: Readonly<Record<ParameterType, string>> = {
  string: 'String',
  number: 'Number',
  comma_delimited_list: 'CommaDelimitedList',
  json: 'Json',
  boolean: 'Boolean',
};

/** Options of {@link describeParameter}. */
export interface DescribeParameterOptions {
  /** An environment `parameter_defaults` entry: it replaces the template default in `Default`. */
  defaultOverride?: unknown;
}

/** Python truthiness of a JSON-like value. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/**
 * Heat's `/validate` "Parameters" entry: `Type`, `Description` (`''` when none), `NoEcho` (`'true'`/`'false'`),
 * `Label` (the name when none), `Default` (raw, as written; a `parameter_defaults` value replaces it), `Value`
 * (the user value as given, when truthy), `Tags`, then `MinLength`/`MaxLength`, `MinValue`/`MaxValue`,
 * `Step`/`Offset`, `AllowedValues`, `AllowedPattern`, `CustomConstraint`, and `ConstraintDescription` (the
 * constraint descriptions joined by spaces).
 */
export function describeParameter(
  schema: ParameterSchema,
  value?: unknown,
  opts: DescribeParameterOptions = {},
): Record<string, unknown> {
  const res: Record<string, unknown> = {
    Type: API_PARAMETER_TYPES[schema.type],
    Description: schema.description ?? '',
    NoEcho: schema.hidden ? 'true' : 'false',
    Label: schema.label || schema.name,
  };
  const override = opts.defaultOverride;
  if (override !== null && override !== undefined) res['Default'] = override;
  else if (schema.hasDefault) res['Default'] = schema.default;
  if (truthy(value)) res['Value'] = value;
  if (schema.tags.length > 0) res['Tags'] = [...schema.tags];
  const descriptions: string[] = [];
  for (const c of schema.constraints) {
    switch (c.kind) {
      case 'length':
        if (c.min !== undefined) res['MinLength'] = c.min;
        if (c.max !== undefined) res['MaxLength'] = c.max;
        break;
      case 'range':
        if (c.min !== undefined) res['MinValue'] = c.min;
        if (c.max !== undefined) res['MaxValue'] = c.max;
        break;
      case 'modulo':
        res['Step'] = c.step;
        res['Offset'] = c.offset;
        break;
      case 'allowed_values':
        res['AllowedValues'] = [...c.values];
        break;
      case 'allowed_pattern':
        res['AllowedPattern'] = c.pattern;
        break;
      case 'custom_constraint':
        res['CustomConstraint'] = c.name;
        break;
    }
    if (c.description) descriptions.push(c.description);
  }
  if (descriptions.length > 0) res['ConstraintDescription'] = descriptions.join(' ');
  return res;
}

/**
 * The value shown for a parameter in stack show (Heat shows every parameter as a string): `'******'` when hidden;
 * numbers as Python prints them (`"12"`, `"2.5"`; pass the value as given to keep `"5.0"`), booleans as
 * `"True"`/`"False"`, lists joined with `,`, json as Python's `json.dumps`. Accepts the typed value or the raw one.
 */
export function displayParameterValue(schema: ParameterSchema, value: unknown): unknown {
  if (schema.hidden) return '******';
  try {
    switch (schema.type) {
      case 'string':
        return pyStr(value);
      case 'number': {
        const n = strToNum(value);
        return pyNumberStr(n.value, n.isFloat);
      }
      case 'boolean':
        return coerceByType('boolean', value) ? 'True' : 'False';
      case 'comma_delimited_list':
        return (coerceByType('comma_delimited_list', value) as string[]).join(',');
      case 'json':
        return pyJsonDumps(coerceByType('json', value));
    }
  } catch {
    return pyStr(value);
  }
}
