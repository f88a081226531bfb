/**
 * Python-compatible renderings and conversions used in Heat's parameter messages and values.
 *
 * Heat builds its messages with Python's `str()`, `repr()` and `json.dumps()`, and converts numbers with
 * `int()`/`float()`; Hearth reproduces those so that messages and values match Heat's byte for byte where JS allows
 * (JS cannot tell `5` from `5.0` once a value is a number; strings keep that difference).
 */
import { jsonString } from '../functions/python.js';

/** A number as Python would hold it: the value plus whether it is a Python `float` (rather than an `int`). */
export interface PyNumber {
  readonly value: number;
  readonly isFloat: boolean;
}

const INT_TEXT = /^[+-]?\d(?:_?\d)*$/;
const FLOAT_TEXT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's type name of a JSON-like value (`str`, `int`, `float`, `bool`, `NoneType`, `list`, `dict`). */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/**
 * Heat's `Schema.str_to_num`: numbers (and booleans, which Python counts as numbers) pass through; strings go
 * through `int()` and then `float()`. @throws Error with Python's `float()` message.
 */
export function strToNum(value: unknown): PyNumber {
  if (typeof value === 'number') return { value, isFloat: !Number.isInteger(value) };
  if (typeof value === 'boolean') return { value: value ? 1 : 0, isFloat: false };
  if (typeof value !== 'string') {
    throw new Error(`float() argument must be a string or a real number, not '${pyTypeName(value)}'`);
  }
  const text = value.trim();
  if (INT_TEXT.test(text)) return { value: Number(text.replaceAll('_', '')), isFloat: false };
  if (FLOAT_TEXT.test(text)) return { value: Number(text.replaceAll('_', '')), isFloat: true };
  const special = SPECIAL_FLOAT.exec(text);
  if (special) {
    const sign = special[1] === '-' ? -1 : 1;
    const word = (special[2] ?? '').toLowerCase();
    return { value: word === 'nan' ? NaN : sign * Infinity, isFloat: true };
  }
  throw new Error(`could not convert string to float: ${pyRepr(value)}`);
}

/** Python's `repr()` of a float. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // Within Python's fixed-notation exponent range JS prints the same shortest digits without an exponent.
  const plain = String(n);
  return plain.includes('.') ? plain : `${plain}.0`;
}

/** Python's `str()` of a number (an `int` unless `isFloat`, or when the value is not integral). */
export function pyNumberStr(n: number, isFloat = false): string {
  if (!isFloat && Number.isInteger(n)) {
    return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
  }
  return pyFloatRepr(n);
}

/** Python's `repr()` of a string (single quotes unless the text has a single quote and no double quote). */
export function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's `repr()` of a JSON-like value. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const items = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${pyStringRepr(k)}: ${pyRepr(v)}`,
    );
    return `{${items.join(', ')}}`;
  }
  return pyStr(value);
}

/** Python's `str()` of a JSON-like value (`True`, `None`, `['a', 1]`, `{'k': 'v'}` …). */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumberStr(value);
  if (typeof value === 'bigint') return value.toString();
  return pyRepr(value);
}

/** Python's `json.dumps()` with default options (`", "`/`": "` separators, ASCII-only output, `NaN`/`Infinity`). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pyNumberStr(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${jsonString(k)}: ${pyJsonDumps(v)}`,
    );
    return `{${items.join(', ')}}`;
  }
  return jsonString(String(value));
}

/** Python's `==` between JSON-like values (`1 == 1.0 == True`, deep list/dict equality, no string/number mixing). */
export function pyEquals(a: unknown, b: unknown): boolean {
  const numeric = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]))
    );
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) =>
          Object.hasOwn(b as object, k) &&
          pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return a === b;
}

/** Python's `len()` of a value that has one (string code points, list items, dict keys); undefined otherwise. */
export function pyLen(value: unknown): number | undefined {
  if (typeof value === 'string') return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}
