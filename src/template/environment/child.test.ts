import { describe, expect, it } from 'vitest';
import { childEnvironment } from './child.js';
import { environmentToJSON, parseEnvironment } from './format.js';

describe('childEnvironment', () => {
  it('passes registry and parameter_defaults down, not parameters; scopes resources: to the owner (lifecycle 052)', () => {
    const parent = parseEnvironment(
      [
        'parameters: {root_only: 1}',
        'parameter_defaults: {color: pd}',
        'resource_registry:',
        '  My::Wrap: wrap.yaml',
        '  resources:',
        '    wrap:',
        '      inner: {hooks: pre-create}',
        '    other: {hooks: pre-delete}',
      ].join('\n'),
    );
    const resolved = parent.resourceRegistry.resolve('My::Wrap', 'wrap');
    expect(resolved.kind).toBe('template');
    const child = childEnvironment(parent, 'wrap', {
      templateEntryPath: resolved.kind === 'template' ? resolved.path : undefined,
    });
    expect(environmentToJSON(child)).toEqual({
      resource_registry: { resources: { inner: { hooks: 'pre-create' } } },
      parameters: {},
      parameter_defaults: { color: 'pd' },
      event_sinks: [],
      encrypted_param_names: [],
    });
    expect([...child.resourceRegistry.hooks('inner')]).toEqual(['pre-create']);
    expect([...child.resourceRegistry.hooks('other')]).toEqual([]);
    expect([...parent.resourceRegistry.hooks('other')]).toEqual(['pre-delete']);
  });

  it('keeps other type mappings, so nested templates can use them', () => {
    const parent = parseEnvironment({
      resource_registry: { 'My::Wrap': 'wrap.yaml', 'My::Leaf': 'leaf.yaml' },
    });
    const child = childEnvironment(parent, 'w', { templateEntryPath: ['My::Wrap'] });
    expect(child.resourceRegistry.resolve('My::Leaf', 'x')).toMatchObject({
      kind: 'template',
      template: 'leaf.yaml',
    });
    expect(child.resourceRegistry.resolve('My::Wrap', 'x')).toEqual({ kind: 'type', type: 'My::Wrap' });
  });

  it('a template standing in for a real type can use that type inside', () => {
    const parent = parseEnvironment({ resource_registry: { 'OS::Nova::Server': 'server.yaml' } });
    const r = parent.resourceRegistry.resolve('OS::Nova::Server', 'srv');
    const child = childEnvironment(parent, 'srv', { templateEntryPath: r.kind === 'template' ? r.path : [] });
    expect(child.resourceRegistry.resolve('OS::Nova::Server', 'inner')).toEqual({
      kind: 'type',
      type: 'OS::Nova::Server',
    });
  });

  it('per-resource type overrides of the owner apply to resources of the child by name', () => {
    const parent = parseEnvironment({
      resource_registry: { resources: { group: { member: { 'My::T': 'OS::Heat::None' } } } },
    });
    const child = childEnvironment(parent, 'group');
    expect(child.resourceRegistry.resolve('My::T', 'member')).toEqual({
      kind: 'type',
      type: 'OS::Heat::None',
    });
    expect(child.resourceRegistry.resolve('My::T', 'someone_else')).toEqual({ kind: 'type', type: 'My::T' });
  });

  it('glob owner entries apply to every matching owner, grandchildren scope again', () => {
    const parent = parseEnvironment({
      resource_registry: { resources: { 'node_*': { inner: { deep: { hooks: ['post-create'] } } } } },
    });
    const child = childEnvironment(parent, 'node_1');
    expect(environmentToJSON(child).resource_registry).toEqual({
      resources: { inner: { deep: { hooks: ['post-create'] } } },
    });
    const grandchild = childEnvironment(child, 'inner');
    expect([...grandchild.resourceRegistry.hooks('deep')]).toEqual(['post-create']);
    expect(environmentToJSON(childEnvironment(parent, 'other')).resource_registry).toEqual({ resources: {} });
  });

  it('sets the child parameters when given and copies (no sharing with the parent)', () => {
    const parent = parseEnvironment({
      parameter_defaults: { a: [1] },
      event_sinks: [{ type: 'zaqar-queue' }],
    });
    const child = childEnvironment(parent, 'r', { parameters: { name: 'alpha' } });
    expect(child.parameters).toEqual({ name: 'alpha' });
    expect(child.eventSinks).toEqual([{ type: 'zaqar-queue' }]);
    (child.parameterDefaults.a as number[]).push(2);
    expect(parent.parameterDefaults).toEqual({ a: [1] });
  });
});
