/**
 * Evaluates a yaql AST. Operators and functions resolve like yaql's overloads: the library's
 * {@link FunctionSpec}s are matched by usage (function vs method), arity, named arguments and types.
 */
import type { ArgumentNode, CallNode, YaqlNode } from './ast.js';
import { YaqlEvaluationError } from './errors.js';
import { library, unsupportedFunctionError } from './library/index.js';
import { regexMatches } from './library/regex.js';
import {
  fitsType,
  type CallEnvironment,
  type FunctionSpec,
  type Overload,
  type Param,
} from './library/spec.js';
import { iterateLimited, limitValueMemory, toArrayLimited } from './limits.js';
import { applyBinaryOperator, applyUnaryOperator, attribute, index } from './operators.js';
import { Scope } from './scope.js';
import { LazySeq, MappingRule, pyStr, truthy } from './values.js';

/** Marks "no receiver": a plain function call. */
const NO_RECEIVER: unique symbol = Symbol('no receiver');
type Receiver = unknown;

/** Evaluates a node in a scope. */
export function evaluateNode(node: YaqlNode, scope: Scope): unknown {
  switch (node.type) {
    case 'constant':
      return node.value;
    case 'context':
      return checked(scope.get(node.name));
    case 'wrap':
      return evaluateNode(node.expression, scope);
    case 'call':
      return invoke(node, scope, NO_RECEIVER);
    case 'unary':
      return checked(applyUnaryOperator(node.operator, evaluateNode(node.operand, scope)));
    case 'binary':
      return checked(evaluateBinary(node.operator, node.left, node.right, scope));
    case 'index':
      return checked(
        index(evaluateNode(node.target, scope), evaluatePlainArgs(node.args, scope, '#indexer')),
      );
    case 'list':
      return checked(evaluatePlainArgs(node.args, scope, '#list'));
    case 'map':
      return checked(buildMap(node.args, scope));
  }
}

function checked<T>(value: T): T {
  limitValueMemory(value);
  return value;
}

function evaluateBinary(operator: string, leftNode: YaqlNode, rightNode: YaqlNode, scope: Scope): unknown {
  switch (operator) {
    case 'and': {
      const left = evaluateNode(leftNode, scope);
      return truthy(left) ? evaluateNode(rightNode, scope) : left;
    }
    case 'or': {
      const left = evaluateNode(leftNode, scope);
      return truthy(left) ? left : evaluateNode(rightNode, scope);
    }
    case '.':
    case '?.': {
      const receiver = evaluateNode(leftNode, scope);
      if (operator === '?.' && receiver === null) return null;
      if (rightNode.type === 'call') return invoke(rightNode, scope, receiver);
      if (rightNode.type === 'constant' && rightNode.keyword)
        return attribute(receiver, String(rightNode.value));
      throw new YaqlEvaluationError('No function "#operator_." matches supplied arguments');
    }
    case '->': {
      const left = evaluateNode(leftNode, scope);
      if (!(left instanceof Scope))
        throw new YaqlEvaluationError('No function "#operator_->" matches supplied arguments');
      return evaluateNode(rightNode, left.child());
    }
    case '=~':
      return regexMatches(evaluateNode(leftNode, scope), evaluateNode(rightNode, scope));
    case '!~':
      return !regexMatches(evaluateNode(leftNode, scope), evaluateNode(rightNode, scope));
    default:
      return applyBinaryOperator(operator, evaluateNode(leftNode, scope), evaluateNode(rightNode, scope));
  }
}

/** Arguments of `#list` / `#indexer`: positional values only (no `=>`, no skipped arguments). */
function evaluatePlainArgs(args: readonly ArgumentNode[], scope: Scope, name: string): unknown[] {
  return args.map((arg) => {
    if (arg.type === 'mapping')
      throw new YaqlEvaluationError(`No function "${name}" matches supplied arguments`);
    if (arg.type === 'skipped')
      throw new YaqlEvaluationError(`No function "${name}" matches supplied arguments`);
    return evaluateNode(arg, scope);
  });
}

function buildMap(args: readonly ArgumentNode[], scope: Scope): unknown {
  const rules = args.map((arg) => {
    if (arg.type !== 'mapping')
      throw new YaqlEvaluationError('No function "#map" matches supplied arguments');
    return new MappingRule(evaluateNode(arg.source, scope), evaluateNode(arg.destination, scope));
  });
  return callFunction('dict', rules, scope, false);
}

/** A lazily evaluated, memoized argument. */
interface ArgumentSlot {
  readonly node: YaqlNode | undefined;
  value(): unknown;
}

function slotOf(node: YaqlNode | undefined, scope: Scope): ArgumentSlot {
  let evaluated = false;
  let value: unknown;
  return {
    node,
    value() {
      if (!evaluated) {
        value = node === undefined ? undefined : evaluateNode(node, scope);
        evaluated = true;
      }
      return value;
    },
  };
}

function valueSlot(value: unknown): ArgumentSlot {
  return { node: undefined, value: () => value };
}

function invoke(node: CallNode, scope: Scope, receiver: Receiver | typeof NO_RECEIVER): unknown {
  const spec = library.get(node.name);
  const positional: ArgumentSlot[] = receiver === NO_RECEIVER ? [] : [valueSlot(receiver)];
  const named = new Map<string, ArgumentSlot>();
  for (const arg of node.args) {
    if (arg.type === 'skipped') {
      positional.push(valueSlot(undefined));
    } else if (arg.type === 'mapping') {
      if (spec?.noKwargs) {
        const rule = arg;
        positional.push({
          node: undefined,
          value: () =>
            new MappingRule(evaluateNode(rule.source, scope), evaluateNode(rule.destination, scope)),
        });
      } else if (arg.source.type === 'constant' && arg.source.keyword) {
        named.set(String(arg.source.value), slotOf(arg.destination, scope));
      } else {
        throw new YaqlEvaluationError('Cannot convert mapping to keyword argument');
      }
    } else {
      positional.push(slotOf(arg, scope));
    }
  }
  return resolveAndRun(node.name, spec, positional, named, scope, receiver);
}

