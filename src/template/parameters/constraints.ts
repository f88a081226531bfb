/**
 * Parameter constraints: reading their definitions from a template (Heat's `HOTParamSchema._constraint_from_def`
 * and the `Range`/`Length`/`Modulo`/`AllowedValues`/`AllowedPattern`/`CustomConstraint` constructors) and checking
 * values against them with Heat's messages.
 */
import { checkCustomConstraint } from './custom-constraints.js';
import { compilePythonPattern } from './pattern.js';
import { pyEquals, pyJsonDumps, pyLen, pyNumberStr, pyStr, strToNum } from './python.js';
import { boolFromString, type ParameterType } from './types.js';

/** One constraint of a parameter. `description`, when set, replaces the default error text. */
export type ParameterConstraint =
  | { kind: 'length'; min?: number; max?: number; description?: string }
  | { kind: 'range'; min?: number; max?: number; description?: string }
  | { kind: 'modulo'; step: number; offset: number; description?: string }
  | { kind: 'allowed_values'; values: unknown[]; description?: string }
  | { kind: 'allowed_pattern'; pattern: string; description?: string }
  | { kind: 'custom_constraint'; name: string; description?: string };

/** The constraint kinds. */
export type ConstraintKind = ParameterConstraint['kind'];

/** An invalid schema (Heat's `InvalidSchemaError`); carries the bare message. */
export class SchemaProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaProblem';
  }
}

/** Heat's class name of each constraint kind (used in "Range constraint invalid for string"). */
export const CONSTRAINT_CLASS_NAMES: Readonly<Record<ConstraintKind, string>> = {
  length: 'Length',
  range: 'Range',
  modulo: 'Modulo',
  allowed_values: 'AllowedValues',
  allowed_pattern: 'AllowedPattern',
  custom_constraint: 'CustomConstraint',
};

/** Which parameter types each constraint applies to (Heat's `valid_types`). */
export const CONSTRAINT_VALID_TYPES: Readonly<Record<ConstraintKind, readonly ParameterType[]>> = {
  length: ['string', 'comma_delimited_list', 'json'],
  range: ['number'],
  modulo: ['number'],
  allowed_values: ['string', 'number', 'boolean', 'comma_delimited_list'],
  allowed_pattern: ['string'],
  custom_constraint: ['string', 'number', 'boolean', 'comma_delimited_list'],
};

const CONSTRAINT_KEYS = [
  'description',
  'length',
  'range',
  'modulo',
  'allowed_values',
  'allowed_pattern',
  'custom_constraint',
];

/** Heat's `_check_dict`: a mapping with only `allowed` keys. */
export function checkMapping(
  value: unknown,
  allowed: readonly string[],
  entity: string,
): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SchemaProblem(`Invalid ${entity}, expected a mapping`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new SchemaProblem(`Invalid key '${key}' for ${entity}`);
  }
  return value as Record<string, unknown>;
}

function optionalNumber(def: Record<string, unknown>, key: string): number | undefined {
  const raw = def[key];
  if (raw === null || raw === undefined) return undefined;
  let n: number;
  try {
    n = strToNum(raw).value;
  } catch (e) {
    throw new SchemaProblem((e as Error).message);
  }
  return n;
}

function rangeBounds(def: Record<string, unknown>, kind: 'range' | 'length'): { min?: number; max?: number } {
  const min = optionalNumber(def, 'min');
  const max = optionalNumber(def, 'max');
  if (min === undefined && max === undefined) {
    throw new SchemaProblem(`A ${kind} constraint must have a min value and/or a max value specified.`);
  }
  if (kind === 'length' && [min, max].some((v) => v !== undefined && !Number.isInteger(v))) {
    throw new SchemaProblem('min/max length must be integral');
  }
  const bounds: { min?: number; max?: number } = {};
  if (min !== undefined) bounds.min = min;
  if (max !== undefined) bounds.max = max;
  return bounds;
}

function moduloDefinition(def: Record<string, unknown>): { step: number; offset: number } {
  const step = optionalNumber(def, 'step');
  const offset = optionalNumber(def, 'offset');
  if (step === undefined || offset === undefined) {
    throw new SchemaProblem('A modulo constraint must have a step value and an offset value specified.');
  }
  if (!Number.isInteger(step) || !Number.isInteger(offset))
    throw new SchemaProblem('step/offset must be integer');
  if (step === 0) throw new SchemaProblem('step cannot be 0.');
  if (Math.abs(offset) >= Math.abs(step)) {
    throw new SchemaProblem('offset must be smaller (by absolute value) than step.');
  }
  if (step * offset < 0) throw new SchemaProblem('step and offset must be both positive or both negative.');
  return { step, offset };
}

/**
 * Reads one constraint definition (an item of a parameter's `constraints` list).
 * @param supportsModulo whether the template version has `modulo` (2017-02-24 and later)
 * @throws SchemaProblem with Heat's message
 */
