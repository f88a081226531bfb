import { describe, expect, it } from 'vitest';
import { parseYaql, YaqlEvaluationError } from '../index.js';

const run = (expression: string, data: unknown = null): unknown => parseYaql(expression).evaluate(data);

describe('yaql format (Python str.format), as real Heat 19 answers', () => {
  it.each([
    ["'{0}-{1}'.format($.data.x, $.data.y)", { x: 1, y: 'b' }, '1-b'], // probe 263
    ["format('{}/{}', a, 2)", null, 'a/2'],
    ["'{name}={v}'.format(name => k, v => true)", null, 'k=True'],
    ["'{{x}} {0!r}'.format(a)", null, "{x} 'a'"],
    ["'{0:>5}|{0:<4}|{0:^5}'.format(ab)", null, '   ab|ab  | ab  '],
    ["'{0:05d} {1:.2f} {2:,}'.format(42, 3.14159, 1234567)", null, '00042 3.14 1,234,567'],
    ["'{0:x} {0:b} {1}'.format(255, 2.0)", null, 'ff 11111111 2.0'],
  ])('%s', (expression, data, expected) => {
    expect(run(expression, data)).toEqual(expected);
  });

  it('reports a missing positional argument like Python', () => {
    expect(() => run("'{1}'.format(a)")).toThrow(/Replacement index 1 out of range/);
    expect(() => run("'{0:d}'.format(a)")).toThrow(YaqlEvaluationError);
  });
});

describe('yaql regular expressions', () => {
  it.each([
    ["regex('^a.c$').matches($.data)", 'abc', true], // probe 279
    ["regex('^A', ignoreCase => true).matches($.data)", 'abc', true],
    ["$.data.matches('b+')", 'abbc', true],
    ["regex('\\d+').search($.data)", 'ab12cd345', '12'],
    ["regex('x').search($.data)", 'ab', null],
    ["regex('\\d').searchAll($.data)", 'a1b2', ['1', '2']],
    ["regex('[,;]').split($.data)", 'a,b;c', ['a', 'b', 'c']],
    ["$.data.split(regex(',\\s*'))", 'a, b,c', ['a', 'b', 'c']],
    ["regex('(\\w)(\\d)').replace($.data, '\\\\2\\\\1')", 'a1 b2', '1a 2b'],
    ["$.data.replace(regex('(?P<n>\\d)'), '<\\\\g<n>>', 1)", 'a1b2', 'a<1>b2'],
    ["$.data =~ '^ab'", 'abc', true],
    ["$.data !~ regex('^b')", 'abc', true],
    ["escapeRegex('a.b*c')", null, 'a\\.b\\*c'],
    ["isRegex(regex('a'))", null, true],
  ])('%s', (expression, data, expected) => {
    expect(run(expression, data)).toEqual(expected);
  });
});
