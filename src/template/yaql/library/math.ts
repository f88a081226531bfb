/** yaql math and boolean functions (yaql/standard_library/math.py, boolean.py). */
import { YaqlEvaluationError } from '../errors.js';
import { isFloat, isInt, isNumber, makeFloat, numberValue, PyFloat } from '../numbers.js';
import { truthy } from '../values.js';
import { opt, p, type FunctionSpec } from './spec.js';
import { invalidLiteral, strip } from './strings.js';

type Num = number | PyFloat;

function typeError(fn: string, value: unknown): YaqlEvaluationError {
  const kind = Array.isArray(value) ? 'tuple' : value instanceof Object ? 'dict' : typeof value;
  return new YaqlEvaluationError(
    `TypeError: ${fn}() argument must be a string or a real number, not '${kind}'`,
  );
}

/** Python `int(value)` (yaql: `int(null)` is 0). */
export function toInt(value: unknown): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isNumber(value)) {
    const n = numberValue(value);
    if (!Number.isFinite(n))
      throw new YaqlEvaluationError('OverflowError: cannot convert float infinity to integer');
    return Math.trunc(n);
  }
  if (typeof value === 'string') {
    const text = strip(value, null, true, true).replace(/_/g, '');
    if (!/^[+-]?\d+$/.test(text)) throw invalidLiteral('int', value);
    return Number(text);
  }
  throw typeError('int', value);
}

/** Python `float(value)` (yaql: `float(null)` is 0.0). */
export function toFloat(value: unknown): Num {
  if (value === null) return new PyFloat(0);
  if (typeof value === 'boolean') return new PyFloat(value ? 1 : 0);
  if (isNumber(value)) return makeFloat(numberValue(value));
  if (typeof value === 'string') {
    const text = strip(value, null, true, true).toLowerCase();
    if (/^[+-]?(inf|infinity)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(text)) return NaN;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text)) throw invalidLiteral('float', value);
    return makeFloat(Number(text));
  }
  throw typeError('float', value);
}

/** Python `round(number, ndigits)`: half to even. */
export function pyRound(value: Num, digits: number): Num {
  const n = numberValue(value);
  const factor = 10 ** digits;
  const scaled = n * factor;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  const rounded = diff > 0.5 ? floor + 1 : diff < 0.5 ? floor : floor % 2 === 0 ? floor : floor + 1;
  const result = rounded / factor;
  return isFloat(value) ? makeFloat(result) : Math.round(result);
}

/** Math and boolean functions. */
export const mathFunctions: FunctionSpec[] = [
  {
    name: 'abs',
    summary: 'abs(-2) → 2',
    overloads: [
      {
        usage: 'function',
        params: [p('op', 'number')],
        run: ([x]) => (x instanceof PyFloat ? new PyFloat(Math.abs(x.value)) : Math.abs(x as number)),
      },
    ],
  },
  {
    name: 'int',
    summary: "int('12') → 12; int(2.7) → 2; int(null) → 0",
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => toInt(v) }],
  },
  {
    name: 'float',
    summary: "float('1.5') → 1.5; float(null) → 0.0",
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => toFloat(v) }],
  },
  {
    name: 'round',
    summary: 'round(2.5) → 2.0 (half to even), round(x, ndigits)',
    overloads: [
      {
        usage: 'function',
        params: [p('number', 'number'), opt('ndigits', 'int')],
        run: ([n, d]) => pyRound(n as Num, (d as number | undefined) ?? 0),
      },
    ],
  },
  {
    name: 'pow',
    summary: 'pow(2, 3) → 8',
    overloads: [
      {
        usage: 'function',
        params: [p('a', 'number'), p('b', 'number')],
        run: ([a, b]) => {
          const result = numberValue(a as Num) ** numberValue(b as Num);
          const integral = isInt(a) && isInt(b) && (b as number) >= 0;
          return integral ? result : makeFloat(result);
        },
      },
    ],
  },
  {
    name: 'sign',
    summary: 'sign(-3) → -1',
    overloads: [
      { usage: 'function', params: [p('num', 'number')], run: ([n]) => Math.sign(numberValue(n as Num)) },
    ],
  },
  {
    name: 'isInteger',
    summary: 'isInteger(x) → true for ints',
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => isInt(v) }],
  },
  {
    name: 'isNumber',
    summary: 'isNumber(x) → true for ints and floats',
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => isNumber(v) }],
  },
  {
    name: 'bool',
    summary: 'bool(x) → Python truthiness',
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => truthy(v) }],
  },
  {
    name: 'isBoolean',
    summary: 'isBoolean(x) → true for true/false',
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => typeof v === 'boolean' }],
  },
];
