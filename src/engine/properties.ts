/**
 * Resource property validation with Heat's semantics (`heat.engine.properties` + `heat.engine.constraints`).
 *
 * Values are coerced per schema type exactly as Heat's `Property.get_value` does (numeric strings to numbers,
 * `'true'`/`'false'` to booleans, ints and booleans to strings with Python's `str()` …), defaults are applied,
 * missing required and unknown properties are reported, constraints are checked, nested map/list schemas are
 * walked. Messages are Heat's bare messages; each problem carries its path
 * (`['resources', <name>, 'properties', <prop>, …]`) so the engine can render
 * `Property error: : resources.<name>.properties.<prop>: : <message>`.
 */
import { HeatError, type Path, type PathSegment } from '../template/errors.js';
import { OMIT } from '../template/functions/function.js';
import { checkCustomConstraint } from '../template/parameters/index.js';
import {
  pyEquals,
  pyJsonDumps,
  pyLen,
  pyRepr,
  pyStr,
  pyTypeName,
  strToNum,
} from '../template/parameters/python.js';
import type { Properties, PropertyConstraint, PropertySchema } from './plugin.js';

/** Options of {@link validateProperties}. */
export interface ValidatePropertiesOptions {
  /** The resource's name (used in problem paths). */
  resourceName: string;
  /** The type accepts any property (OS::Heat::None): values pass through unchecked. */
  anyProperty?: boolean;
  /**
   * True during stack validation: values are partly unknown (`get_attr` gives null), so null values skip
   * constraint checks instead of being checked as their zero value.
   */
  validating: boolean;
}

/** Result of {@link validateProperties}. */
export interface ValidatedProperties {
  /** Every schema property: the coerced value, the default, or null when unset. */
  properties: Properties;
  /** Problems found, in Heat's order (unknown properties first, then schema order). Empty when valid. */
  problems: HeatError[];
}

/**
 * A property schema that may also accept Heat's "allow_conversion" inputs (provider-template facades of `json`
 * and `comma_delimited_list` parameters): a `map` accepts a string (kept) or a list (JSON-encoded), a `list`
 * accepts a comma-delimited string.
 */
export interface ConvertiblePropertySchema extends PropertySchema {
  readonly allowConversion?: boolean;
}

/** A coercion or constraint failure at `path` (relative to the property container). */
class PropertyProblem extends Error {
  constructor(
    message: string,
    readonly path: readonly PathSegment[],
  ) {
    super(message);
  }
}

/** Validates and coerces resolved property values against a schema, Heat style. */
export function validateProperties(
  schema: Readonly<Record<string, PropertySchema>>,
  raw: unknown,
  opts: ValidatePropertiesOptions,
): ValidatedProperties {
  const base: Path = ['resources', opts.resourceName, 'properties'];
  const problems: HeatError[] = [];
  if (raw === null || raw === undefined || raw === OMIT) raw = {};
  if (!isMap(raw)) {
    problems.push(new HeatError('StackValidationFailed', `"${pyStr(raw)}" is not a map`, { path: base }));
    return { properties: {}, problems };
  }
  if (opts.anyProperty) {
    const properties: Properties = {};
    for (const [k, v] of Object.entries(raw)) if (v !== OMIT && v !== undefined) properties[k] = v;
    return { properties, problems };
  }
  const collected: PropertyProblem[] = [];
  const properties = coerceContainer(schema, raw, [], collected, opts.validating);
  for (const p of collected) {
    problems.push(new HeatError('StackValidationFailed', p.message, { path: [...base, ...p.path] }));
  }
  return { properties, problems };
}

/**
 * Names of the top-level properties whose values differ (deep equality; an absent property equals null).
 */
export function diffProperties(a: Properties | null | undefined, b: Properties | null | undefined): string[] {
  const left = a ?? {};
  const right = b ?? {};
  const names = new Set([...Object.keys(left), ...Object.keys(right)]);
  return [...names].filter((n) => !deepEqual(left[n] ?? null, right[n] ?? null));
}

