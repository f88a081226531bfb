import { describe, expect, it } from 'vitest';
import { HeatError } from '../errors.js';
import {
  environmentFromJSON,
  environmentToJSON,
  parseEnvironment,
  parseEnvironmentDocument,
  userEnvironmentToJSON,
} from './format.js';

function errorOf(fn: () => unknown): HeatError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HeatError) return err;
    throw err;
  }
  throw new Error('expected a HeatError');
}

describe('parseEnvironment (request environment, API style)', () => {
  it.each([
    ['params:\n  a: y\n', 'Environment not in valid format: environment has wrong section "params"', 2],
    ['parameters:\n  a: 1\nresource_registy: {}\n', 'environment has wrong section "resource_registy"', 3],
    ['parameters:\n', 'Environment not in valid format: environment has empty section "parameters"', 1],
    ['parameter_defaults: ~\n', 'environment has empty section "parameter_defaults"', 1],
    [
      '- a\n- b\n',
      'Environment not in valid format: The environment is not a valid YAML mapping data type.',
      1,
    ],
    ['"just a string"', 'The environment is not a valid YAML mapping data type.', 1],
  ])('rejects %j', (text, message, line) => {
    const err = errorOf(() => parseEnvironment(text, 'env.yaml'));
    expect(err.type).toBe('HTTPBadRequest');
    expect(err.status).toBe(400);
    expect(err.message).toContain(message);
    expect(err.position?.file).toBe('env.yaml');
    expect(err.position?.line).toBe(line);
  });

  it.each([
    [{ params: {} }, 'environment has wrong section "params"'],
    [{ event_sinks: null }, 'environment has empty section "event_sinks"'],
    [{ parameters: [1] }, 'environment section "parameters" must be a map'],
    [{ encrypted_param_names: 'x' }, 'environment section "encrypted_param_names" must be a list'],
  ])('rejects object %j', (value, message) => {
    const err = errorOf(() => parseEnvironment(value));
    expect(err.type).toBe('HTTPBadRequest');
    expect(err.message).toBe(`Environment not in valid format: ${message}`);
  });

  it.each([[''], ['# only a comment\n'], ['---\n'], [null], [undefined], [{}]])(
    'treats %j as an empty environment',
    (source) => {
      const env = parseEnvironment(source);
      expect(environmentToJSON(env)).toEqual({
        resource_registry: { resources: {} },
        parameters: {},
        parameter_defaults: {},
        event_sinks: [],
        encrypted_param_names: [],
      });
    },
  );

  it('reports YAML syntax errors with a position', () => {
    const err = errorOf(() => parseEnvironment('parameters:\n  a: [1, 2\n', 'e.yaml'));
    expect(err.type).toBe('HTTPBadRequest');
    expect(err.position?.file).toBe('e.yaml');
  });

  it('loads every section and keeps the source positions', () => {
    const env = parseEnvironment(
      [
        'parameters: {a: 1}',
        'parameter_defaults: {b: two}',
        'resource_registry:',
        '  My::T: t.yaml',
        'event_sinks: [{type: zaqar-queue, target: q, ttl: 60}]',
        'encrypted_param_names: [secret]',
        'parameter_merge_strategies: {default: merge}',
      ].join('\n'),
    );
    expect(env.parameters).toEqual({ a: 1 });
    expect(env.parameterDefaults).toEqual({ b: 'two' });
    expect(env.eventSinks).toEqual([{ type: 'zaqar-queue', target: 'q', ttl: 60 }]);
    expect(env.encryptedParamNames).toEqual(['secret']);
    expect(env.parameterMergeStrategies).toEqual({ default: 'merge' });
    expect(env.resourceRegistry.resolve('My::T', 'r')).toMatchObject({
      kind: 'template',
      template: 't.yaml',
    });
    expect(env.source?.positionOf(['resource_registry', 'My::T'])?.line).toBe(4);
  });

  it('parses JSON text', () => {
    expect(parseEnvironment('{"parameters": {"p": "v"}}').parameters).toEqual({ p: 'v' });
  });

  it('locates an invalid hook in the source', () => {
    const err = errorOf(() =>
      parseEnvironment('resource_registry:\n  resources:\n    a:\n      hooks: pre-explode\n', 'env.yaml'),
    );
    expect(err.type).toBe('InvalidBreakPointHook');
    expect(err.path).toEqual(['resource_registry', 'resources', 'a', 'hooks']);
    expect(err.position?.line).toBe(4);
  });
});

describe('parseEnvironmentDocument (engine style, environment_files)', () => {
  it('answers ValueError with the bare message', () => {
    const err = errorOf(() => parseEnvironmentDocument('params: {}', 'env1.yaml', 'engine'));
    expect(err.type).toBe('ValueError');
    expect(err.status).toBe(400);
    expect(err.message).toBe('environment has wrong section "params"');
  });
});

describe('environmentToJSON', () => {
  it('has exactly Heat’s keys, merge strategies dropped, and round-trips', () => {
    const env = parseEnvironment({
      parameters: { p: 'from-env' },
      parameter_merge_strategies: { p: 'merge' },
      resource_registry: { 'My::A': 'a.yaml', resources: { r: { hooks: ['pre-create'] } } },
    });
    const json = environmentToJSON(env);
    expect(Object.keys(json).sort()).toEqual(
      [
        'encrypted_param_names',
        'event_sinks',
        'parameter_defaults',
        'parameters',
        'resource_registry',
      ].sort(),
    );
    expect(json.resource_registry).toEqual({
      'My::A': 'a.yaml',
      resources: { r: { hooks: ['pre-create'] } },
    });
    expect(environmentToJSON(environmentFromJSON(json))).toEqual(json);
  });

  it('is a copy: mutating the JSON does not change the environment', () => {
    const env = parseEnvironment({ parameters: { l: [1] } });
    (environmentToJSON(env).parameters as { l: number[] }).l.push(2);
    expect(env.parameters).toEqual({ l: [1] });
  });
});

describe('userEnvironmentToJSON', () => {
  it('is the validate form: no encrypted_param_names (lifecycle 091)', () => {
    const env = parseEnvironment({ resource_registry: { 'My::Nothing': 'OS::Heat::None' } });
    expect(userEnvironmentToJSON(env)).toEqual({
      resource_registry: { resources: {}, 'My::Nothing': 'OS::Heat::None' },
      parameters: {},
      parameter_defaults: {},
      event_sinks: [],
    });
  });
});
