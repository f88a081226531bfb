import { describe, expect, it } from 'vitest';
import { IntrinsicFunction } from './functions/function.js';
import { errorOf, parse, parseContext } from './functions/testing/fake-context.js';
import { describeFunctions, getTemplateVersion, listTemplateVersions } from './versions.js';

const VERSIONS = [
  '2013-05-23',
  '2014-10-16',
  '2015-04-30',
  '2015-10-15',
  '2016-04-08',
  '2016-10-14',
  '2017-02-24',
  '2017-09-01',
  '2018-03-02',
  '2018-08-31',
  '2021-04-16',
];

/** §1.2 of the inventory: first version with the function ('' = never), first version where it is Removed. */
const MATRIX: Record<string, { since: string; removedFrom?: string }> = {
  get_param: { since: '2013-05-23' },
  get_resource: { since: '2013-05-23' },
  get_attr: { since: '2013-05-23' },
  get_file: { since: '2013-05-23' },
  list_join: { since: '2013-05-23' },
  str_replace: { since: '2013-05-23' },
  resource_facade: { since: '2013-05-23' },
  repeat: { since: '2015-04-30' },
  digest: { since: '2015-04-30' },
  str_split: { since: '2015-10-15' },
  map_merge: { since: '2016-04-08' },
  yaql: { since: '2016-10-14' },
  map_replace: { since: '2016-10-14' },
  if: { since: '2016-10-14' },
  filter: { since: '2017-02-24' },
  str_replace_strict: { since: '2017-02-24' },
  make_url: { since: '2017-09-01' },
  list_concat: { since: '2017-09-01' },
  list_concat_unique: { since: '2017-09-01' },
  str_replace_vstrict: { since: '2017-09-01' },
  contains: { since: '2017-09-01' },
  'Fn::Select': { since: '2013-05-23', removedFrom: '2015-10-15' },
  'Fn::GetAZs': { since: '2013-05-23', removedFrom: '2014-10-16' },
  'Fn::Join': { since: '2013-05-23', removedFrom: '2014-10-16' },
  'Fn::Split': { since: '2013-05-23', removedFrom: '2014-10-16' },
  'Fn::Replace': { since: '2013-05-23', removedFrom: '2014-10-16' },
  'Fn::Base64': { since: '2013-05-23', removedFrom: '2014-10-16' },
  'Fn::MemberListToMap': { since: '2013-05-23', removedFrom: '2014-10-16' },
  'Fn::ResourceFacade': { since: '2013-05-23', removedFrom: '2014-10-16' },
  Ref: { since: '2013-05-23', removedFrom: '2014-10-16' },
  equals: { since: '' },
  not: { since: '' },
  and: { since: '' },
  or: { since: '' },
  'Fn::GetAtt': { since: '' },
};

describe('function availability matrix (every cell)', () => {
  for (const [fn, cell] of Object.entries(MATRIX)) {
    for (const version of VERSIONS) {
      const removed = cell.removedFrom !== undefined && version >= cell.removedFrom;
      const available = !removed && cell.since !== '' && version >= cell.since;
      const state = removed ? 'removed' : available ? 'available' : 'data';
      it(`${fn} in ${version} is ${state}`, () => {
        const table = getTemplateVersion(version)!.table;
        expect(table.functions.has(fn)).toBe(available);
        expect(table.removed.has(fn)).toBe(removed);
        if (removed) {
          const err = errorOf(() => parse({ [fn]: 'x' }, version));
          expect(err.message).toBe(
            `outputs.o.value.${fn}: : The template version is invalid: The function ${fn} is not supported in this version of HOT.`,
          );
        } else if (!available) {
          expect(parse({ [fn]: [1, 2] }, version)).toEqual({ [fn]: [1, 2] });
        }
      });
    }
  }
});

