import { describe, expect, it } from 'vitest';
import { validateProperties } from '../../engine/properties.js';
import { makeContext, makeState, RecordingNestedStacks } from '../testing/action-context.js';
import { delayResource as delay, delaySeconds } from './delay.js';
import { chainTemplate, resourceChainResource as chain } from './resource-chain.js';

describe('OS::Heat::Delay', () => {
  it('waits min_wait plus jitter only during the listed actions', () => {
    const p = { min_wait: 2, max_jitter: 3, jitter_multiplier: 0.5, actions: ['CREATE', 'DELETE'] };
    expect(delaySeconds(p, 'CREATE', () => 0.5)).toBe(2.75);
    expect(delaySeconds(p, 'DELETE', () => 0)).toBe(2);
    expect(delaySeconds(p, 'SUSPEND', () => 0.9)).toBe(0);
    expect(delaySeconds({ min_wait: 1 }, 'CREATE', () => 0)).toBe(1);
  });

  it('sleeps through the context during create and delete, abortably', async () => {
    const state = makeState({ name: 'd', properties: { min_wait: 0.2, actions: ['CREATE', 'DELETE'] } });
    const t0 = Date.now();
    await delay.create(
      { min_wait: 0.2, max_jitter: 0, jitter_multiplier: 1, actions: ['CREATE'] },
      makeContext(state),
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    const abort = new AbortController();
    const pending = delay.delete(makeContext(state, { signal: abort.signal }));
    abort.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });

  it('has Heat schemas (allowed actions, no in-place update: a change replaces it)', () => {
    const r = validateProperties(
      delay.properties,
      { actions: ['UPDATE'] },
      { resourceName: 'd', validating: false },
    );
    expect(r.problems).toHaveLength(1);
    expect(delay.update).toBeUndefined();
    expect(delay.properties['min_wait']?.updateAllowed).toBe(true);
  });
});

describe('OS::Heat::ResourceChain', () => {
  const props = {
    resources: ['OS::Heat::TestResource', 'OS::Heat::None'],
    resource_properties: { value: 'v' },
  };

  it('builds members 0..n-1, each depending on the previous unless concurrent', () => {
    expect(chainTemplate({ ...props, concurrent: false })['resources']).toEqual({
      0: { type: 'OS::Heat::TestResource', properties: { value: 'v' } },
      1: { type: 'OS::Heat::None', properties: { value: 'v' }, depends_on: ['0'] },
    });
    expect(chainTemplate({ ...props, concurrent: true })['resources']).toEqual({
      0: { type: 'OS::Heat::TestResource', properties: { value: 'v' } },
      1: { type: 'OS::Heat::None', properties: { value: 'v' } },
    });
  });

  it('answers refs, attributes, resource.N and attribute lists from the member snapshot', async () => {
    const nested = new RecordingNestedStacks();
    const state = makeState({ name: 'chain' });
    const r = await chain.create({ ...props, concurrent: false }, makeContext(state, { nested }));
    Object.assign(state, { data: r.data, attributes: r.attributes, physicalId: r.physicalId });
    expect(state.physicalId).toBe('child-stack-id');
    expect(chain.attribute!(state, 'refs', [])).toEqual(['0-ref', '1-ref']);
    expect(chain.attribute!(state, 'refs', [1])).toBe('1-ref');
    expect(chain.attribute!(state, 'value', [])).toEqual(['v', 'v']);
    expect(chain.attribute!(state, 'attributes', ['value'])).toEqual({ 0: 'v', 1: 'v' });
    expect(chain.attribute!(state, 'resource.1', [])).toBe('1-ref');
    expect(chain.attribute!(state, 'resource.0.value', [])).toBe('v');
    expect(() => chain.attribute!(state, 'resource.5', [])).toThrow(
      "Member '5' not found in group resource 'chain'.",
    );
    expect(() => chain.attribute!(state, 'attributes', [])).toThrow(
      'The Referenced Attribute (chain attributes) is incorrect.',
    );
  });

  it('updates the child in place when the types change; other properties replace it', async () => {
    const nested = new RecordingNestedStacks();
    const state = makeState({ name: 'chain' });
    await chain.update!(
      {
        oldProperties: props,
        newProperties: { ...props, resources: ['OS::Heat::None'] },
        changed: ['resources'],
      },
      makeContext(state, { nested }),
    );
    expect(Object.keys((nested.calls[0]?.spec.template as { resources: object }).resources)).toEqual(['0']);
    expect(chain.properties['resources']?.updateAllowed).toBe(true);
    expect(chain.properties['concurrent']?.updateAllowed).toBeFalsy();
    expect(chain.properties['resource_properties']?.updateAllowed).toBeFalsy();
  });
});
