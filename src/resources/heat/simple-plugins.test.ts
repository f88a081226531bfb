import { describe, expect, it } from 'vitest';
import {
  UpdateReplace,
  type Properties,
  type ResourcePlugin,
  type UpdateRequest,
} from '../../engine/plugin.js';
import { diffProperties, validateProperties } from '../../engine/properties.js';
import { makeContext, makeState } from '../testing/action-context.js';
import { noneResource } from './none.js';
import { randomStringResource } from './random-string.js';
import { testResource } from './test-resource.js';
import { valueResource } from './value.js';

/** Validated properties of `plugin` for `raw`, failing the test on problems. */
function props(plugin: ResourcePlugin, raw: Record<string, unknown>): Properties {
  const r = validateProperties(plugin.properties, raw, { resourceName: 'r', validating: false });
  expect(r.problems.map((p) => p.message)).toEqual([]);
  return r.properties;
}

function updateRequest(
  plugin: ResourcePlugin,
  oldRaw: Record<string, unknown>,
  newRaw: Record<string, unknown>,
): UpdateRequest {
  const oldProperties = props(plugin, oldRaw);
  const newProperties = props(plugin, newRaw);
  return { oldProperties, newProperties, changed: diffProperties(oldProperties, newProperties) };
}

const PHYSICAL_NAME = /^mystack-r-[a-z2-7]{12}$/;

describe('OS::Heat::None', () => {
  it('creates with a stable uuid, answers null attributes, never replaces', async () => {
    const state = makeState();
    const ctx = makeContext(state);
    const r = await noneResource.create({ anything: 1 }, ctx);
    expect(r.physicalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.physicalId).toBe(r.physicalId);
    const again = await noneResource.create({}, ctx);
    expect(again.physicalId).toBe(r.physicalId);
    expect(noneResource.attribute?.(state, 'whatever', ['x'])).toBeNull();
    expect(noneResource.needsReplace?.({ oldProperties: {}, newProperties: { a: 1 }, changed: ['a'] })).toBe(
      false,
    );
    expect(
      validateProperties(
        {},
        { a: 1 },
        { resourceName: 'n', anyProperty: noneResource.acceptsAnyProperty, validating: false },
      ).problems,
    ).toEqual([]);
  });
});

describe('OS::Heat::Value', () => {
  it('exposes the value as written and a physical-name reference', async () => {
    const state = makeState({ name: 'r' });
    const r = await valueResource.create(
      props(valueResource, { type: 'number', value: '7' }),
      makeContext(state),
    );
    expect(r.physicalId).toMatch(PHYSICAL_NAME);
    expect(r.attributes).toEqual({ value: '7' });
    Object.assign(state, r);
    expect(valueResource.attribute?.(state, 'value', [])).toBe('7');
    expect(valueResource.referenceId?.(state)).toBe(r.physicalId);
  });

  it('walks attribute paths (misses give null)', () => {
    const state = makeState({ attributes: { value: { servers: [{ name: 'web' }, { name: 'db' }] } } });
    expect(valueResource.attribute?.(state, 'value', ['servers', 1, 'name'])).toBe('db');
    expect(valueResource.attribute?.(state, 'value', ['servers', 9])).toBeNull();
    expect(valueResource.attribute?.(state, 'value', ['nope'])).toBeNull();
  });

  it('validates value against its type', () => {
    const ctx = { resourceName: 'v', files: {} };
    expect(() =>
      valueResource.validate?.(props(valueResource, { type: 'number', value: 'not-a-number' }), ctx),
    ).toThrow("could not convert string to float: 'not-a-number'");
    try {
      valueResource.validate?.(props(valueResource, { type: 'number', value: 'x' }), ctx);
    } catch (e) {
      expect((e as { path: string[] }).path).toEqual(['resources', 'v', 'properties', 'value']);
    }
    expect(() => valueResource.validate?.(props(valueResource, { type: 'json', value: ['x'] }), ctx)).toThrow(
      `"['x']" is not a map`,
    );
    expect(() =>
      valueResource.validate?.(props(valueResource, { type: 'boolean', value: 'true' }), ctx),
    ).not.toThrow();
    expect(() =>
      valueResource.validate?.(props(valueResource, { type: 'string', value: 12 }), ctx),
    ).not.toThrow();
    expect(() =>
      valueResource.validate?.(props(valueResource, { type: 'number', value: null }), ctx),
    ).not.toThrow();
    const bad = validateProperties(
      valueResource.properties,
      { value: 1, type: 'float' },
      { resourceName: 'v', validating: false },
    );
    expect(bad.problems[0]?.message).toBe(
      '"float" is not an allowed value ["string", "number", "comma_delimited_list", "json", "boolean"]',
    );
  });

  it('updates in place', async () => {
    const state = makeState();
    const r = await valueResource.update!(
      updateRequest(valueResource, { value: 'a' }, { value: 'b' }),
      makeContext(state),
    );
    expect(r.attributes).toEqual({ value: 'b' });
  });
});

