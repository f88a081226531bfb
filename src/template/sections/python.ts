/**
 * Python renderings Heat's messages are made of: `type(x).__name__` and `str(x)` of decoded JSON/YAML values.
 */
import { IntrinsicFunction, isPlainMap } from '../functions/function.js';

/** Python's `type(value).__name__` for a decoded template value (`str`, `int`, `float`, `bool`, `list`, `dict`, `NoneType`). */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  if (value instanceof IntrinsicFunction) return value.constructor.name;
  return 'dict';
}

/** Python's `repr()` of a decoded template value (`'a'`, `True`, `None`, `['a', 1]`, `{'k': 'v'}`). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (value instanceof IntrinsicFunction) return pythonRepr(value.toJSON());
  if (isPlainMap(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Python's `str()`: strings as they are, everything else as {@link pythonRepr}. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** Python's `repr()` of a set of strings, e.g. `{'a', 'b'}`. */
export function pythonSetRepr(items: Iterable<string>): string {
  return `{${[...items].map(pythonRepr).join(', ')}}`;
}
