import { describe, expect, it } from 'vitest';
import { HeatError } from '../errors.js';
import { referencesIn, resolveValue } from './function.js';
import { check, errorOf, evaluate, parse, resolveContext } from './testing/fake-context.js';

const stack = {
  resources: {
    v: {
      refId: 'conf-v-abc',
      attributes: { value: { servers: [{ name: 'web' }, { name: 'db' }], a: [1, 2] } },
    },
    t: { attributes: { output: 'stored' } },
  },
};

describe('get_attr', () => {
  it('walks the path (corpus 013) and gives null on misses (corpus 014)', () => {
    expect(evaluate({ get_attr: ['v', 'value', 'servers', 1, 'name'] }, stack)).toBe('db');
    expect(evaluate({ get_attr: ['v', 'value', 'servers', 0] }, stack)).toEqual({ name: 'web' });
    expect(evaluate({ get_attr: ['v', 'value', 'nope'] }, stack)).toBeNull();
    expect(evaluate({ get_attr: ['v', 'value', 'a', 9] }, stack)).toBeNull();
  });

  it('returns every attribute for [res] from 2015-10-15 (corpus 015)', () => {
    expect(evaluate({ get_attr: ['t'] }, stack)).toEqual({ output: 'stored' });
    expect(errorOf(() => parse({ get_attr: ['t'] }, '2015-04-30')).message).toBe(
      'outputs.o.value.get_attr: : Arguments to "get_attr" must be of the form [resource_name, attribute, (path), ...]',
    );
    expect(errorOf(() => parse({ get_attr: [] })).message).toContain(
      'can be of the next forms: [resource_name] or [resource_name, attribute, (path), ...]',
    );
  });

  it('2013-05-23 selects after fetching; later versions pass the path to the resource', () => {
    const seen: unknown[][] = [];
    const ctx = resolveContext(stack);
    const spying = {
      ...ctx,
      resource: (name: string) => {
        const h = ctx.resource(name)!;
        return {
          ...h,
          attribute: (a: string, path: readonly unknown[]) => {
            seen.push([a, ...path]);
            return h.attribute(a, path);
          },
        };
      },
    };
    expect(resolveValue(parse({ get_attr: ['v', 'value', 'a', 1] }, '2013-05-23'), spying)).toBe(2);
    expect(resolveValue(parse({ get_attr: ['v', 'value', 'a', 1] }, '2014-10-16'), spying)).toBe(2);
    expect(seen).toEqual([['value'], ['value', 'a', 1]]);
  });

  it('validates attribute names (corpus 016)', () => {
    const err = errorOf(() => check({ get_attr: ['v', 'nosuch'] }, stack));
    expect(err.type).toBe('StackValidationFailed');
    expect(err.message).toBe('outputs.o.value.get_attr: : The Referenced Attribute (v nosuch) is incorrect.');
    expect(() => check({ get_attr: ['v', 'value', 'anything'] }, stack)).not.toThrow();
    expect(() => check({ get_attr: ['v'] }, stack)).not.toThrow();
  });

  it('reports unknown resources by where the call is (corpus 017, 162, 168)', () => {
    const inProps = errorOf(() =>
      check({ get_attr: ['missing', 'value'] }, stack, '2021-04-16', [
        'resources',
        'b',
        'properties',
        'value',
      ]),
    );
    expect(inProps.type).toBe('InvalidTemplateReference');
    expect(inProps.message).toBe('The specified reference "missing" (in b.Properties.value) is incorrect.');
    const nested = errorOf(() =>
      check({ list_join: [',', [{ get_resource: 'ghost' }]] }, stack, '2021-04-16', [
        'resources',
        'b',
        'properties',
        'value',
      ]),
    );
    expect(nested.message).toBe(
      'The specified reference "ghost" (in b.Properties.value.list_join[1][0]) is incorrect.',
    );
    const inOutput = errorOf(() => check({ get_attr: ['a', 'value'] }, stack));
    expect(inOutput.type).toBe('StackValidationFailed');
    expect(inOutput.message).toBe(
      'outputs.o.value.get_attr: : The specified reference "a" (in unknown) is incorrect.',
    );
  });

  it('get_resource: reference id, references, and checks only in resource dependencies (corpus 026, 027)', () => {
    expect(evaluate({ get_resource: 'v' }, stack)).toBe('conf-v-abc');
    const err = errorOf(() =>
      check({ get_resource: 'ghost' }, stack, '2021-04-16', ['resources', 'v', 'properties', 'value']),
    );
    expect(err).toBeInstanceOf(HeatError);
    expect(err.type).toBe('InvalidTemplateReference');
    expect(err.message).toBe('The specified reference "ghost" (in v.Properties.value) is incorrect.');
    expect(() => check({ get_resource: 'ghost' }, stack)).not.toThrow();
    expect(errorOf(() => evaluate({ get_resource: 'ghost' }, stack)).message).toBe(
      'The specified reference "ghost" (in unknown) is incorrect.',
    );
  });

  it('lists references for the dependency graph', () => {
    const refs = referencesIn(
      parse({ a: { get_resource: 'x' }, b: [{ get_attr: ['y', 'z', { get_resource: 'w' }] }] }),
    );
    expect(refs.map((r) => [r.resource, r.via])).toEqual([
      ['x', 'get_resource'],
      ['y', 'get_attr'],
      ['w', 'get_resource'],
    ]);
  });

  it('answers null while validating', () => {
    expect(evaluate({ get_attr: ['v', 'value'] }, { ...stack, validating: true })).toBeNull();
    expect(
      evaluate({ list_join: ['-', [{ get_attr: ['v', 'value'] }, 'mid']] }, { ...stack, validating: true }),
    ).toBe('-mid');
  });
});
