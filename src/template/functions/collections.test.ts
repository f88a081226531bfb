import { describe, expect, it } from 'vitest';
import { check, errorOf, evaluate, parse } from './testing/fake-context.js';

describe('repeat', () => {
  it('repeats strings and maps, substituting keys too (corpus 057, 058, 059)', () => {
    expect(evaluate({ repeat: { template: 'tcp-%port%', for_each: { '%port%': ['80', '443'] } } })).toEqual([
      'tcp-80',
      'tcp-443',
    ]);
    expect(
      evaluate({
        repeat: {
          template: { protocol: 'tcp', port_range_min: '<%port%>' },
          for_each: { '<%port%>': ['22', '80'] },
        },
      }),
    ).toEqual([
      { protocol: 'tcp', port_range_min: '22' },
      { protocol: 'tcp', port_range_min: '80' },
    ]);
    expect(
      evaluate({ repeat: { template: { 'key_%k%': 'value_%k%' }, for_each: { '%k%': ['a', 'b'] } } }),
    ).toEqual([{ key_a: 'value_a' }, { key_b: 'value_b' }]);
  });

  it('takes the cartesian product in for_each order, or zips (corpus 060, 061, 062)', () => {
    expect(
      evaluate({ repeat: { template: '%x%/%y%', for_each: { '%x%': ['a', 'b'], '%y%': ['1', '2', '3'] } } }),
    ).toEqual(['a/1', 'a/2', 'a/3', 'b/1', 'b/2', 'b/3']);
    expect(
      evaluate({
        repeat: {
          template: { name: '%n%', port: '%p%' },
          for_each: { '%n%': ['http', 'https'], '%p%': ['80', '443'] },
          permutations: false,
        },
      }),
    ).toEqual([
      { name: 'http', port: '80' },
      { name: 'https', port: '443' },
    ]);
    expect(
      errorOf(() =>
        evaluate({
          repeat: { template: '%a%%b%', for_each: { '%a%': ['x', 'y'], '%b%': ['1'] }, permutations: false },
        }),
      ).message,
    ).toBe('For repeat, the length of for_each values should be equal if no nested loop.');
    expect(
      errorOf(() => parse({ repeat: { template: 'x', for_each: {}, permutations: 'no' } })).message,
    ).toContain('"permutations" should be boolean type for repeat function.');
  });

  it('iterates map keys from 2016-10-14 only (corpus 063)', () => {
    const stack = { parameters: { sizes: { small: 1, large: 4 } } };
    const raw = { repeat: { template: 'flavor-%k%', for_each: { '%k%': { get_param: 'sizes' } } } };
    expect(evaluate(raw, stack)).toEqual(['flavor-small', 'flavor-large']);
    expect(errorOf(() => evaluate(raw, stack, '2016-04-08')).message).toBe(
      'The values of the "for_each" argument to "repeat" must be lists',
    );
    expect(evaluate(raw, stack, '2016-10-14')).toEqual(['flavor-small', 'flavor-large']);
  });

  it('treats null as empty and checks the for_each shape (corpus 065)', () => {
    expect(evaluate({ repeat: { template: 'x-%v%', for_each: { '%v%': [] } } })).toEqual([]);
    expect(evaluate({ repeat: { template: 'x-%v%', for_each: { '%v%': null } } })).toEqual([]);
    expect(errorOf(() => check({ repeat: { template: 'x', for_each: ['a'] } })).message).toBe(
      'outputs.o.value.repeat: : The "for_each" argument to "repeat" must contain a map',
    );
    expect(errorOf(() => evaluate({ repeat: { template: 'x-%v%', for_each: { '%v%': [1] } } })).message).toBe(
      'replace() argument 2 must be str, not int',
    );
  });

  it('nests in list_concat (corpus 064)', () => {
    expect(
      evaluate({
        list_concat: [
          ['first'],
          { repeat: { template: 'n-%i%', for_each: { '%i%': ['1', '2'] } } },
          ['last'],
        ],
      }),
    ).toEqual(['first', 'n-1', 'n-2', 'last']);
  });
});

