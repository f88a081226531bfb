import { describe, expect, it } from 'vitest';
import type { Properties, UpdateRequest } from '../../engine/plugin.js';
import { diffProperties, validateProperties } from '../../engine/properties.js';
import { batches } from '../support/rolling-update.js';
import { makeContext, makeState, RecordingNestedStacks } from '../testing/action-context.js';
import { resourceGroupResource as group } from './resource-group.js';

function props(raw: Record<string, unknown>): Properties {
  const r = validateProperties(group.properties, raw, { resourceName: 'grp', validating: false });
  expect(r.problems.map((p) => p.message)).toEqual([]);
  return r.properties;
}

const def = { type: 'OS::Heat::TestResource', properties: { value: 'member-%index%', other: null } };

function request(
  oldRaw: Record<string, unknown>,
  newRaw: Record<string, unknown>,
  newUpdatePolicy?: unknown,
): UpdateRequest {
  const oldProperties = props(oldRaw);
  const newProperties = props(newRaw);
  return {
    oldProperties,
    newProperties,
    changed: diffProperties(oldProperties, newProperties),
    newUpdatePolicy,
  };
}

function resourceNames(nested: RecordingNestedStacks): string[] {
  const tmpl = nested.calls.at(-1)?.spec.template as { resources: Record<string, unknown> };
  return Object.keys(tmpl.resources);
}

async function created(raw: Record<string, unknown>) {
  const nested = new RecordingNestedStacks();
  const state = makeState({ name: 'grp', type: 'OS::Heat::ResourceGroup' });
  const ctx = makeContext(state, { nested });
  const r = await group.create(props(raw), ctx);
  Object.assign(state, { physicalId: r.physicalId, attributes: r.attributes, data: r.data });
  return { nested, state, ctx, result: r };
}

