import { describe, expect, it } from 'vitest';
import type { Properties, ResourceState } from '../../engine/plugin.js';
import { validateProperties } from '../../engine/properties.js';
import { calculateNewCapacity, cooldownEnd } from '../support/scaling.js';
import { makeContext, makeState, RecordingNestedStacks } from '../testing/action-context.js';
import { ADJUST_SIGNAL_KEY, autoScalingGroupResource as asg, scaledTemplate } from './autoscaling-group.js';
import { scalingPolicyResource as policy } from './scaling-policy.js';

const member = { type: 'OS::Heat::TestResource', properties: { value: 'a' } };

function props(raw: Record<string, unknown>): Properties {
  const r = validateProperties(asg.properties, raw, { resourceName: 'asg', validating: false });
  expect(r.problems.map((p) => p.message)).toEqual([]);
  return r.properties;
}

function childNames(nested: RecordingNestedStacks, call = nested.calls.length - 1): string[] {
  return Object.keys((nested.calls[call]?.spec.template as { resources: object }).resources);
}

/** An ASG created through its plugin over a recording child. */
async function createdGroup(raw: Record<string, unknown>) {
  const nested = new RecordingNestedStacks();
  const properties = props(raw);
  const state = makeState({ name: 'asg', type: asg.type, properties });
  const r = await asg.create(properties, makeContext(state, { nested }));
  Object.assign(state, { physicalId: r.physicalId, data: r.data, attributes: r.attributes });
  const signal = async (adjust: Record<string, unknown>): Promise<string[]> => {
    const ctx = makeContext(state, { nested });
    const out = await asg.signal!({ [ADJUST_SIGNAL_KEY]: adjust }, ctx);
    if (out) Object.assign(state, { data: { ...state.data, ...out.data }, attributes: out.attributes });
    return ctx.events;
  };
  return { nested, state, signal };
}

describe('scaling arithmetic (heat.scaling.scalingutil)', () => {
  it('applies the three adjustment types within bounds', () => {
    expect(calculateNewCapacity(2, 1, 'change_in_capacity', null, 1, 5)).toBe(3);
    expect(calculateNewCapacity(2, -5, 'change_in_capacity', null, 1, 5)).toBe(1);
    expect(calculateNewCapacity(2, 9, 'exact_capacity', null, 1, 5)).toBe(5);
    // 10% of 4 is 0.4: rounded away from zero to one member; 50% of 5 is 2.5 → 2.
    expect(calculateNewCapacity(4, 10, 'percent_change_in_capacity', null, 0, 10)).toBe(5);
    expect(calculateNewCapacity(5, -50, 'percent_change_in_capacity', null, 0, 10)).toBe(3);
    expect(calculateNewCapacity(4, 10, 'percent_change_in_capacity', 3, 0, 10)).toBe(7);
  });

  it('keeps the later cooldown end', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    expect(cooldownEnd(now, 60)).toBe('2024-01-01T00:01:00.000Z');
    expect(cooldownEnd(now, 60, '2024-01-01T00:05:00.000Z')).toBe('2024-01-01T00:05:00.000Z');
  });
});

