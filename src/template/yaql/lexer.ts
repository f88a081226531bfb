/**
 * yaql tokenizer, following yaql/language/lexer.py: identifiers directly followed by `(` are function
 * tokens, `$name` are context references, keyword operators (`and`, `or`, `not`, `in`, `mod`) are words.
 */
import { YaqlSyntaxError } from './errors.js';
import { makeFloat } from './numbers.js';

/** Token kinds of the yaql grammar. */
export type TokenKind =
  'number' | 'string' | 'keyword' | 'func' | 'dollar' | 'true' | 'false' | 'null' | 'op' | 'punct' | 'eof';

/** One token with its 0-based offset in the expression. */
export interface Token {
  readonly kind: TokenKind;
  /** Operator/punctuation text, identifier name, string content, or dollar name (`$`, `$x`). */
  readonly text: string;
  /** Literal value for number/string/true/false/null tokens. */
  readonly value?: unknown;
  readonly position: number;
}

/** Word operators: a bare identifier with one of these names is an operator. */
export const WORD_OPERATORS: ReadonlySet<string> = new Set(['mod', 'in', 'not', 'and', 'or']);

/** Symbol operators, longest first (PLY sorts string rules by decreasing length). */
const SYMBOL_OPERATORS = [
  '?.',
  '=~',
  '!~',
  '>=',
  '<=',
  '!=',
  '->',
  '=>',
  '.',
  '+',
  '-',
  '*',
  '/',
  '>',
  '<',
  '=',
  '[',
  '{',
];
const PUNCTUATION = new Set(['(', ')', ']', ',', '}']);

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const LETTER_OR_UNDERSCORE = /[\p{L}_]/u;
const SINGLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Splits an expression into tokens; throws {@link YaqlSyntaxError} on an illegal character. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const illegal = (at: number): never => {
    throw new YaqlSyntaxError(`Lexical error: illegal character '${source[at]}' at position ${at}`, at);
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (' \t\r\n'.includes(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '$') {
      i++;
      while (i < source.length && WORD_CHAR.test(source[i]!)) i++;
      tokens.push({ kind: 'dollar', text: source.slice(start, i), position: start });
      continue;
    }
    const number = /^\d+(\.?\d+)?\b/.exec(source.slice(i));
    if (number && (i === 0 || !WORD_CHAR.test(source[i - 1]!))) {
      const text = number[0];
      i += text.length;
      const value = text.includes('.') ? makeFloat(Number(text)) : Number(text);
      tokens.push({ kind: 'number', text, value, position: start });
      continue;
    }
    if (LETTER_OR_UNDERSCORE.test(ch)) {
      if (source.startsWith('__', i)) illegal(i);
      while (i < source.length && WORD_CHAR.test(source[i]!)) i++;
      const word = source.slice(start, i);
      if (source[i] === '(') {
        i++;
        tokens.push({ kind: 'func', text: word, position: start });
      } else if (WORD_OPERATORS.has(word)) {
        tokens.push({ kind: 'op', text: word, position: start });
      } else if (word === 'true' || word === 'false' || word === 'null') {
        const value = word === 'null' ? null : word === 'true';
        tokens.push({ kind: word, text: word, value, position: start });
      } else {
        tokens.push({ kind: 'keyword', text: word, value: word, position: start });
      }
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      const { value, end } = readQuoted(source, i, illegal);
      i = end;
      tokens.push({ kind: 'string', text: value, value, position: start });
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      i++;
      tokens.push({ kind: 'punct', text: ch, position: start });
      continue;
    }
    const op = SYMBOL_OPERATORS.find((candidate) => source.startsWith(candidate, i));
    if (op === undefined) illegal(i);
    i += op!.length;
    tokens.push({ kind: 'op', text: op!, position: start });
  }
  tokens.push({ kind: 'eof', text: '', position: source.length });
  return tokens;
}

function readQuoted(
  source: string,
  start: number,
  illegal: (at: number) => never,
): { value: string; end: number } {
  const quote = source[start]!;
  let i = start + 1;
  let value = '';
  while (i < source.length && source[i] !== quote) {
    const ch = source[i]!;
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    if (i + 1 >= source.length) break;
    const next = source[i + 1]!;
    if (quote === '`') {
      value += next === '`' ? '`' : '\\' + next;
      i += 2;
      continue;
    }
    const decoded = decodeEscape(source, i);
    value += decoded.text;
    i = decoded.end;
  }
  if (i >= source.length) illegal(start);
  return { value, end: i + 1 };
}

function decodeEscape(source: string, at: number): { text: string; end: number } {
  const next = source[at + 1]!;
  const hex = (len: number): { text: string; end: number } | undefined => {
    const digits = source.slice(at + 2, at + 2 + len);
    if (digits.length === len && /^[0-9a-fA-F]+$/.test(digits)) {
      return { text: String.fromCodePoint(parseInt(digits, 16)), end: at + 2 + len };
    }
    return undefined;
  };
  const fromHex = next === 'x' ? hex(2) : next === 'u' ? hex(4) : next === 'U' ? hex(8) : undefined;
  if (fromHex) return fromHex;
  const octal = /^[0-7]{1,3}/.exec(source.slice(at + 1));
  if (octal) return { text: String.fromCodePoint(parseInt(octal[0], 8)), end: at + 1 + octal[0].length };
  const single = SINGLE_ESCAPES[next];
  if (single !== undefined) return { text: single, end: at + 2 };
  return { text: '\\' + next, end: at + 2 };
}