/** Strict JSON-like deep equality (no Python numeric/boolean mixing). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
    );
  }
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
    );
  }
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Heat's `Properties` over one map: unknown keys, then each schema key in order. */
function coerceContainer(
  schema: Readonly<Record<string, PropertySchema>>,
  data: Record<string, unknown>,
  path: readonly PathSegment[],
  problems: PropertyProblem[],
  validating: boolean,
): Properties {
  for (const key of Object.keys(data)) {
    if (!Object.hasOwn(schema, key) && data[key] !== OMIT) {
      problems.push(new PropertyProblem(`Unknown Property ${key}`, path));
    }
  }
  const out: Properties = {};
  for (const [key, propSchema] of Object.entries(schema)) {
    const value = data[key];
    const given = Object.hasOwn(data, key) && value !== undefined && value !== OMIT;
    try {
      if (given) {
        out[key] = coerceValue(propSchema, value, [...path, key], problems, validating);
      } else if (propSchema.default !== undefined && propSchema.default !== null) {
        out[key] = coerceValue(propSchema, null, [...path, key], problems, false);
      } else if (propSchema.required) {
        out[key] = null;
        problems.push(new PropertyProblem(`Property ${key} not assigned`, path));
      } else {
        out[key] = null;
      }
    } catch (e) {
      out[key] = given ? value : null;
      if (e instanceof PropertyProblem) problems.push(e);
      else throw e;
    }
  }
  return out;
}

/** Heat's `Property.get_value(value, validate=True)`: coercion by type, nested schemas, then constraints. */
function coerceValue(
  schema: PropertySchema,
  value: unknown,
  path: readonly PathSegment[],
  problems: PropertyProblem[],
  validating: boolean,
): unknown {
  if (value === null && validating) {
    // Unknown while validating (get_attr): no type or constraint check; the default stands in, as in Heat.
    return schema.default === undefined || schema.default === null ? null : structuredClone(schema.default);
  }
  const fail = (message: string): never => {
    throw new PropertyProblem(message, path);
  };
  let result: unknown;
  switch (schema.type) {
    case 'string':
      result = toStringValue(value ?? zeroOrDefault(schema, ''), fail);
      break;
    case 'integer':
      result = toIntegerValue(value ?? zeroOrDefault(schema, 0), fail);
      break;
    case 'number':
      result = toNumberValue(value ?? zeroOrDefault(schema, 0), fail);
      break;
    case 'boolean':
      result = toBooleanValue(value ?? zeroOrDefault(schema, false), fail);
      break;
    case 'map':
      result = toMapValue(schema, value, path, problems, validating, fail);
      break;
    case 'list':
      result = toListValue(schema, value, path, problems, validating, fail);
      break;
    default:
      result = value;
  }
  checkConstraints(schema, result, fail);
  return result;
}

/** Python's `default or zero`: Heat replaces a null value by the default when it is truthy, else the zero value. */
function zeroOrDefault(schema: PropertySchema, zero: unknown): unknown {
  const d = schema.default;
  return d === undefined || d === null || d === '' || d === 0 || d === false ? zero : d;
}

function toStringValue(value: unknown, fail: (m: string) => never): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value)))
    return pyStr(value);
  return fail(`Value must be a string; got ${pyRepr(value)}`);
}

const PY_INT_TEXT = /^\s*[+-]?\d(?:_?\d)*\s*$/;

/** Python's `int()` as `Property._get_integer` uses it. */
function toIntegerValue(value: unknown, fail: (m: string) => never): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return fail('cannot convert float NaN to integer');
    if (!Number.isFinite(value)) return fail('cannot convert float infinity to integer');
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    if (PY_INT_TEXT.test(value)) return Number(value.trim().replaceAll('_', ''));
    return fail(`Value '${value}' is not an integer`);
  }
  return fail(
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
  );
}

