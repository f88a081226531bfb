import { describe, expect, it } from 'vitest';
import { sortedOutputs } from './stack.js';

describe('sortedOutputs', () => {
  it('orders outputs by key as Heat 19 lists them, leaving the input untouched', () => {
    const input = [{ key: 'o' }, { key: 'b' }, { key: 'out' }, { key: 'other' }];
    expect(sortedOutputs(input).map((o) => o.key)).toEqual(['b', 'o', 'other', 'out']);
    expect(input.map((o) => o.key)).toEqual(['o', 'b', 'out', 'other']);
  });
});
