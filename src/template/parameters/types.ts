/**
 * Parameter types and their value coercions, as Heat's `StringParam`, `NumberParam`, `BooleanParam`,
 * `CommaDelimitedListParam` and `JsonParam` do them.
 */
import { parsePythonJson } from './json-text.js';
import { pyStr, pyTypeName, strToNum } from './python.js';

/** The HOT parameter types. */
export type ParameterType = 'string' | 'number' | 'comma_delimited_list' | 'json' | 'boolean';

/** Every HOT parameter type, in Heat's order. */
export const PARAMETER_TYPES: readonly ParameterType[] = [
  'string',
  'number',
  'comma_delimited_list',
  'json',
  'boolean',
];

/** True if `t` names a HOT parameter type. */
export function isParameterType(t: unknown): t is ParameterType {
  return typeof t === 'string' && (PARAMETER_TYPES as readonly string[]).includes(t);
}

const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];
const ACCEPTABLE_BOOLEANS = [...TRUE_STRINGS, ...FALSE_STRINGS]
  .sort()
  .map((s) => `'${s}'`)
  .join(', ');

/**
 * oslo's `bool_from_string(value, strict=True)`: booleans pass; anything else is `str()`-ed, trimmed and
 * lower-cased, then looked up. @throws Error `Unrecognized value 'maybe', acceptable values are: '0', '1', …`
 */
export function boolFromString(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = pyStr(value);
  const lowered = text.trim().toLowerCase();
  if (TRUE_STRINGS.includes(lowered)) return true;
  if (FALSE_STRINGS.includes(lowered)) return false;
  throw new Error(`Unrecognized value '${text}', acceptable values are: ${ACCEPTABLE_BOOLEANS}`);
}

/**
 * A comma_delimited_list value: a list has its items `str()`-ed; a string is split on `,` without trimming
 * (`""` gives `[]`). @throws Error `Value must be a comma-delimited list string: 'int' object has no attribute 'split'`
 */
export function parseCommaDelimitedList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => pyStr(item));
  if (typeof value === 'string') return value === '' ? [] : value.split(',');
  throw new Error(
    `Value must be a comma-delimited list string: '${pyTypeName(value)}' object has no attribute 'split'`,
  );
}

/**
 * A json value: a string is parsed as JSON (an empty string stays `''`, as in Heat); any other value is taken
 * as is (Heat round-trips it through JSON). @throws Error `Value must be valid JSON: Expecting value: line 1 …`
 */
export function parseJsonParameter(value: unknown): unknown {
  if (typeof value !== 'string') return structuredClone(value);
  if (value === '') return value;
  try {
    return parsePythonJson(value);
  } catch (e) {
    throw new Error(`Value must be valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Converts a raw value (from the API, the environment or the template default) to the type's value, as
 * `Parameter.value()` does: numbers from numeric strings (`"5"` → 5, `"2.5"` → 2.5), booleans from
 * `yes`/`0`/…, strings via Python's `str()`, lists and json parsed.
 * @throws Error with Heat's message (without the `Parameter 'x' is invalid: ` prefix)
 */
export function coerceByType(type: ParameterType, value: unknown): unknown {
  switch (type) {
    case 'string':
      return pyStr(value);
    case 'number':
      return strToNum(value).value;
    case 'boolean':
      return boolFromString(value);
    case 'comma_delimited_list':
      return parseCommaDelimitedList(value);
    case 'json':
      return parseJsonParameter(value);
  }
}
