import { describe, expect, it } from 'vitest';
import { validateProperties } from '../../engine/properties.js';
import { builtinPlugins, PluginRegistry } from '../index.js';
import { makeContext, makeState, RecordingNestedStacks } from '../testing/action-context.js';
import { childParameters, providerTemplatePlugin } from './provider-template.js';
import { stackResource } from './stack.js';

const info = {
  parameters: new Map([
    ['name', { type: 'string', hasDefault: false }],
    ['suffix', { type: 'string', default: '!', hasDefault: true }],
    ['items', { type: 'comma_delimited_list', hasDefault: true }],
    ['conf', { type: 'json', hasDefault: true }],
  ]),
  outputs: ['greeting'],
};

describe('provider template plugins', () => {
  const plugin = providerTemplatePlugin('My::Thing', 'thing.yaml', 'heat_template_version: 2018-08-31', info);

  it('makes parameters properties (required without default, update allowed, conversions)', () => {
    expect(plugin.properties['name']).toMatchObject({ type: 'string', required: true, updateAllowed: true });
    expect(plugin.properties['items']).toMatchObject({ type: 'list', required: false });
    const missing = validateProperties(plugin.properties, {}, { resourceName: 'thing', validating: false });
    expect(missing.problems.map((p) => p.message)).toEqual(['Property name not assigned']);
    const ok = validateProperties(
      plugin.properties,
      { name: 'a', items: 'x,y', conf: '{"a": 1}' },
      { resourceName: 't', validating: false },
    );
    expect(ok.problems).toEqual([]);
    expect(childParameters(plugin.properties, ok.properties)).toEqual({
      name: 'a',
      items: 'x,y',
      conf: '{"a": 1}',
    });
    expect(childParameters(plugin.properties, { name: 'a', items: [], conf: null, suffix: null })).toEqual({
      name: 'a',
      items: '',
    });
    expect(childParameters(plugin.properties, { items: [{ a: 1, b: 'x' }, { a: 2 }] })).toEqual({
      items: '.member.0.a=1,.member.0.b=x,.member.1.a=2',
    });
  });

  it('runs the child with set properties as parameters; outputs become attributes; ref is the ARN', async () => {
    const nested = new RecordingNestedStacks(() => ({ outputs: { greeting: 'hello alpha!' } }));
    const state = makeState({ name: 'thing', type: 'My::Thing' });
    const ctx = makeContext(state, { nested });
    const r = await plugin.create({ name: 'alpha', suffix: null, items: null, conf: null }, ctx);
    expect(nested.calls[0]?.spec).toEqual({
      template: 'heat_template_version: 2018-08-31',
      templateName: 'thing.yaml',
      parameters: { name: 'alpha' },
    });
    Object.assign(state, r);
    expect(plugin.attribute?.(state, 'greeting', [])).toBe('hello alpha!');
    // Without an OS::stack_id output, Heat answers InvalidTemplateAttribute (validation still accepts it).
    expect(() => plugin.attribute?.(state, 'OS::stack_id', [])).toThrow(
      'The Referenced Attribute (thing OS::stack_id) is incorrect.',
    );
    // Resource show lists the schema: only the nested outputs (Heat does not show OS::stack_id there).
    expect(Object.keys(plugin.attributes)).toEqual(['greeting']);
    expect(plugin.hasAttribute?.('OS::stack_id', null)).toBe(true);
    expect(() => plugin.attribute?.(state, 'nope', [])).toThrow(
      'The Referenced Attribute (thing nope) is incorrect.',
    );
    expect(plugin.referenceId?.(state)).toMatch(
      /^arn:openstack:heat::tenant:stacks\/mystack-thing-[a-z2-7]{12}\/child-stack-id$/,
    );
    const u = await plugin.update!(
      { oldProperties: {}, newProperties: { name: 'beta' }, changed: ['name'] },
      ctx,
    );
    expect(nested.calls[1]?.spec.parameters).toEqual({ name: 'beta' });
    expect(u.physicalId).toBe('child-stack-id');
  });

  it('uses the OS::stack_id output as reference when the template has one', async () => {
    const p = providerTemplatePlugin('My::Q', 'q.yaml', 'x', {
      parameters: new Map(),
      outputs: ['OS::stack_id'],
    });
    const nested = new RecordingNestedStacks(() => ({ outputs: { 'OS::stack_id': 'inner-id' } }));
    const state = makeState({ name: 'q' });
    Object.assign(state, await p.create({}, makeContext(state, { nested })));
    expect(p.referenceId?.(state)).toBe('inner-id');
    expect(p.attribute?.(state, 'OS::stack_id', [])).toBe('inner-id');
  });

  it('fails with the nested reason', async () => {
    const nested = new RecordingNestedStacks(() => ({
      status: 'FAILED',
      reason: 'Resource CREATE failed: ValueError: resources.broken: Test Resource failed broken',
    }));
    const state = makeState({ name: 'wrap' });
    await expect(plugin.create({ name: 'x' }, makeContext(state, { nested }))).rejects.toThrow(
      'ValueError: resources.wrap.resources.broken: Test Resource failed broken',
    );
  });
});

