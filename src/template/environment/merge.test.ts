import { describe, expect, it } from 'vitest';
import { HeatError } from '../errors.js';
import { environmentToJSON } from './format.js';
import { mergeEnvironments, mergeTypeOf, type MergeEnvironmentsInput } from './merge.js';

const TYPES = new Map<string, string>([
  ['s', 'string'],
  ['n', 'number'],
  ['l', 'comma_delimited_list'],
  ['j', 'json'],
  ['b', 'boolean'],
  ['p', 'string'],
  ['q', 'string'],
]);

function files(...envs: unknown[]): Pick<MergeEnvironmentsInput, 'files' | 'environmentFiles'> {
  const out: Record<string, string> = {};
  envs.forEach((env, i) => (out[`env${i + 1}.yaml`] = JSON.stringify(env)));
  return { files: out, environmentFiles: Object.keys(out) };
}

function mergedParams(...envs: unknown[]): Record<string, unknown> {
  return mergeEnvironments({ ...files(...envs), parameterTypes: TYPES }).parameters;
}

function errorOf(fn: () => unknown): HeatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HeatError) return err;
    throw err;
  }
  throw new Error('expected a HeatError');
}

describe('mergeEnvironments: strategies × types', () => {
  it.each<[string, string, unknown, unknown, unknown]>([
    ['overwrite', 's', 'a', 'b', 'b'],
    ['overwrite', 'l', [1, 2], [3], [3]],
    ['overwrite', 'j', { a: 1 }, { b: 2 }, { b: 2 }],
    ['overwrite', 'n', 1, 0, 0],
    ['overwrite', 'b', true, false, false],
    ['merge', 's', 'string1', 'string3', 'string1string3'],
    ['merge', 'l', [1, 2], [5, 6], [1, 2, 5, 6]],
    ['merge', 'l', '1,2', '5,6', '1,2,5,6'],
    [
      'merge',
      'j',
      { '1': ['a'], k: { x: 1 } },
      { '3': ['b'], k: { y: 2 } },
      { '1': ['a'], '3': ['b'], k: { y: 2 } },
    ],
    ['merge', 'j', '{"a": 1}', '{"b": 2}', { a: 1, b: 2 }],
    ['merge', 'n', '1', '2', '12'],
    ['deep_merge', 's', 'x', 'y', 'xy'],
    ['deep_merge', 'l', [3, 4], [7, 8], [3, 4, 7, 8]],
    [
      'deep_merge',
      'j',
      { k: { x: 1, l: [1], s: 'a' }, z: 0 },
      { k: { y: 2, l: [2], s: 'b', n: null }, z: 5 },
      { k: { x: 1, y: 2, l: [1, 2], s: 'ab' }, z: 5 },
    ],
    ['deep_merge', 'j', { foo: 1 }, { foo: 0 }, { foo: 0 }],
  ])('%s of %s: %j + %j → %j', (strategy, key, first, second, expected) => {
    const result = mergedParams(
      { parameters: { [key]: first }, parameter_merge_strategies: { [key]: strategy } },
      { parameters: { [key]: second } },
    );
    expect(result[key]).toEqual(expected);
  });

  it('boolean merge → InvalidMergeStrategyForParam (500, as Heat)', () => {
    const err = errorOf(() =>
      mergedParams(
        { parameters: { b: 'true' }, parameter_merge_strategies: { default: 'merge' } },
        { parameters: { b: 'false' } },
      ),
    );
    expect(err.type).toBe('InvalidMergeStrategyForParam');
    expect(err.status).toBe(400);
    expect(err.message).toBe("Invalid merge strategy 'merge' for parameter 'b'.");
  });

  it.each<[string, unknown]>([
    ['n', 2],
    ['b', true],
    ['s', 5],
  ])(
    'merging a non-string, non-list value of %s → ValueError "Invalid parameter in environment ."',
    (key, value) => {
      const err = errorOf(() =>
        mergedParams(
          { parameters: { [key]: value }, parameter_merge_strategies: { default: 'merge' } },
          { parameters: { [key]: value } },
        ),
      );
      expect(err.type as string).toBe('ValueError');
      expect(err.status).toBe(400);
      expect(err.message).toBe('Invalid parameter in environment .');
    },
  );

  it('invalid json text → ValueError', () => {
    const err = errorOf(() =>
      mergedParams(
        { parameters: { j: { a: 1 } }, parameter_merge_strategies: { j: 'merge' } },
        { parameters: { j: '{nope' } },
      ),
    );
    expect(err.type as string).toBe('ValueError');
    expect(err.message).toMatch(/^Invalid parameter in environment /);
  });
});

