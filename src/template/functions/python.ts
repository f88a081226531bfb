/**
 * Python behaviours Heat's intrinsic functions expose: `str()`/`repr()` of values in results and messages,
 * `json.dumps(sort_keys=True)`, `==` between JSON values, truthiness, `int()`, indexing and `str.split`.
 *
 * JS cannot tell `1` from `1.0` once parsed, so integral numbers render as Python ints.
 */
import { IntrinsicFunction, isPlainMap } from './function.js';

/** An error mirroring a Python built-in exception (`TypeError`, `ValueError` …) raised inside a function. */
export class PyError extends Error {
  constructor(
    readonly kind: 'TypeError' | 'ValueError' | 'KeyError' | 'AttributeError',
    message: string,
  ) {
    super(message);
    this.name = 'PyError';
  }
}

/** Python's `repr()` of a float (shortest round-trip digits, exponent form outside [1e-4, 1e16)). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '0', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || '0'}`;
}

/** A number as Python prints it: integral values as ints, others as float `repr`. */
export function pyNumber(x: number): string {
  if (Number.isSafeInteger(x)) return String(x);
  return pyFloatRepr(x);
}

const REPR_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (REPR_ESCAPES[ch]) out += REPR_ESCAPES[ch];
    else if (ch === quote) out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** Python's `repr()` of a JSON-like value (`'a'`, `True`, `None`, `{'k': [1, 2]}`). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return reprString(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value instanceof IntrinsicFunction) return pyRepr(value.toJSON());
  if (isPlainMap(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Python's `str()`: strings as they are, everything else as `repr()`. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** Python's short type name (`str`, `int`, `float`, `bool`, `NoneType`, `list`, `dict`). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** Python's `type(v)` as printed: `<class 'list'>`. */
export function pyClass(value: unknown): string {
  return `<class '${pyTypeName(value)}'>`;
}

/** A string as Python's `json.dumps` writes it (ASCII only, `\\uXXXX` escapes). */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Options of {@link pyJsonDumps}. */
export interface PyJsonOptions {
  /** `sort_keys=True`. */
  sortKeys?: boolean;
}

/**
 * Python's `json.dumps(value)` with its defaults: `", "` and `": "` separators, ASCII-only output (`\u00e9`),
 * floats as `repr`, `NaN`/`Infinity` literals; `sortKeys` sorts map keys.
 */
export function pyJsonDumps(value: unknown, options: PyJsonOptions = {}): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pyNumber(value);
  }
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyJsonDumps(v, options)).join(', ')}]`;
  if (isPlainMap(value)) {
    const keys = Object.keys(value);
    if (options.sortKeys) keys.sort(comparePyStrings);
    return `{${keys.map((k) => `${jsonString(k)}: ${pyJsonDumps(value[k], options)}`).join(', ')}}`;
  }
  throw new PyError('TypeError', `Object of type ${typeof value} is not JSON serializable`);
}

/** Python's string ordering (by code point). */
export function comparePyStrings(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = (ca[i] as string).codePointAt(0) ?? 0;
    const y = (cb[i] as string).codePointAt(0) ?? 0;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

/** Python's `==` between JSON-like values (`1 == 1.0 == True`, deep for lists and dicts). */
export function pyEqual(a: unknown, b: unknown): boolean {
  const numA = typeof a === 'number' || typeof a === 'boolean';
  const numB = typeof b === 'number' || typeof b === 'boolean';
  if (numA || numB) return numA && numB && Number(a) === Number(b);
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string') return a === b;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => pyEqual(item, b[i]));
  }
  if (isPlainMap(a)) {
    if (!isPlainMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && pyEqual(a[k], b[k]));
  }
  return a === b;
}

/** Python's `x in seq` for a list (by `==`). */
export function pyIncludes(list: readonly unknown[], item: unknown): boolean {
  return list.some((v) => pyEqual(v, item));
}

/** Python truthiness: `None`, `False`, `0`, `''`, `[]`, `{}` are false. */
export function pyFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainMap(value)) return Object.keys(value).length === 0;
  return false;
}

const INT_TEXT = /^[+-]?\d(?:_?\d)*$/;

/** Python's `int(value)`. @throws PyError ValueError / TypeError with Python's messages */
export function pyInt(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new PyError(
        Number.isNaN(value) ? 'ValueError' : 'TypeError',
        Number.isNaN(value)
          ? 'cannot convert float NaN to integer'
          : 'cannot convert float infinity to integer',
      );
    }
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (INT_TEXT.test(text)) return Number(text.replaceAll('_', ''));
    throw new PyError('ValueError', `invalid literal for int() with base 10: ${pyRepr(value)}`);
  }
  throw new PyError(
    'TypeError',
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
  );
}

/** Python indexing `seq[i]` on a list or string, negative indices counting from the end. */
export function pyIndex(
  seq: readonly unknown[] | string,
  index: number,
): { found: boolean; value?: unknown } {
  const n = seq.length;
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) return { found: false };
  return { found: true, value: seq[i] };
}

/** Python's `s.split(sep)`: `None` splits on whitespace runs; an empty separator is an error. */
export function pySplit(s: string, sep: unknown): string[] {
  if (sep === null || sep === undefined) {
    const trimmed = s.trim();
    return trimmed === '' ? [] : trimmed.split(/\s+/);
  }
  if (typeof sep !== 'string') {
    throw new PyError('TypeError', `must be str or None, not ${pyTypeName(sep)}`);
  }
  if (sep === '') throw new PyError('ValueError', 'empty separator');
  return s.split(sep);
}

/** True for what Python's `collections.abc.Sequence` accepts among JSON values: lists and strings. */
export function isPySequence(value: unknown): value is readonly unknown[] | string {
  return Array.isArray(value) || typeof value === 'string';
}
