import { describe, expect, it } from 'vitest';
import { referencesIn } from './function.js';
import { errorOf, evaluate, parse } from './testing/fake-context.js';

const V = '2013-05-23';

describe('2013-05-23 CFN functions', () => {
  it('Fn::Join and Ref (corpus 129)', () => {
    expect(evaluate({ 'Fn::Join': ['-', ['a', 'b']] }, {}, V)).toBe('a-b');
    expect(evaluate({ Ref: 'p' }, { parameters: { p: 'v' } }, V)).toBe('v');
  });

  it('Ref prefers a resource of that name and reports unknown names', () => {
    const stack = { parameters: { r: 'param' }, resources: { r: { refId: 'phys-r' } } };
    expect(evaluate({ Ref: 'r' }, stack, V)).toBe('phys-r');
    const err = errorOf(() => evaluate({ Ref: 'nope' }, stack, V));
    expect(err.type).toBe('InvalidTemplateReference');
    expect(err.message).toBe('The specified reference "nope" (in unknown) is incorrect.');
    expect(referencesIn(parse({ Ref: 'r' }, V))).toEqual([
      { resource: 'r', via: 'Ref', path: ['outputs', 'o', 'value', 'Ref'], conditional: true },
    ]);
  });

  it('Fn::Select picks from lists, maps and JSON text, misses give ""', () => {
    expect(evaluate({ 'Fn::Select': ['1', ['a', 'b']] }, {}, V)).toBe('b');
    expect(evaluate({ 'Fn::Select': [5, ['a', 'b']] }, {}, V)).toBe('');
    expect(evaluate({ 'Fn::Select': ['k', { k: 'v' }] }, {}, V)).toBe('v');
    expect(evaluate({ 'Fn::Select': ['x', { k: 'v' }] }, {}, V)).toBe('');
    expect(evaluate({ 'Fn::Select': [0, '["j"]'] }, {}, V)).toBe('j');
    expect(evaluate({ 'Fn::Select': [0, ''] }, {}, V)).toBe('');
    expect(evaluate({ 'Fn::Select': ['1', ['a', 'b']] }, {}, '2015-04-30')).toBe('b');
    expect(errorOf(() => evaluate({ 'Fn::Select': ['a', ['x']] }, {}, V)).message).toBe(
      'Index to "Fn::Select" must be an integer',
    );
  });

  it('Fn::Split, Fn::Base64, Fn::MemberListToMap, Fn::GetAZs, Fn::ResourceFacade', () => {
    expect(evaluate({ 'Fn::Split': [',', 'a,b'] }, {}, V)).toEqual(['a', 'b']);
    expect(evaluate({ 'Fn::Base64': 'text' }, {}, V)).toBe('text');
    expect(errorOf(() => evaluate({ 'Fn::Base64': 1 }, {}, V)).message).toBe(
      '"Fn::Base64" argument must be a string',
    );
    expect(
      evaluate(
        {
          'Fn::MemberListToMap': [
            'Name',
            'Value',
            ['.member.0.Name=key', '.member.0.Value=door', '.member.1.Name=k2', '.member.1.Value=v2'],
          ],
        },
        {},
        V,
      ),
    ).toEqual({ key: 'door', k2: 'v2' });
    expect(evaluate({ 'Fn::GetAZs': '' }, {}, V)).toEqual(['nova']);
    expect(
      evaluate({ 'Fn::ResourceFacade': 'DeletionPolicy' }, { facade: { deletion_policy: 'Retain' } }, V),
    ).toBe('Retain');
  });

  it('list_join and str_replace keep their old forms; get_attr selects after fetching', () => {
    expect(evaluate({ list_join: [',', ['a', 'b']] }, {}, V)).toBe('a,b');
    expect(evaluate({ str_replace: { template: 'x=X', params: { X: true } } }, {}, V)).toBe('x=True');
    const stack = { resources: { r: { attributes: { a: { k: ['x', 'y'] } } } } };
    expect(evaluate({ get_attr: ['r', 'a', 'k', 1] }, stack, V)).toBe('y');
    expect(evaluate({ get_attr: ['r', 'a', 'k', '1'] }, stack, V)).toBeNull();
  });
});
