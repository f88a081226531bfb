import { describe, expect, it } from 'vitest';
import { samplePreview } from '../api/testing/fake-engine.js';
import { planValue, renderPlan } from './plan.js';

describe('renderPlan', () => {
  it('renders a realistic preview as a Terraform-like plan', () => {
    expect(renderPlan(samplePreview('s1'))).toBe(
      [
        '  + web (OS::Heat::TestResource)',
        '      value: "w"',
        '  - old (OS::Heat::None)',
        '-/+ db (OS::Heat::TestResource)',
        '      flavor: "small" → "large"  (forces replacement)',
        '      value: "x" → "y"',
        '  ~ a (OS::Heat::TestResource)',
        '      value: "x" → {"list":[1,2]}',
        '',
        'Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy.',
      ].join('\n'),
    );
  });

  it('names a replacement cause that is not a property, and addresses nested resources', () => {
    const text = renderPlan({
      resource_changes: { replaced: [{ resource_name: 'm', resource_type: 'OS::Heat::TestResource' }] },
      hearth_changes: [
        {
          resource: 'm',
          action: 'replaced',
          stack: 'grp.0',
          properties: [],
          reason: 'resource is CHECK_FAILED',
        },
        { resource: 'n', action: 'unchanged', stack: '', properties: [] },
      ],
    });
    expect(text).toBe(
      [
        '-/+ grp.0.m (OS::Heat::TestResource)',
        '      # resource is CHECK_FAILED (forces replacement)',
        '',
        'Plan: 0 to add, 0 to change, 1 to replace, 0 to destroy.',
      ].join('\n'),
    );
  });

  it('falls back to Heat resource_changes alone, and says when nothing changes', () => {
    expect(
      renderPlan({
        resource_changes: {
          added: [{ resource_name: 'x', resource_type: 'OS::Heat::None' }],
          deleted: [{ resource_name: 'y' }],
          unchanged: [{ resource_name: 'z' }],
        },
      }),
    ).toBe(
      [
        '  + x (OS::Heat::None)',
        '  - y',
        '',
        'Plan: 1 to add, 0 to change, 0 to replace, 1 to destroy.',
      ].join('\n'),
    );
    expect(
      renderPlan({ resource_changes: { unchanged: [{ resource_name: 'z' }] }, hearth_changes: [] }),
    ).toBe('No changes. Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy.');
  });

  it('marks only the property a Hearth reason names, and skips unset properties of added resources', () => {
    const text = renderPlan({
      resource_changes: {},
      hearth_changes: [
        {
          resource: 'r',
          action: 'replaced',
          stack: '',
          properties: [
            { name: 'length', old: 8, new: 12, updateAllowed: false, immutable: false },
            { name: 'salt', old: 'a', new: 'b', updateAllowed: false, immutable: false },
          ],
          reason: 'property "length" cannot be updated in place',
        },
        {
          resource: 'v',
          action: 'added',
          stack: '',
          properties: [
            { name: 'value', old: null, new: 'hi', updateAllowed: true, immutable: false },
            { name: 'type', old: null, new: null, updateAllowed: true, immutable: false },
          ],
        },
      ],
    });
    expect(text.split('\n').slice(0, 5)).toEqual([
      '-/+ r',
      '      length: 8 → 12  (forces replacement)',
      '      salt: "a" → "b"',
      '  + v',
      '      value: "hi"',
    ]);
  });

  it('shortens long values', () => {
    expect(planValue('a'.repeat(100), 10)).toBe('"aaaaaaaa…');
    expect(planValue(undefined)).toBe('null');
  });
});
