import { describe, expect, it } from 'vitest';
import { referencesIn, validateValue } from './function.js';
import { If } from './if.js';
import { check, errorOf, evaluate, parse, parseContext, validateContext } from './testing/fake-context.js';

const conditions = { is_prod: true, never: false, always: true };

describe('if', () => {
  it('chooses by condition name, literal or inline condition (corpus 083-086)', () => {
    expect(evaluate({ if: ['is_prod', 'large', 'small'] }, { conditions })).toBe('large');
    expect(evaluate({ if: ['never', 'large', 'small'] }, { conditions })).toBe('small');
    expect(evaluate({ if: [true, 'yes', 'no'] })).toBe('yes');
    expect(evaluate({ if: [false, 'yes', 'no'] })).toBe('no');
    const params = { parameters: { count: 3 } };
    expect(evaluate({ if: [{ equals: [{ get_param: 'count' }, 3] }, 'three', 'other'] }, params)).toBe(
      'three',
    );
    expect(
      evaluate({ if: [{ not: { equals: [{ get_param: 'count' }, 3] } }, 'other', 'three'] }, params),
    ).toBe('three');
  });

  it('two-argument form removes map entries and list items in 2021-04-16 (corpus 087, 088, 092, 113)', () => {
    expect(
      evaluate(
        { name: 'app', debug: { if: ['never', 'verbose'] }, level: { if: ['never', '9', '1'] } },
        { conditions },
      ),
    ).toEqual({ name: 'app', level: '1' });
    expect(evaluate(['a', { if: ['never', 'b'] }, { if: ['always', 'c'] }, 'd'], { conditions })).toEqual([
      'a',
      'c',
      'd',
    ]);
    expect(evaluate({ if: ['never', 'something'] }, { conditions })).toBeNull();
    expect(evaluate(['a', { if: ['never', 'b'] }], { conditions }, 'wallaby')).toEqual(['a']);
    expect(evaluate({ list_join: [',', ['a', { if: [false, 'b'] }]] })).toBe('a');
  });

  it('needs three arguments before 2021-04-16 (corpus 089)', () => {
    expect(errorOf(() => parse({ if: ['c', 'only-true'] }, '2018-08-31')).message).toBe(
      'outputs.o.value.if: : Arguments to "if" must be of the form: [condition_name, value_if_true, value_if_false]',
    );
    expect(() => parse({ if: ['c', 'a', 'b', 'd'] })).toThrow('Arguments to "if" must be of the form');
  });

  it('never parses or validates the branch it does not take (corpus 090)', () => {
    const raw = { if: ['never', { get_resource: 'does_not_exist' }, 'fine'] };
    expect(evaluate(raw, { conditions })).toBe('fine');
    const node = parse(raw, '2021-04-16', ['resources', 'v', 'properties', 'value']);
    expect(() => validateValue(node, validateContext({ conditions }, true))).not.toThrow();
    const taken = parse({ if: ['always', { get_resource: 'ghost' }, 'x'] }, '2021-04-16', [
      'resources',
      'v',
      'properties',
      'value',
    ]);
    expect(() => validateValue(taken, validateContext({ conditions }, true))).toThrow(
      'The specified reference "ghost" (in v.Properties.value.if) is incorrect.',
    );
    expect(evaluate({ if: [false, { 'Fn::Join': ['x', []] }, 'ok'] })).toBe('ok');
  });

  it('marks branch references conditional', () => {
    const refs = referencesIn(parse({ if: ['c', { get_resource: 'a' }, { get_attr: ['b', 'x'] }] }));
    expect(refs.map((r) => [r.resource, r.conditional])).toEqual([
      ['a', true],
      ['b', true],
    ]);
  });

  it('checks condition names at validation', () => {
    expect(errorOf(() => check({ if: ['unreal', 1, 2] }, { conditions })).message).toBe(
      'outputs.o.value.if: : Invalid condition "unreal"',
    );
    expect(() => check({ if: ['never', 1, 2] }, { conditions })).not.toThrow();
  });

  it('nests (corpus 093) and keeps the raw arguments for display', () => {
    const stack = { conditions: { small: false, medium: true } };
    expect(evaluate({ if: ['small', 'tiny', { if: ['medium', 'standard', 'huge'] }] }, stack)).toBe(
      'standard',
    );
    const node = parse({ if: ['small', 'tiny', { get_param: 'x' }] }) as If;
    expect(node.toJSON()).toEqual({ if: ['small', 'tiny', { get_param: 'x' }] });
  });

  it('only condition functions are allowed in the condition', () => {
    expect(() => parse({ if: [{ get_attr: ['a', 'b'] }, 1, 2] })).toThrow(
      'The function "get_attr" is invalid in this context',
    );
  });
});

describe('condition functions', () => {
  const cond = (raw: unknown, stack = {}): unknown => evaluate({ if: [raw, 'T', 'F'] }, stack);

  it('equals compares deeply with Python semantics (corpus 170)', () => {
    expect(cond({ equals: [1, 1] })).toBe('T');
    expect(cond({ equals: [1, '1'] })).toBe('F');
    expect(cond({ equals: [{ a: [1, 2] }, { a: [1, 2] }] })).toBe('T');
    expect(cond({ equals: [1, 1.0] })).toBe('T');
  });

  it('not / and / or take condition names and booleans (corpus 159, 166, 173)', () => {
    const stack = { conditions: { one: true, off: false } };
    expect(cond({ and: ['one', true] }, stack)).toBe('T');
    expect(cond({ or: ['off', false] }, stack)).toBe('F');
    expect(cond({ not: 'off' }, stack)).toBe('T');
    expect(cond({ and: [false, 'undefined_condition'] }, stack)).toBe('F');
    expect(errorOf(() => cond({ or: ['off', 'ghost'] }, stack)).message).toBe('Invalid condition "ghost"');
    expect(errorOf(() => parseCond({ and: [true] })).message).toBe(
      'conditions.c.and: : The minimum number of condition arguments to "and" is 2.',
    );
    expect(errorOf(() => parseCond({ or: 'x' })).message).toBe(
      'conditions.c.or: : Arguments to "or" must be a list of conditions',
    );
    expect(errorOf(() => parseCond({ equals: [1] })).message).toBe(
      'conditions.c.equals: : Arguments to "equals" must be of the form: [value_1, value_2]',
    );
  });

  it('contains works as a condition from 2017-09-01 (corpus 160)', () => {
    const stack = { parameters: { features: ['logging', 'metrics'] } };
    expect(cond({ contains: ['metrics', { get_param: 'features' }] }, stack)).toBe('T');
  });

  it('equals outside conditions is data (corpus 119)', () => {
    expect(evaluate({ equals: [1, 1] })).toEqual({ equals: [1, 1] });
    expect(evaluate({ not: true })).toEqual({ not: true });
  });
});

function parseCond(raw: unknown): unknown {
  return parseContext('2021-04-16').parseCondition(raw, ['conditions', 'c']);
}
