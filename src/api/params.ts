/**
 * Heat's request parameter coercions (heat/common/param_utils.py, heat/api/openstack/v1/util.py) with Heat's
 * exact messages. Every failure is an `HTTPBadRequest` HeatError (except a bad `sort_dir`: `ValueError`).
 */
import { badRequest } from './faults.js';
import { HeatError } from '../template/errors.js';

/** A query string as Fastify parses it: repeated keys become arrays. */
export type Query = Record<string, string | string[] | undefined>;

/** Heat's `strutils.is_int_like`: an integer, or a string holding one. */
function isIntLike(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value);
  return typeof value === 'string' && /^[+-]?\d+$/.test(value.trim());
}

/**
 * Heat's `extract_int`: `null`/`undefined` → undefined; integers or integer strings; zero and negatives per flags.
 * @throws HeatError HTTPBadRequest `Only integer is acceptable by 'NAME'.` and friends.
 */
export function extractInt(
  name: string,
  value: unknown,
  options: { allowZero?: boolean; allowNegative?: boolean } = {},
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isIntLike(value)) throw badRequest(`Only integer is acceptable by '${name}'.`);
  const n = typeof value === 'number' ? value : Number.parseInt(String(value), 10);
  if (n === 0 && options.allowZero === false) {
    throw badRequest(`Only non-zero integer is acceptable by '${name}'.`);
  }
  if (n < 0 && !options.allowNegative) {
    throw badRequest(
      `Value '${String(value)}' is invalid for '${name}' which only accepts non-negative integer.`,
    );
  }
  return n;
}

/**
 * Heat's `extract_bool`: `true`/`false` in any case (booleans accepted as such).
 * @throws HeatError HTTPBadRequest `Unrecognized value "X" for "NAME", acceptable values are: true, false.`
 */
export function extractBool(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw badRequest(
    `Unrecognized value "${String(value)}" for "${name}", acceptable values are: true, false.`,
  );
}

/**
 * Heat's `extract_tags` (a comma list) extended to JSON lists of strings; each tag at most 80 characters.
 * @throws HeatError HTTPBadRequest `Invalid tag, "X" is longer than 80 characters`.
 */
export function extractTags(name: string, value: unknown): string[] {
  let tags: string[];
  if (typeof value === 'string') tags = value.split(',');
  else if (Array.isArray(value) && value.every((t) => typeof t === 'string')) tags = value as string[];
  else throw badRequest(`"${name}" must be a comma-separated string or a list of strings.`);
  for (const tag of tags) {
    if (tag.length > 80) throw badRequest(`Invalid tag, "${tag}" is longer than 80 characters`);
  }
  return tags.filter((t) => t !== '');
}

/** The last value of a query parameter (Heat's "single" parameters), or undefined. */
export function single(query: Query, key: string): string | undefined {
  const v = query[key];
  if (Array.isArray(v)) return v[v.length - 1];
  return v;
}

/** Every value of a query parameter (Heat's "multi"/"mixed" parameters), possibly empty. */
export function multi(query: Query, key: string): string[] {
  const v = query[key];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** An optional boolean query parameter. */
export function boolParam(query: Query, key: string): boolean | undefined {
  const v = single(query, key);
  return v === undefined ? undefined : extractBool(key, v);
}

/** An optional non-negative integer query parameter. */
export function intParam(query: Query, key: string): number | undefined {
  return extractInt(key, single(query, key));
}

/**
 * Heat's `sort_dir` check. Heat lets oslo.db's `paginate_query` reject a bad direction: the ValueError
 * surfaces as a 400 whose error type is `ValueError`.
 */
export function sortDirParam(query: Query): 'asc' | 'desc' | undefined {
  const v = single(query, 'sort_dir');
  if (v === undefined) return undefined;
  const lower = v.toLowerCase();
  if (lower !== 'asc' && lower !== 'desc')
    throw new HeatError(
      'ValueError',
      'Unknown sort direction, must be one of: asc-nullsfirst, asc-nullslast, desc-nullsfirst, desc-nullslast',
    );
  return lower;
}

/** Heat's display status `ACTION_STATUS` split into its parts, when it has that form. */
export function splitActionStatus(value: string): { action: string; status: string } | undefined {
  const m = /^([A-Z]+)_(IN_PROGRESS|COMPLETE|FAILED)$/.exec(value);
  return m ? { action: m[1]!, status: m[2]! } : undefined;
}