describe('OS::Heat::TestResource', () => {
  it('stores value as output with a physical name', async () => {
    const state = makeState();
    const r = await testResource.create(props(testResource, { value: 'stored' }), makeContext(state));
    expect(r.physicalId).toMatch(PHYSICAL_NAME);
    Object.assign(state, r);
    expect(testResource.attribute?.(state, 'output', [])).toBe('stored');
    expect(props(testResource, {})['value']).toBe('test_string');
  });

  it('fails with Heat reason and stores nothing', async () => {
    const state = makeState({ name: 'boom' });
    const err = await testResource
      .create(props(testResource, { value: 'x', fail: true }), makeContext(state))
      .catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ValueError');
    expect(err.message).toBe('Test Resource failed boom');
    expect(state.physicalId).toBeNull();
    expect(testResource.referenceId?.(state)).toBe('boom');
    expect(testResource.attribute?.(state, 'output', [])).toBeNull();
  });

  it('waits wait_secs / action_wait_secs with real timers', async () => {
    const start = Date.now();
    await testResource.create(props(testResource, { wait_secs: 0.2 }), makeContext(makeState()));
    expect(Date.now() - start).toBeGreaterThanOrEqual(180);
    const s2 = Date.now();
    await testResource.create(
      props(testResource, { wait_secs: 5, action_wait_secs: { create: 0.05 } }),
      makeContext(makeState()),
    );
    expect(Date.now() - s2).toBeLessThan(1000);
  });

  it('aborts waits when the signal aborts', async () => {
    const ac = new AbortController();
    const p = testResource.create(
      props(testResource, { wait_secs: -1 }),
      makeContext(makeState(), { signal: ac.signal }),
    );
    setTimeout(() => ac.abort(new Error('timed out')), 30);
    await expect(p).rejects.toThrow('timed out');
  });

  it('update stores a non-empty changed value; update_replace asks for replacement', async () => {
    const state = makeState({ data: { value: 'a' }, physicalId: 'pid' });
    const req = updateRequest(testResource, { value: 'a' }, { value: 'b' });
    const r = await testResource.update!(req, makeContext(state));
    expect(r.data).toEqual({ value: 'b' });
    expect(r.attributes).toEqual({ output: 'b' });
    const empty = await testResource.update!(
      updateRequest(testResource, { value: 'a' }, { value: '' }),
      makeContext(makeState({ data: { value: 'a' } })),
    );
    expect(empty.data).toEqual({ value: 'a' });
    const rep = updateRequest(testResource, { value: 'a' }, { value: 'b', update_replace: true });
    expect(testResource.needsReplace?.(rep)).toBe(true);
    await expect(testResource.update!(rep, makeContext(state))).rejects.toBeInstanceOf(UpdateReplace);
    expect(testResource.properties['update_replace_value']?.updateAllowed).toBeFalsy();
  });

  it('update with fail set fails even without a value change', async () => {
    const req = updateRequest(testResource, { value: 'a' }, { value: 'a', fail: true });
    await expect(testResource.update!(req, makeContext(makeState({ name: 't' })))).rejects.toThrow(
      'Test Resource failed t',
    );
  });

  it('delete never fails; no check handler (as Heat 19)', async () => {
    await expect(
      testResource.delete(makeContext(makeState({ properties: { fail: true, wait_secs: 0 } }))),
    ).resolves.toBeUndefined();
    expect(testResource.check).toBeUndefined();
  });
});

describe('OS::Heat::RandomString', () => {
  it('generates length characters honouring class and sequence minimums', async () => {
    const p = props(randomStringResource, {
      length: 40,
      character_classes: [{ class: 'digits', min: 10 }, { class: 'uppercase' }],
      character_sequences: [{ sequence: '!@', min: 5 }],
    });
    const state = makeState();
    const r = await randomStringResource.create(p, makeContext(state));
    const value = r.attributes?.['value'] as string;
    expect(value).toHaveLength(40);
    expect(value).toMatch(/^[0-9A-Z!@]+$/);
    expect(value.replace(/[^0-9]/g, '').length).toBeGreaterThanOrEqual(10);
    expect(value.replace(/[^!@]/g, '').length).toBeGreaterThanOrEqual(5);
    Object.assign(state, r);
    expect(randomStringResource.referenceId?.(state)).toBe(value);
    expect(randomStringResource.attribute?.(state, 'value', [])).toBe(value);
    // Idempotent on retry.
    expect((await randomStringResource.create(p, makeContext(state))).attributes?.['value']).toBe(value);
  });

  it('defaults to 32 letters and digits; two strings differ', async () => {
    const a = (await randomStringResource.create(props(randomStringResource, {}), makeContext(makeState())))
      .attributes?.['value'];
    const b = (await randomStringResource.create(props(randomStringResource, {}), makeContext(makeState())))
      .attributes?.['value'];
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(a).not.toBe(b);
  });

  it('honours the hidden sequence property', async () => {
    const r = await randomStringResource.create(
      props(randomStringResource, { sequence: 'octdigits', length: 50 }),
      makeContext(makeState()),
    );
    expect(r.attributes?.['value']).toMatch(/^[0-7]{50}$/);
  });

  it('rejects minimums above the length and bad classes', () => {
    const p = props(randomStringResource, { length: 3, character_classes: [{ class: 'digits', min: 4 }] });
    expect(() => randomStringResource.validate?.(p, { resourceName: 'pw', files: {} })).toThrow(
      'Length property cannot be smaller than combined character class and character sequence minimums',
    );
    const bad = validateProperties(
      randomStringResource.properties,
      { character_classes: [{ class: 'emoji' }], length: 0 },
      { resourceName: 'pw', validating: false },
    );
    expect(bad.problems.map((p) => [p.path?.join('.'), p.message])).toEqual([
      ['resources.pw.properties.length', '0 is out of range (min: 1, max: 512)'],
      [
        'resources.pw.properties.character_classes.0.class',
        '"emoji" is not an allowed value ["lettersdigits", "letters", "lowercase", "uppercase", "digits", "hexdigits", "octdigits"]',
      ],
    ]);
    expect(randomStringResource.update).toBeUndefined();
  });
});
