import { describe, expect, it } from 'vitest';
import { HeatError } from '../errors.js';
import { ResourceRegistry, type ResolvedResourceType } from './registry.js';

const BUILTINS = new Set([
  'OS::Heat::None',
  'OS::Heat::TestResource',
  'OS::Nova::Server',
  'OS::Neutron::Net',
]);
const isKnownType = (t: string): boolean => BUILTINS.has(t);

function registry(snippet: Record<string, unknown>): ResourceRegistry {
  return ResourceRegistry.fromJSON(snippet);
}

const type = (t: string): ResolvedResourceType => ({ kind: 'type', type: t });

describe('ResourceRegistry.resolve', () => {
  it.each<[string, Record<string, unknown>, string, string, ResolvedResourceType]>([
    ['unmapped type', {}, 'OS::Heat::None', 'r', type('OS::Heat::None')],
    ['alias', { 'My::T': 'OS::Heat::None' }, 'My::T', 'r', type('OS::Heat::None')],
    [
      'chained aliases',
      { 'My::A': 'My::B', 'My::B': 'My::C', 'My::C': 'OS::Nova::Server' },
      'My::A',
      'r',
      type('OS::Nova::Server'),
    ],
    [
      'provider template (files key)',
      { 'My::Thing': 'thing.yaml' },
      'My::Thing',
      'thing',
      { kind: 'template', template: 'thing.yaml', type: 'My::Thing', path: ['My::Thing'] },
    ],
    [
      'provider template (.template URL)',
      { 'My::Thing': 'https://example.com/x.template' },
      'My::Thing',
      'r',
      {
        kind: 'template',
        template: 'https://example.com/x.template',
        type: 'My::Thing',
        path: ['My::Thing'],
      },
    ],
    [
      'alias to a template',
      { 'My::A': 'My::B', 'My::B': 'b.yaml' },
      'My::A',
      'r',
      { kind: 'template', template: 'b.yaml', type: 'My::B', path: ['My::B'] },
    ],
    [
      'type that is itself a template',
      {},
      'thing.yaml',
      'direct',
      { kind: 'template', template: 'thing.yaml', type: 'thing.yaml', path: ['thing.yaml'] },
    ],
    [
      'key ending .yaml maps a template path',
      { 'x.yaml': 'whatever' },
      'x.yaml',
      'r',
      { kind: 'template', template: 'x.yaml', type: 'x.yaml', path: ['x.yaml'] },
    ],
    [
      'wildcard with suffix substitution',
      { 'OS::Network*': 'OS::Neutron*' },
      'OS::Network::Net',
      'n',
      type('OS::Neutron::Net'),
    ],
    ['many-to-one wildcard', { 'OS::*': 'OS::Heat::None' }, 'OS::Nova::Server', 's', type('OS::Heat::None')],
    [
      'many-to-one wildcard maps its own target to itself',
      { 'OS::*': 'OS::Heat::None' },
      'OS::Heat::None',
      's',
      type('OS::Heat::None'),
    ],
    [
      'wildcard not matching',
      { 'AWS::*': 'OS::Heat::None' },
      'OS::Nova::Server',
      's',
      type('OS::Nova::Server'),
    ],
    ['global default: OS::Quantum* → OS::Neutron*', {}, 'OS::Quantum::Net', 'n', type('OS::Neutron::Net')],
    ['global default: OS::Metering::Alarm', {}, 'OS::Metering::Alarm', 'a', type('OS::Aodh::Alarm')],
    [
      'same-level entries sort by path, so "OS::*" is tried before "OS::Nova::Server" (Heat quirk)',
      { 'OS::*': 'OS::Heat::None', 'OS::Nova::Server': 'OS::Heat::TestResource' },
      'OS::Nova::Server',
      's',
      type('OS::Heat::None'),
    ],
    [
      'a per-resource entry (longer path) beats a matching glob',
      { 'OS::Nova*': 'OS::Heat::None', resources: { s: { 'OS::Nova::Server': 'OS::Heat::TestResource' } } },
      'OS::Nova::Server',
      's',
      type('OS::Heat::TestResource'),
    ],
    [
      'per-resource override applies to the named resource',
      { 'My::Leaf': 'leaf.yaml', resources: { three: { 'My::Leaf': 'other.yaml' } } },
      'My::Leaf',
      'three',
      {
        kind: 'template',
        template: 'other.yaml',
        type: 'My::Leaf',
        path: ['resources', 'three', 'My::Leaf'],
      },
    ],
    [
      'per-resource override does not apply to other resources',
      { 'My::Leaf': 'leaf.yaml', resources: { three: { 'My::Leaf': 'other.yaml' } } },
      'My::Leaf',
      'one',
      { kind: 'template', template: 'leaf.yaml', type: 'My::Leaf', path: ['My::Leaf'] },
    ],
    [
      'per-resource names are exact (no glob for type overrides, as Heat)',
      { resources: { '*_srv': { 'OS::Nova::Server': 'OS::Heat::None' } } },
      'OS::Nova::Server',
      'web_srv',
      type('OS::Nova::Server'),
    ],
    [
      'per-resource alias',
      { resources: { web: { 'OS::Nova::Server': 'OS::Heat::None' } } },
      'OS::Nova::Server',
      'web',
      type('OS::Heat::None'),
    ],
    [
      'the target of an alias is itself looked up (through globs too)',
      { 'OS::*': 'OS::Heat::None', resources: { s: { 'OS::Nova::Server': 'OS::Heat::TestResource' } } },
      'OS::Nova::Server',
      's',
      type('OS::Heat::None'),
    ],
    [
      'self alias is harmless',
      { 'OS::Nova::Server': 'OS::Nova::Server' },
      'OS::Nova::Server',
      'r',
      type('OS::Nova::Server'),
    ],
  ])('%s', (_label, snippet, resourceType, resourceName, expected) => {
    expect(registry(snippet).resolve(resourceType, resourceName)).toEqual(expected);
    if (expected.kind === 'template' || BUILTINS.has(expected.type)) {
      expect(registry(snippet).resolve(resourceType, resourceName, { isKnownType })).toEqual(expected);
    }
  });

  it('with isKnownType, an alias to an unknown type falls through and names the requested type', () => {
    const r = registry({ 'My::X': 'My::Missing' });
    expect(() => r.resolve('My::X', 'r', { isKnownType })).toThrowError(
      'The Resource Type (My::X) could not be found.',
    );
    expect(r.resolve('My::X', 'r')).toEqual(type('My::Missing'));
  });

  it('with isKnownType, a broken per-resource alias falls back to the global mapping', () => {
    const r = registry({ 'My::T': 'OS::Heat::None', resources: { a: { 'My::T': 'Nope::Nope' } } });
    expect(r.resolve('My::T', 'a', { isKnownType })).toEqual(type('OS::Heat::None'));
  });

  it('detects alias loops', () => {
    const r = registry({ 'My::A': 'My::B', 'My::B': 'My::A' });
    const err = (() => {
      try {
        r.resolve('My::A', 'r', { isKnownType });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(HeatError);
    expect((err as HeatError).type).toBe('StackValidationFailed');
    expect((err as HeatError).message).toBe('The Resource Type (My::A) could not be found.');
  });

  it('a glob mapped to a template never matches (Heat only maps globs to types)', () => {
    expect(registry({ 'My::*': 'x.yaml' }).resolve('My::T', 'r')).toEqual(type('My::T'));
  });
});

describe('ResourceRegistry.load (null removal and merging)', () => {
  it('a later load replaces and null removes', () => {
    const r = registry({ 'My::A': 'a.yaml', 'My::B': 'b.yaml' });
    r.load({ 'My::A': 'OS::Heat::None', 'My::B': null });
    expect(r.toJSON()).toEqual({ resources: {}, 'My::A': 'OS::Heat::None' });
    expect(r.resolve('My::B', 'x')).toEqual(type('My::B'));
  });

  it('"X*": null removes every matching entry (itself included)', () => {
    const r = registry({
      'My::A': 'a.yaml',
      'My::B': 'b.yaml',
      'My*': 'OS::Heat::None',
      'Other::C': 'c.yaml',
    });
    r.load({ 'My*': null });
    expect(r.toJSON()).toEqual({ resources: {}, 'Other::C': 'c.yaml' });
  });

  it('null in the same snippet removes an earlier key', () => {
    const r = registry({ 'My::A': 'a.yaml', 'My*': null });
    expect(r.toJSON()).toEqual({ resources: {} });
  });

  it('nested null creates the path (as Heat) and removes the entry', () => {
    const r = registry({ resources: { web: { 'My::A': null } } });
    expect(r.toJSON()).toEqual({ resources: { web: {} } });
  });

  it('empty maps are not registered', () => {
    expect(registry({ resources: { web: {} } }).toJSON()).toEqual({ resources: {} });
  });

  it('toJSON omits global entries and keeps hooks, restricted actions and per-resource entries', () => {
    const snippet = {
      'My::T': 'OS::Heat::None',
      resources: {
        web: { hooks: 'pre-create', restricted_actions: ['update'], 'My::T': 't.yaml' },
        wrap: { inner: { hooks: ['pre-update', 'post-delete'] } },
      },
    };
    expect(registry(snippet).toJSON()).toEqual(snippet);
  });

  it('clone is independent', () => {
    const a = registry({ 'My::A': 'a.yaml' });
    const b = a.clone();
    b.load({ 'My::A': null });
    expect(a.toJSON()).toEqual({ resources: {}, 'My::A': 'a.yaml' });
    expect(b.toJSON()).toEqual({ resources: {} });
  });
});

describe('ResourceRegistry scoping for nested stacks', () => {
  it('scopeToResource merges glob matches then the exact entry', () => {
    const r = registry({
      resources: {
        'wr*': { inner: { hooks: 'pre-create' }, other: { hooks: 'pre-delete' } },
        wrap: { inner: { hooks: 'post-create' } },
        unrelated: { x: { hooks: 'pre-update' } },
      },
    });
    r.scopeToResource('wrap');
    expect(r.toJSON()).toEqual({
      resources: { inner: { hooks: 'post-create' }, other: { hooks: 'pre-delete' } },
    });
    expect([...r.hooks('inner')]).toEqual(['post-create']);
  });

  it('removeTemplateEntry drops only a template entry', () => {
    const r = registry({ 'OS::Nova::Server': 'server.yaml', 'My::A': 'OS::Heat::None' });
    r.removeTemplateEntry(['My::A']);
    r.removeTemplateEntry(['OS::Nova::Server']);
    expect(r.toJSON()).toEqual({ resources: {}, 'My::A': 'OS::Heat::None' });
    expect(r.resolve('OS::Nova::Server', 'inner')).toEqual(type('OS::Nova::Server'));
  });
});
