import { describe, expect, it } from 'vitest';
import { parseYaql, YaqlEvaluationError, YaqlSyntaxError } from './index.js';

const servers = {
  servers: [
    { name: 'web', size: 2 },
    { name: 'db', size: 4 },
  ],
};
const nums = [4, 8, 15, 16, 23, 42];

/** [expression, data ($ is {data: data}), expected result] */
type Case = readonly [string, unknown, unknown];

const corpusCases: Case[] = [
  ['$.data.config.port', { config: { port: 8080, hosts: ['a', 'b'] } }, 8080], // 077
  ['$.data.config.hosts[1]', { config: { port: 8080, hosts: ['a', 'b'] } }, 'b'], // 077
  ['$.data.servers.select($.name)', servers, ['web', 'db']], // 078
  ['$.data.nums.where($ > 2)', { nums: [1, 5, 2, 7, 3] }, [5, 7, 3]], // 079
  ['$.data.len()', nums, 6], // 080
  ['$.data.sum()', nums, 108], // 080
  ['$.data.max()', nums, 42], // 080
  ['$.data.servers.toDict($.name, $.size)', servers, { web: 2, db: 4 }], // 081
  ['dict(a => 1, b => $.data.x)', { x: 'two' }, { a: 1, b: 'two' }], // 081
  ['list(range(0, 3))', {}, [0, 1, 2]], // 081
  ['$.data.refs = $.data.members', { refs: ['x', 'y'], members: ['x', 'y'] }, true], // 023
  ['$.data.keys().orderBy($)', { '1': 'b', '0': 'a' }, ['0', '1']], // 023
  ["$.data.map.get('1') = $.data.one", { map: { '0': 'a', '1': 'b' }, one: 'b' }, true], // 023
  ["$.data.split('-')[4].len()", 'conf-026-ab12-myval-abcdefabcdef', 12], // 026
  ["$.data.split('-').len()", 'conf-010-xyz', 3], // 010
];

const languageCases: Case[] = [
  ['$', 1, { data: 1 }],
  ['$.data[-1]', [1, 2, 3], 3],
  ['$.data[a]', { a: 5 }, 5],
  ["$.data['b c']", { 'b c': 6 }, 6],
  ['$.data[x, 9]', { a: 5 }, 9],
  ['$.data.items.name', { items: [{ name: 'a' }, { name: 'b' }] }, ['a', 'b']],
  ['$.data?.x', null, null],
  ['$x', null, null],
  ['[1, 2, [3]]', null, [1, 2, [3]]],
  ['{a => 1, 2 => b}', null, { a: 1, '2': 'b' }],
  ['[]', null, []],
  ['1 + 2 * 3', null, 7],
  ['(1 + 2) * 3', null, 9],
  ['7 / 2', null, 3],
  ['7.0 / 2', null, 3.5],
  ['-7 / 2', null, -4],
  ['-7 mod 3', null, 2],
  ['2 - -1', null, 3],
  ["'a' + 'b'", null, 'ab'],
  ['[1] + [2]', null, [1, 2]],
  ['{a => 1} + {b => 2}', null, { a: 1, b: 2 }],
  ["'ab' * 2", null, 'abab'],
  ['1 = 1.0', null, true],
  ['[1, 2] = [1, 2]', null, true],
  ['{a => 1} != {a => 2}', null, true],
  ['1 < 2 and 2 <= 2', null, true],
  ["'b' > 'a'", null, true],
  ['null < 1', null, true],
  ['not 1 = 2', null, true],
  ['0 or 5', null, 5],
  ['1 and 0', null, 0],
  ['2 in [1, 2]', null, true],
  ["'b' in 'abc'", null, true],
  ['"double" + `back\\`tick`', null, 'doubleback`tick'],
  ["'a\\tb'", null, 'a\tb'],
  ['true and not false', null, true],
  ['let(x => 3, y => 4) -> $x * $y', null, 12],
  ['with(2, 3) -> $1 + $2', null, 5],
  ['[1, 2, 3].aggregate($1 + $2)', null, 6],
  ['2.5 + 1', null, 3.5],
  ['str(2.0)', null, '2.0'],
  ['str(null) + str(true) + str(1)', null, 'nulltrue1'],
];

