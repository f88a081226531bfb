/** yaql query functions (yaql/standard_library/queries.py): select/where/orderBy/aggregates/range… */
import { YaqlEvaluationError } from '../errors.js';
import { toArrayLimited } from '../limits.js';
import { compare } from '../operators.js';
import { hashKey, isIterable, LazySeq, pyEquals, truthy } from '../values.js';
import { applyBinaryOperator } from '../operators.js';
import { opt, p, type FunctionSpec, type Overload, type YaqlLambda } from './spec.js';

type Items = Iterable<unknown>;

function lazy(produce: () => Iterable<unknown>): LazySeq {
  return new LazySeq(produce);
}

/** The result of orderBy(): sortable further with thenBy(). */
export class OrderedSeq extends LazySeq {
  constructor(
    readonly source: Items,
    readonly fields: readonly { readonly selector: YaqlLambda; readonly ascending: boolean }[],
  ) {
    super(() => sortItems(source, fields));
  }
}

function sortItems(source: Items, fields: OrderedSeq['fields']): unknown[] {
  const keyed = [...source].map((item) => ({ item, keys: fields.map((f) => f.selector(item)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      let result = compare('<', a.keys[i], b.keys[i]) ? -1 : compare('>', a.keys[i], b.keys[i]) ? 1 : 0;
      if (result === 0) continue;
      if (!fields[i]!.ascending) result = -result;
      return result;
    }
    return 0;
  });
  return keyed.map((entry) => entry.item);
}

function aggregate(
  items: Items,
  reducer: (a: unknown, b: unknown) => unknown,
  seed: unknown,
  what: string,
): unknown {
  let hasValue = seed !== undefined;
  let accumulator = seed;
  for (const item of items) {
    accumulator = hasValue ? reducer(accumulator, item) : item;
    hasValue = true;
  }
  if (!hasValue)
    throw new YaqlEvaluationError(`TypeError: ${what}() of empty sequence with no initial value`);
  return accumulator;
}

function emptyError(): YaqlEvaluationError {
  return new YaqlEvaluationError('StopIteration: the collection is empty');
}

function method(params: Overload['params'], run: Overload['run']): Overload {
  return { usage: 'method', params, run };
}

function both(params: Overload['params'], run: Overload['run']): Overload {
  return { usage: 'both', params, run };
}

const collection = p('collection', 'iterable');

function orderBy(ascending: boolean): Overload {
  return method([collection, p('selector', 'lambda')], ([c, selector]) => {
    return new OrderedSeq(c as Items, [{ selector: selector as YaqlLambda, ascending }]);
  });
}

function thenBy(ascending: boolean): Overload {
  return method([p('collection', 'iterator'), p('selector', 'lambda')], ([c, selector]) => {
    if (!(c instanceof OrderedSeq)) throw new YaqlEvaluationError('thenBy() must follow orderBy()');
    return new OrderedSeq(c.source, [...c.fields, { selector: selector as YaqlLambda, ascending }]);
  });
}

function range(start: number, stop: number, step: number): LazySeq {
  if (step === 0) throw new YaqlEvaluationError('ValueError: range() arg 3 must not be zero');
  return lazy(function* () {
    for (let i = start; step > 0 ? i < stop : i > stop; i += step) yield i;
  });
}

function indexWhere(items: Items, predicate: (item: unknown) => boolean, last: boolean): number {
  let found = -1;
  let i = 0;
  for (const item of items) {
    if (predicate(item)) {
      found = i;
      if (!last) return found;
    }
    i++;
  }
  return found;
}

function groupBy(items: Items, keyOf: YaqlLambda, valueOf?: YaqlLambda, aggregator?: YaqlLambda): LazySeq {
  const groups = new Map<string, [unknown, unknown[]]>();
  for (const item of items) {
    const key = keyOf(item);
    const hash = hashKey(key);
    const group = groups.get(hash) ?? [key, []];
    group[1].push(valueOf ? valueOf(item) : item);
    groups.set(hash, group);
  }
  return lazy(() =>
    [...groups.values()].map(([key, values]) => [key, aggregator ? aggregator(values) : values]),
  );
}

function selectMany(items: Items, selector: YaqlLambda): LazySeq {
  return lazy(function* () {
    for (const item of items) {
      const inner = selector(item);
      if (isIterable(inner)) yield* inner;
      else yield inner;
    }
  });
}

function larger(a: unknown, b: unknown): unknown {
  return compare('>', b, a) ? b : a;
}

function smaller(a: unknown, b: unknown): unknown {
  return compare('>', b, a) ? a : b;
}

/** Query functions. */
export const queryFunctions: FunctionSpec[] = [
  {
    name: 'select',
    summary: '$.list.select($ * 2): project each item ($ is the item)',
    overloads: [
      method([collection, p('selector', 'lambda')], ([c, f]) =>
        lazy(() => [...(c as Items)].map((t) => (f as YaqlLambda)(t))),
      ),
    ],
  },
  {
    name: 'where',
    summary: '$.list.where($ > 2): keep items for which the predicate is true',
    overloads: [
      method([collection, p('predicate', 'lambda')], ([c, f]) =>
        lazy(() => [...(c as Items)].filter((t) => truthy((f as YaqlLambda)(t)))),
      ),
    ],
  },
  {
    name: 'skip',
    summary: 'collection.skip(n): all but the first n items',
    overloads: [
      method([collection, p('count', 'int')], ([c, n]) =>
        lazy(() => [...(c as Items)].slice(Math.max(n as number, 0))),
      ),
    ],
  },
  {
    name: 'take',
    summary: 'collection.take(n) (alias limit): the first n items',
    overloads: [
      method([collection, p('count', 'int')], ([c, n]) =>
        lazy(function* () {
          if ((n as number) <= 0) return;
          let taken = 0;
          for (const item of c as Items) {
            yield item;
            if (++taken >= (n as number)) return;
          }
        }),
      ),
    ],
  },
  {
    name: 'append',
    summary: 'collection.append(a, b): the items followed by a and b',
    overloads: [
      both([collection, p('args', 'any', { rest: true })], ([c, args]) =>
        lazy(() => [...(c as Items), ...(args as unknown[])]),
      ),
    ],
  },
  {
    name: 'distinct',
    summary: 'collection.distinct(keySelector?): first occurrence of each (key) value',
    overloads: [
      both([collection, opt('keySelector', 'lambda')], ([c, f]) =>
        lazy(() => {
          const seen = new Set<string>();
          return [...(c as Items)].filter((t) => {
            const hash = hashKey(f ? (f as YaqlLambda)(t) : t);
            if (seen.has(hash)) return false;
            seen.add(hash);
            return true;
          });
        }),
      ),
    ],
  },
  {
    name: 'enumerate',
    summary: 'collection.enumerate(start => 0) → [[0, a], [1, b], …]',
    overloads: [
      both([collection, opt('start', 'int')], ([c, start]) =>
        lazy(() => [...(c as Items)].map((t, i) => [i + ((start as number | undefined) ?? 0), t])),
      ),
    ],
  },
  {
    name: 'any',
    summary: 'collection.any(predicate?) → true if any item (matches)',
    overloads: [
      both([collection, opt('predicate', 'lambda')], ([c, f]) =>
        [...(c as Items)].some((t) => (f ? truthy((f as YaqlLambda)(t)) : true)),
      ),
    ],
  },
  {
    name: 'all',
    summary: 'collection.all(predicate?) → true if every item is (matches) true',
    overloads: [
      both([collection, opt('predicate', 'lambda')], ([c, f]) =>
        [...(c as Items)].every((t) => truthy(f ? (f as YaqlLambda)(t) : t)),
      ),
    ],
  },
  {
    name: 'count',
    summary: 'collection.count() → number of items',
    overloads: [method([collection], ([c]) => [...(c as Items)].length)],
  },
  {
    name: 'sum',
    summary: '$.list.sum(initial?) → sum with + (numbers, strings or lists)',
    overloads: [
      method([collection, opt('initial', 'any')], ([c, seed]) =>
        aggregate(c as Items, (a, b) => applyBinaryOperator('+', a, b), seed, 'reduce'),
      ),
    ],
  },
  {
    name: 'max',
    summary: '$.list.max(initial?) → largest item; max(a, b) → larger value',
    overloads: [
      method([collection, opt('initial', 'any')], ([c, seed]) =>
        aggregate(c as Items, larger, seed, 'reduce'),
      ),
      { usage: 'function', params: [p('a', 'any'), p('b', 'any')], run: ([a, b]) => larger(a, b) },
    ],
  },
  {
    name: 'min',
    summary: '$.list.min(initial?) → smallest item; min(a, b) → smaller value',
    overloads: [
      method([collection, opt('initial', 'any')], ([c, seed]) =>
        aggregate(c as Items, smaller, seed, 'reduce'),
      ),
      { usage: 'function', params: [p('a', 'any'), p('b', 'any')], run: ([a, b]) => smaller(a, b) },
    ],
  },
  {
    name: 'first',
    summary: 'collection.first(default?) → first item (error if empty without default)',
    overloads: [
      method([collection, opt('default', 'any')], ([c, fallback]) => {
        for (const item of c as Items) return item;
        if (fallback === undefined) throw emptyError();
        return fallback;
      }),
    ],
  },
  {
    name: 'last',
    summary: 'collection.last(default?) → last item (error if empty without default)',
    overloads: [
      method([collection, opt('default', 'any')], ([c, fallback]) => {
        const items = [...(c as Items)];
        if (items.length > 0) return items[items.length - 1];
        if (fallback === undefined) throw emptyError();
        return fallback;
      }),
    ],
  },
  {
    name: 'single',
    summary: 'collection.single() → the only item (error otherwise)',
    overloads: [
      method([collection], ([c]) => {
        const items = [...(c as Items)];
        if (items.length === 0) throw emptyError();
        if (items.length > 1)
          throw new YaqlEvaluationError('StopIteration: Collection contains more than one item');
        return items[0];
      }),
    ],
  },
  {
    name: 'selectMany',
    summary: 'collection.selectMany(selector): select, then flatten one level',
    overloads: [
      method([collection, p('selector', 'lambda')], ([c, f]) => selectMany(c as Items, f as YaqlLambda)),
    ],
  },
  {
    name: 'range',
    summary: 'range(stop) / range(start, stop, step => 1) → integers (lazy)',
    overloads: [
      { usage: 'function', params: [p('stop', 'int')], run: ([stop]) => range(0, stop as number, 1) },
      {
        usage: 'function',
        params: [p('start', 'int'), p('stop', 'int'), opt('step', 'int')],
        run: ([start, stop, step]) =>
          range(start as number, stop as number, (step as number | undefined) ?? 1),
      },
    ],
  },
  {
    name: 'orderBy',
    summary: 'collection.orderBy(selector): ascending stable sort by key',
    overloads: [orderBy(true)],
  },
  {
    name: 'orderByDescending',
    summary: 'collection.orderByDescending(selector)',
    overloads: [orderBy(false)],
  },
  {
    name: 'thenBy',
    summary: 'orderBy(…).thenBy(selector): secondary ascending key',
    overloads: [thenBy(true)],
  },
  { name: 'thenByDescending', summary: 'orderBy(…).thenByDescending(selector)', overloads: [thenBy(false)] },
  {
    name: 'groupBy',
    summary: 'collection.groupBy(keySelector, valueSelector?, aggregator?) → [[key, values], …]',
    overloads: [
      method(
        [collection, p('keySelector', 'lambda'), opt('valueSelector', 'lambda'), opt('aggregator', 'lambda')],
        ([c, k, v, a]) =>
          groupBy(c as Items, k as YaqlLambda, v as YaqlLambda | undefined, a as YaqlLambda | undefined),
      ),
    ],
  },
  {
    name: 'zip',
    summary: '[1, 2].zip([3, 4]) → [[1, 3], [2, 4]]',
    overloads: [
      method([p('collections', 'iterable', { rest: true })], ([cs]) =>
        lazy(() => {
          const lists = (cs as Items[]).map((c) => [...c]);
          const length = Math.min(...lists.map((l) => l.length));
          return Array.from({ length }, (_, i) => lists.map((l) => l[i]));
        }),
      ),
    ],
  },
  {
    name: 'takeWhile',
    summary: 'collection.takeWhile(predicate): leading items matching the predicate',
    overloads: [
      method([collection, p('predicate', 'lambda')], ([c, f]) =>
        lazy(() => {
          const items = [...(c as Items)];
          const end = items.findIndex((t) => !truthy((f as YaqlLambda)(t)));
          return end < 0 ? items : items.slice(0, end);
        }),
      ),
    ],
  },
  {
    name: 'skipWhile',
    summary: 'collection.skipWhile(predicate): items after the leading matching ones',
    overloads: [
      method([collection, p('predicate', 'lambda')], ([c, f]) =>
        lazy(() => {
          const items = [...(c as Items)];
          const start = items.findIndex((t) => !truthy((f as YaqlLambda)(t)));
          return start < 0 ? [] : items.slice(start);
        }),
      ),
    ],
  },
  {
    name: 'indexWhere',
    summary: 'collection.indexWhere(predicate) → first matching index or -1',
    overloads: [
      method([collection, p('predicate', 'lambda')], ([c, f]) =>
        indexWhere(c as Items, (t) => truthy((f as YaqlLambda)(t)), false),
      ),
    ],
  },
  {
    name: 'lastIndexWhere',
    summary: 'collection.lastIndexWhere(predicate) → last matching index or -1',
    overloads: [
      method([collection, p('predicate', 'lambda')], ([c, f]) =>
        indexWhere(c as Items, (t) => truthy((f as YaqlLambda)(t)), true),
      ),
    ],
  },
  {
    name: 'aggregate',
    summary: 'collection.aggregate($1 + $2, seed?) (alias reduce): left fold',
    overloads: [
      method([collection, p('selector', 'lambda'), opt('seed', 'any')], ([c, f, seed]) =>
        aggregate(c as Items, (a, b) => (f as YaqlLambda)(a, b), seed, 'reduce'),
      ),
    ],
  },
  {
    name: 'indexOf',
    summary: 'collection.indexOf(item) → first index or -1 (strings: indexOf(sub, start => 0))',
    overloads: [
      method([collection, p('item', 'any')], ([c, x]) =>
        indexWhere(c as Items, (t) => pyEquals(t, x), false),
      ),
    ],
  },
  {
    name: 'lastIndexOf',
    summary: 'collection.lastIndexOf(item) → last index or -1',
    overloads: [
      method([collection, p('item', 'any')], ([c, x]) => indexWhere(c as Items, (t) => pyEquals(t, x), true)),
    ],
  },
  {
    name: 'reverse',
    summary: 'collection.reverse() → items in reverse order',
    overloads: [
      method([collection], ([c]) =>
        lazy(() =>
          toArrayLimited(c as Items)
            .slice()
            .reverse(),
        ),
      ),
    ],
  },
  {
    name: 'concat',
    summary: "concat('a', 'b') → 'ab'; [1].concat([2], [3]) → [1, 2, 3]",
    overloads: [
      {
        usage: 'function',
        params: [p('args', 'string', { rest: true })],
        run: ([args]) => (args as string[]).join(''),
      },
      both([p('collections', 'iterable', { rest: true })], ([cs]) =>
        lazy(() => (cs as Items[]).flatMap((c) => [...c])),
      ),
    ],
  },
  {
    name: 'defaultIfEmpty',
    summary: 'collection.defaultIfEmpty(default) → default when the collection is empty',
    overloads: [
      method([collection, p('default', 'iterable')], ([c, d]) => ([...(c as Items)].length === 0 ? d : c)),
    ],
  },
];

/** yaql aliases registered under a second name. */
export const QUERY_ALIASES: Readonly<Record<string, string>> = {
  map: 'select',
  filter: 'where',
  limit: 'take',
  reduce: 'aggregate',
};
