/**
 * Python number semantics on JS numbers. yaql distinguishes `int` from `float` (`7 / 2` is `3`,
 * `7.0 / 2` is `3.5`, `str(2.0)` is `'2.0'`). A non-integral JS number is a float; an integral float
 * (e.g. the literal `2.0`) is boxed as {@link PyFloat} so that its float-ness survives.
 */
import { YaqlEvaluationError } from './errors.js';

/** A Python float whose value happens to be integral (e.g. `2.0`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** Returns a float value: a plain number when non-integral, else a {@link PyFloat}. */
export function makeFloat(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

/** True for yaql numbers (int or float, not bool). */
export function isNumber(value: unknown): value is number | PyFloat {
  return typeof value === 'number' || value instanceof PyFloat;
}

/** True for a Python float. */
export function isFloat(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

/** True for a Python int (not bool). */
export function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** The JS number of a yaql number. */
export function numberValue(value: number | PyFloat): number {
  return value instanceof PyFloat ? value.value : value;
}

/** Numeric value of a number or bool (Python treats `True` as `1`), else `undefined`. */
export function numericOrBool(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isNumber(value)) return numberValue(value);
  return undefined;
}

type NumberValue = number | PyFloat;

function result(value: number, float: boolean): NumberValue {
  return float ? makeFloat(value) : value;
}

/** Python `a + b`, `a - b`, `a * b` on numbers. */
export function arithmetic(op: '+' | '-' | '*', a: NumberValue, b: NumberValue): NumberValue {
  const x = numberValue(a);
  const y = numberValue(b);
  const value = op === '+' ? x + y : op === '-' ? x - y : x * y;
  return result(value, isFloat(a) || isFloat(b));
}

/** yaql division: floor division for two ints, true division otherwise. */
export function divide(a: NumberValue, b: NumberValue): NumberValue {
  const x = numberValue(a);
  const y = numberValue(b);
  const float = isFloat(a) || isFloat(b);
  if (y === 0) {
    throw new YaqlEvaluationError(float ? 'float division by zero' : 'integer division or modulo by zero');
  }
  return float ? makeFloat(x / y) : Math.floor(x / y);
}

/** Python modulo: the result has the sign of the divisor. */
export function modulo(a: NumberValue, b: NumberValue): NumberValue {
  const x = numberValue(a);
  const y = numberValue(b);
  const float = isFloat(a) || isFloat(b);
  if (y === 0) throw new YaqlEvaluationError(float ? 'float modulo' : 'integer division or modulo by zero');
  return result(x - y * Math.floor(x / y), float);
}

/** Python `repr()`/`str()` of a float. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}