describe('map_merge / map_replace', () => {
  it('merges shallowly, skipping nulls (corpus 070, 071, 073)', () => {
    expect(evaluate({ map_merge: [{ a: 1, b: 2 }, { b: 3, c: 4 }, { d: 5 }] })).toEqual({
      a: 1,
      b: 3,
      c: 4,
      d: 5,
    });
    expect(evaluate({ map_merge: [{ meta: { x: 1, y: 2 }, keep: true }, { meta: { z: 3 } }] })).toEqual({
      meta: { z: 3 },
      keep: true,
    });
    expect(evaluate({ map_merge: [{ region: 'r1' }, null, { tier: 'db' }] })).toEqual({
      region: 'r1',
      tier: 'db',
    });
  });

  it('refuses non-maps (corpus 072)', () => {
    expect(errorOf(() => evaluate({ map_merge: [{ a: 1 }, ['b']] })).message).toBe(
      "Incorrect arguments: Items to merge must be maps. ['b'] is type <class 'list'> instead of a dict",
    );
  });

  it('renames keys and replaces values (corpus 074, 075, 076)', () => {
    expect(evaluate({ map_replace: [{ k1: 'v1', k2: 'v2' }, { keys: { k1: 'K1' } }] })).toEqual({
      K1: 'v1',
      k2: 'v2',
    });
    expect(
      evaluate({ map_replace: [{ a: 'old', b: 'keep', c: 'old' }, { values: { old: 'new' } }] }),
    ).toEqual({
      a: 'new',
      b: 'keep',
      c: 'new',
    });
    expect(errorOf(() => evaluate({ map_replace: [{ a: 1, b: 2 }, { keys: { a: 'b' } }] })).message).toBe(
      'key replacement b collides with a key in the input map',
    );
    expect(errorOf(() => evaluate({ map_replace: [{ a: 1 }, { nope: {} }] })).message).toContain(
      'Incorrect arguments to "map_replace" should be:',
    );
    expect(evaluate({ map_replace: [{ a: [1] }, { values: { '[1]': 'x' } }] })).toEqual({ a: [1] });
  });
});

describe('filter / list_concat / contains', () => {
  it('filters by Python equality (corpus 094, 095, 096, 097)', () => {
    expect(
      evaluate({
        filter: [
          ['b', 'd'],
          ['a', 'b', 'c', 'd'],
        ],
      }),
    ).toEqual(['a', 'c']);
    expect(
      evaluate({
        filter: [
          ['a', null],
          ['a', 'b', null, 'a', 'c'],
        ],
      }),
    ).toEqual(['b', 'c']);
    expect(evaluate({ filter: [null, ['a', 'b']] })).toEqual(['a', 'b']);
    expect(evaluate({ filter: [[1], [true, 1.0, 2]] })).toEqual([2]);
    expect(errorOf(() => evaluate({ filter: [['a'], 'not-a-list'] })).message).toBe(
      '"filter" only works with lists',
    );
    expect(errorOf(() => parse({ filter: [['a']] })).message).toContain(
      '"filter" expected 2 arguments of the form [values, sequence] but got 1 arguments instead',
    );
  });

  it('concatenates lists (corpus 104, 105, 106, 107)', () => {
    expect(evaluate({ list_concat: [['a', 'b'], ['b', 'c'], [], [{ k: 'v' }]] })).toEqual([
      'a',
      'b',
      'b',
      'c',
      { k: 'v' },
    ]);
    expect(evaluate({ list_concat: [['a'], null, ['b']] })).toEqual(['a', 'b']);
    expect(
      evaluate({
        list_concat_unique: [
          [{ a: 1 }, 'x'],
          ['x', { a: 1 }, { a: 2 }],
        ],
      }),
    ).toEqual([{ a: 1 }, 'x', { a: 2 }]);
    expect(errorOf(() => evaluate({ list_concat: [['a'], 'b'] })).message).toBe(
      'Incorrect arguments: Items to concat must be lists. [["a"], "b"] contains an item that is not a list: "b"',
    );
  });

  it('tests membership and substrings (corpus 108, 109, 110)', () => {
    expect(evaluate({ contains: ['az2', ['az1', 'az2']] })).toBe(true);
    expect(evaluate({ contains: ['az3', ['az1', 'az2']] })).toBe(false);
    expect(evaluate({ contains: ['ell', 'hello'] })).toBe(true);
    expect(evaluate({ contains: [{ a: 1 }, [{ a: 1 }, { b: 2 }]] })).toBe(true);
    expect(evaluate({ contains: [[1, 2], [[2, 1]]] })).toBe(false);
    expect(errorOf(() => evaluate({ contains: ['a', { a: 1 }] })).message).toBe(
      'Second argument to "contains" should be a sequence.',
    );
  });
});