describe('OS::Heat::ResourceGroup', () => {
  it('builds the child template with index_var substituted and null properties dropped', async () => {
    const { nested, result } = await created({ count: 3, resource_def: def });
    expect(nested.calls[0]?.spec.template).toEqual({
      heat_template_version: '2015-04-30',
      resources: {
        '0': { type: 'OS::Heat::TestResource', properties: { value: 'member-0' } },
        '1': { type: 'OS::Heat::TestResource', properties: { value: 'member-1' } },
        '2': { type: 'OS::Heat::TestResource', properties: { value: 'member-2' } },
      },
    });
    expect(nested.calls[0]?.options).toBeUndefined();
    expect(result.physicalId).toBe('child-stack-id');
    expect(result.attributes).toEqual({
      refs: ['0-ref', '1-ref', '2-ref'],
      refs_map: { '0': '0-ref', '1': '1-ref', '2': '2-ref' },
      removed_rsrc_list: [],
    });
  });

  it('answers every attribute form', async () => {
    const { state } = await created({ count: 3, resource_def: def, index_var: '@@@' });
    const a = (name: string, path: unknown[] = []) => group.attribute?.(state, name, path);
    expect(a('output')).toEqual(['member-%index%', 'member-%index%', 'member-%index%']);
    expect(a('refs')).toEqual(['0-ref', '1-ref', '2-ref']);
    expect(a('refs', [1])).toBe('1-ref');
    expect(a('refs_map')).toEqual({ '0': '0-ref', '1': '1-ref', '2': '2-ref' });
    expect(a('resource.1')).toBe('1-ref');
    expect(a('resource.2.output')).toBe('member-%index%');
    expect(a('resource.1', ['value'])).toBe('member-%index%');
    expect(a('attributes', ['output'])).toEqual({
      '0': 'member-%index%',
      '1': 'member-%index%',
      '2': 'member-%index%',
    });
    expect(a('removed_rsrc_list')).toEqual([]);
    expect(() => a('attributes')).toThrow('The Referenced Attribute (grp attributes) is incorrect.');
    expect(() => a('resource.7')).toThrow("Member '7' not found in group resource 'grp'.");
    expect(() => a('resource.7.output')).toThrow("Member '7' not found in group resource 'grp'.");
    expect(group.referenceId?.(state)).toBe('child-stack-id');
  });

  it('count 0 gives empty lists and maps', async () => {
    const { state, nested } = await created({ count: 0, resource_def: def });
    expect(resourceNames(nested)).toEqual([]);
    expect(group.attribute?.(state, 'output', [])).toEqual([]);
    expect(group.attribute?.(state, 'refs_map', [])).toEqual({});
  });

  it('scales down from the top and up again re-using free indices', async () => {
    const { nested, state, ctx } = await created({ count: 4, resource_def: def });
    await group.update!(request({ count: 4, resource_def: def }, { count: 1, resource_def: def }), ctx);
    expect(resourceNames(nested)).toEqual(['0']);
    await group.update!(request({ count: 1, resource_def: def }, { count: 3, resource_def: def }), ctx);
    expect(resourceNames(nested)).toEqual(['0', '1', '2']);
    expect(state.data['name_blacklist']).toBe('');
  });

  it('removal_policies skip names for good (append) until mode update clears them', async () => {
    const p = (count: number, remove: unknown[], mode = 'append') => ({
      count,
      resource_def: def,
      removal_policies: [{ resource_list: remove }],
      removal_policies_mode: mode,
    });
    const { nested, state, ctx } = await created(p(3, []));
    let r = await group.update!(request(p(3, []), p(2, ['1'])), ctx);
    Object.assign(state, { data: r.data, attributes: r.attributes });
    expect(resourceNames(nested)).toEqual(['0', '2']);
    expect(group.attribute?.(state, 'removed_rsrc_list', [])).toEqual(['1']);
    r = await group.update!(request(p(2, ['1']), p(3, ['1'])), ctx);
    expect(resourceNames(nested)).toEqual(['0', '2', '3']);
    r = await group.update!(request(p(3, ['1']), p(5, [])), ctx);
    expect(resourceNames(nested)).toEqual(['0', '2', '3', '4', '5']);
    r = await group.update!(request(p(5, []), p(2, [])), ctx);
    expect(resourceNames(nested)).toEqual(['0', '2']);
    r = await group.update!(request(p(2, []), p(2, [], 'update')), ctx);
    Object.assign(state, { data: r.data, attributes: r.attributes });
    expect(resourceNames(nested)).toEqual(['0', '1']);
    expect(group.attribute?.(state, 'removed_rsrc_list', [])).toEqual([]);
  });

  it('removal by reference id maps to the member name', async () => {
    const { nested, ctx } = await created({ count: 3, resource_def: def });
    const next = { count: 2, resource_def: def, removal_policies: [{ resource_list: ['0-ref'] }] };
    await group.update!(request({ count: 3, resource_def: def }, next), ctx);
    expect(resourceNames(nested)).toEqual(['1', '2']);
  });

  it('skips removal_policies names already at create', async () => {
    const { nested } = await created({
      count: 2,
      resource_def: def,
      removal_policies: [{ resource_list: [0] }],
    });
    expect(resourceNames(nested)).toEqual(['1', '2']);
  });

  it('batch_create creates the child empty, then grows it by max_batch_size members (lowest first)', async () => {
    const nested = new RecordingNestedStacks();
    const state = makeState({ name: 'grp' });
    const policy = { batch_create: { max_batch_size: 2 } };
    const ctx = makeContext(state, { nested, updatePolicy: policy });
    const r = await group.create(props({ count: 5, resource_def: def }), ctx);
    expect(nested.calls.map((c) => Object.keys(c.spec.template['resources' as never] ?? {}))).toEqual([
      [],
      ['0', '1'],
      ['0', '1', '2', '3'],
      ['0', '1', '2', '3', '4'],
    ]);
    expect(r.attributes?.['refs']).toEqual(['0-ref', '1-ref', '2-ref', '3-ref', '4-ref']);
  });

  it('rolling_update changes max_batch_size members per child update, highest index first', async () => {
    const nested = new RecordingNestedStacks();
    const state = makeState({ name: 'grp' });
    const policy = { rolling_update: { max_batch_size: 1, min_in_service: 1, pause_time: 0 } };
    const ctx = makeContext(state, { nested, updatePolicy: policy });
    const r0 = await group.create(props({ count: 3, resource_def: def }), ctx);
    Object.assign(state, { data: r0.data, physicalId: r0.physicalId });
    const def2 = { type: 'OS::Heat::TestResource', properties: { value: 'v2-%index%' } };
    await group.update!(
      request({ count: 3, resource_def: def }, { count: 3, resource_def: def2 }, policy),
      ctx,
    );
    const values = nested.calls.slice(1).map((c) => {
      const res = c.spec.template['resources' as never] as Record<string, { properties: { value: string } }>;
      return Object.fromEntries(['0', '1', '2'].map((n) => [n, res[n]?.properties.value]));
    });
    expect(values).toEqual([
      { 0: 'member-0', 1: 'member-1', 2: 'v2-2' },
      { 0: 'member-0', 1: 'v2-1', 2: 'v2-2' },
      { 0: 'v2-0', 1: 'v2-1', 2: 'v2-2' },
    ]);
    // A count change alone is one child update.
    await group.update!(
      request({ count: 3, resource_def: def2 }, { count: 5, resource_def: def2 }, policy),
      ctx,
    );
    expect(nested.calls).toHaveLength(5);
  });

  it('computes Heat batches (rolling_update.next_batch) for both group styles', () => {
    expect(batches(3, 3, 1, 1, 'resource-group')).toEqual([
      { capacity: 3, updates: 1 },
      { capacity: 3, updates: 1 },
      { capacity: 3, updates: 1 },
    ]);
    expect(batches(4, 0, 2, 0, 'resource-group')).toEqual([
      { capacity: 2, updates: 2 },
      { capacity: 4, updates: 2 },
    ]);
    // min_in_service above the batch: the group grows temporarily.
    expect(batches(2, 2, 1, 2, 'instance-group')).toEqual([
      { capacity: 3, updates: 1 },
      { capacity: 3, updates: 1 },
      { capacity: 2, updates: 0 },
    ]);
  });

  it('fails with the nested path and keeps the snapshot', async () => {
    const nested = new RecordingNestedStacks(() => ({
      status: 'FAILED',
      reason: 'Resource CREATE failed: ValueError: resources[1]: Test Resource failed 1',
    }));
    const state = makeState({ name: 'grp' });
    const err = await group
      .create(props({ count: 2, resource_def: def }), makeContext(state, { nested }))
      .catch((e) => e);
    expect(err.message).toBe('ValueError: resources.grp.resources[1]: Test Resource failed 1');
    expect(state.physicalId).toBe('child-stack-id');
    expect(Object.keys(state.data['members'] as object)).toEqual(['0', '1']);
  });

  it('validates index_var length and count range', () => {
    const r = validateProperties(
      group.properties,
      { count: -1, index_var: '@@', resource_def: { type: 'X' } },
      { resourceName: 'grp', validating: false },
    );
    expect(r.problems.map((p) => [p.path?.join('.'), p.message])).toEqual([
      ['resources.grp.properties.count', '-1 is out of range (min: 0, max: None)'],
      ['resources.grp.properties.index_var', 'length (2) is out of range (min: 3, max: None)'],
    ]);
    expect(group.properties['index_var']?.updateAllowed).toBeFalsy();
  });

  it('delegates delete and suspend/resume/check to the child', async () => {
    const { nested, ctx } = await created({ count: 1, resource_def: def });
    await group.suspend!(ctx);
    await group.resume!(ctx);
    await group.check!(ctx);
    await group.delete(ctx);
    expect(nested.acts).toEqual(['SUSPEND', 'RESUME', 'CHECK']);
    expect(nested.deleted).toBe(1);
  });
});
