/**
 * How Fastify validates requests against the route schemas, and how a schema failure is answered.
 *
 * Ajv runs with no coercion, no defaults and no stripping, so a handler sees the request exactly as the client
 * sent it (Heat's own loose readings — `"60"` minutes, `"True"` — stay the handlers' job). A failure becomes a
 * 400 `HTTPBadRequest` Heat fault whose message names the field, the value received and what is allowed; with
 * several failures, each is a problem of the fault (`error.problems`) with its path.
 */
import { HeatError, ValidationFailure, formatPath, type PathSegment } from '../../template/errors.js';
import type { JsonSchema } from './primitives.js';

/** Ajv's options: validate only, never change what the handlers receive; refuse unknown keywords. */
export const AJV_OPTIONS = {
  coerceTypes: false,
  useDefaults: false,
  removeAdditional: false,
  allErrors: true,
  verbose: true,
  allowUnionTypes: true,
  strict: true,
} as const;

/** What {@link shareCompiledValidators} needs of an Ajv instance. */
interface Compiler {
  compile: (schema: object) => unknown;
}

/** Validators compiled from each route schema object, shared by every app of the process. */
const COMPILED = new WeakMap<object, unknown>();

/**
 * Compiling a schema costs milliseconds and every app (every `buildApi`, e.g. in tests) has its own Ajv:
 * validators are compiled once per schema object and reused. This is sound because every app registers the
 * same shared schemas and Ajv's validators keep their own state only for the duration of a call.
 */
function shareCompiledValidators(ajv: Compiler): void {
  const compile = ajv.compile.bind(ajv);
  ajv.compile = (schema: object) => {
    let validate = COMPILED.get(schema);
    if (validate === undefined) {
      validate = compile(schema);
      COMPILED.set(schema, validate);
    }
    return validate;
  };
}

/** Fastify's `ajv` option. */
export const AJV_CONFIG = {
  customOptions: AJV_OPTIONS,
  onCreate: (ajv: object) => shareCompiledValidators(ajv as Compiler),
};

/** At most this many problems are reported for one request. */
const MAX_PROBLEMS = 20;
/** Received values are shown up to this many characters. */
const MAX_VALUE_TEXT = 80;
/** Field names whose values are never echoed. */
const SECRET_NAME = /pass(word)?|secret|token|credential|private/i;

/** One Ajv error, as Fastify attaches it to a validation failure (`verbose` adds data and schemas). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  message?: string;
  data?: unknown;
  parentSchema?: JsonSchema | boolean;
}

/** The request part a failure is about (Fastify's `validationContext`). */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/** A Fastify validation error (`FST_ERR_VALIDATION`). */
export interface RequestValidationError {
  validation: SchemaError[];
  validationContext: string;
}

/** True for Fastify's request validation errors. */
export function isValidationError(err: unknown): err is RequestValidationError {
  return (
    err instanceof Error &&
    Array.isArray((err as { validation?: unknown }).validation) &&
    typeof (err as { validationContext?: unknown }).validationContext === 'string'
  );
}

/** The Heat fault (one problem, or a ValidationFailure of several) for a validation error. */
export function schemaFault(err: RequestValidationError): HeatError {
  const part = err.validationContext as RequestPart;
  const problems = explain(err.validation)
    .slice(0, MAX_PROBLEMS)
    .map((e) => problem(part, e));
  if (problems.length === 0) {
    return new HeatError('HTTPBadRequest', `Invalid ${partName(part)}.`);
  }
  return problems.length === 1 ? problems[0]! : new ValidationFailure(problems);
}

/** A schema error's JSON pointer as path segments. */
function pointerPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Keywords that combine alternatives. */
const ALTERNATIVES = new Set(['anyOf', 'oneOf']);

/**
 * The errors worth reporting. Ajv reports an `anyOf` failure along with the failure of each alternative; when
 * exactly one alternative is of the received value's type (a map given where "a map of strings, or null" is
 * allowed), that alternative's own errors are the precise ones; otherwise the `anyOf` itself is reported.
 */
function explain(errors: readonly SchemaError[]): SchemaError[] {
  const combinators = errors.filter((e) => ALTERNATIVES.has(e.keyword));
  const nestedIn = (e: SchemaError, c: SchemaError) => e !== c && e.schemaPath.startsWith(`${c.schemaPath}/`);
  const top = errors.filter((e) => !combinators.some((c) => nestedIn(e, c)));
  const out: SchemaError[] = [];
  for (const e of top) {
    if (!ALTERNATIVES.has(e.keyword)) {
      out.push(e);
      continue;
    }
    const branches = alternativesOf(e);
    const fitting = branches.flatMap((b, i) => (typeAccepts(b, e.data) ? [i] : []));
    if (fitting.length === 1) {
      const prefix = `${e.schemaPath}/${fitting[0]}/`;
      const inner = errors.filter((x) => x.schemaPath.startsWith(prefix));
      if (inner.length > 0) {
        out.push(...explain(inner));
        continue;
      }
    }
    out.push(e);
  }
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The alternatives of an `anyOf`/`oneOf` error. */
function alternativesOf(e: SchemaError): (JsonSchema | boolean)[] {
  const parent = e.parentSchema;
  if (typeof parent !== 'object') return [];
  const list = parent[e.keyword];
  return Array.isArray(list) ? (list as (JsonSchema | boolean)[]) : [];
}

/** The JSON Schema type names of a value. */
function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['number', 'integer'] : ['number'];
  return [typeof value];
}

