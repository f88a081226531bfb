/**
 * yaql's `format` (yaql/standard_library/strings.py `format_`): Python's `str.format(*args, **kwargs)`
 * with the common replacement-field syntax — `{}`, `{0}`, `{name}`, `{{`/`}}`, `!s`/`!r` conversions and
 * the standard format spec `[[fill]align][sign][0][width][,][.precision][type]` for strings and numbers.
 */
import { YaqlEvaluationError } from '../errors.js';
import { isFloat, isNumber, numberValue, type PyFloat } from '../numbers.js';
import { pyRepr, pyStr } from '../values.js';
import { p, type FunctionSpec } from './spec.js';

const SPEC = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/su;

interface ParsedSpec {
  fill: string;
  align: string | undefined;
  sign: string;
  zero: boolean;
  width: number;
  grouping: string | undefined;
  precision: number | undefined;
  type: string | undefined;
}

function parseSpec(spec: string, value: unknown): ParsedSpec {
  const m = SPEC.exec(spec);
  if (!m)
    throw new YaqlEvaluationError(
      `ValueError: Invalid format specifier '${spec}' for object of type '${typeName(value)}'`,
    );
  return {
    fill: m[1] ?? (m[5] ? '0' : ' '),
    align: m[2] ?? (m[5] ? '=' : undefined),
    sign: m[3] ?? '-',
    zero: m[5] !== undefined,
    width: m[6] === undefined ? 0 : Number(m[6]),
    grouping: m[7],
    precision: m[8] === undefined ? undefined : Number(m[8]),
    type: m[9],
  };
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'str';
  if (isNumber(value)) return isFloat(value) ? 'float' : 'int';
  if (Array.isArray(value)) return 'tuple';
  return 'dict';
}

