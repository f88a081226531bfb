import { describe, expect, it } from 'vitest';
import { check, errorOf, evaluate, parse } from './testing/fake-context.js';

describe('list_join', () => {
  it('joins one or several lists (corpus 028, 029, 032)', () => {
    expect(evaluate({ list_join: [', ', ['a', 'b', 'c']] })).toBe('a, b, c');
    expect(evaluate({ list_join: ['', ['x', 'y', 'z']] })).toBe('xyz');
    expect(evaluate({ list_join: ['-', ['a', 'b'], ['c'], [], ['d']] })).toBe('a-b-c-d');
    expect(evaluate({ list_join: [',', []] })).toBe('');
  });

  it('serialises maps and lists like Python json.dumps(sort_keys=True) (corpus 030, 036)', () => {
    expect(evaluate({ list_join: [' | ', ['x', { b: 2, a: [1, 2], c: { z: null, y: true } }]] })).toBe(
      'x | {"a": [1, 2], "b": 2, "c": {"y": true, "z": null}}',
    );
    expect(evaluate({ list_join: ['/', [[1, 'two', null], 'x', {}]] })).toBe('[1, "two", null]/x/{}');
    expect(evaluate({ list_join: [',', [{ k: 'é', f: 1.5 }]] })).toBe('{"f": 1.5, "k": "\\u00e9"}');
  });

  it('turns null items into empty strings (corpus 031)', () => {
    expect(evaluate({ list_join: [',', ['a', null, 'b']] })).toBe('a,,b');
  });

  it('reports bad arguments when resolving (corpus 033, 034, 037)', () => {
    expect(errorOf(() => evaluate({ list_join: [',', 'abc'] })).message).toBe(
      '"list_join" must operate on a list',
    );
    expect(errorOf(() => evaluate({ list_join: [',', ['a', 1]] })).message).toBe(
      'Items to join must be string, map or list not 1',
    );
    expect(errorOf(() => evaluate({ list_join: [',', [true]] })).message).toBe(
      'Items to join must be string, map or list not True',
    );
    expect(errorOf(() => evaluate({ list_join: [1, ['a', 'b']] })).message).toBe(
      '"list_join" delimiter must be a string',
    );
    expect(() => check({ list_join: [',', 'abc'] })).not.toThrow();
    expect(errorOf(() => parse({ list_join: [','] })).message).toBe(
      'outputs.o.value.list_join: : Incorrect arguments to "list_join" should be: "list_join" : [ " ", [ "str1", "str2"] ...]',
    );
  });

  it('accepts only one list of strings up to 2015-04-30', () => {
    expect(evaluate({ list_join: [',', ['a', null]] }, {}, '2015-04-30')).toBe('a,');
    expect(errorOf(() => evaluate({ list_join: [',', [{ a: 1 }]] }, {}, '2015-04-30')).message).toBe(
      "Items to join must be strings not {'a': 1}",
    );
    expect(errorOf(() => parse({ list_join: [',', ['a'], ['b']] }, '2015-04-30')).message).toContain(
      'Incorrect arguments to "list_join" should be: "list_join" : [ " ", [ "str1", "str2"]]',
    );
  });
});

describe('str_replace family', () => {
  const replace = (template: unknown, params: unknown, fn = 'str_replace', version = '2021-04-16'): unknown =>
    evaluate({ [fn]: { template, params } }, {}, version);

  it('replaces every occurrence, ignoring unused keys (corpus 038, 039)', () => {
    expect(replace('Hello NAME, welcome to PLACE. Bye NAME.', { NAME: 'Ada', PLACE: 'the lab' })).toBe(
      'Hello Ada, welcome to the lab. Bye Ada.',
    );
    expect(replace('just $a', { $a: 'A', $missing: 'M' })).toBe('just A');
  });

  it('prefers longer keys and never rescans replaced text (corpus 040, 041, inventory §9)', () => {
    expect(replace('$var and $var_name', { $var: 'X', $var_name: 'Y' })).toBe('X and Y');
    expect(replace('A B', { A: 'B', B: 'C' })).toBe('B C');
    expect(replace('abab', { a: 'x', ab: 'y' })).toBe('yy');
    expect(replace('$1 $2', { $1: '$2', $2: '$&' })).toBe('$2 $&');
  });

  it('renders values like Python str() / json.dumps (corpus 042, 043, 044, 049)', () => {
    expect(replace('map=__m__ list=__l__', { __m__: { b: 1, a: 'x' }, __l__: [1, 'two', null] })).toBe(
      'map={"a": "x", "b": 1} list=[1, "two", null]',
    );
    expect(replace('port=PORT ratio=RATIO', { PORT: 8080, RATIO: 1.5 })).toBe('port=8080 ratio=1.5');
    expect(replace('on=T off=F', { T: true, F: false })).toBe('on=True off=False');
    expect(replace('[X]', { X: null })).toBe('[]');
    expect(replace('x=X', { X: 1e-5 })).toBe('x=1e-05');
  });

  it('refuses maps before 2015-10-15', () => {
    expect(errorOf(() => replace('a', { a: [1] }, 'str_replace', '2015-04-30')).message).toBe(
      '"str_replace" params must be strings or numbers, param a is not valid',
    );
  });

  it('checks the template and params (corpus 050)', () => {
    expect(errorOf(() => replace(['a', 'b'], { a: 'c' })).message).toBe(
      '"str_replace" template must be a string',
    );
    expect(errorOf(() => parse({ str_replace: { template: 'x' } })).message).toContain(
      '"str_replace" syntax should be',
    );
    expect(errorOf(() => parse({ str_replace: ['x'] })).message).toBe(
      'outputs.o.value.str_replace: : Arguments to "str_replace" must be a map',
    );
    expect(errorOf(() => parse({ str_replace: { template: 'x', params: [] } })).message).toContain(
      '"str_replace" parameters must be a mapping',
    );
  });

  it('str_replace_strict requires every key in the template (corpus 046, 048)', () => {
    expect(
      errorOf(() => replace('only foo here', { foo: 'bar', baz: 'qux' }, 'str_replace_strict')).message,
    ).toBe('The following params were not found in the template: baz');
    expect(replace('<x>-<y>-<x>', { '<x>': 1, '<y>': 'two' }, 'str_replace_strict')).toBe('1-two-1');
    expect(errorOf(() => replace('z', { a: 1, bb: 2, c: 3 }, 'str_replace_strict')).message).toBe(
      'The following params were not found in the template: bb,a,c',
    );
  });

  it('str_replace_vstrict refuses empty values (corpus 047)', () => {
    expect(errorOf(() => replace('a=AAA', { AAA: '' }, 'str_replace_vstrict')).message).toBe(
      'str_replace_vstrict has an undefined or empty value for param AAA, must be a defined non-empty value',
    );
    expect(errorOf(() => replace('a=AAA', { AAA: [] }, 'str_replace_vstrict')).message).toContain(
      'param AAA',
    );
    expect(replace('a=AAA', { AAA: 0 }, 'str_replace_vstrict')).toBe('a=0');
  });

  it('Fn::Replace takes [params, template] in 2013-05-23', () => {
    expect(evaluate({ 'Fn::Replace': [{ $x: 'X' }, 'a $x'] }, {}, '2013-05-23')).toBe('a X');
  });
});

