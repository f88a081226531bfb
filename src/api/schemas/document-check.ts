/**
 * Structural checks of an OpenAPI 3.1 document (what the tests and a reviewer rely on): version and info,
 * operations with unique operationIds and described responses, path parameters matching the path template,
 * known tags and security schemes, and every `$ref` resolving inside the document.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PATH_ITEM_KEYS = new Set([
  ...OPERATION_KEYS,
  'parameters',
  'summary',
  'description',
  'servers',
  '$ref',
]);
const PARAMETER_PLACES = new Set(['query', 'header', 'path', 'cookie']);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Resolves a local JSON pointer (`#/components/schemas/Link`) in `doc`. */
function resolvePointer(doc: JsonObject, pointer: string): Json | undefined {
  if (!pointer.startsWith('#/')) return undefined;
  let at: Json | undefined = doc;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    at = isObject(at) ? at[key] : Array.isArray(at) ? at[Number(key)] : undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

/** Every `$ref` in a JSON value, with where it is. */
function refsIn(value: Json, where: string, out: [string, string][]): void {
  if (Array.isArray(value)) value.forEach((v, i) => refsIn(v, `${where}/${i}`, out));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push([where, v]);
      else refsIn(v, `${where}/${k}`, out);
    }
  }
}

/** The problems of one operation. */
function operationProblems(doc: JsonObject, path: string, method: string, op: JsonObject): string[] {
  const at = `${method.toUpperCase()} ${path}`;
  const problems: string[] = [];
  if (typeof op.operationId !== 'string' || op.operationId === '') problems.push(`${at}: no operationId`);
  const responses = op.responses;
  if (!isObject(responses) || Object.keys(responses).length === 0) problems.push(`${at}: no responses`);
  for (const [status, response] of Object.entries(isObject(responses) ? responses : {})) {
    if (!/^([1-5](\d\d|XX)|default)$/.test(status)) problems.push(`${at}: bad response status ${status}`);
    if (!isObject(response) || typeof response.description !== 'string') {
      problems.push(`${at}: response ${status} has no description`);
    }
  }
  const params = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [];
  for (const p of params) {
    if (typeof p.name !== 'string' || !PARAMETER_PLACES.has(String(p.in))) {
      problems.push(`${at}: bad parameter ${JSON.stringify(p)}`);
    }
    if (p.schema === undefined && p.content === undefined)
      problems.push(`${at}: parameter ${p.name} has no schema`);
  }
  const inPath = params.filter((p) => p.in === 'path');
  const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const name of templated) {
    const p = inPath.find((x) => x.name === name);
    if (!p) problems.push(`${at}: path parameter {${name}} is not described`);
    else if (p.required !== true) problems.push(`${at}: path parameter {${name}} is not required`);
  }
  for (const p of inPath) {
    if (!templated.includes(String(p.name))) problems.push(`${at}: parameter ${p.name} is not in the path`);
  }
  if (op.requestBody !== undefined) {
    const body = op.requestBody;
    if (!isObject(body) || !isObject(body.content) || Object.keys(body.content).length === 0) {
      problems.push(`${at}: request body without content`);
    }
  }
  const tags = new Set((Array.isArray(doc.tags) ? doc.tags : []).filter(isObject).map((t) => String(t.name)));
  for (const tag of Array.isArray(op.tags) ? op.tags : []) {
    if (!tags.has(String(tag))) problems.push(`${at}: tag ${String(tag)} is not declared`);
  }
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  for (const requirement of Array.isArray(op.security) ? op.security.filter(isObject) : []) {
    for (const name of Object.keys(requirement)) {
      if (!(name in schemes)) problems.push(`${at}: unknown security scheme ${name}`);
    }
  }
  return problems;
}

/** Every structural problem of an OpenAPI 3.1 document (empty when it is sound). */
export function documentProblems(doc: unknown): string[] {
  if (!isObject(doc as Json)) return ['the document is not an object'];
  const d = doc as JsonObject;
  const problems: string[] = [];
  if (typeof d.openapi !== 'string' || !/^3\.1\.\d+$/.test(d.openapi)) problems.push('openapi is not 3.1.x');
  const info = d.info;
  if (!isObject(info) || typeof info.title !== 'string' || typeof info.version !== 'string') {
    problems.push('info needs a title and a version');
  }
  if (!isObject(d.paths)) return [...problems, 'no paths'];
  const ids = new Map<string, string>();
  for (const [path, item] of Object.entries(d.paths)) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    if (!isObject(item)) continue;
    for (const key of Object.keys(item)) {
      if (!PATH_ITEM_KEYS.has(key)) problems.push(`${path}: unexpected key ${key}`);
    }
    for (const method of OPERATION_KEYS) {
      const op = item[method];
      if (!isObject(op)) continue;
      problems.push(...operationProblems(d, path, method, op));
      const id = typeof op.operationId === 'string' ? op.operationId : undefined;
      const at = `${method.toUpperCase()} ${path}`;
      if (id !== undefined && ids.has(id))
        problems.push(`${at}: operationId ${id} also used by ${ids.get(id)}`);
      if (id !== undefined) ids.set(id, at);
    }
  }
  const refs: [string, string][] = [];
  refsIn(d, '#', refs);
  for (const [where, target] of refs) {
    if (resolvePointer(d, target) === undefined) problems.push(`${where}: $ref ${target} does not resolve`);
  }
  return problems;
}
