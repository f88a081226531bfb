/**
 * Walking a path into a value, as `get_param` and `get_attr` do (maps by key, lists and strings by index).
 */
import { isPlainMap } from './function.js';
import { pyIndex, pyInt } from './python.js';

const MISS = Symbol('miss');

function step(collection: unknown, key: unknown, coerceIndex: boolean): unknown {
  const isSeq = Array.isArray(collection) || typeof collection === 'string';
  if (!isSeq && !isPlainMap(collection)) return MISS;
  let k = key;
  if (typeof k === 'boolean') k = k ? 1 : 0;
  if (typeof k !== 'string' && !(typeof k === 'number' && Number.isInteger(k))) return MISS;
  if (isSeq) {
    if (typeof k === 'string') {
      if (!coerceIndex) return MISS;
      try {
        k = pyInt(k);
      } catch {
        return MISS;
      }
    }
    const r = pyIndex(collection as readonly unknown[] | string, k as number);
    return r.found ? r.value : MISS;
  }
  const map = collection as Record<string, unknown>;
  if (typeof k !== 'string' || !Object.hasOwn(map, k)) return MISS;
  return map[k];
}

/** `get_param`'s path walk: string indices into lists are converted with `int()`; any miss gives `''`. */
export function selectFromParameter(value: unknown, path: readonly unknown[]): unknown {
  let current = value;
  for (const key of path) {
    current = step(current, key, true);
    if (current === MISS) return '';
  }
  return current;
}

/** Heat's `select_from_attribute`: maps by string key, lists by integer index; any miss gives `null`. */
export function selectFromAttribute(value: unknown, path: readonly unknown[]): unknown {
  let current = value;
  for (const key of path) {
    current = step(current, key, false);
    if (current === MISS) return null;
  }
  return current;
}