describe('str_split', () => {
  it('splits with Python semantics (corpus 051, 052, 054, 055, 056)', () => {
    expect(evaluate({ str_split: [',', 'a,b,c'] })).toEqual(['a', 'b', 'c']);
    expect(evaluate({ str_split: ['.', '10.0.0.1', 3] })).toBe('1');
    expect(evaluate({ str_split: [',', ',a,,b,'] })).toEqual(['', 'a', '', 'b', '']);
    expect(evaluate({ str_split: ['::', 'x::y::z'] })).toEqual(['x', 'y', 'z']);
    expect(evaluate({ str_split: ['/', 'usr/local/bin', -1] })).toBe('bin');
    expect(evaluate({ str_split: ['/', 'a/b', '1'] })).toBe('b');
    expect(evaluate({ str_split: [',', null] })).toBeNull();
  });

  it('reports index and argument errors (corpus 053)', () => {
    expect(errorOf(() => evaluate({ str_split: [',', 'a,b', 5] })).message).toBe(
      'Incorrect index to "str_split" should be between 0 and 1',
    );
    expect(errorOf(() => evaluate({ str_split: [',', 'a,b', 'x'] })).message).toBe(
      'Incorrect index to "str_split" should be: "str_split" : [ ",", "apples,pears", <index>]',
    );
    expect(errorOf(() => evaluate({ str_split: ['', 'ab'] })).message).toBe('empty separator');
    expect(errorOf(() => parse({ str_split: 'a,b' })).message).toBe(
      'outputs.o.value.str_split: : Incorrect arguments to "str_split" should be: "str_split" : [ ",", "apples,pears", <index>]',
    );
  });
});

const MD5_OF_BYTE_E9 = '3406877694691ddd1dfb0aca54681407';

describe('digest', () => {
  it('hashes latin-1 bytes to lowercase hex (corpus 066, 067)', () => {
    expect(evaluate({ digest: ['md5', 'hello world'] })).toBe('5eb63bbbe01eeed093cb22bb8f5acdc3');
    expect(evaluate({ digest: ['sha1', 'hello world'] })).toBe('2aae6c35c94fcfb415dbe95f408b9ce91ee846ed');
    expect(evaluate({ digest: ['SHA256', 'heat'] })).toBe(
      '5a2a0ed9aa3ab7d82b53e8209b13bf598377870fd38f8e1063bfbe0c4d7d7f96',
    );
    expect(evaluate({ digest: ['sha256', ''] })).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it('encodes latin-1, not UTF-8', () => {
    expect(evaluate({ digest: ['md5', '\u00e9'] })).toBe(MD5_OF_BYTE_E9);
  });

  it('reports bad algorithms and arguments (corpus 068, 069)', () => {
    expect(errorOf(() => evaluate({ digest: ['sha999', 'x'] })).message).toMatch(
      /^Algorithm must be one of \{/,
    );
    expect(errorOf(() => evaluate({ digest: ['sha256', 123] })).message).toBe(
      'Argument to function "digest" must be a list of strings',
    );
    expect(errorOf(() => evaluate({ digest: ['md5', '\u2603'] })).message).toContain(
      "'latin-1' codec can't encode",
    );
  });
});