/** Calls a library function with already evaluated arguments (yaql's delegates). */
export function callFunction(
  name: string,
  args: readonly unknown[],
  scope: Scope,
  asMethod: boolean,
): unknown {
  const slots = args.map(valueSlot);
  return resolveAndRun(name, library.get(name), slots, new Map(), scope, asMethod ? args[0] : NO_RECEIVER);
}

function resolveAndRun(
  name: string,
  spec: FunctionSpec | undefined,
  positional: ArgumentSlot[],
  named: Map<string, ArgumentSlot>,
  scope: Scope,
  receiver: Receiver | typeof NO_RECEIVER,
): unknown {
  const isMethod = receiver !== NO_RECEIVER;
  if (spec === undefined) throw unsupportedFunctionError(name, isMethod ? pyStr(receiver) : undefined);
  const candidates = spec.overloads.filter(
    (o) => o.usage === 'both' || o.usage === (isMethod ? 'method' : 'function'),
  );
  if (candidates.length === 0) {
    throw new YaqlEvaluationError(
      isMethod ? `Unknown method "${name}" for receiver ${pyStr(receiver)}` : `Unknown function "${name}"`,
    );
  }
  for (const overload of candidates) {
    const bound = bind(overload, positional, named);
    if (bound !== undefined) {
      const env = environment(scope);
      const args = bound.map((slots, i) => convert(slots, overload.params[i]!, scope));
      if (overload.namedRest) {
        const extra = new Map<string, unknown>();
        for (const [key, slot] of named) {
          if (!overload.params.some((param) => param.name === key)) extra.set(key, slot.value());
        }
        args.push(extra);
      }
      return checked(overload.run(args, env));
    }
  }
  throw new YaqlEvaluationError(
    isMethod
      ? `No method "${name}" for receiver ${pyStr(receiver)} matches supplied arguments`
      : `No function "${name}" matches supplied arguments`,
  );
}

function environment(scope: Scope): CallEnvironment {
  return { scope, call: (name, args, asMethod = false) => callFunction(name, args, scope, asMethod) };
}

/** Maps argument slots to parameters and type-checks eager ones; `undefined` when the overload does not fit. */
function bind(
  overload: Overload,
  positional: readonly ArgumentSlot[],
  named: ReadonlyMap<string, ArgumentSlot>,
): (ArgumentSlot | ArgumentSlot[] | undefined)[] | undefined {
  const params = overload.params;
  const bound: (ArgumentSlot | ArgumentSlot[] | undefined)[] = [];
  let next = 0;
  for (const param of params) {
    if (param.rest) {
      bound.push(positional.slice(next));
      next = positional.length;
    } else if (next < positional.length) {
      bound.push(positional[next++]);
    } else {
      bound.push(named.get(param.name));
    }
  }
  if (next < positional.length) return undefined;
  for (const key of named.keys()) {
    const param = params.findIndex((candidate) => candidate.name === key && !candidate.rest);
    if (param < 0 && overload.namedRest) continue;
    if (param < 0 || (bound[param] !== undefined && bound[param] !== named.get(key))) return undefined;
  }
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const slot = bound[i];
    if (param.rest) {
      if (!(slot as ArgumentSlot[]).every((s) => fits(s, param))) return undefined;
      continue;
    }
    const omitted = slot === undefined || isSkipped(slot as ArgumentSlot);
    if (omitted) {
      if (!param.optional) return undefined;
      bound[i] = undefined;
      continue;
    }
    if (!fits(slot as ArgumentSlot, param)) return undefined;
  }
  return bound;
}

function isSkipped(slot: ArgumentSlot): boolean {
  return slot.node === undefined && slot.value() === undefined;
}

function fits(slot: ArgumentSlot, param: Param): boolean {
  if (param.type === 'lambda') return slot.node !== undefined || slot.value() !== undefined;
  return fitsType(slot.value(), param);
}

/** Turns a bound slot into the value the implementation receives (lambdas, limited iterables). */
function convert(slot: ArgumentSlot | ArgumentSlot[] | undefined, param: Param, scope: Scope): unknown {
  if (slot === undefined) return undefined;
  if (Array.isArray(slot)) return slot.map((s) => convertOne(s, param, scope));
  return convertOne(slot, param, scope);
}

function convertOne(slot: ArgumentSlot, param: Param, scope: Scope): unknown {
  if (param.type === 'lambda') {
    const node = slot.node;
    if (node === undefined) {
      const constant = slot.value();
      return typeof constant === 'function' ? constant : () => constant;
    }
    return (...values: unknown[]) => {
      const child = scope.child();
      values.forEach((value, i) => child.set(`$${i + 1}`, value));
      return evaluateNode(node, child);
    };
  }
  const value = slot.value();
  limitValueMemory(value);
  if (param.type === 'iterable') return limitedIterable(value as unknown[] | LazySeq);
  return value;
}

function limitedIterable(value: unknown[] | LazySeq): unknown[] | LazySeq {
  if (Array.isArray(value)) return toArrayLimited(value);
  return new LazySeq(() => iterateLimited(value));
}
