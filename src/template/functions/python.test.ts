import { describe, expect, it } from 'vitest';
import { pyEqual, pyFloatRepr, pyInt, pyJsonDumps, pyRepr, pySplit } from './python.js';
import { pyQuote, pyUrlencode, pyUrlunsplit } from './url.js';

describe('python compatibility helpers', () => {
  it('renders floats like repr()', () => {
    expect(pyFloatRepr(1.5)).toBe('1.5');
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(1.5e20)).toBe('1.5e+20');
    expect(pyFloatRepr(123.456)).toBe('123.456');
    expect(pyFloatRepr(1e15)).toBe('1000000000000000.0');
  });

  it('dumps JSON like json.dumps', () => {
    expect(pyJsonDumps({ b: [1, 2.5], a: null }, { sortKeys: true })).toBe('{"a": null, "b": [1, 2.5]}');
    expect(pyJsonDumps({ b: 1, a: 2 })).toBe('{"b": 1, "a": 2}');
    expect(pyJsonDumps('é\n"')).toBe('"\\u00e9\\n\\""');
    expect(pyJsonDumps([])).toBe('[]');
  });

  it('repr()s values', () => {
    expect(pyRepr({ a: [1, true, null, "it's"] })).toBe(`{'a': [1, True, None, "it's"]}`);
  });

  it('compares like ==', () => {
    expect(pyEqual(1, true)).toBe(true);
    expect(pyEqual([1, { a: 2 }], [1.0, { a: 2 }])).toBe(true);
    expect(pyEqual('1', 1)).toBe(false);
    expect(pyEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('int() and split()', () => {
    expect(pyInt(' 12 ')).toBe(12);
    expect(pyInt(2.9)).toBe(2);
    expect(() => pyInt('1.5')).toThrow("invalid literal for int() with base 10: '1.5'");
    expect(pySplit(' a  b ', null)).toEqual(['a', 'b']);
    expect(() => pySplit('a', '')).toThrow('empty separator');
  });

  it('url helpers', () => {
    expect(pyQuote('a b/c~é')).toBe('a%20b/c~%C3%A9');
    expect(pyUrlencode({ q: 'a b', n: 1, t: true })).toBe('q=a+b&n=1&t=True');
    expect(pyUrlunsplit('http', '', '', '', '')).toBe('http://');
    expect(pyUrlunsplit('mailto', '', 'x@y', '', '')).toBe('mailto:x@y');
  });
});