describe('make_url', () => {
  it('builds escaped URLs (corpus 098, 099, 100, 102)', () => {
    expect(
      evaluate({
        make_url: {
          scheme: 'https',
          username: 'user',
          password: 'secret',
          host: 'example.com',
          port: 8443,
          path: '/api/v1',
          query: { a: '1' },
          fragment: 'top',
        },
      }),
    ).toBe('https://user:secret@example.com:8443/api/v1?a=1#top');
    expect(evaluate({ make_url: { scheme: 'http', host: '2001:db8::1', port: 80, path: '/' } })).toBe(
      'http://[2001:db8::1]:80/',
    );
    expect(
      evaluate({
        make_url: { scheme: 'http', host: 'h', path: '/search', query: { q: 'a b&c', path: 'x/y' } },
      }),
    ).toBe('http://h/search?q=a+b%26c&path=x/y');
    expect(evaluate({ make_url: { scheme: 'ftp', host: 'files.example.org' } })).toBe(
      'ftp://files.example.org',
    );
    expect(evaluate({ make_url: { host: 'h', path: '/p' } })).toBe('//h/p');
    expect(evaluate({ make_url: { scheme: 'http', host: 'h', username: 'a@b', path: 'x y' } })).toBe(
      'http://a%40b@h/x%20y',
    );
  });

  it('checks static arguments at validation, the rest when resolving (corpus 101, 103)', () => {
    expect(errorOf(() => check({ make_url: { scheme: 'http', host: 'h', port: 70000 } })).message).toBe(
      'outputs.o.value.make_url: : Invalid URL port 70000, must be in range 1-65535',
    );
    expect(errorOf(() => check({ make_url: { host: 'h', bogus: 1 } })).message).toBe(
      'outputs.o.value.make_url: : Invalid arguments to "make_url": bogus',
    );
    expect(() => check({ make_url: { scheme: 'http:', host: 'h' } })).not.toThrow();
    expect(errorOf(() => evaluate({ make_url: { scheme: 'http:', host: 'h' } })).message).toBe(
      `URL "scheme" should not contain ':'`,
    );
    expect(() => check({ make_url: { host: 'h', query: {}, fragment: 5 } })).not.toThrow();
    expect(errorOf(() => check({ make_url: { host: 5 } })).message).toContain(
      'The "host" argument to "make_url" must be a string',
    );
  });
});

describe('get_file / resource_facade', () => {
  it('reads the files map (corpus 111, 112)', () => {
    expect(evaluate({ get_file: 'setup.sh' }, { files: { 'setup.sh': '#!/bin/sh\n' } })).toBe('#!/bin/sh\n');
    expect(errorOf(() => evaluate({ get_file: 'nothere.txt' })).message).toBe(
      'No content found in the "files" section for get_file path: nothere.txt',
    );
  });

  it('reads the facade resource and checks its argument', () => {
    expect(evaluate({ resource_facade: 'metadata' }, { facade: { metadata: { a: 1 } } })).toEqual({ a: 1 });
    expect(errorOf(() => parse({ resource_facade: 'Metadata' })).message).toContain(
      'Incorrect arguments to "resource_facade" should be one of: metadata, deletion_policy, update_policy',
    );
  });
});