/** Heat's `Schema.str_to_num`. */
function toNumberValue(value: unknown, fail: (m: string) => never): number | boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value !== 'string') {
    return fail(
      `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
    );
  }
  try {
    return strToNum(value).value;
  } catch (e) {
    return fail((e as Error).message);
  }
}

function toBooleanValue(value: unknown, fail: (m: string) => never): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const normalised = value.toLowerCase();
    if (normalised === 'true' || normalised === 'false') return normalised === 'true';
    return fail(`"${normalised}" is not a valid boolean`);
  }
  return fail(`"${pyStr(value)}" is not a valid boolean`);
}

function toMapValue(
  schema: ConvertiblePropertySchema,
  value: unknown,
  path: readonly PathSegment[],
  problems: PropertyProblem[],
  validating: boolean,
  fail: (m: string) => never,
): unknown {
  if (value === null) value = schema.default !== undefined && schema.default !== null ? schema.default : {};
  if (!isMap(value)) {
    if (schema.allowConversion) {
      if (typeof value === 'string') return value;
      if (Array.isArray(value)) return pyJsonDumps(value);
    }
    return fail(`"${pyStr(value)}" is not a map`);
  }
  if (!schema.schema) return structuredClone(value);
  return coerceContainer(schema.schema, value, path, problems, validating);
}

function toListValue(
  schema: ConvertiblePropertySchema,
  value: unknown,
  path: readonly PathSegment[],
  problems: PropertyProblem[],
  validating: boolean,
  fail: (m: string) => never,
): unknown {
  if (value === null) value = zeroOrDefault(schema, []);
  if (schema.allowConversion && typeof value === 'string') {
    value = value === '' ? [] : value.split(',').map((s) => s.trim());
  }
  if (!Array.isArray(value)) return fail(`"${pyRepr(value)}" is not a list`);
  const items = schema.items;
  if (!items) return structuredClone(value);
  return value.map((item, i) => {
    try {
      return coerceValue(items, item ?? null, [...path, i], problems, validating);
    } catch (e) {
      if (e instanceof PropertyProblem) problems.push(e);
      else throw e;
      return item;
    }
  });
}

/** `Schema.validate_constraints`: the first failing constraint fails the value. */
function checkConstraints(schema: PropertySchema, value: unknown, fail: (m: string) => never): void {
  for (const c of schema.constraints ?? []) {
    let message: string | null;
    try {
      message = constraintError(c, schema, value);
    } catch (e) {
      message = (e as Error).message;
    }
    if (message !== null) fail(c.description ?? message);
  }
}

/** The default message of a failed constraint, or null when `value` satisfies it. */
function constraintError(c: PropertyConstraint, schema: PropertySchema, value: unknown): string | null {
  const bound = (n: number | undefined): string => (n === undefined ? 'None' : pyStr(n));
  switch (c.kind) {
    case 'range': {
      const n = typeof value === 'number' ? value : strToNum(value).value;
      const ok = (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
      return ok ? null : `${pyStr(value)} is out of range (min: ${bound(c.min)}, max: ${bound(c.max)})`;
    }
    case 'length': {
      const len = pyLen(value);
      if (len === undefined) throw new Error(`object of type '${pyTypeName(value)}' has no len()`);
      const ok = (c.min === undefined || len >= c.min) && (c.max === undefined || len <= c.max);
      return ok ? null : `length (${len}) is out of range (min: ${bound(c.min)}, max: ${bound(c.max)})`;
    }
    case 'allowed_values': {
      const ok = Array.isArray(value)
        ? value.every((v) => c.values.some((a) => pyEquals(v, a)))
        : c.values.some((a) => pyEquals(toSchemaType(schema, a), toSchemaType(schema, value)));
      return ok
        ? null
        : `${pyJsonDumps(value)} is not an allowed value [${c.values.map(pyJsonDumps).join(', ')}]`;
    }
    case 'allowed_pattern': {
      const text = String(value);
      const re = new RegExp(c.pattern, 'uy');
      const m = re.exec(text);
      return m !== null && m[0].length === text.length
        ? null
        : `"${text}" does not match pattern "${c.pattern}"`;
    }
    case 'custom':
      return checkCustomConstraint(c.name, value);
  }
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'Integer',
  number: 'Number',
  string: 'String',
  boolean: 'Boolean',
};

/** Heat's `Schema.to_schema_type`, used to compare allowed values. */
function toSchemaType(schema: PropertySchema, value: unknown): unknown {
  const invalid = (): Error =>
    new Error(
      `Value "${pyStr(value)}" is invalid for data type "${TYPE_NAMES[schema.type] ?? schema.type}".`,
    );
  try {
    switch (schema.type) {
      case 'integer': {
        const n = strToNum(value);
        if (n.isFloat) throw invalid();
        return n.value;
      }
      case 'number':
        return strToNum(value).value;
      case 'string':
        return pyStr(value);
      case 'boolean': {
        const t = pyStr(value).trim().toLowerCase();
        if (['1', 't', 'true', 'on', 'y', 'yes'].includes(t)) return true;
        if (['0', 'f', 'false', 'off', 'n', 'no'].includes(t)) return false;
        throw invalid();
      }
      default:
        return value;
    }
  } catch {
    throw invalid();
  }
}