describe('condition function tables', () => {
  it('has none before 2016-10-14', () => {
    for (const v of VERSIONS.slice(0, 5))
      expect([...getTemplateVersion(v)!.table.conditionFunctions.keys()]).toEqual([]);
  });
  it('has get_param, equals, not, and, or in 2016-10-14 and 2017-02-24', () => {
    for (const v of ['2016-10-14', '2017-02-24']) {
      expect([...getTemplateVersion(v)!.table.conditionFunctions.keys()]).toEqual([
        'get_param',
        'equals',
        'not',
        'and',
        'or',
      ]);
    }
  });
  it('adds yaql and contains from 2017-09-01', () => {
    for (const v of ['2017-09-01', '2018-03-02', '2018-08-31', '2021-04-16']) {
      expect([...getTemplateVersion(v)!.table.conditionFunctions.keys()]).toEqual([
        'get_param',
        'equals',
        'not',
        'and',
        'or',
        'yaql',
        'contains',
      ]);
    }
  });
  it('rejects value functions inside conditions, keeps removed ones removed', () => {
    const cond = parseContext('2021-04-16');
    const err = errorOf(() =>
      cond.parseCondition({ equals: [{ get_resource: 'v' }, 'x'] }, ['conditions', 'bad']),
    );
    expect(err.message).toBe(
      'conditions.bad.equals[0].get_resource: : The function "get_resource" is invalid in this context',
    );
    const removed = errorOf(() => cond.parseCondition({ Ref: 'p' }, ['conditions', 'c']));
    expect(removed.message).toContain('The function Ref is not supported in this version of HOT.');
    expect(cond.parseCondition({ contains: ['a', ['a']] }, ['conditions', 'c'])).toBeInstanceOf(
      IntrinsicFunction,
    );
    const newton = parseContext('newton');
    expect(() => newton.parseCondition({ yaql: { expression: '1' } }, ['conditions', 'c'])).toThrow(
      'The function "yaql" is invalid in this context',
    );
    expect(newton.parseCondition({ contains: ['a', ['a']] }, ['conditions', 'c'])).toEqual({
      contains: ['a', ['a']],
    });
  });
});

describe('getTemplateVersion / listTemplateVersions', () => {
  it('resolves aliases and prefixed names to the dated entry', () => {
    expect(getTemplateVersion('wallaby')?.key).toBe('2021-04-16');
    expect(getTemplateVersion('newton')?.key).toBe('2016-10-14');
    expect(getTemplateVersion('heat_template_version.pike')?.key).toBe('2017-09-01');
    expect(getTemplateVersion('2018-08-31')?.aliases).toEqual(['rocky']);
    expect(getTemplateVersion('2019-01-01')).toBeUndefined();
    expect(getTemplateVersion('liberty')).toBeUndefined();
  });
  it('lists the eleven HOT versions oldest first with their aliases', () => {
    const list = listTemplateVersions();
    expect(list.map((v) => v.key)).toEqual(VERSIONS);
    expect(list.map((v) => v.aliases)).toEqual([
      [],
      [],
      [],
      [],
      [],
      ['newton'],
      ['ocata'],
      ['pike'],
      ['queens'],
      ['rocky'],
      ['wallaby'],
    ]);
    expect(list.every((v) => v.type === 'hot')).toBe(true);
  });
  it('has version-dependent sections and keys', () => {
    const old = getTemplateVersion('2016-04-08')!;
    const newton = getTemplateVersion('newton')!;
    expect(old.sections).not.toContain('conditions');
    expect(newton.sections).toContain('conditions');
    expect(old.supportsConditions).toBe(false);
    expect(newton.supportsConditions).toBe(true);
    expect(old.resourceKeys).not.toContain('condition');
    expect(newton.resourceKeys).toEqual(expect.arrayContaining(['condition', 'external_id']));
    expect(newton.outputKeys).toEqual(['description', 'value', 'condition']);
    expect(getTemplateVersion('2017-09-01')!.parameterKeys).not.toContain('tags');
    expect(getTemplateVersion('queens')!.parameterKeys).toContain('tags');
  });
});

describe('describeFunctions', () => {
  it('lists the version functions in Heat order without removed ones', () => {
    const fns = describeFunctions(getTemplateVersion('2014-10-16')!, false);
    expect(fns.map((f) => f.functions)).toEqual([
      'get_attr',
      'get_file',
      'get_param',
      'get_resource',
      'list_join',
      'resource_facade',
      'str_replace',
      'Fn::Select',
    ]);
    expect(fns[0]).toEqual({
      functions: 'get_attr',
      description: 'A function for resolving resource attributes.',
    });
  });
  it('appends condition functions on request', () => {
    const names = describeFunctions(getTemplateVersion('2021-04-16')!, true).map((f) => f.functions);
    expect(names.slice(-4)).toEqual(['equals', 'not', 'and', 'or']);
    expect(names.filter((n) => n === 'get_param')).toHaveLength(1);
    expect(names).toHaveLength(25);
  });
});

describe('parsed nodes', () => {
  it('are IntrinsicFunction instances carrying their path', () => {
    const node = parse({ get_param: 'x' }) as IntrinsicFunction;
    expect(node).toBeInstanceOf(IntrinsicFunction);
    expect(node.path).toEqual(['outputs', 'o', 'value', 'get_param']);
  });
});