describe('mergeEnvironments: choosing strategies', () => {
  it('the file default applies; a parameter’s own strategy wins; unknown names fall back to the default', () => {
    const result = mergedParams(
      {
        parameters: { s: 'a', p: 'a', q: 'a' },
        parameter_merge_strategies: { default: 'merge', p: 'overwrite', q: 'bogus' },
      },
      { parameters: { s: 'b', p: 'b', q: 'b' } },
    );
    expect(result).toEqual({ s: 'ab', p: 'b', q: 'ab' });
  });

  it('a later file without strategies keeps the earlier strategy (Heat ≥ Zed)', () => {
    const result = mergedParams(
      { parameters: { s: 'a' }, parameter_merge_strategies: { s: 'merge' } },
      { parameters: { s: 'b' } },
      { parameters: { s: 'c' } },
    );
    expect(result.s).toBe('abc');
  });

  it('conflicting strategies → ConflictingMergeStrategyForParam naming the file', () => {
    const err = errorOf(() =>
      mergedParams(
        { parameters: { l: [1] }, parameter_merge_strategies: { l: 'merge' } },
        { parameters: { l: [2] } },
        { parameters: { l: [3] }, parameter_merge_strategies: { l: 'deep_merge' } },
      ),
    );
    expect(err.type).toBe('ConflictingMergeStrategyForParam');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      "Conflicting merge strategy 'deep_merge' for parameter 'l' in file 'env3.yaml'.",
    );
  });

  it('parameters and parameter_defaults share the strategy record', () => {
    const err = errorOf(() =>
      mergedParams(
        { parameters: { l: [1] }, parameter_merge_strategies: { l: 'merge' } },
        { parameter_defaults: { l: [2] }, parameter_merge_strategies: { l: 'overwrite' } },
      ),
    );
    expect(err.type).toBe('ConflictingMergeStrategyForParam');
  });

  it('parameter_defaults merge too', () => {
    const env = mergeEnvironments({
      ...files(
        { parameter_defaults: { l: [3, 4] }, parameter_merge_strategies: { l: 'merge' } },
        { parameter_defaults: { l: [7, 8] } },
      ),
      parameterTypes: TYPES,
    });
    expect(env.parameterDefaults).toEqual({ l: [3, 4, 7, 8] });
    expect(env.parameterMergeStrategies).toEqual({ l: 'merge' });
  });
});

