import { describe, expect, it } from 'vitest';
import type { PropertySchema } from './plugin.js';
import { diffProperties, validateProperties } from './properties.js';

const run = (schema: Record<string, PropertySchema>, raw: unknown, validating = false) =>
  validateProperties(schema, raw, { resourceName: 'r', validating });

const one = (schema: PropertySchema, value: unknown, validating = false) => {
  const r = run({ p: schema }, value === undefined ? {} : { p: value }, validating);
  return {
    value: r.properties['p'],
    messages: r.problems.map((p) => p.message),
    paths: r.problems.map((p) => p.path?.join('.')),
  };
};

describe('validateProperties coercions', () => {
  it.each([
    [{ type: 'string' }, 'abc', 'abc'],
    [{ type: 'string' }, 12, '12'],
    [{ type: 'string' }, true, 'True'],
    [{ type: 'integer' }, '42', 42],
    [{ type: 'integer' }, ' 7 ', 7],
    [{ type: 'integer' }, 3.7, 3],
    [{ type: 'integer' }, false, 0],
    [{ type: 'number' }, '7', 7],
    [{ type: 'number' }, '2.5', 2.5],
    [{ type: 'number' }, '1e3', 1000],
    [{ type: 'boolean' }, 'TRUE', true],
    [{ type: 'boolean' }, 'false', false],
    [{ type: 'boolean' }, true, true],
    [{ type: 'map' }, { a: 1 }, { a: 1 }],
    [{ type: 'list' }, ['x', 1], ['x', 1]],
    [{ type: 'list', items: { type: 'integer' } }, ['1', 2], [1, 2]],
    [{ type: 'any' }, { x: [1] }, { x: [1] }],
  ] as [PropertySchema, unknown, unknown][])('%j accepts %j as %j', (schema, input, expected) => {
    const r = one(schema, input);
    expect(r.messages).toEqual([]);
    expect(r.value).toEqual(expected);
  });

  it.each([
    [{ type: 'string' }, 3.5, 'Value must be a string; got 3.5'],
    [{ type: 'string' }, ['a'], "Value must be a string; got ['a']"],
    [{ type: 'integer' }, 'abc', "Value 'abc' is not an integer"],
    [{ type: 'integer' }, '3.0', "Value '3.0' is not an integer"],
    [
      { type: 'integer' },
      [1],
      "int() argument must be a string, a bytes-like object or a real number, not 'list'",
    ],
    [{ type: 'number' }, 'not-a-number', "could not convert string to float: 'not-a-number'"],
    [
      { type: 'number' },
      { a: 1 },
      "int() argument must be a string, a bytes-like object or a real number, not 'dict'",
    ],
    [{ type: 'boolean' }, 'Yes', '"yes" is not a valid boolean'],
    [{ type: 'boolean' }, 1, '"1" is not a valid boolean'],
    [{ type: 'map' }, 'abc', '"abc" is not a map'],
    [{ type: 'map' }, ['a', 'b'], `"['a', 'b']" is not a map`],
    [{ type: 'list' }, 'abc', `"'abc'" is not a list`],
    [{ type: 'list' }, { a: 1 }, `"{'a': 1}" is not a list`],
  ] as [PropertySchema, unknown, string][])('%j rejects %j', (schema, input, message) => {
    const r = one(schema, input);
    expect(r.messages).toEqual([message]);
    expect(r.paths).toEqual(['resources.r.properties.p']);
  });

  it('null takes the default, or the zero value of the type', () => {
    expect(one({ type: 'string', default: 'd' }, null).value).toBe('d');
    expect(one({ type: 'string' }, null).value).toBe('');
    expect(one({ type: 'integer' }, null).value).toBe(0);
    expect(one({ type: 'boolean' }, null).value).toBe(false);
    expect(one({ type: 'map' }, null).value).toEqual({});
    expect(one({ type: 'list' }, null).value).toEqual([]);
    expect(one({ type: 'any' }, null).value).toBeNull();
  });

  it('applies defaults to absent properties and leaves others null', () => {
    const r = run({ a: { type: 'integer', default: 5 }, b: { type: 'string' } }, {});
    expect(r.problems).toEqual([]);
    expect(r.properties).toEqual({ a: 5, b: null });
  });

  it('reports missing required and unknown properties at the properties path', () => {
    const r = run({ need: { type: 'string', required: true } }, { extra: 1 });
    expect(r.problems.map((p) => [p.type, p.message, p.path?.join('.')])).toEqual([
      ['StackValidationFailed', 'Unknown Property extra', 'resources.r.properties'],
      ['StackValidationFailed', 'Property need not assigned', 'resources.r.properties'],
    ]);
  });

  it('accepts anything for anyProperty types', () => {
    const r = validateProperties(
      {},
      { x: 1, y: [2] },
      { resourceName: 'n', anyProperty: true, validating: false },
    );
    expect(r).toEqual({ properties: { x: 1, y: [2] }, problems: [] });
  });

  it('skips type and constraint checks of unknown (null) values while validating', () => {
    const schema: PropertySchema = { type: 'string', constraints: [{ kind: 'length', min: 3 }] };
    expect(one(schema, null, true)).toEqual({ value: null, messages: [], paths: [] });
    expect(one(schema, null, false).messages).toEqual(['length (0) is out of range (min: 3, max: None)']);
    expect(one({ type: 'integer', default: 4 }, null, true).value).toBe(4);
  });
});

