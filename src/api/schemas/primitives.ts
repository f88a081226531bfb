/**
 * Building blocks of the route schemas: JSON Schema (draft-07, also valid OpenAPI 3.1) fragments for the loose
 * values Heat accepts — integers given as strings, booleans given as `"true"`/`"false"` in any case, tags as a
 * list or a comma string, query parameters that may be repeated — and for the path parameters every route shares.
 *
 * A schema here must accept everything the route's handler accepts: a schema stricter than the handler would
 * change Heat's behaviour. It may be stricter only where the handler rejects anyway (then the handler's own
 * check, run first, answers with Heat's message: see `Operation.check` in `route-table.ts`).
 */

/** A JSON Schema object (draft-07 keywords only, plus `x-` extensions that Ajv ignores). */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Any JSON value (documented by `description`). */
export function anyValue(description: string): JsonSchema {
  return { description };
}

/** `schema` or JSON `null` (Heat treats a null field as an absent one). */
export function orNull(schema: JsonSchema): JsonSchema {
  const { description, title, ...rest } = schema;
  const notes = {
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
  };
  const keys = Object.keys(rest);
  if (keys.length === 1 && Array.isArray(rest.anyOf)) {
    return { ...notes, anyOf: [...(rest.anyOf as JsonSchema[]), { type: 'null' }] };
  }
  if (typeof rest.type === 'string' && rest.enum === undefined && rest.const === undefined) {
    return { ...notes, ...rest, type: [rest.type, 'null'] };
  }
  return { ...notes, anyOf: [rest, { type: 'null' }] };
}

/** A string equal to one of `words` in any letter case (JSON Schema patterns have no `i` flag). */
export function anyCase(words: readonly string[]): JsonSchema {
  const letters = (w: string) =>
    [...w]
      .map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c))
      .join('');
  return {
    type: 'string',
    pattern: `^(?:${words.map(letters).join('|')})$`,
    title: `${words.map((w) => `"${w}"`).join(' or ')} (any case)`,
  };
}

/** Heat's `is_int_like`: an integer, optionally signed, surrounded by optional blanks. */
const INT_TEXT = '^\\s*[+-]?\\d+\\s*$';

/** A string holding `true` or `false` in any case (Heat's `extract_bool`). */
export const boolString: JsonSchema = anyCase(['true', 'false']);

/** A string holding an integer. */
export const intString: JsonSchema = {
  type: 'string',
  pattern: INT_TEXT,
  title: 'a string holding an integer',
};

/** A body boolean as Heat's `extract_bool` reads it: a JSON boolean or a string `true`/`false` in any case. */
export function boolLike(description: string): JsonSchema {
  return { description, anyOf: [{ type: 'boolean' }, boolString] };
}

/** A body integer as Heat's `extract_int` reads it: a non-negative integer, or a string holding one. */
export function intLike(description: string): JsonSchema {
  return { description, anyOf: [{ type: 'integer', minimum: 0 }, intString] };
}

/** Heat's tags: a comma-separated string or a list of strings, each at most 80 characters. */
export function tagList(description: string): JsonSchema {
  return {
    description,
    anyOf: [
      { type: 'string', title: 'comma-separated tags' },
      { type: 'array', items: { type: 'string', maxLength: 80 } },
    ],
  };
}

/** A list of strings. */
export function stringList(description: string): JsonSchema {
  return { description, type: 'array', items: { type: 'string' } };
}

/** A map of names to any values. */
export function openMap(description: string): JsonSchema {
  return { description, type: 'object', additionalProperties: true };
}

/** Repeating a query key gives a list of its values (Heat reads the last for single-valued parameters). */
const repeated: JsonSchema = { type: 'array', items: { type: 'string' }, title: 'the parameter repeated' };

/** A free-text query parameter, possibly repeated (single-valued ones use the last value). */
export function queryText(description: string): JsonSchema {
  return { description, anyOf: [{ type: 'string' }, repeated] };
}

/** A boolean query parameter (`true`/`false`, any case). */
export function queryBool(description: string): JsonSchema {
  return { description, anyOf: [boolString, repeated] };
}

/** A query parameter whose value is one of `words`, in any case. */
export function queryWord(words: readonly string[], description: string): JsonSchema {
  return { description, anyOf: [anyCase(words), repeated] };
}

/** A non-negative integer query parameter. */
export function queryInt(description: string): JsonSchema {
  return { description, anyOf: [intString, repeated] };
}

/** A query string with the given parameters; Heat ignores unknown ones. */
export function querystring(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', properties, additionalProperties: true };
}

/** A query string whose parameters are not read (kept, e.g. by a redirect). */
export const anyQuerystring: JsonSchema = {
  type: 'object',
  additionalProperties: true,
  description: 'Any query parameters; they are passed on unchanged.',
};

/** Descriptions of the path parameters the routes use. */
const PATH_PARAMS: Record<string, string> = {
  tenant: 'Project (tenant) id. With --insecure-noauth it is trusted as given.',
  stackName: 'Stack name.',
  stackId: 'Stack id.',
  resourceName: 'Resource name (mark-unhealthy also accepts its physical id).',
  eventId: 'Event id.',
  outputKey: 'Output name.',
  snapshotId: 'Snapshot id.',
  version: 'Template version, e.g. heat_template_version.2018-08-31.',
  type: 'Resource type name, e.g. OS::Heat::RandomString.',
};

/** Path parameter schemas by URL, so that equal ones are one object (compiled once: see `validation.ts`). */
const PATH_SCHEMAS = new Map<string, JsonSchema>();

/** The path parameters schema of a URL (`/v1/:tenant/stacks/:stackName` → tenant, stackName). */
export function pathParams(url: string, extra: Record<string, string> = {}): JsonSchema {
  const key = `${url} ${JSON.stringify(extra)}`;
  const known = PATH_SCHEMAS.get(key);
  if (known) return known;
  const names = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const properties: Record<string, JsonSchema> = {};
  for (const name of names) {
    properties[name] = { type: 'string', description: extra[name] ?? PATH_PARAMS[name] ?? name };
  }
  const schema = { type: 'object', properties, required: names, additionalProperties: false };
  PATH_SCHEMAS.set(key, schema);
  return schema;
}