/** True when a schema's `type` (if any) admits the value's type. */
function typeAccepts(schema: JsonSchema | boolean, value: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  const type = schema.type;
  if (type === undefined) return false;
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return jsonTypes(value).some((t) => types.includes(t));
}

/** How a request part is named in messages. */
function partName(part: RequestPart): string {
  return { body: 'request body', querystring: 'query string', params: 'URL', headers: 'request headers' }[
    part
  ];
}

/** How a field of a request part is named in messages. */
function fieldName(part: RequestPart, path: readonly PathSegment[]): string {
  if (path.length === 0) return partName(part);
  const kind = {
    body: 'body field',
    querystring: 'query parameter',
    params: 'URL parameter',
    headers: 'header',
  };
  return `${kind[part]} "${formatPath(path)}"`;
}

/** The received value as text (never a secret's). */
function shown(
  value: unknown,
  path: readonly PathSegment[],
  schema: JsonSchema | boolean | undefined,
): string {
  const secret =
    path.some((s) => typeof s === 'string' && SECRET_NAME.test(s)) ||
    (typeof schema === 'object' && schema.writeOnly === true);
  if (secret) return '(hidden)';
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}

/** One problem for one schema error. */
function problem(part: RequestPart, e: SchemaError): HeatError {
  const at = pointerPath(e.instancePath);
  const parent = e.parentSchema;
  const props =
    typeof parent === 'object' ? (parent.properties as Record<string, JsonSchema> | undefined) : undefined;
  let path = at;
  let message: string;
  if (e.keyword === 'required') {
    const key = String(e.params.missingProperty);
    path = [...at, key];
    message = `Missing ${fieldName(part, path)}; expected ${describeSchema(props?.[key] ?? {})}.`;
  } else if (e.keyword === 'additionalProperties') {
    const key = String(e.params.additionalProperty);
    path = [...at, key];
    const allowed = Object.keys(props ?? {});
    message =
      `Unknown ${fieldName(part, path)}` +
      (allowed.length ? `; allowed: ${allowed.map((k) => `"${k}"`).join(', ')}.` : '.');
  } else if (e.keyword === 'propertyNames') {
    const key = String(e.params.propertyName);
    path = [...at, key];
    const names = typeof parent === 'object' ? (parent.propertyNames as JsonSchema | undefined) : undefined;
    message = `Unknown ${fieldName(part, path)}; allowed: ${describeSchema(names ?? {})}.`;
  } else {
    message =
      `Invalid ${fieldName(part, at)}: received ${shown(e.data, at, parent)}; ` +
      `allowed: ${describeSchema(parent ?? {})}.`;
  }
  return new HeatError('HTTPBadRequest', message, path.length ? { path } : {});
}

/** `a, b or c`. */
function joinOr(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? 'nothing';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** ` (from 1 to 3)`-style bounds text. */
function bounds(min: unknown, max: unknown, unit = ''): string {
  if (typeof min === 'number' && typeof max === 'number') return ` (${min} to ${max}${unit})`;
  if (typeof min === 'number') return ` (${min}${unit} or more)`;
  if (typeof max === 'number') return ` (at most ${max}${unit})`;
  return '';
}

/** One JSON Schema type in words. */
function describeType(type: string, s: JsonSchema): string {
  switch (type) {
    case 'null':
      return 'null';
    case 'boolean':
      return 'a boolean';
    case 'integer':
      return `an integer${bounds(s.minimum, s.maximum)}`;
    case 'number':
      return `a number${bounds(s.minimum, s.maximum)}`;
    case 'string':
      if (typeof s.pattern === 'string') return `a string matching /${s.pattern}/`;
      return `a string${bounds(s.minLength, s.maxLength, ' characters')}`;
    case 'array':
      return s.items !== undefined && typeof s.items === 'object'
        ? `a list of: ${describeSchema(s.items as JsonSchema)}`
        : 'a list';
    case 'object': {
      const names = s.propertyNames as JsonSchema | undefined;
      if (names && Array.isArray(names.enum))
        return `an object whose keys are among ${describeSchema(names)}`;
      const ap = s.additionalProperties;
      if (ap === false && s.properties) {
        return `an object with keys among ${Object.keys(s.properties as object)
          .map((k) => `"${k}"`)
          .join(', ')}`;
      }
      if (typeof ap === 'object' && ap !== null) return `a map of: ${describeSchema(ap as JsonSchema)}`;
      return 'an object';
    }
    default:
      return type;
  }
}

/**
 * What a schema allows, in words (`an integer (0 or more) or a string holding an integer`). A schema's `title`
 * is its short description and wins.
 */
export function describeSchema(schema: JsonSchema | boolean): string {
  if (typeof schema === 'boolean') return schema ? 'any value' : 'nothing';
  if (typeof schema.title === 'string') return schema.title;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const alternatives = (schema.anyOf ?? schema.oneOf) as (JsonSchema | boolean)[] | undefined;
  if (Array.isArray(alternatives)) return joinOr(alternatives.map(describeSchema));
  const type = schema.type;
  if (type === undefined) return 'any value';
  const types = Array.isArray(type) ? (type as string[]) : [type as string];
  return joinOr(types.map((t) => describeType(t, schema)));
}
