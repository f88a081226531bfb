/** yaql collection functions (yaql/standard_library/collections.py): lists, dicts, membership, length. */
import { YaqlEvaluationError } from '../errors.js';
import { HARD_ITERATION_CAP, collectionTooLarge, iterateLimited, toArrayLimited } from '../limits.js';
import { isIterable, LazySeq, MappingRule, pyEquals, YDict } from '../values.js';
import { opt, p, type FunctionSpec, type YaqlLambda } from './spec.js';

function lazy(produce: () => Iterable<unknown>): LazySeq {
  return new LazySeq(produce);
}

function* flattenDeep(collection: Iterable<unknown>): Generator<unknown> {
  for (const item of collection) {
    if (isIterable(item)) yield* flattenDeep(iterateLimited(item));
    else yield item;
  }
}

function countUnlimited(collection: Iterable<unknown>): number {
  let count = 0;
  for (const _item of collection) {
    if (++count > HARD_ITERATION_CAP) throw collectionTooLarge(HARD_ITERATION_CAP);
  }
  return count;
}

function pairOf(item: unknown): [unknown, unknown] {
  const parts = typeof item === 'string' ? [...item] : isIterable(item) ? toArrayLimited(item) : [];
  if (parts.length < 2) throw new YaqlEvaluationError('StopIteration: dict() item needs a key and a value');
  return [parts[0], parts[1]];
}

/** Collection functions. */
export const collectionFunctions: FunctionSpec[] = [
  {
    name: 'list',
    summary: 'list(a, b, …) → [a, b, …]; iterator arguments (e.g. range()) are expanded',
    overloads: [
      {
        usage: 'function',
        params: [p('args', 'any', { rest: true })],
        run: ([args]) =>
          toArrayLimited(
            lazy(() => (args as unknown[]).flatMap((a) => (a instanceof LazySeq ? [...a] : [a]))),
          ),
      },
    ],
  },
  {
    name: 'toList',
    summary: 'collection.toList() → list',
    overloads: [
      {
        usage: 'method',
        params: [p('collection', 'iterable')],
        run: ([c]) => toArrayLimited(c as Iterable<unknown>),
      },
    ],
  },
  {
    name: 'flatten',
    summary: '[[1, [2]], 3].flatten() → [1, 2, 3]',
    overloads: [
      {
        usage: 'method',
        params: [p('collection', 'iterable')],
        run: ([c]) => lazy(() => flattenDeep(c as Iterable<unknown>)),
      },
    ],
  },
  {
    name: 'dict',
    noKwargs: true,
    summary: "dict(a => 1, b => 2) → {'a': 1, 'b': 2}; dict([[k, v], …]) from pairs",
    overloads: [
      {
        usage: 'function',
        params: [p('args', 'mappingRule', { rest: true })],
        run: ([rules]) => YDict.from((rules as MappingRule[]).map((r) => [r.source, r.destination] as const)),
      },
      {
        usage: 'function',
        params: [p('items', 'iterable')],
        run: ([items]) => YDict.from([...(items as Iterable<unknown>)].map(pairOf)),
      },
    ],
  },
  {
    name: 'toDict',
    summary: 'collection.toDict(keySelector, valueSelector?) → dict',
    overloads: [
      {
        usage: 'method',
        params: [p('collection', 'iterable'), p('keySelector', 'lambda'), opt('valueSelector', 'lambda')],
        run: ([c, key, value]) =>
          YDict.from(
            [...(c as Iterable<unknown>)].map(
              (t) => [(key as YaqlLambda)(t), value ? (value as YaqlLambda)(t) : t] as const,
            ),
          ),
      },
    ],
  },
  {
    name: 'get',
    summary: 'dict.get(key, default => null) → value or default',
    overloads: [
      {
        usage: 'method',
        params: [p('dict', 'dict'), p('key', 'any'), opt('default', 'any')],
        run: ([d, key, fallback]) => {
          const dict = d as YDict;
          return dict.has(key) ? dict.get(key) : (fallback ?? null);
        },
      },
    ],
  },
  {
    name: 'set',
    noKwargs: true,
    summary: 'dict.set(key, value) / dict.set(otherDict) / dict.set(k => v, …) → new dict',
    overloads: [
      {
        usage: 'method',
        params: [p('dict', 'dict'), p('replacements', 'dict')],
        run: ([d, r]) => YDict.from([...(d as YDict).pairs(), ...(r as YDict).pairs()]),
      },
      {
        usage: 'method',
        params: [p('dict', 'dict'), p('args', 'mappingRule', { rest: true })],
        run: ([d, rules]) =>
          YDict.from([
            ...(d as YDict).pairs(),
            ...(rules as MappingRule[]).map((r) => [r.source, r.destination] as [unknown, unknown]),
          ]),
      },
      {
        usage: 'method',
        params: [p('dict', 'dict'), p('key', 'any'), p('value', 'any')],
        run: ([d, key, value]) => YDict.from([...(d as YDict).pairs(), [key, value]]),
      },
    ],
  },
  {
    name: 'keys',
    summary: 'dict.keys() → keys in insertion order',
    overloads: [
      { usage: 'method', params: [p('dict', 'dict')], run: ([d]) => lazy(() => (d as YDict).keys()) },
    ],
  },
  {
    name: 'values',
    summary: 'dict.values() → values in insertion order',
    overloads: [
      { usage: 'method', params: [p('dict', 'dict')], run: ([d]) => lazy(() => (d as YDict).values()) },
    ],
  },
  {
    name: 'items',
    summary: 'dict.items() → [[key, value], …]',
    overloads: [
      { usage: 'method', params: [p('dict', 'dict')], run: ([d]) => lazy(() => (d as YDict).pairs()) },
    ],
  },
  {
    name: 'contains',
    summary: 'collection.contains(value) → bool',
    overloads: [
      {
        usage: 'method',
        params: [p('collection', 'iterable'), p('value', 'any')],
        run: ([c, value]) => [...(c as Iterable<unknown>)].some((item) => pyEquals(item, value)),
      },
    ],
  },
  {
    name: 'containsKey',
    summary: 'dict.containsKey(key) → bool',
    overloads: [
      { usage: 'method', params: [p('dict', 'dict'), p('key', 'any')], run: ([d, k]) => (d as YDict).has(k) },
    ],
  },
  {
    name: 'containsValue',
    summary: 'dict.containsValue(value) → bool',
    overloads: [
      {
        usage: 'method',
        params: [p('dict', 'dict'), p('value', 'any')],
        run: ([d, v]) => (d as YDict).values().some((item) => pyEquals(item, v)),
      },
    ],
  },
  {
    name: 'len',
    summary: 'len(x) / x.len(): length of a string, list, dict or iterator',
    overloads: [
      { usage: 'both', params: [p('dict', 'dict')], run: ([d]) => (d as YDict).size },
      { usage: 'both', params: [p('sequence', 'sequence')], run: ([s]) => (s as unknown[]).length },
      { usage: 'both', params: [p('string', 'string')], run: ([s]) => [...(s as string)].length },
      { usage: 'both', params: [p('collection', 'iterator')], run: ([c]) => countUnlimited(c as LazySeq) },
    ],
  },
  {
    name: 'isList',
    summary: 'isList(x) → true for lists',
    overloads: [{ usage: 'function', params: [p('arg', 'any')], run: ([x]) => Array.isArray(x) }],
  },
  {
    name: 'isDict',
    summary: 'isDict(x) → true for dicts',
    overloads: [{ usage: 'function', params: [p('arg', 'any')], run: ([x]) => x instanceof YDict }],
  },
];
