import { describe, expect, it } from 'vitest';
import { parsePythonJson } from './json-text.js';
import { pyEquals, pyFloatRepr, pyJsonDumps, pyNumberStr, pyRepr, pyStr, strToNum } from './python.js';

describe('strToNum (Python int() then float())', () => {
  it.each([
    ['5', 5, false],
    [' 7 ', 7, false],
    ['-3', -3, false],
    ['1_000', 1000, false],
    ['5.0', 5, true],
    ['2.5', 2.5, true],
    ['.5', 0.5, true],
    ['1e3', 1000, true],
    ['-1.5E-2', -0.015, true],
    ['inf', Infinity, true],
    ['-Infinity', -Infinity, true],
  ] as const)('%j → %s (float: %s)', (text, value, isFloat) => {
    expect(strToNum(text)).toEqual({ value, isFloat });
  });

  it('keeps numbers and treats booleans as numbers', () => {
    expect(strToNum(42)).toEqual({ value: 42, isFloat: false });
    expect(strToNum(2.5)).toEqual({ value: 2.5, isFloat: true });
    expect(strToNum(true)).toEqual({ value: 1, isFloat: false });
  });

  it.each([
    ['twelve', "could not convert string to float: 'twelve'"],
    ['', "could not convert string to float: ''"],
    ['1__0', "could not convert string to float: '1__0'"],
    ["it's", `could not convert string to float: "it's"`],
  ])('%j fails with Python message', (text, message) => {
    expect(() => strToNum(text)).toThrow(message);
  });

  it('names the Python type of non-strings', () => {
    expect(() => strToNum(null)).toThrow(
      "float() argument must be a string or a real number, not 'NoneType'",
    );
    expect(() => strToNum([1])).toThrow("not 'list'");
    expect(() => strToNum({})).toThrow("not 'dict'");
  });
});

describe('Python renderings', () => {
  it.each([
    [2.5, '2.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e16, '1e+16'],
    [123456789012345.6, '123456789012345.6'],
    [1.5e-7, '1.5e-07'],
    [5, '5.0'],
    [-0, '-0.0'],
  ])('float repr of %s is %s', (n, text) => {
    expect(pyFloatRepr(n)).toBe(text);
  });

  it('renders ints and floats', () => {
    expect(pyNumberStr(5)).toBe('5');
    expect(pyNumberStr(5, true)).toBe('5.0');
    expect(pyNumberStr(1e22)).toBe('10000000000000000000000');
  });

  it.each([
    ['abc', 'abc'],
    [true, 'True'],
    [null, 'None'],
    [3, '3'],
    [['a', 1, true, null], "['a', 1, True, None]"],
    [{ k: 'v', n: [1] }, "{'k': 'v', 'n': [1]}"],
  ])('str(%j) = %s', (value, text) => {
    expect(pyStr(value)).toBe(text);
  });

  it('repr picks quotes like Python', () => {
    expect(pyRepr("it's")).toBe(`"it's"`);
    expect(pyRepr(`a"b'c`)).toBe(`'a"b\\'c'`);
    expect(pyRepr('a\nb')).toBe("'a\\nb'");
  });

  it('json.dumps uses Python separators and ASCII escapes', () => {
    expect(pyJsonDumps({ a: [1, 'x'], b: null, c: true })).toBe('{"a": [1, "x"], "b": null, "c": true}');
    expect(pyJsonDumps('é\n"')).toBe('"\\u00e9\\n\\""');
    expect(pyJsonDumps(['small', 'medium'])).toBe('["small", "medium"]');
    expect(pyJsonDumps(NaN)).toBe('NaN');
  });

  it('== follows Python', () => {
    expect(pyEquals(1, 1.0)).toBe(true);
    expect(pyEquals(true, 1)).toBe(true);
    expect(pyEquals('1', 1)).toBe(false);
    expect(pyEquals({ a: [1, 2] }, { a: [1, 2] })).toBe(true);
    expect(pyEquals({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
});

describe('parsePythonJson', () => {
  it('parses what json.loads parses', () => {
    expect(parsePythonJson(' {"a": [1, 2.5, -3e2], "b": {"c": "d\\u00e9"}} ')).toEqual({
      a: [1, 2.5, -300],
      b: { c: 'dé' },
    });
    expect(parsePythonJson('5')).toBe(5);
    expect(parsePythonJson('"s"')).toBe('s');
    expect(parsePythonJson('[NaN, Infinity]')).toEqual([NaN, Infinity]);
    expect(parsePythonJson('{"__proto__": 1}')).toEqual(JSON.parse('{"__proto__": 1}'));
  });

  it.each([
    ['{not json', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
    ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ['{"a": 1} x', 'Extra data: line 1 column 10 (char 9)'],
    ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
    ['{\n  "a": tru\n}', 'Expecting value: line 2 column 8 (char 9)'],
    ['"a\\qb"', 'Invalid \\escape: line 1 column 3 (char 2)'],
    ['"a\tb"', 'Invalid control character at: line 1 column 3 (char 2)'],
  ])('%j fails with %s', (text, message) => {
    expect(() => parsePythonJson(text)).toThrow(message);
  });
});
