import { describe, expect, it } from 'vitest';
import { selectFromAttribute } from './attribute-path.js';
import { nestedStackFailure, renderFailurePath } from './errors.js';
import { physicalResourceName, shortId } from '../../engine/physical-name.js';

describe('physical names', () => {
  it("derives Heat's short id from the uuid time field (checked against heat.common.short_id)", () => {
    expect(shortId('6f1b3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f')).toBe('yxjkjnxrwpa6');
    expect(physicalResourceName('stack*', 'res', '6f1b3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f')).toBe(
      'stack-res-yxjkjnxrwpa6',
    );
    expect(() => shortId('nope')).toThrow();
  });
});

describe('selectFromAttribute', () => {
  it('walks maps and sequences like Python, null on a miss', () => {
    const v = { a: [1, { b: 'xyz' }] };
    expect(selectFromAttribute(v, ['a', 1, 'b'])).toBe('xyz');
    expect(selectFromAttribute(v, ['a', -1, 'b', 0])).toBe('x');
    expect(selectFromAttribute(v, ['a', 5])).toBeNull();
    expect(selectFromAttribute(v, ['a', '0'])).toBeNull();
    expect(selectFromAttribute({ 0: 'x' }, [0])).toBeNull();
    expect(selectFromAttribute(7, ['x'])).toBeNull();
    expect(selectFromAttribute(v, [])).toBe(v);
  });
});

describe('nested failure reasons', () => {
  it("prefixes the child's failing path like Heat's ResourceFailure", () => {
    expect(
      nestedStackFailure(
        'wrap',
        'CREATE',
        'Resource CREATE failed: ValueError: resources.broken: Test Resource failed broken',
      ).message,
    ).toBe('ValueError: resources.wrap.resources.broken: Test Resource failed broken');
    expect(
      nestedStackFailure('grp', 'CREATE', 'Resource CREATE failed: ValueError: resources[0]: boom').message,
    ).toBe('ValueError: resources.grp.resources[0]: boom');
    expect(nestedStackFailure('w', 'UPDATE', 'Timed out').message).toBe('resources.w: Timed out');
    expect(renderFailurePath(['resources', 'grp', 'resources', '3'])).toBe('resources.grp.resources[3]');
  });
});