const functionCases: Case[] = [
  ['$.data.select($ * 2)', [1, 2], [2, 4]],
  ['$.data.map($ + 1)', [1, 2], [2, 3]],
  ['$.data.filter($ mod 2 = 0)', [1, 2, 3, 4], [2, 4]],
  ['len($.data)', 'héllo', 5],
  ['$.data.len()', { a: 1, b: 2 }, 2],
  ['$.data.where($ > 1).len()', [1, 2, 3], 2],
  ['$.data.count()', [1, 2, 3], 3],
  ['$.data.sum(10)', [1, 2], 13],
  ["['a', 'b'].sum()", null, 'ab'],
  ['$.data.min()', [3, 1, 2], 1],
  ['max(1, 5)', null, 5],
  ['min(1, 5)', null, 1],
  ['$.data.first()', [3, 1], 3],
  ['$.data.last()', [3, 1], 1],
  ['$.data.first(0)', [], 0],
  ['$.data.any($ > 2)', [1, 3], true],
  ['$.data.all($ > 2)', [1, 3], false],
  ['$.data.distinct()', [1, 2, 1, 3, 2], [1, 2, 3]],
  [
    '$.data.orderBy($.n).select($.v)',
    [
      { n: 2, v: 'b' },
      { n: 1, v: 'a' },
    ],
    ['a', 'b'],
  ],
  ['$.data.orderByDescending($)', [1, 3, 2], [3, 2, 1]],
  [
    '$.data.orderBy($[0]).thenByDescending($[1])',
    [
      [1, 1],
      [0, 5],
      [1, 2],
    ],
    [
      [0, 5],
      [1, 2],
      [1, 1],
    ],
  ],
  ['$.data.toList()', [1], [1]],
  ['list(1, [2], range(3, 5))', null, [1, [2], 3, 4]],
  ['dict([[a, 1], [b, 2]])', null, { a: 1, b: 2 }],
  ['$.data.toDict($.k)', [{ k: 'x' }], { x: { k: 'x' } }],
  ['$.data.keys()', { a: 1, b: 2 }, ['a', 'b']],
  ['$.data.values()', { a: 1, b: 2 }, [1, 2]],
  ['$.data.items()', { a: 1 }, [['a', 1]]],
  ["$.data.get('z', 'dflt')", { a: 1 }, 'dflt'],
  ["$.data.get('z')", { a: 1 }, null],
  ["$.data.set('b', 2)", { a: 1 }, { a: 1, b: 2 }],
  ['range(3)', null, [0, 1, 2]],
  ['range(5, 0, -2)', null, [5, 3, 1]],
  ["$.data.join(', ')", ['a', 1, null], 'a, 1, null'],
  ["'-'.join($.data)", ['a', 'b'], 'a-b'],
  ["concat('a', 'b', 'c')", null, 'abc'],
  ['concat([1], [2, 3])', null, [1, 2, 3]],
  ['[1].concat([2])', null, [1, 2]],
  ["'a b  c'.split()", null, ['a', 'b', 'c']],
  ["'a-b-c'.split('-', 1)", null, ['a', 'b-c']],
  ["'a-b-c'.rightSplit('-', 1)", null, ['a-b', 'c']],
  ["'Ab'.toUpper() + 'Ab'.toLower()", null, 'ABab'],
  ["'aXa'.replace('a', 'b')", null, 'bXb'],
  ["'aaa'.replace('a', 'b', 2)", null, 'bba'],
  ["'  x '.trim()", null, 'x'],
  ["'xxaxx'.trim('x')", null, 'a'],
  ['int("12") + int(2.7) + int(null)', null, 14],
  ["float('1.5')", null, 1.5],
  ['bool([])', null, false],
  ['[[1, [2]], 3].flatten()', null, [1, 2, 3]],
  ['[1, 2, 3, 4].skip(1).take(2)', null, [2, 3]],
  ['[1, 2, 3].limit(2)', null, [1, 2]],
  ['[[1, 2], [3]].selectMany($)', null, [1, 2, 3]],
  ['[1, 2].contains(2)', null, true],
  ["{a => 1}.containsKey('a')", null, true],
  ['{a => 1}.containsValue(2)', null, false],
  ["isEmpty('  ')", null, true],
  ["''.isEmpty()", null, true],
  ['[1, 2, 3].indexOf(2)', null, 1],
  ["'abcb'.indexOf('b')", null, 1],
  ["'abcb'.lastIndexOf('b')", null, 3],
  ["'abc'.startsWith('x', 'a')", null, true],
  ["'abc'.endsWith('c')", null, true],
  ["'abcd'.substring(1, 2)", null, 'bc'],
  ['abs(-2) + round(2.5) + round(3.5)', null, 8],
  ['[1, 2].reverse()', null, [2, 1]],
  [
    "[1, 2].zip(['a', 'b'])",
    null,
    [
      [1, 'a'],
      [2, 'b'],
    ],
  ],
  [
    '[1, 2, 3].groupBy($ mod 2)',
    null,
    [
      [1, [1, 3]],
      [0, [2]],
    ],
  ],
  ['coalesce(null, 2)', null, 2],
  ['isList([]) and isDict({}) and isString("") and isInteger(1) and isNumber(1.5)', null, true],
  [
    '[1, 2, 3].enumerate()',
    null,
    [
      [0, 1],
      [1, 2],
      [2, 3],
    ],
  ],
  ["$.data.get('x', default => 5)", {}, 5],
];

