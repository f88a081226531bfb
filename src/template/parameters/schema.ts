/**
 * Parameter schemas: reading a HOT `parameters` section (Heat's `HOTParamSchema*.from_dict`) and checking each
 * schema (constraints fit the type, the default satisfies the constraints — Heat's `Schema.validate`).
 */
import { HeatError, type Path } from '../errors.js';
import {
  checkConstraint,
  checkMapping,
  constraintTypeProblem,
  parseConstraint,
  SchemaProblem,
  type ParameterConstraint,
} from './constraints.js';
import { pyStr, pyTypeName } from './python.js';
import { isParameterType, type ParameterType } from './types.js';

/** A parameter's schema as declared in the template. */
export interface ParameterSchema {
  readonly name: string;
  readonly type: ParameterType;
  readonly label?: string;
  readonly description?: string;
  /** The template default, as written (a comma_delimited_list default may be a string or a list). */
  readonly default?: unknown;
  readonly hasDefault: boolean;
  readonly hidden: boolean;
  readonly immutable: boolean;
  readonly tags: string[];
  readonly constraints: ParameterConstraint[];
  /** Where the parameter is declared, e.g. `['parameters', 'size']`. */
  readonly path: Path;
}

const VERSION_ALIASES: Readonly<Record<string, string>> = {
  newton: '2016-10-14',
  ocata: '2017-02-24',
  pike: '2017-09-01',
  queens: '2018-03-02',
  rocky: '2018-08-31',
  wallaby: '2021-04-16',
};

/** The dated form of a HOT version key or alias (`queens` → `2018-03-02`). */
export function hotVersionDate(version: string): string {
  return VERSION_ALIASES[version] ?? version;
}

const BASE_KEYS = ['type', 'description', 'default', 'schema', 'constraints', 'hidden', 'label', 'immutable'];

/** The keys a parameter definition may have in template `version`. */
export function parameterKeys(version: string): readonly string[] {
  return hotVersionDate(version) >= '2018-03-02' ? [...BASE_KEYS, 'tags'] : BASE_KEYS;
}

/** Options of {@link parseParameterSchemas}. */
export interface ParseParameterSchemasOptions {
  /** Template version key, e.g. `2021-04-16` (aliases accepted). */
  version: string;
  /** Path of the section; default `['parameters']`. */
  path?: Path;
}

function optionalText(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : pyStr(v);
}

function readBoolean(def: Record<string, unknown>, key: 'hidden' | 'immutable', name: string): boolean {
  const v = def[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') {
    throw new SchemaProblem(`Parameter '${name}' is invalid: "${key}" must be a boolean, not ${pyStr(v)}`);
  }
  return v;
}

/** Heat's `from_dict`: builds the schema or throws the first definition problem (not prefixed). */
function schemaFromDefinition(name: string, raw: unknown, version: string, path: Path): ParameterSchema {
  const def = checkMapping(raw, parameterKeys(version), `parameter (${name})`);
  if (!('type' in def)) throw new SchemaProblem(`Missing parameter type for parameter: ${name}`);
  const tags = def['tags'] ?? [];
  if (!Array.isArray(tags)) throw new SchemaProblem(`Tags property should be a list for parameter: ${name}`);
  const rawConstraints = def['constraints'];
  const constraints: ParameterConstraint[] = [];
  if (rawConstraints !== null && rawConstraints !== undefined) {
    if (!Array.isArray(rawConstraints)) {
      throw new SchemaProblem(`Invalid parameter constraints for parameter ${name}, expected a list`);
    }
    const modulo = hotVersionDate(version) >= '2017-02-24';
    for (const c of rawConstraints) constraints.push(parseConstraint(c, modulo));
  }
  const type = def['type'];
  if (!isParameterType(type)) throw new SchemaProblem(`Invalid type (${pyStr(type)})`);
  const dflt = def['default'];
  const schema: ParameterSchema = {
    name,
    type,
    hasDefault: dflt !== null && dflt !== undefined,
    hidden: readBoolean(def, 'hidden', name),
    immutable: readBoolean(def, 'immutable', name),
    tags: tags.map((t) => pyStr(t)),
    constraints,
    path,
    ...(optionalText(def['label']) !== undefined ? { label: optionalText(def['label']) } : {}),
    ...(optionalText(def['description']) !== undefined
      ? { description: optionalText(def['description']) }
      : {}),
    ...(dflt !== null && dflt !== undefined ? { default: dflt } : {}),
  };
  return schema;
}