describe('OS::Heat::AutoScalingGroup', () => {
  it('creates desired_capacity members with random 12-character names and group attributes', async () => {
    const { nested, state } = await createdGroup({
      min_size: 1,
      max_size: 5,
      desired_capacity: 3,
      resource: member,
    });
    const names = childNames(nested);
    expect(names).toHaveLength(3);
    for (const n of names) expect(n).toMatch(/^[a-z2-7]{12}$/);
    expect(asg.attribute!(state, 'current_size', [])).toBe(3);
    expect(asg.attribute!(state, 'refs', [])).toEqual(names.map((n) => `${n}-ref`));
    expect(asg.attribute!(state, 'outputs_list', ['value'])).toEqual(['a', 'a', 'a']);
    expect(asg.attribute!(state, 'outputs', ['value'])).toEqual(
      Object.fromEntries(names.map((n) => [n, 'a'])),
    );
    expect(asg.attribute!(state, 'resource.0', [])).toBe(`${names[0]}-ref`);
    expect(asg.attribute!(state, 'resource.2.value', [])).toBe('a');
    expect(() => asg.attribute!(state, 'resource.7', [])).toThrow(
      "Member '7' not found in group resource 'asg'.",
    );
    expect(() => asg.attribute!(state, 'outputs', [])).toThrow(
      'The Referenced Attribute (asg outputs) is incorrect.',
    );
  });

  it('scales on adjust signals, removes the oldest first, honours bounds and cooldown', async () => {
    const { nested, signal } = await createdGroup({
      min_size: 1,
      max_size: 4,
      cooldown: 0,
      resource: member,
    });
    const first = childNames(nested);
    expect(first).toHaveLength(1);
    await signal({ adjustment: 5, adjustment_type: 'change_in_capacity' });
    const grown = childNames(nested);
    expect(grown).toHaveLength(4);
    expect(grown[0]).toBe(first[0]);
    await signal({ adjustment: -1, adjustment_type: 'change_in_capacity' });
    expect(childNames(nested)).toEqual(grown.slice(1));
    const calls = nested.calls.length;
    const events = await signal({ adjustment: 1, adjustment_type: 'change_in_capacity', cooldown: 600 });
    expect(nested.calls.length).toBe(calls + 1);
    const blocked = await signal({ adjustment: -1, adjustment_type: 'change_in_capacity' });
    expect(events).toEqual([]);
    expect(blocked).toEqual([
      'The resource asg could not perform scaling action: due to cooldown, cooldown 0',
    ]);
    expect(nested.calls.length).toBe(calls + 1);
  });

  it('refuses other signal bodies as Heat does', async () => {
    const { state, nested } = await createdGroup({ min_size: 1, max_size: 2, resource: member });
    await expect(asg.signal!({ x: 1 }, makeContext(state, { nested }))).rejects.toMatchObject({
      type: 'ResourceActionNotSupported',
    });
  });

  it('rolls a new resource definition through in batches of max_batch_size, oldest first', async () => {
    const { nested, state } = await createdGroup({ min_size: 3, max_size: 3, resource: member });
    const before = childNames(nested);
    const next = { ...member, properties: { value: 'b' } };
    const oldP = state.properties!;
    const newP = props({ min_size: 3, max_size: 3, resource: next });
    await asg.update!(
      { oldProperties: oldP, newProperties: newP, changed: ['resource'] },
      makeContext(state, { nested }),
    );
    const values = nested.calls.slice(1).map((c) => {
      const res = (c.spec.template as { resources: Record<string, { properties: { value: string } }> })
        .resources;
      return before.map((n) => res[n]?.properties.value);
    });
    expect(values).toEqual([
      ['b', 'a', 'a'],
      ['b', 'b', 'a'],
      ['b', 'b', 'b'],
      ['b', 'b', 'b'],
    ]);
  });

  it('reuses the names an interrupted action had chosen (no member created twice)', () => {
    const p = props({ min_size: 1, max_size: 5, resource: member });
    const data = { child_template: { resources: { keptmember01: member, pendingname1: member } } };
    const live = [{ name: 'keptmember01', status: 'COMPLETE' }] as never;
    const t = scaledTemplate(p, data, live, 3, 0, () => 'freshname123');
    expect(Object.keys(t['resources'] as object)).toEqual(['keptmember01', 'freshname123', 'pendingname1']);
  });

  it('validates sizes with Heat messages', () => {
    const v = (raw: Record<string, unknown>) => () =>
      asg.validate!(props(raw), { resourceName: 'asg', files: {} });
    expect(v({ min_size: 3, max_size: 2, resource: member })).toThrow(
      'MinSize can not be greater than MaxSize',
    );
    expect(v({ min_size: 1, max_size: 2, desired_capacity: 3, resource: member })).toThrow(
      'DesiredCapacity must be between MinSize and MaxSize',
    );
  });
});

describe('OS::Heat::ScalingPolicy', () => {
  function created(
    properties: Record<string, unknown>,
    siblings: Map<string, ResourceState>,
    sent: unknown[],
  ) {
    const state = makeState({ name: 'up', type: policy.type, properties });
    const ctx = (): ReturnType<typeof makeContext> =>
      makeContext(state, {
        siblings,
        signalResource: async (name, details) => {
          sent.push([name, details]);
        },
      });
    return { state, ctx };
  }

  it('exposes its signal URL and asks the group found by reference to adjust', async () => {
    const group = makeState({ name: 'asg', type: asg.type, physicalId: 'child-stack-uuid' });
    const sent: unknown[] = [];
    const properties = {
      auto_scaling_group_id: 'child-stack-uuid',
      adjustment_type: 'percent_change_in_capacity',
      scaling_adjustment: 50,
      min_adjustment_step: 2,
      cooldown: 30,
    };
    const { state, ctx } = created(properties, new Map([['asg', group]]), sent);
    const r = await policy.create(properties, ctx());
    Object.assign(state, { physicalId: r.physicalId, data: r.data });
    expect(policy.attribute!(state, 'signal_url', [])).toMatch(/\/resources\/up\/signal$/);
    expect(policy.attribute!(state, 'alarm_url', [])).toBe(policy.attribute!(state, 'signal_url', []));
    await policy.signal!({ current: 'alarm' }, ctx());
    expect(sent).toEqual([
      [
        'asg',
        {
          [ADJUST_SIGNAL_KEY]: {
            adjustment: 50,
            adjustment_type: 'percent_change_in_capacity',
            min_adjustment_step: 2,
            cooldown: 30,
          },
        },
      ],
    ]);
  });

  it('fails when the group is missing, and validates min_adjustment_step', async () => {
    const properties = {
      auto_scaling_group_id: 'gone',
      adjustment_type: 'change_in_capacity',
      scaling_adjustment: 1,
    };
    const { ctx } = created(properties, new Map(), []);
    await expect(policy.signal!({}, ctx())).rejects.toThrow(
      'Alarm up could not find scaling group named "gone"',
    );
    expect(() =>
      policy.validate!({ ...properties, min_adjustment_step: 1 }, { resourceName: 'up', files: {} }),
    ).toThrow(
      'min_adjustment_step property should only be specified for adjustment_type with value percent_change_in_capacity.',
    );
  });
});
