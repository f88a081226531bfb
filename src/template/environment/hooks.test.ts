import { describe, expect, it } from 'vitest';
import { HeatError } from '../errors.js';
import { ResourceRegistry } from './registry.js';

const ALL = "('pre-create', 'pre-update', 'pre-delete', 'post-create', 'post-update', 'post-delete')";

function loadError(snippet: Record<string, unknown>): HeatError {
  try {
    ResourceRegistry.fromJSON(snippet);
  } catch (err) {
    if (err instanceof HeatError) return err;
    throw err;
  }
  throw new Error('expected a HeatError');
}

describe('hooks', () => {
  const r = ResourceRegistry.fromJSON({
    resources: {
      hooked: { hooks: 'pre-create' },
      h: { hooks: ['pre-update', 'pre-delete'] },
      '*_srv': { hooks: 'post-create' },
      'web_*': { hooks: ['pre-create'] },
      'db?': { hooks: 'post-update' },
      'node[0-2]': { hooks: 'post-delete' },
      'x[!0-9]': { hooks: 'pre-delete' },
      nohooks: { hooks: [] },
    },
  });

  it.each<[string, string[]]>([
    ['hooked', ['pre-create']],
    ['h', ['pre-update', 'pre-delete']],
    ['db_srv', ['post-create']],
    ['web_srv', ['post-create', 'pre-create']],
    ['plain', []],
    ['Web_srv', ['post-create']],
    ['db1', ['post-update']],
    ['db12', []],
    ['node1', ['post-delete']],
    ['node3', []],
    ['xa', ['pre-delete']],
    ['x1', []],
    ['nohooks', []],
  ])('%s → %j', (name, hooks) => {
    expect([...r.hooks(name)].sort()).toEqual([...hooks].sort());
  });

  it('hasHook', () => {
    expect(r.hasHook('hooked', 'pre-create')).toBe(true);
    expect(r.hasHook('hooked', 'post-create')).toBe(false);
  });

  it.each<[unknown, string]>([
    ['pre-explode', 'pre-explode'],
    [['pre-create', 'bad'], "['pre-create', 'bad']"],
    [{ a: 1 }, "{'a': 1}"],
    [3, '3'],
    [true, 'True'],
  ])('invalid hook %j → InvalidBreakPointHook', (value, shown) => {
    const err = loadError({ resources: { a: { hooks: value } } });
    expect(err.type).toBe('InvalidBreakPointHook');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      `Invalid hook type "${shown}" for resource breakpoint, acceptable hook types are: ${ALL}`,
    );
    expect(err.path).toEqual(['resource_registry', 'resources', 'a', 'hooks'].slice(1));
  });

  it('validates hooks at any depth (nested-stack resources)', () => {
    expect(loadError({ resources: { wrap: { inner: { hooks: 'nope' } } } }).type).toBe(
      'InvalidBreakPointHook',
    );
  });
});

describe('restricted_actions', () => {
  const r = ResourceRegistry.fromJSON({
    resources: {
      a: { restricted_actions: 'update' },
      '*': { restricted_actions: ['replace'] },
      b: { restricted_actions: ['update', 'replace'] },
    },
  });

  it.each<[string, string[]]>([
    ['a', ['update', 'replace']],
    ['b', ['update', 'replace']],
    ['c', ['replace']],
  ])('%s → %j', (name, actions) => {
    expect([...r.restrictedActions(name)].sort()).toEqual([...actions].sort());
  });

  it.each<[unknown, string]>([
    ['delete', 'delete'],
    [['update', 'x'], "['update', 'x']"],
  ])('invalid %j → InvalidRestrictedAction', (value, shown) => {
    const err = loadError({ resources: { a: { restricted_actions: value } } });
    expect(err.type as string).toBe('InvalidRestrictedAction');
    expect(err.message).toBe(
      `Invalid restricted_action type "${shown}" for resource, acceptable restricted_action types are: ('update', 'replace')`,
    );
  });
});