export function parseConstraint(raw: unknown, supportsModulo: boolean): ParameterConstraint {
  const def = checkMapping(raw, CONSTRAINT_KEYS, 'parameter constraints');
  const described = <C extends ParameterConstraint>(c: C): C => {
    const d = def['description'];
    if (d !== null && d !== undefined && d !== '' && d !== false) c.description = pyStr(d);
    return c;
  };
  if (supportsModulo && 'modulo' in def) {
    const m = checkMapping(def['modulo'], ['step', 'offset'], 'modulo constraint');
    return described({ kind: 'modulo', ...moduloDefinition(m) });
  }
  if ('range' in def) {
    const r = checkMapping(def['range'], ['min', 'max'], 'range constraint');
    return described({ kind: 'range', ...rangeBounds(r, 'range') });
  }
  if ('length' in def) {
    const l = checkMapping(def['length'], ['min', 'max'], 'length constraint');
    return described({ kind: 'length', ...rangeBounds(l, 'length') });
  }
  if ('allowed_values' in def) {
    const values = def['allowed_values'];
    if (!Array.isArray(values)) throw new SchemaProblem('AllowedValues must be a list');
    return described({ kind: 'allowed_values', values: [...values] });
  }
  if ('allowed_pattern' in def) {
    const pattern = def['allowed_pattern'];
    if (typeof pattern !== 'string') throw new SchemaProblem('AllowedPattern must be a string');
    try {
      compilePythonPattern(pattern);
    } catch (e) {
      throw new SchemaProblem(`Invalid allowed_pattern "${pattern}": ${(e as Error).message}`);
    }
    return described({ kind: 'allowed_pattern', pattern });
  }
  if ('custom_constraint' in def) {
    return described({ kind: 'custom_constraint', name: pyStr(def['custom_constraint']) });
  }
  throw new SchemaProblem('No constraint expressed');
}

/** The schema problem of a constraint used on a type it does not apply to, or null. */
export function constraintTypeProblem(c: ParameterConstraint, type: ParameterType): string | null {
  return CONSTRAINT_VALID_TYPES[c.kind].includes(type)
    ? null
    : `${CONSTRAINT_CLASS_NAMES[c.kind]} constraint invalid for ${type}`;
}

/** Renders a number the way Python's `%s` would, keeping a float-looking string's text. */
function numberText(raw: unknown): string {
  if (typeof raw === 'string') {
    const n = strToNum(raw);
    return pyNumberStr(n.value, n.isFloat);
  }
  return pyStr(raw);
}

function bound(v: number | undefined): string {
  return v === undefined ? 'None' : pyNumberStr(v);
}

function pythonMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Heat's `schema.to_schema_type` for the scalar types (the comparison form used by `allowed_values`). */
function toSchemaType(type: ParameterType, value: unknown): unknown {
  try {
    if (type === 'number') return strToNum(value).value;
    if (type === 'string') return pyStr(value);
    if (type === 'boolean') return boolFromString(pyStr(value));
  } catch {
    throw new Error(`Value "${pyStr(value)}" is invalid for data type "${type}".`);
  }
  return value;
}

function allowedValuesOk(c: { values: unknown[] }, type: ParameterType, value: unknown): boolean {
  if (Array.isArray(value)) return value.every((v) => c.values.some((a) => pyEquals(v, a)));
  const allowed = c.values.map((a) => toSchemaType(type, a));
  const v = toSchemaType(type, value);
  return allowed.some((a) => pyEquals(v, a));
}

function defaultMessage(c: ParameterConstraint, value: unknown, length?: number): string {
  switch (c.kind) {
    case 'length':
      return `length (${length ?? 0}) is out of range (min: ${bound(c.min)}, max: ${bound(c.max)})`;
    case 'range':
      return `${numberText(value)} is out of range (min: ${bound(c.min)}, max: ${bound(c.max)})`;
    case 'modulo':
      return `${numberText(value)} is not a multiple of ${c.step} with an offset of ${c.offset}`;
    case 'allowed_values':
      return `${pyJsonDumps(value)} is not an allowed value [${c.values.map(pyJsonDumps).join(', ')}]`;
    case 'allowed_pattern':
      return `"${pyStr(value)}" does not match pattern "${c.pattern}"`;
    case 'custom_constraint':
      return checkCustomConstraint(c.name, value) ?? `"${pyStr(value)}" does not validate ${c.name}`;
  }
}

/**
 * Checks `value` (already parsed for lists/json; as given for scalars) against one constraint.
 * @returns null when satisfied, else the constraint's description or Heat's default message
 * @throws Error when the check itself cannot run (e.g. a non-numeric value under `range`), with Python's message
 */
export function checkConstraint(c: ParameterConstraint, type: ParameterType, value: unknown): string | null {
  let ok: boolean;
  let length: number | undefined;
  switch (c.kind) {
    case 'length': {
      length = pyLen(value) ?? [...pyStr(value)].length;
      ok = (c.min === undefined || length >= c.min) && (c.max === undefined || length <= c.max);
      break;
    }
    case 'range': {
      const n = strToNum(value).value;
      ok = (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
      break;
    }
    case 'modulo':
      ok = pythonMod(strToNum(value).value, c.step) === c.offset;
      break;
    case 'allowed_values':
      ok = allowedValuesOk(c, type, value);
      break;
    case 'allowed_pattern': {
      const text = pyStr(value);
      ok = compilePythonPattern(c.pattern).matchesWhole(text);
      break;
    }
    case 'custom_constraint': {
      const items = Array.isArray(value) ? value : [value];
      ok = items.every((item) => checkCustomConstraint(c.name, item) === null);
      if (!ok && !c.description) {
        const bad = items.find((item) => checkCustomConstraint(c.name, item) !== null);
        return defaultMessage(c, bad);
      }
      break;
    }
  }
  if (ok) return null;
  return c.description ?? defaultMessage(c, value, length);
}