describe('OS::Heat::Stack', () => {
  it('creates a local child stack; attributes stack_name and outputs', async () => {
    const nested = new RecordingNestedStacks(() => ({ outputs: { o: 1 } }));
    const state = makeState({ name: 'stk' });
    const r = await stackResource.create(
      { template: 'heat_template_version: 2018-08-31', parameters: { a: 1 }, timeout: 5 },
      makeContext(state, { nested }),
    );
    expect(nested.calls[0]?.spec).toEqual({
      template: 'heat_template_version: 2018-08-31',
      parameters: { a: 1 },
      timeoutMins: 5,
    });
    Object.assign(state, r);
    expect(stackResource.referenceId?.(state)).toBe('child-stack-id');
    expect(stackResource.attribute?.(state, 'outputs', ['o'])).toBe(1);
    expect(stackResource.attribute?.(state, 'stack_name', [])).toMatch(/^mystack-stk-[a-z2-7]{12}$/);
  });

  it('rejects a remote region clearly', () => {
    expect(() =>
      stackResource.validate?.(
        { context: { region_name: 'RegionTwo' }, template: 'x' },
        { resourceName: 'stk', files: {} },
      ),
    ).toThrow('Cannot establish connection to Heat endpoint at region "RegionTwo"');
  });

  it('reports a failed child as ResourceInError', async () => {
    const nested = new RecordingNestedStacks(() => ({ status: 'FAILED', reason: 'boom' }));
    const err = await stackResource
      .create({ template: 'x' }, makeContext(makeState(), { nested }))
      .catch((e) => e);
    expect([err.name, err.message]).toEqual([
      'ResourceInError',
      'Went to status CREATE_FAILED due to "boom"',
    ]);
  });
});

describe('PluginRegistry', () => {
  it('holds the built-in types', () => {
    const reg = builtinPlugins();
    expect(reg.types()).toEqual([
      'OS::Heat::AutoScalingGroup',
      'OS::Heat::Delay',
      'OS::Heat::None',
      'OS::Heat::RandomString',
      'OS::Heat::ResourceChain',
      'OS::Heat::ResourceGroup',
      'OS::Heat::ScalingPolicy',
      'OS::Heat::Stack',
      'OS::Heat::TestResource',
      'OS::Heat::UpdateWaitConditionHandle',
      'OS::Heat::Value',
      'OS::Heat::WaitCondition',
      'OS::Heat::WaitConditionHandle',
    ]);
    expect(reg.get('OS::Heat::Value')?.type).toBe('OS::Heat::Value');
    expect(reg.get('Nope')).toBeUndefined();
    const own = new PluginRegistry().register(
      providerTemplatePlugin('My::T', 't.yaml', 'x', { parameters: new Map(), outputs: [] }),
    );
    expect(own.types()).toEqual(['My::T']);
  });
});
