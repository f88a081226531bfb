/**
 * yaql regular-expression functions (yaql/standard_library/regex.py): `regex()`, `matches`, `search`,
 * `searchAll`, `split`, `replace`, `escapeRegex`, `isRegex` and the `=~` / `!~` operators. Python `re` patterns
 * are translated to JS `RegExp` (named groups `(?P<n>…)`, `(?P=n)`, `\A`, `\Z`); replacement templates use
 * Python's `\1` / `\g<name>` syntax.
 */
import { YaqlEvaluationError } from '../errors.js';
import { YRegex } from './regex-value.js';
import { opt, p, type FunctionSpec, type Overload } from './spec.js';

function asRegex(value: unknown): YRegex {
  return value instanceof YRegex ? value : new YRegex(value as string, '');
}

/** Python `re.sub` replacement template → JS replacement string. */
function translateReplacement(template: string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === '$') out += '$$';
    else if (ch !== '\\' || i + 1 >= template.length) out += ch;
    else {
      const next = template[i + 1]!;
      const named = /^g<(\w+)>/.exec(template.slice(i + 1));
      if (named) {
        out += /^\d+$/.test(named[1]!) ? `$${named[1]}` : `$<${named[1]}>`;
        i += named[0].length;
      } else if (/\d/.test(next)) {
        out += `$${next}`;
        i++;
      } else {
        const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
        out += escapes[next] ?? `\\${next}`;
        i++;
      }
    }
  }
  return out;
}

/** Python `re.split(pattern, string, maxsplit)` (captured groups are kept, as in Python). */
function regexSplit(regex: YRegex, text: string, maxSplit: number): string[] {
  const parts: string[] = [];
  let last = 0;
  let count = 0;
  for (const m of text.matchAll(regex.global())) {
    if (maxSplit > 0 && count >= maxSplit) break;
    parts.push(text.slice(last, m.index));
    parts.push(
      ...m
        .slice(1)
        .map((g) => g ?? null)
        .filter((g): g is string => g !== null),
    );
    last = (m.index ?? 0) + m[0].length;
    count++;
  }
  parts.push(text.slice(last));
  return parts;
}

function regexReplace(regex: YRegex, text: string, replacement: string, count: number): string {
  const js = translateReplacement(replacement);
  if (count <= 0) return text.replace(regex.global(), js);
  let done = 0;
  return text.replace(regex.global(), (...args: unknown[]) => {
    const match = args[0] as string;
    if (done++ >= count) return match;
    return match.replace(regex.single, js);
  });
}

/** Python `re.escape`. */
export function escapeRegex(text: string): string {
  return text.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (ch) => `\\${ch}`);
}

/** `string =~ regex` (regex may be a pattern string). */
export function regexMatches(text: unknown, regex: unknown): boolean {
  if (typeof text !== 'string' || !(regex instanceof YRegex || typeof regex === 'string')) {
    throw new YaqlEvaluationError('No function "#operator_=~" matches supplied arguments');
  }
  return asRegex(regex).single.test(text);
}

const rx = p('regexp', 'regex');
const str = p('string', 'string');

function method(params: Overload['params'], run: Overload['run']): Overload {
  return { usage: 'method', params, run };
}

/** Regular-expression functions. */
export const regexFunctions: FunctionSpec[] = [
  {
    name: 'regex',
    summary: "regex('a.c', ignoreCase => true).matches('ABC') → true",
    overloads: [
      {
        usage: 'function',
        params: [
          p('pattern', 'string'),
          opt('ignoreCase', 'bool'),
          opt('multiLine', 'bool'),
          opt('dotAll', 'bool'),
        ],
        run: ([pattern, i, m, s]) =>
          new YRegex(
            pattern as string,
            `${i === true ? 'i' : ''}${m === true ? 'm' : ''}${s === true ? 's' : ''}`,
          ),
      },
    ],
  },
  {
    name: 'matches',
    summary: "regex('^a').matches('ab') or 'ab'.matches('^a') → true (re.search)",
    overloads: [
      method([rx, str], ([r, s]) => (r as YRegex).single.test(s as string)),
      method([str, p('regexp', 'string')], ([s, r]) => asRegex(r).single.test(s as string)),
    ],
  },
  {
    name: 'search',
    summary: "regex('\\d+').search('ab12') → '12' (null when absent)",
    overloads: [method([rx, str], ([r, s]) => (r as YRegex).single.exec(s as string)?.[0] ?? null)],
  },
  {
    name: 'searchAll',
    summary: "regex('\\d').searchAll('a1b2') → ['1', '2']",
    overloads: [
      method([rx, str], ([r, s]) => [...(s as string).matchAll((r as YRegex).global())].map((m) => m[0])),
    ],
  },
  {
    name: 'split',
    summary: "regex('[,;]').split('a,b;c') or 'a,b'.split(regex(',')) → ['a', 'b', 'c']",
    overloads: [
      method([rx, str, opt('maxSplit', 'int')], ([r, s, max]) =>
        regexSplit(r as YRegex, s as string, (max as number | undefined) ?? 0),
      ),
      method([str, rx, opt('maxSplit', 'int')], ([s, r, max]) =>
        regexSplit(r as YRegex, s as string, (max as number | undefined) ?? 0),
      ),
    ],
  },
  {
    name: 'replace',
    summary: "regex('(a)').replace('xa', '[\\1]') or 'xa'.replace(regex('a'), 'b') (re.sub)",
    overloads: [
      method([rx, str, p('repl', 'string'), opt('count', 'int')], ([r, s, repl, c]) =>
        regexReplace(r as YRegex, s as string, repl as string, (c as number | undefined) ?? 0),
      ),
      method([str, rx, p('repl', 'string'), opt('count', 'int')], ([s, r, repl, c]) =>
        regexReplace(r as YRegex, s as string, repl as string, (c as number | undefined) ?? 0),
      ),
    ],
  },
  {
    name: 'escapeRegex',
    summary: "escapeRegex('a.b') → 'a\\\\.b' (re.escape)",
    overloads: [{ usage: 'function', params: [str], run: ([s]) => escapeRegex(s as string) }],
  },
  {
    name: 'isRegex',
    summary: 'isRegex(x) → true for regex() values',
    overloads: [{ usage: 'function', params: [p('value', 'any')], run: ([v]) => v instanceof YRegex }],
  },
];
