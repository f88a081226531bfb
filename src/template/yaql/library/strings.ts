/** yaql string functions (yaql/standard_library/strings.py) with Python `str` method semantics. */
import { YaqlEvaluationError } from '../errors.js';
import { pyRepr, yaqlStr, YDict } from '../values.js';
import { opt, p, type FunctionSpec, type Overload } from './spec.js';

const WHITESPACE =
  ' \t\n\r\v\f\u001c\u001d\u001e\u001f\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function isWhitespace(ch: string): boolean {
  return WHITESPACE.includes(ch);
}

/** Python `str.strip/lstrip/rstrip(chars)`. */
export function strip(text: string, chars: string | null | undefined, left: boolean, right: boolean): string {
  const strippable = (ch: string): boolean =>
    chars === null || chars === undefined ? isWhitespace(ch) : chars.includes(ch);
  const units = [...text];
  let start = 0;
  let end = units.length;
  if (left) while (start < end && strippable(units[start]!)) start++;
  if (right) while (end > start && strippable(units[end - 1]!)) end--;
  return units.slice(start, end).join('');
}

/** Python `str.split(sep, maxsplit)`. */
export function pySplit(text: string, separator: string | null | undefined, maxSplits: number): string[] {
  if (separator === '') throw new YaqlEvaluationError('ValueError: empty separator');
  if (separator === null || separator === undefined) return splitWhitespace(text, maxSplits);
  const parts = text.split(separator);
  if (maxSplits < 0 || parts.length <= maxSplits + 1) return parts;
  return [...parts.slice(0, maxSplits), parts.slice(maxSplits).join(separator)];
}

/** Python `str.rsplit(sep, maxsplit)`. */
export function pyRightSplit(
  text: string,
  separator: string | null | undefined,
  maxSplits: number,
): string[] {
  if (separator === '') throw new YaqlEvaluationError('ValueError: empty separator');
  if (separator === null || separator === undefined) {
    if (maxSplits < 0) return splitWhitespace(text, -1);
    const reversed = splitWhitespace([...text].reverse().join(''), maxSplits);
    return reversed.map((part) => [...part].reverse().join('')).reverse();
  }
  const parts = text.split(separator);
  if (maxSplits < 0 || parts.length <= maxSplits + 1) return parts;
  const keep = parts.length - maxSplits;
  return [parts.slice(0, keep).join(separator), ...parts.slice(keep)];
}

function splitWhitespace(text: string, maxSplits: number): string[] {
  const result: string[] = [];
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    while (i < chars.length && isWhitespace(chars[i]!)) i++;
    if (i >= chars.length) break;
    if (maxSplits >= 0 && result.length === maxSplits) {
      result.push(strip(chars.slice(i).join(''), null, false, true));
      return result;
    }
    const start = i;
    while (i < chars.length && !isWhitespace(chars[i]!)) i++;
    result.push(chars.slice(start, i).join(''));
  }
  return result;
}

/** Python `str.replace(old, new, count)`. */
export function pyReplace(text: string, old: string, replacement: string, count: number): string {
  if (old === '') {
    const chars = [...text];
    let out = '';
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (count < 0 || done < count) {
        out += replacement;
        done++;
      }
      out += chars[i] ?? '';
    }
    return out;
  }
  const parts = text.split(old);
  if (count < 0 || parts.length <= count + 1) return parts.join(replacement);
  return parts.slice(0, count + 1).join(replacement) + old + parts.slice(count + 1).join(old);
}

function normalizeStart(text: string, start: number): number {
  return start < 0 ? Math.max(text.length + start, 0) : start;
}

const str = p('string', 'string');

function method(params: Overload['params'], run: Overload['run']): Overload {
  return { usage: 'method', params, run };
}

