/**
 * Conversion between plain JS data (what Heat functions pass and return) and yaql runtime values,
 * mirroring yaql's convert_input_data / convert_output_data (the latter applies the iterator limit).
 */
import { YaqlEvaluationError } from './errors.js';
import { iterateLimited } from './limits.js';
import { numberValue, PyFloat, formatFloat } from './numbers.js';
import { Scope } from './scope.js';
import { LazySeq, MappingRule, YDict } from './values.js';

/** Plain JS → yaql value: arrays stay arrays (tuples), plain objects become {@link YDict}s. */
export function toYaqlValue(data: unknown): unknown {
  if (data === undefined) return null;
  if (Array.isArray(data)) return data.map(toYaqlValue);
  if (data instanceof Map)
    return YDict.from([...data].map(([k, v]) => [toYaqlValue(k), toYaqlValue(v)] as const));
  if (isPlainObject(data)) {
    return YDict.from(Object.entries(data).map(([k, v]) => [k, toYaqlValue(v)] as const));
  }
  return data;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** yaql value → plain JS (JSON-compatible): collections are limited to 200 items, dict keys become strings. */
export function fromYaqlValue(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value) || value instanceof LazySeq) return [...iterateLimited(value)].map(fromYaqlValue);
  if (value instanceof YDict) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of iterateLimited(value.pairs()) as Generator<[unknown, unknown]>) {
      Object.defineProperty(result, jsonKey(key), {
        value: fromYaqlValue(item),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return result;
  }
  if (value instanceof MappingRule || value instanceof Scope) {
    throw new YaqlEvaluationError(
      `yaql expression result is not data (${value instanceof Scope ? 'a context' : 'a mapping rule'})`,
    );
  }
  return value;
}

/** How Python's json.dumps writes a dict key. */
function jsonKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (key instanceof PyFloat) return formatFloat(key.value);
  if (typeof key === 'number') return Number.isInteger(key) ? String(key) : formatFloat(numberValue(key));
  throw new YaqlEvaluationError('TypeError: keys must be str, int, float, bool or None');
}
