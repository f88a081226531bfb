import { describe, expect, it } from 'vitest';
import { getTemplateVersion } from '../versions.js';
import { editDistance, suggestFunction } from './typos.js';

const wallaby = getTemplateVersion('wallaby')!;

describe('suggestFunction', () => {
  it('suggests near function names of the version', () => {
    expect(suggestFunction('get_parm', wallaby)).toBe('get_param');
    expect(suggestFunction('get_attrs', wallaby)).toBe('get_attr');
    expect(suggestFunction('GET_PARAM', wallaby)).toBe('get_param');
    expect(suggestFunction('str_repalce', wallaby)).toBe('str_replace');
    expect(suggestFunction('list_joins', wallaby)).toBe('list_join');
  });

  it('stays quiet for real names, far keys and short data keys', () => {
    expect(suggestFunction('get_param', wallaby)).toBeUndefined();
    expect(suggestFunction('Ref', wallaby)).toBeUndefined();
    expect(suggestFunction('name', wallaby)).toBeUndefined();
    expect(suggestFunction('of', wallaby)).toBeUndefined();
    expect(suggestFunction('image', wallaby)).toBeUndefined();
  });

  it('knows only the functions of the given version', () => {
    expect(suggestFunction('map_merg', getTemplateVersion('2015-10-15')!)).toBeUndefined();
    expect(suggestFunction('map_merg', getTemplateVersion('2016-04-08')!)).toBe('map_merge');
  });

  it('computes edit distance with transpositions', () => {
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', 'acb')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
