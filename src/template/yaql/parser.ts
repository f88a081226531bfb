/**
 * yaql parser (precedence climbing over the operator table of yaql/language/factory.py):
 * `.` `?.` > `[]` > unary `+ -` > `=~ !~` > `* / mod` > `+ -` > comparisons and `in` > `not` > `and` > `or` > `->`.
 * Error messages reproduce yaql's: `Parse error: unexpected 'x' at position N of expression '…'`
 * and `Parse error: unexpected end of statement`.
 */
import type { ArgumentNode, YaqlNode } from './ast.js';
import { YaqlSyntaxError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { pyStr } from './values.js';

interface BinaryOperator {
  readonly power: number;
  readonly rightAssociative?: boolean;
}

/** Binary operators and their binding power (higher binds tighter). */
const BINARY: Readonly<Record<string, BinaryOperator>> = {
  '.': { power: 100 },
  '?.': { power: 100 },
  '=~': { power: 70 },
  '!~': { power: 70 },
  '*': { power: 60 },
  '/': { power: 60 },
  mod: { power: 60 },
  '+': { power: 50 },
  '-': { power: 50 },
  '>': { power: 40 },
  '<': { power: 40 },
  '>=': { power: 40 },
  '<=': { power: 40 },
  '!=': { power: 40 },
  '=': { power: 40 },
  in: { power: 40 },
  and: { power: 20 },
  or: { power: 10 },
  '->': { power: 5, rightAssociative: true },
};
const INDEXER_POWER = 90;
const PREFIX_POWER: Readonly<Record<string, number>> = { '+': 80, '-': 80, not: 30 };

/** Parses a yaql expression into an AST; throws {@link YaqlSyntaxError}. */
export function parseExpression(source: string): YaqlNode {
  return new Parser(source).parseStatement();
}

class Parser {
  private readonly tokens: Token[];
  private index = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseStatement(): YaqlNode {
    const node = this.parseExpression(0);
    if (this.peek().kind !== 'eof') this.unexpected(this.peek());
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    return this.tokens[this.index++]!;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.unexpected(this.peek());
    this.index++;
  }

  private unexpected(token: Token): never {
    if (token.kind === 'eof') throw new YaqlSyntaxError('Parse error: unexpected end of statement');
    const shown =
      token.kind === 'number' ||
      token.kind === 'string' ||
      token.kind === 'true' ||
      token.kind === 'false' ||
      token.kind === 'null'
        ? pyStr(token.value)
        : token.text;
    throw new YaqlSyntaxError(
      `Parse error: unexpected '${shown}' at position ${token.position} of expression '${this.source}'`,
      token.position,
    );
  }

  private parseExpression(minPower: number): YaqlNode {
    let left = this.parsePrefix();
    for (;;) {
      const token = this.peek();
      if (token.kind === 'op' && token.text === '[') {
        if (INDEXER_POWER <= minPower) break;
        this.index++;
        left = { type: 'index', target: left, args: this.parseArguments(']') };
        continue;
      }
      const operator = token.kind === 'op' ? BINARY[token.text] : undefined;
      if (operator === undefined || operator.power <= minPower) break;
      this.index++;
      const right = this.parseExpression(operator.rightAssociative ? operator.power - 1 : operator.power);
      left = { type: 'binary', operator: token.text, left, right };
    }
    return left;
  }

  private parsePrefix(): YaqlNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
      case 'string':
      case 'true':
      case 'false':
      case 'null':
        return { type: 'constant', value: token.value, keyword: false };
      case 'keyword':
        return { type: 'constant', value: token.text, keyword: true };
      case 'dollar':
        return { type: 'context', name: token.text };
      case 'func':
        return { type: 'call', name: token.text, args: this.parseArguments(')') };
      case 'punct':
        if (token.text === '(') {
          const expression = this.parseExpression(0);
          this.expectPunct(')');
          return { type: 'wrap', expression };
        }
        break;
      case 'op': {
        if (token.text === '[') return { type: 'list', args: this.parseArguments(']') };
        if (token.text === '{') return { type: 'map', args: this.parseArguments('}') };
        const power = PREFIX_POWER[token.text];
        if (power !== undefined) {
          return { type: 'unary', operator: token.text, operand: this.parseExpression(power) };
        }
        break;
      }
      default:
        break;
    }
    return this.unexpected(token);
  }

  /** Parses `args closing` (the opening token is consumed): positional args, then `name => value` args. */
  private parseArguments(closing: string): ArgumentNode[] {
    const args: ArgumentNode[] = [];
    if (this.isPunct(closing)) {
      this.index++;
      return args;
    }
    let named = false;
    for (;;) {
      if (!named && this.isPunct(',')) {
        this.index++;
        args.push({ type: 'skipped' });
        continue;
      }
      const value = this.parseExpression(0);
      const token = this.peek();
      if (token.kind === 'op' && token.text === '=>') {
        this.index++;
        args.push({ type: 'mapping', source: value, destination: this.parseExpression(0) });
        named = true;
      } else if (named) {
        this.unexpected(token);
      } else {
        args.push(value);
      }
      if (!this.isPunct(',')) break;
      this.index++;
      if (this.isPunct(closing)) this.unexpected(this.peek());
    }
    this.expectPunct(closing);
    return args;
  }
}
