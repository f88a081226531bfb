/**
 * Option values of the `stack` verbs turned into request parts: breakpoint hooks as an environment
 * (`--pre-create`/`--pre-update`), `--filter`/`--property` pairs as query parameters, and `--sort KEY[:DIR]` as a
 * client-side ordering (what python-heatclient does).
 */
import { CliError } from '../io.js';
import type { Json } from './stack-common.js';

/**
 * The environment setting a hook on each named resource, as heatclient's `hooks_to_env`: `a/b/c` names resource
 * `c` of the stack of resource `b` of the stack of resource `a`; `*` and `?` match several.
 */
export function hooksEnvironment(resources: readonly string[], hook: string): Json | undefined {
  if (resources.length === 0) return undefined;
  const registry: Json = {};
  for (const declaration of resources) {
    let level = registry;
    for (const segment of declaration.split('/').filter((s) => s !== '')) {
      const next = level[segment];
      level = (typeof next === 'object' && next !== null ? next : (level[segment] = {})) as Json;
    }
    level.hooks = hook;
  }
  return { resource_registry: { resources: registry } };
}

/** `k=v` pairs appended to a query. @throws CliError (usage) for items without `=`. */
export function appendPairs(query: URLSearchParams, items: readonly string[], option: string): void {
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) throw new CliError(`${option} expects KEY=VALUE, got "${item}"`, 2);
    query.append(item.slice(0, i), item.slice(i + 1));
  }
}

/** One `--sort` key. */
export interface SortKey {
  key: string;
  dir: 'asc' | 'desc';
}

/**
 * Parses `--sort` values (`key[:asc|desc]`, several keys comma-separated or repeated). `emptyKey` stands for an
 * empty key (`:desc` sorts events by time).
 * @throws CliError (usage) for a bad direction.
 */
export function parseSort(values: readonly string[], emptyKey?: string): SortKey[] {
  return values
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '')
    .map((v) => {
      const [rawKey = '', rawDir = 'asc'] = v.split(':', 2);
      const key = rawKey || emptyKey;
      if (!key) throw new CliError(`--sort expects KEY[:asc|desc], got "${v}"`, 2);
      if (rawDir !== 'asc' && rawDir !== 'desc') {
        throw new CliError(`--sort direction must be asc or desc, got "${rawDir}" in "${v}"`, 2);
      }
      return { key, dir: rawDir };
    });
}

/** Compares two field values (null last in ascending order). */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * Sorts items by the keys (stable). @throws CliError (usage) naming a key no item has, with the fields available.
 */
export function sortItems<T extends Json>(items: readonly T[], keys: readonly SortKey[]): T[] {
  if (keys.length === 0 || items.length === 0) return [...items];
  const fields = Object.keys(items[0]!);
  const unknown = keys.filter((k) => !items.some((i) => k.key in i));
  if (unknown.length > 0) {
    throw new CliError(
      `--sort: no field ${unknown.map((k) => `"${k.key}"`).join(', ')} (fields: ${fields.join(', ')})`,
      2,
    );
  }
  return [...items].sort((a, b) => {
    for (const k of keys) {
      const c = compare(a[k.key], b[k.key]);
      if (c !== 0) return k.dir === 'asc' ? c : -c;
    }
    return 0;
  });
}