describe('yaql evaluation', () => {
  it.each([...corpusCases, ...languageCases, ...functionCases])('%s', (expression, data, expected) => {
    expect(parseYaql(expression).evaluate(data)).toEqual(expected);
  });

  it('evaluateRoot binds $ to the value itself', () => {
    expect(parseYaql('$.a + 1').evaluateRoot({ a: 1 })).toBe(2);
  });

  it('keeps dict insertion order', () => {
    expect(Object.keys(parseYaql('$.data.set(a, 0)').evaluate({ z: 1, b: 2 }) as object)).toEqual([
      'z',
      'b',
      'a',
    ]);
  });
});

describe('yaql syntax errors', () => {
  it.each([
    ['$.data.(', 'Parse error: unexpected end of statement'],
    ['1 2', "Parse error: unexpected '2' at position 2 of expression '1 2'"],
    ['len ($)', "Parse error: unexpected '(' at position 4 of expression 'len ($)'"],
    ['f(1,)', "Parse error: unexpected ')' at position 4 of expression 'f(1,)'"],
    ['f(a => 1, 2)', "Parse error: unexpected ')' at position 11"],
    ['$ # 1', "Lexical error: illegal character '#' at position 2"],
    ["'abc", "Lexical error: illegal character ''' at position 0"],
    ['$.__x', "Lexical error: illegal character '_' at position 2"],
    ['a => 1', "Parse error: unexpected '=>' at position 2"],
  ])('%s', (expression, message) => {
    expect(() => parseYaql(expression)).toThrowError(YaqlSyntaxError);
    expect(() => parseYaql(expression)).toThrowError(message);
  });
});

describe('yaql evaluation errors', () => {
  it.each([
    ['$.data.datetime()', "Function 'datetime' is not supported by Hearth's yaql subset (supported: abs,"],
    ['foo()', 'Unknown function "foo"'],
    ['$.data.foo()', 'Unknown method "foo" for receiver 1'],
    ['$.data.select($)', 'No method "select" for receiver 1 matches supplied arguments'],
    ['select([1], $)', 'Unknown function "select"'],
    ["1 + 'a'", 'No function "#operator_+" matches supplied arguments'],
    ["'a' < 1", 'No function "#operator_<" matches supplied arguments'],
    ['$.missing', "KeyError: 'missing'"],
    ['$.data.missing', 'Unknown function "#property#missing"'],
    ['[1][5]', 'IndexError: tuple index out of range'],
    ['[1, 2].select($)[0]', 'No function "#indexer" matches supplied arguments'],
    ['1 / 0', 'integer division or modulo by zero'],
    ['[].first()', 'StopIteration'],
    ["1 =~ 'b'", 'No function "#operator_=~" matches supplied arguments'],
    ["int('x')", "invalid literal for int() with base 10: 'x'"],
  ])('%s', (expression, message) => {
    const run = () => parseYaql(expression).evaluate(1);
    expect(run).toThrowError(YaqlEvaluationError);
    expect(run).toThrowError(message);
  });
});

describe('yaql limits', () => {
  const big = Array.from({ length: 201 }, (_, i) => i);

  it('rejects collections of more than 200 items when iterated or returned', () => {
    expect(() => parseYaql('$.data.select($)').evaluate(big)).toThrowError(
      'Collection length exceeds 200 elements',
    );
    expect(() => parseYaql('$.data').evaluate(big)).toThrowError('Collection length exceeds 200 elements');
    expect(() => parseYaql('list(range(0, 1000))').evaluate(null)).toThrowError(
      'Collection length exceeds 200',
    );
  });

  it('allows exactly 200 items, and taking a few from a longer lazy range', () => {
    expect(parseYaql('$.data.len()').evaluate(big.slice(0, 200))).toBe(200);
    expect(parseYaql('range(0, 1000000000).take(3)').evaluate(null)).toEqual([0, 1, 2]);
  });

  it('rejects values over the memory quota without building them', () => {
    expect(() => parseYaql("'x' * 100000000").evaluate(null)).toThrowError(
      'Expression consumed too much memory',
    );
    expect(() => parseYaql('$.data').evaluate('y'.repeat(20000))).toThrowError(
      'Expression consumed too much memory',
    );
  });

  it('never hangs on huge lazy collections', () => {
    expect(() => parseYaql('range(0, 100000000000).len()').evaluate(null)).toThrowError(
      'Collection length exceeds',
    );
  });
});