describe('validateProperties constraints', () => {
  it.each([
    [
      { type: 'integer', constraints: [{ kind: 'range', min: 1, max: 10 }] },
      11,
      '11 is out of range (min: 1, max: 10)',
    ],
    [
      { type: 'integer', constraints: [{ kind: 'range', min: 0 }] },
      -1,
      '-1 is out of range (min: 0, max: None)',
    ],
    [
      { type: 'string', constraints: [{ kind: 'length', min: 3 }] },
      '@@',
      'length (2) is out of range (min: 3, max: None)',
    ],
    [
      { type: 'list', constraints: [{ kind: 'length', max: 1 }] },
      [1, 2],
      'length (2) is out of range (min: None, max: 1)',
    ],
    [
      { type: 'string', constraints: [{ kind: 'allowed_values', values: ['a', 'b'] }] },
      'c',
      '"c" is not an allowed value ["a", "b"]',
    ],
    [
      { type: 'list', constraints: [{ kind: 'allowed_values', values: ['a', 'b'] }] },
      ['a', 'z'],
      '["a", "z"] is not an allowed value ["a", "b"]',
    ],
    [
      { type: 'string', constraints: [{ kind: 'allowed_pattern', pattern: '[a-z]+' }] },
      'abc1',
      '"abc1" does not match pattern "[a-z]+"',
    ],
    [
      {
        type: 'string',
        constraints: [{ kind: 'allowed_pattern', pattern: '[a-z]+', description: 'lower only' }],
      },
      'ABC',
      'lower only',
    ],
    [{ type: 'string', constraints: [{ kind: 'custom', name: 'ip_addr' }] }, 'nope', null],
  ] as [PropertySchema, unknown, string | null][])('%j rejects %j', (schema, value, message) => {
    const r = one(schema, value);
    expect(r.messages).toHaveLength(1);
    if (message !== null) expect(r.messages[0]).toBe(message);
    expect(r.paths).toEqual(['resources.r.properties.p']);
  });

  it.each([
    [{ type: 'integer', constraints: [{ kind: 'range', min: 1, max: 10 }] }, '10'],
    [{ type: 'integer', constraints: [{ kind: 'allowed_values', values: ['1', 2] }] }, 1],
    [{ type: 'string', constraints: [{ kind: 'allowed_values', values: [1, 2] }] }, '2'],
    [{ type: 'string', constraints: [{ kind: 'allowed_pattern', pattern: 'a|ab' }] }, 'a'],
    [{ type: 'string', constraints: [{ kind: 'custom', name: 'ip_addr' }] }, '10.0.0.1'],
  ] as [PropertySchema, unknown][])('%j accepts %j', (schema, value) => {
    expect(one(schema, value).messages).toEqual([]);
  });

  it('full-match patterns do not accept a prefix match', () => {
    expect(
      one({ type: 'string', constraints: [{ kind: 'allowed_pattern', pattern: 'a|ab' }] }, 'ab').messages,
    ).toEqual(['"ab" does not match pattern "a|ab"']);
  });

  it('checks defaults against constraints', () => {
    expect(
      one({ type: 'string', default: 'x', constraints: [{ kind: 'length', min: 3 }] }, undefined).messages,
    ).toEqual(['length (1) is out of range (min: 3, max: None)']);
  });
});

describe('validateProperties nested schemas', () => {
  const schema: Record<string, PropertySchema> = {
    def: {
      type: 'map',
      schema: { type: { type: 'string', required: true }, n: { type: 'integer', default: 1 } },
    },
    items: {
      type: 'list',
      items: { type: 'map', schema: { min: { type: 'integer', constraints: [{ kind: 'range', min: 1 }] } } },
    },
  };

  it('coerces and defaults nested values', () => {
    const r = run(schema, { def: { type: 'T', n: '3' }, items: [{ min: '2' }, {}] });
    expect(r.problems).toEqual([]);
    expect(r.properties).toEqual({ def: { type: 'T', n: 3 }, items: [{ min: 2 }, { min: null }] });
  });

  it('reports nested problems with their full path', () => {
    const r = run(schema, { def: { n: 'x', bogus: 1 }, items: [{ min: 0 }] });
    expect(r.problems.map((p) => [p.path?.join('.'), p.message])).toEqual([
      ['resources.r.properties.def', 'Unknown Property bogus'],
      ['resources.r.properties.def', 'Property type not assigned'],
      ['resources.r.properties.def.n', "Value 'x' is not an integer"],
      ['resources.r.properties.items.0.min', '0 is out of range (min: 1, max: None)'],
    ]);
  });

  it('converts strings and lists for allowConversion (provider json/comma_delimited_list) schemas', () => {
    const conv = {
      p: { type: 'map', allowConversion: true } as PropertySchema,
      l: { type: 'list', allowConversion: true } as PropertySchema,
    };
    const r = run(conv, { p: ['a'], l: 'x, y' });
    expect(r.problems).toEqual([]);
    expect(r.properties).toEqual({ p: '["a"]', l: ['x', 'y'] });
  });
});

describe('diffProperties', () => {
  it('lists changed top-level names with deep equality', () => {
    expect(diffProperties({ a: 1, b: { c: [1] }, d: null }, { a: 1, b: { c: [2] }, e: 'x' })).toEqual([
      'b',
      'e',
    ]);
    expect(diffProperties({ a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } })).toEqual([]);
    expect(diffProperties(null, { a: 1 })).toEqual(['a']);
  });
});