describe('mergeEnvironments: sections and Heat’s quirks', () => {
  it('later files win per parameter (lifecycle 065)', () => {
    const env = mergeEnvironments({
      files: {
        'env1.yaml': 'parameters:\n  p: from-env1\n  q: from-env1\n',
        'env2.yaml': 'parameters:\n  p: from-env2\n',
      },
      environmentFiles: ['env1.yaml', 'env2.yaml'],
      parameterTypes: TYPES,
    });
    expect(env.parameters).toEqual({ p: 'from-env2', q: 'from-env1' });
  });

  it('undeclared parameters: taken whole into an empty section, ignored afterwards; nulls ignored', () => {
    expect(
      mergedParams({ parameters: { zz: 1, p: 'a' } }, { parameters: { yy: 2, p: null, q: 'b' } }),
    ).toEqual({
      zz: 1,
      p: 'a',
      q: 'b',
    });
  });

  it('without parameterTypes every name is merged, types inferred from values', () => {
    const env = mergeEnvironments({
      ...files(
        { parameters: { x: 'a', m: { a: 1 } }, parameter_merge_strategies: { default: 'merge' } },
        { parameters: { x: 'b', m: { b: 2 }, new: 1 } },
      ),
    });
    expect(env.parameters).toEqual({ x: 'ab', m: { a: 1, b: 2 }, new: 1 });
  });

  it('resource_registry merges shallowly: later wins per key, a later resources: replaces, nulls skipped', () => {
    const env = mergeEnvironments({
      ...files(
        {
          resource_registry: {
            'My::A': 'a.yaml',
            'My::B': 'b.yaml',
            resources: { x: { hooks: 'pre-create' } },
          },
        },
        {
          resource_registry: {
            'My::B': 'OS::Heat::None',
            'My::A': null,
            resources: { y: { hooks: 'pre-delete' } },
          },
        },
      ),
    });
    expect(environmentToJSON(env).resource_registry).toEqual({
      'My::A': 'a.yaml',
      'My::B': 'OS::Heat::None',
      resources: { y: { hooks: 'pre-delete' } },
    });
  });

  it('event_sinks from several files are concatenated', () => {
    const sink = (t: string): unknown => ({ type: 'zaqar-queue', target: t });
    const env = mergeEnvironments(files({ event_sinks: [sink('a')] }, { event_sinks: [sink('b')] }));
    expect(env.eventSinks).toEqual([sink('a'), sink('b')]);
  });

  it('with environment_files the request environment is ignored and the files override API parameters', () => {
    const env = mergeEnvironments({
      ...files({ parameters: { p: 'file' } }),
      environment: { parameters: { q: 'request-env' } },
      parameters: { p: 'api', q: 'api' },
      parameterTypes: TYPES,
    });
    expect(env.parameters).toEqual({ p: 'file', q: 'api' });
  });

  it('without environment_files: the request environment, API parameters on top', () => {
    const env = mergeEnvironments({
      files: {},
      environmentFiles: [],
      environment: 'parameters:\n  a: from-env\n  b: from-env\nparameter_defaults:\n  c: pd\n',
      parameters: { b: 'from-api' },
    });
    expect(environmentToJSON(env)).toEqual({
      resource_registry: { resources: {} },
      parameters: { a: 'from-env', b: 'from-api' },
      parameter_defaults: { c: 'pd' },
      event_sinks: [],
      encrypted_param_names: [],
    });
    expect(env.source?.positionOf(['parameters', 'a'])?.line).toBe(2);
  });

  it('request environment errors are API style', () => {
    const err = errorOf(() =>
      mergeEnvironments({ files: {}, environmentFiles: [], environment: 'params:\n  a: y\n' }),
    );
    expect(err.type).toBe('HTTPBadRequest');
    expect(err.message).toBe('Environment not in valid format: environment has wrong section "params"');
  });

  it('environment file errors are engine style (ValueError)', () => {
    const err = errorOf(() => mergeEnvironments(files({ params: { a: 1 } })));
    expect(err.type as string).toBe('ValueError');
    expect(err.message).toBe('environment has wrong section "params"');
  });

  it('a missing environment file is a precise 400', () => {
    const err = errorOf(() =>
      mergeEnvironments({ files: { 'a.yaml': '{}' }, environmentFiles: ['a.yaml', 'missing.yaml'] }),
    );
    expect(err.type).toBe('HTTPBadRequest');
    expect(err.message).toContain('"missing.yaml"');
    expect(err.path).toEqual(['environment_files', 1]);
  });

  it('an empty environment file is fine', () => {
    expect(mergeEnvironments({ files: { 'e.yaml': '' }, environmentFiles: ['e.yaml'] }).parameters).toEqual(
      {},
    );
  });

  it('hooks of the merged registry are validated', () => {
    const err = errorOf(() =>
      mergeEnvironments(files({ resource_registry: { resources: { a: { hooks: 'x' } } } })),
    );
    expect(err.type).toBe('InvalidBreakPointHook');
  });

  it('does not mutate its inputs', () => {
    const environment = { parameters: { j: { a: 1 } } };
    const snapshot = structuredClone(environment);
    mergeEnvironments({ files: {}, environmentFiles: [], environment, parameters: { x: 1 } });
    expect(environment).toEqual(snapshot);
  });
});

describe('mergeTypeOf', () => {
  it.each([
    ['string', 'string'],
    ['String', 'string'],
    ['number', 'number'],
    ['Number', 'number'],
    ['json', 'json'],
    ['Json', 'json'],
    ['comma_delimited_list', 'comma_delimited_list'],
    ['CommaDelimitedList', 'comma_delimited_list'],
    ['List<String>', 'comma_delimited_list'],
    ['boolean', 'boolean'],
    ['AWS::EC2::KeyPair::KeyName', 'string'],
  ])('%s → %s', (declared, expected) => {
    expect(mergeTypeOf(declared)).toBe(expected);
  });
});
