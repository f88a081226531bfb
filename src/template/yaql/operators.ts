/**
 * yaql operators with the standard library's semantics (math.py, strings.py, collections.py, common.py):
 * which operand types each accepts, Python results, and yaql's error when no overload matches.
 */
import { YaqlEvaluationError } from './errors.js';
import { iterateLimited, limitMemory, approximateSize } from './limits.js';
import { arithmetic, divide, isInt, isNumber, modulo, numberValue, PyFloat } from './numbers.js';
import { isIterable, LazySeq, pyEquals, pyRepr, truthy, YDict } from './values.js';

function noMatch(name: string): YaqlEvaluationError {
  return new YaqlEvaluationError(`No function "${name}" matches supplied arguments`);
}

/** Applies a binary operator (other than `.`, `?.`, `and`, `or`, `->`) to evaluated operands. */
export function applyBinaryOperator(operator: string, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '+':
      return plus(left, right);
    case '-':
      if (isNumber(left) && isNumber(right)) return arithmetic('-', left, right);
      throw noMatch('#operator_-');
    case '*':
      return times(left, right);
    case '/':
      if (isNumber(left) && isNumber(right)) return divide(left, right);
      throw noMatch('#operator_/');
    case 'mod':
      if (isNumber(left) && isNumber(right)) return modulo(left, right);
      throw noMatch('#operator_mod');
    case '=':
      return pyEquals(left, right);
    case '!=':
      return !pyEquals(left, right);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(operator, left, right);
    case 'in':
      return contains(right, left);
    default:
      throw new YaqlEvaluationError(`Operator '${operator}' is not supported by Hearth's yaql subset`);
  }
}

/** Applies a prefix operator. */
export function applyUnaryOperator(operator: string, operand: unknown): unknown {
  if (operator === 'not') return !truthy(operand);
  if (!isNumber(operand)) throw noMatch(`#unary_operator_${operator}`);
  if (operator === '+') return operand;
  return operand instanceof PyFloat ? new PyFloat(-operand.value) : -operand;
}

function plus(left: unknown, right: unknown): unknown {
  if (isNumber(left) && isNumber(right)) return arithmetic('+', left, right);
  if (typeof left === 'string' && typeof right === 'string') return left + right;
  if (Array.isArray(left) && Array.isArray(right)) {
    limitMemory(approximateSize(left), approximateSize(right));
    return [...left, ...right];
  }
  if (isIterable(left) && isIterable(right)) {
    return new LazySeq(function* () {
      yield* iterateLimited(left);
      yield* iterateLimited(right);
    });
  }
  if (left instanceof YDict && right instanceof YDict) return YDict.from([...left.pairs(), ...right.pairs()]);
  throw noMatch('#operator_+');
}

function times(left: unknown, right: unknown): unknown {
  if (isNumber(left) && isNumber(right)) return arithmetic('*', left, right);
  const [collection, count] = isInt(right) ? [left, right] : [right, left];
  if (isInt(count) && typeof collection === 'string') {
    const times = Math.max(count, 0);
    limitMemory(49 + times * (approximateSize(collection) - 49));
    return collection.repeat(times);
  }
  if (isInt(count) && Array.isArray(collection)) {
    const times = Math.max(count, 0);
    limitMemory(40 + times * (approximateSize(collection) - 40));
    return Array.from({ length: times }, () => collection).flat(1);
  }
  throw noMatch('#operator_*');
}

/** Ordering with yaql's null rules: null sorts before everything; numbers with numbers, strings with strings. */
export function compare(operator: '<' | '>' | '<=' | '>=', left: unknown, right: unknown): boolean {
  if (left === null || right === null) {
    if (left === null && right === null) return operator === '<=' || operator === '>=';
    const leftIsNull = left === null;
    return operator === '<' || operator === '<=' ? leftIsNull : !leftIsNull;
  }
  let a: number | string;
  let b: number | string;
  if (isNumber(left) && isNumber(right)) {
    a = numberValue(left);
    b = numberValue(right);
  } else if (typeof left === 'string' && typeof right === 'string') {
    a = left;
    b = right;
  } else {
    throw noMatch(`#operator_${operator}`);
  }
  switch (operator) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}

/** `value in collection` (iterables by equality, strings by substring). */
export function contains(collection: unknown, value: unknown): boolean {
  if (typeof collection === 'string' && typeof value === 'string') return collection.includes(value);
  if (isIterable(collection)) {
    for (const item of iterateLimited(collection)) if (pyEquals(item, value)) return true;
    return false;
  }
  throw noMatch('#operator_in');
}

/** `receiver.name` for a bare identifier: a dict key, or the attribute of every item of a collection. */
export function attribute(receiver: unknown, name: string): unknown {
  if (receiver instanceof YDict) {
    if (!receiver.has(name)) throw new YaqlEvaluationError(`KeyError: ${pyRepr(name)}`);
    return receiver.get(name);
  }
  if (isIterable(receiver)) {
    return new LazySeq(function* () {
      for (const item of iterateLimited(receiver)) yield attribute(item, name);
    });
  }
  throw new YaqlEvaluationError(`Unknown function "#property#${name}"`);
}

/** `target[args]`: sequence by int index (negative from the end), dict by key, `dict[key, default]`. */
export function index(target: unknown, args: readonly unknown[]): unknown {
  if (args.length === 1 && Array.isArray(target) && isInt(args[0])) {
    const position = args[0] < 0 ? target.length + args[0] : args[0];
    if (position < 0 || position >= target.length)
      throw new YaqlEvaluationError('IndexError: tuple index out of range');
    return target[position];
  }
  if (target instanceof YDict && args.length === 1) {
    if (!target.has(args[0])) throw new YaqlEvaluationError(`KeyError: ${pyRepr(args[0])}`);
    return target.get(args[0]);
  }
  if (target instanceof YDict && args.length === 2) {
    return target.has(args[0]) ? target.get(args[0]) : args[1];
  }
  throw noMatch('#indexer');
}