function group(digits: string, separator: string | undefined): string {
  if (!separator) return digits;
  const [whole = '', frac] = digits.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

function formatNumber(value: number, floatValue: boolean, s: ParsedSpec, raw: unknown): string {
  const type = s.type ?? (floatValue ? '' : 'd');
  const abs = Math.abs(value);
  let body: string;
  switch (type) {
    case 'd':
    case 'n':
      if (floatValue) throw invalidCode(type, raw);
      body = group(String(abs), s.grouping);
      break;
    case 'b':
    case 'o':
    case 'x':
    case 'X':
      if (floatValue) throw invalidCode(type, raw);
      body = abs.toString(type === 'b' ? 2 : type === 'o' ? 8 : 16);
      if (type === 'X') body = body.toUpperCase();
      break;
    case 'f':
    case 'F':
      body = group(abs.toFixed(s.precision ?? 6), s.grouping);
      break;
    case '%':
      body = `${group((abs * 100).toFixed(s.precision ?? 6), s.grouping)}%`;
      break;
    case 'e':
    case 'E': {
      const [mant = '', exp = '0'] = abs.toExponential(s.precision ?? 6).split('e');
      const e = Number(exp);
      body = `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
      if (type === 'E') body = body.toUpperCase();
      break;
    }
    case '':
      body = s.precision === undefined ? pyStr(abs) : String(Number(abs.toPrecision(s.precision)));
      body = group(body, s.grouping);
      break;
    default:
      throw invalidCode(type, raw);
  }
  const negative = value < 0 || Object.is(value, -0);
  const sign = negative ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  return pad(sign, body, s, '>');
}

function invalidCode(code: string, value: unknown): YaqlEvaluationError {
  return new YaqlEvaluationError(
    `ValueError: Unknown format code '${code}' for object of type '${typeName(value)}'`,
  );
}

function pad(sign: string, body: string, s: ParsedSpec, defaultAlign: string): string {
  const length = [...sign].length + [...body].length;
  const missing = Math.max(0, s.width - length);
  const fill = s.fill.repeat(missing);
  switch (s.align ?? defaultAlign) {
    case '<':
      return sign + body + fill;
    case '^': {
      const left = s.fill.repeat(Math.floor(missing / 2));
      return left + sign + body + s.fill.repeat(missing - Math.floor(missing / 2));
    }
    case '=':
      return sign + fill + body;
    default:
      return fill + sign + body;
  }
}

/** Python `format(value, spec)`. */
export function formatValue(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  const s = parseSpec(spec, value);
  if (isNumber(value) || typeof value === 'boolean') {
    const n = typeof value === 'boolean' ? (value ? 1 : 0) : numberValue(value as number | PyFloat);
    return formatNumber(n, isFloat(value), s, value);
  }
  if (typeof value !== 'string') {
    throw new YaqlEvaluationError(
      `TypeError: unsupported format string passed to ${typeName(value)}.__format__`,
    );
  }
  if (s.type !== undefined && s.type !== 's') throw invalidCode(s.type, value);
  if (s.sign !== '-' || s.align === '=') {
    throw new YaqlEvaluationError('ValueError: Sign not allowed in string format specifier');
  }
  const text = s.precision === undefined ? value : [...value].slice(0, s.precision).join('');
  return pad('', text, s, '<');
}

/** Python `str.format(*args, **kwargs)` for the replacement-field syntax yaql users write. */
export function pyFormat(
  template: string,
  args: readonly unknown[],
  kwargs: ReadonlyMap<string, unknown>,
): string {
  let out = '';
  let auto = 0;
  let mode: 'auto' | 'manual' | undefined;
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if (ch === '}') {
      if (template[i + 1] !== '}')
        throw new YaqlEvaluationError("ValueError: Single '}' encountered in format string");
      out += '}';
      i += 2;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    if (template[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    const close = template.indexOf('}', i + 1);
    if (close < 0) throw new YaqlEvaluationError("ValueError: Single '{' encountered in format string");
    const field = template.slice(i + 1, close);
    i = close + 1;
    const colon = field.indexOf(':');
    const head = colon < 0 ? field : field.slice(0, colon);
    const spec = colon < 0 ? '' : field.slice(colon + 1);
    const bang = head.indexOf('!');
    const name = bang < 0 ? head : head.slice(0, bang);
    const conversion = bang < 0 ? undefined : head.slice(bang + 1);
    let value: unknown;
    if (name === '') {
      if (mode === 'manual') {
        throw new YaqlEvaluationError(
          'ValueError: cannot switch from manual field specification to automatic field numbering',
        );
      }
      mode = 'auto';
      value = positional(args, auto++);
    } else if (/^\d+$/.test(name)) {
      if (mode === 'auto') {
        throw new YaqlEvaluationError(
          'ValueError: cannot switch from automatic field numbering to manual field specification',
        );
      }
      mode = 'manual';
      value = positional(args, Number(name));
    } else {
      if (!kwargs.has(name)) throw new YaqlEvaluationError(`KeyError: ${pyRepr(name)}`);
      value = kwargs.get(name);
    }
    if (conversion === 'r' || conversion === 'a') value = pyRepr(value);
    else if (conversion === 's') value = pyStr(value);
    else if (conversion !== undefined) {
      throw new YaqlEvaluationError(`ValueError: Unknown conversion specifier ${conversion}`);
    }
    out += formatValue(value, spec);
  }
  return out;
}

function positional(args: readonly unknown[], index: number): unknown {
  if (index >= args.length) {
    throw new YaqlEvaluationError(
      `IndexError: Replacement index ${index} out of range for positional args tuple`,
    );
  }
  return args[index];
}

/** The `format` function: `'{0}-{x}'.format(1, x => 2)` or `format('{}', 1)`. */
export const formatFunctions: FunctionSpec[] = [
  {
    name: 'format',
    summary: "'{0}-{x}'.format(1, x => 2) → '1-2' (Python str.format)",
    overloads: [
      {
        usage: 'both',
        params: [p('format', 'string'), p('args', 'any', { rest: true })],
        namedRest: true,
        run: ([template, args, named]) =>
          pyFormat(template as string, args as unknown[], named as Map<string, unknown>),
      },
    ],
  },
];