/**
 * Heat's `Schema.validate`: every constraint fits the type, and the template default satisfies the constraints
 * (custom constraints are not applied to defaults).
 * @returns the problem message (prefixed `Parameter 'x' is invalid: `) or null
 */
export function schemaProblem(
  schema: ParameterSchema,
): { message: string; at: 'constraints' | 'default' } | null {
  const prefix = `Parameter '${schema.name}' is invalid: `;
  for (const c of schema.constraints) {
    const problem = constraintTypeProblem(c, schema.type);
    if (problem) return { message: prefix + problem, at: 'constraints' };
  }
  if (!schema.hasDefault) return null;
  let value = schema.default;
  if (schema.type === 'comma_delimited_list') {
    if (Array.isArray(value)) value = value.map((v) => pyStr(v));
    else if (typeof value === 'string') value = value.split(',');
    else {
      const detail = `'${pyTypeName(value)}' object has no attribute 'split'`;
      return { message: `${prefix}Default must be a comma-delimited list string: ${detail}`, at: 'default' };
    }
  }
  for (const c of schema.constraints) {
    if (c.kind === 'custom_constraint') continue;
    let failure: string | null;
    try {
      // Heat checks a default as written: `len()` of a non-string default of a string parameter fails.
      if (
        c.kind === 'length' &&
        schema.type === 'string' &&
        (typeof value === 'number' || typeof value === 'boolean')
      ) {
        throw new Error(`object of type '${pyTypeName(value)}' has no len()`);
      }
      failure = checkConstraint(c, schema.type, value);
    } catch (e) {
      failure = (e as Error).message;
    }
    if (failure !== null) {
      return { message: `${prefix}Invalid default ${pyStr(schema.default)} (${failure})`, at: 'default' };
    }
  }
  return null;
}

/**
 * Parses the `parameters` section. Each parameter's definition problems (unknown key, missing/invalid type,
 * bad constraint definitions) and schema problems (constraint not valid for the type, default violating the
 * constraints: `Parameter 'size' is invalid: Invalid default 100 (100 is out of range (min: None, max: 10))`)
 * are collected as `InvalidSchemaError`s. Schemas with definition problems are left out; schemas with only a
 * schema problem are returned (and `resolveParameterValues` reports the problem again, as Heat does).
 */
export function parseParameterSchemas(
  section: unknown,
  opts: ParseParameterSchemasOptions,
): { schemas: Map<string, ParameterSchema>; problems: HeatError[] } {
  const base = opts.path ?? ['parameters'];
  const schemas = new Map<string, ParameterSchema>();
  const problems: HeatError[] = [];
  if (section === null || section === undefined) return { schemas, problems };
  if (typeof section !== 'object' || Array.isArray(section)) {
    problems.push(
      new HeatError('InvalidSchemaError', 'Invalid parameters section, expected a mapping', { path: base }),
    );
    return { schemas, problems };
  }
  for (const [name, raw] of Object.entries(section as Record<string, unknown>)) {
    const path = [...base, name];
    let schema: ParameterSchema;
    try {
      schema = schemaFromDefinition(name, raw, opts.version, path);
    } catch (e) {
      if (!(e instanceof SchemaProblem)) throw e;
      problems.push(new HeatError('InvalidSchemaError', e.message, { path }));
      continue;
    }
    // A schema with a bad default or misplaced constraint is still returned, so that later checks
    // (get_param, values) know the parameter; its problem is reported here.
    schemas.set(name, schema);
    const problem = schemaProblem(schema);
    if (problem)
      problems.push(new HeatError('InvalidSchemaError', problem.message, { path: [...path, problem.at] }));
  }
  return { schemas, problems };
}