/** String functions. */
export const stringFunctions: FunctionSpec[] = [
  {
    name: 'toUpper',
    summary: "'ab'.toUpper() → 'AB'",
    overloads: [method([str], ([s]) => (s as string).toUpperCase())],
  },
  {
    name: 'toLower',
    summary: "'AB'.toLower() → 'ab'",
    overloads: [method([str], ([s]) => (s as string).toLowerCase())],
  },
  {
    name: 'split',
    summary: "'a-b'.split('-') → ['a', 'b']; split(separator => null, maxSplits => -1) as Python",
    overloads: [
      method(
        [str, opt('separator', 'string', { nullable: true }), opt('maxSplits', 'int')],
        ([s, sep, max]) =>
          pySplit(s as string, sep as string | null | undefined, (max as number | undefined) ?? -1),
      ),
    ],
  },
  {
    name: 'rightSplit',
    summary: "'a-b-c'.rightSplit('-', 1) → ['a-b', 'c']",
    overloads: [
      method(
        [str, opt('separator', 'string', { nullable: true }), opt('maxSplits', 'int')],
        ([s, sep, max]) =>
          pyRightSplit(s as string, sep as string | null | undefined, (max as number | undefined) ?? -1),
      ),
    ],
  },
  {
    name: 'join',
    summary: "$.list.join(', ') or ', '.join($.list) → items joined with str()",
    overloads: [
      method([p('sequence', 'iterable'), p('separator', 'string')], ([c, sep]) =>
        [...(c as Iterable<unknown>)].map(yaqlStr).join(sep as string),
      ),
      method([p('separator', 'string'), p('sequence', 'iterable')], ([sep, c]) =>
        [...(c as Iterable<unknown>)].map(yaqlStr).join(sep as string),
      ),
    ],
  },
  {
    name: 'str',
    summary: "str(x) → string ('null', 'true', 'false' for null/booleans)",
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => yaqlStr(v) }],
  },
  {
    name: 'trim',
    summary: "' a '.trim(chars => null) → 'a'",
    overloads: [
      method([str, opt('chars', 'string', { nullable: true })], ([s, c]) =>
        strip(s as string, c as string | null, true, true),
      ),
    ],
  },
  {
    name: 'trimLeft',
    summary: "' a '.trimLeft() → 'a '",
    overloads: [
      method([str, opt('chars', 'string', { nullable: true })], ([s, c]) =>
        strip(s as string, c as string | null, true, false),
      ),
    ],
  },
  {
    name: 'trimRight',
    summary: "' a '.trimRight() → ' a'",
    overloads: [
      method([str, opt('chars', 'string', { nullable: true })], ([s, c]) =>
        strip(s as string, c as string | null, false, true),
      ),
    ],
  },
  {
    name: 'norm',
    summary: "norm(' ') → null: trimmed string, null when empty",
    overloads: [
      {
        usage: 'both',
        params: [p('string', 'string', { nullable: true }), opt('chars', 'string', { nullable: true })],
        run: ([s, c]) => {
          if (s === null) return null;
          const value = strip(s as string, c as string | null, true, true);
          return value === '' ? null : value;
        },
      },
    ],
  },
  {
    name: 'replace',
    summary: "'aaa'.replace('a', 'b', count => -1) → 'bbb'; s.replace({old => new, …})",
    overloads: [
      method([str, p('old', 'string'), p('new', 'string'), opt('count', 'int')], ([s, o, n, c]) =>
        pyReplace(s as string, o as string, n as string, (c as number | undefined) ?? -1),
      ),
      method([str, p('replacements', 'dict'), opt('count', 'int')], ([s, r, c]) =>
        (r as YDict)
          .pairs()
          .reduce<string>(
            (text, [k, v]) => pyReplace(text, yaqlStr(k), yaqlStr(v), (c as number | undefined) ?? -1),
            s as string,
          ),
      ),
    ],
  },
  {
    name: 'isEmpty',
    summary: "isEmpty(' ') → true: null or (trimmed) empty string",
    overloads: [
      {
        usage: 'both',
        params: [
          p('string', 'string', { nullable: true }),
          opt('trim', 'bool'),
          opt('chars', 'string', { nullable: true }),
        ],
        run: ([s, trim, chars]) => {
          if (s === null) return true;
          const text =
            trim === false ? (s as string) : strip(s as string, chars as string | null, true, true);
          return text.length === 0;
        },
      },
    ],
  },
  {
    name: 'substring',
    summary: "'abcd'.substring(1, 2) → 'bc' (negative start counts from the end)",
    overloads: [
      method([str, p('start', 'int'), opt('length', 'int')], ([s, start, length]) => {
        const chars = [...(s as string)];
        const begin = normalizeStart(s as string, start as number);
        const size =
          (length as number | undefined) === undefined || (length as number) < 0
            ? chars.length
            : (length as number);
        return chars.slice(begin, begin + size).join('');
      }),
    ],
  },
  {
    name: 'indexOf',
    summary: "'abcb'.indexOf('b', start => 0) → 1 (-1 when absent)",
    overloads: [
      method([str, p('sub', 'string'), opt('start', 'int')], ([s, sub, start]) =>
        (s as string).indexOf(sub as string, normalizeStart(s as string, (start as number | undefined) ?? 0)),
      ),
    ],
  },
  {
    name: 'lastIndexOf',
    summary: "'abcb'.lastIndexOf('b') → 3",
    overloads: [
      method([str, p('sub', 'string'), opt('start', 'int')], ([s, sub, start]) => {
        const index = (s as string).lastIndexOf(sub as string);
        return index >= normalizeStart(s as string, (start as number | undefined) ?? 0) ? index : -1;
      }),
    ],
  },
  {
    name: 'startsWith',
    summary: "'abc'.startsWith('a', 'x') → true if any prefix matches",
    overloads: [
      method([str, p('prefixes', 'string', { rest: true })], ([s, ps]) =>
        (ps as string[]).some((x) => (s as string).startsWith(x)),
      ),
    ],
  },
  {
    name: 'endsWith',
    summary: "'abc'.endsWith('c') → true if any suffix matches",
    overloads: [
      method([str, p('suffixes', 'string', { rest: true })], ([s, ps]) =>
        (ps as string[]).some((x) => (s as string).endsWith(x)),
      ),
    ],
  },
  {
    name: 'toCharArray',
    summary: "'ab'.toCharArray() → ['a', 'b']",
    overloads: [method([str], ([s]) => [...(s as string)])],
  },
  {
    name: 'isString',
    summary: 'isString(x) → true for strings',
    overloads: [{ usage: 'function', params: [p('arg', 'any')], run: ([x]) => typeof x === 'string' }],
  },
];

/** Message for a failed numeric conversion, Python-style. */
export function invalidLiteral(kind: 'int' | 'float', value: string): YaqlEvaluationError {
  return new YaqlEvaluationError(
    kind === 'int'
      ? `ValueError: invalid literal for int() with base 10: ${pyRepr(value)}`
      : `ValueError: could not convert string to float: ${pyRepr(value)}`,
  );
}
