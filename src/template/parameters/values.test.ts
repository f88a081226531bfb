import { describe, expect, it } from 'vitest';
import { HeatError } from '../errors.js';
import { parseSource } from '../source.js';
import { parseParameterSchemas, type ParameterSchema } from './schema.js';
import {
  coerceParameterValue,
  immutableParametersModified,
  parameterValueProblem,
  resolveParameterValues,
  type ParameterInput,
} from './values.js';

function schemasOf(yaml: string, schemaProblems = 0): Map<string, ParameterSchema> {
  const doc = parseSource(`parameters:\n${yaml}`).value as { parameters: unknown };
  const { schemas, problems } = parseParameterSchemas(doc.parameters, { version: '2021-04-16' });
  expect(problems).toHaveLength(schemaProblems);
  return schemas;
}

function schemaOf(type: string, constraints = '[]'): ParameterSchema {
  const s = schemasOf(`  p: {type: ${type}, constraints: ${constraints}}`).get('p');
  if (!s) throw new Error('no schema');
  return s;
}

function resolve(yaml: string, input: ParameterInput, validateValues = true) {
  const r = resolveParameterValues(schemasOf(yaml), input, { validateValues });
  return { values: Object.fromEntries(r.values), problems: r.problems.map((p) => `${p.type}: ${p.message}`) };
}

describe('typed values', () => {
  it.each([
    ['string', 'abc', 'abc'],
    ['string', 5, '5'],
    ['string', true, 'True'],
    ['string', ['a', 1], "['a', 1]"],
    ['number', '42', 42],
    ['number', '2.5', 2.5],
    ['number', '5.0', 5],
    ['number', 7, 7],
    ['number', ' 8 ', 8],
    ['boolean', 'yes', true],
    ['boolean', '1', true],
    ['boolean', 'TRUE', true],
    ['boolean', 'on', true],
    ['boolean', 'n', false],
    ['boolean', 'False', false],
    ['boolean', 0, false],
    ['boolean', false, false],
    ['comma_delimited_list', 'one, two ,three', ['one', ' two ', 'three']],
    ['comma_delimited_list', '', []],
    ['comma_delimited_list', 'a,,b', ['a', '', 'b']],
    ['comma_delimited_list', ['a', 'b c', 3, true], ['a', 'b c', '3', 'True']],
    ['json', '{"a": [1, 2], "b": {"c": "d"}}', { a: [1, 2], b: { c: 'd' } }],
    ['json', { k: 'v' }, { k: 'v' }],
    ['json', [1, 2], [1, 2]],
    ['json', '[1, 2]', [1, 2]],
    ['json', '', ''],
  ])('%s from %j → %j', (type, raw, typed) => {
    expect(coerceParameterValue(schemaOf(type), raw)).toEqual(typed);
    expect(resolve(`  p: {type: ${type}}`, { user: { p: raw } })).toEqual({
      values: { p: typed },
      problems: [],
    });
  });

  it.each([
    ['number', 'twelve', "could not convert string to float: 'twelve'"],
    ['number', [1], "float() argument must be a string or a real number, not 'list'"],
    [
      'boolean',
      'maybe',
      "Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
    ],
    ['boolean', 2, "Unrecognized value '2'"],
    [
      'json',
      '{not json',
      'Value must be valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
    ],
    [
      'comma_delimited_list',
      5,
      "Value must be a comma-delimited list string: 'int' object has no attribute 'split'",
    ],
  ])('%s refuses %j', (type, raw, message) => {
    const schema = schemaOf(type);
    expect(() => coerceParameterValue(schema, raw)).toThrow(HeatError);
    expect(() => coerceParameterValue(schema, raw)).toThrow(message);
    const r = resolve(`  p: {type: ${type}}`, { user: { p: raw } });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain(`StackValidationFailed: Parameter 'p' is invalid: ${message}`);
  });
});

describe('constraints on values (type × constraint)', () => {
  it.each([
    // string
    ['string', '[{length: {min: 4, max: 8}}]', 'abc', 'length (3) is out of range (min: 4, max: 8)'],
    ['string', '[{length: {min: 4, max: 8}}]', 'abcd', null],
    ['string', '[{length: {max: 2}}]', 'abc', 'length (3) is out of range (min: None, max: 2)'],
    ['string', '[{length: {max: 3}}]', 'ééé', null],
    [
      'string',
      '[{allowed_values: [small, medium, large]}]',
      'huge',
      '"huge" is not an allowed value ["small", "medium", "large"]',
    ],
    ['string', '[{allowed_values: [small, medium]}]', 'small', null],
    ['string', '[{allowed_values: ["1", "2"]}]', 1, null],
    ['string', '[{allowed_values: [1, 2]}]', '2', null],
    [
      'string',
      '[{allowed_pattern: "[A-Z]{3}-[0-9]+"}]',
      'ab-12',
      '"ab-12" does not match pattern "[A-Z]{3}-[0-9]+"',
    ],
    ['string', '[{allowed_pattern: "[A-Z]{3}-[0-9]+"}]', 'ABC-12', null],
    ['string', '[{allowed_pattern: "[a-z]+"}]', 'abc1', '"abc1" does not match pattern "[a-z]+"'],
    ['string', '[{allowed_pattern: "a|ab"}]', 'ab', '"ab" does not match pattern "a|ab"'],
    ['string', '[{allowed_pattern: "(?P<x>a)(?P=x)"}]', 'aa', null],
    ['string', '[{allowed_pattern: "(?i)abc"}]', 'ABC', null],
    ['string', '[{custom_constraint: ip_addr}]', 'nope', "Error validating value 'nope': Invalid IP address"],
    ['string', '[{custom_constraint: ip_addr}]', '10.0.0.1', null],
    ['string', '[{custom_constraint: nosuch}]', 'x', '"x" does not validate nosuch (constraint not found)'],
    // number
    ['number', '[{range: {min: 1, max: 10}}]', 11, '11 is out of range (min: 1, max: 10)'],
    ['number', '[{range: {min: 1, max: 10}}]', '11', '11 is out of range (min: 1, max: 10)'],
    ['number', '[{range: {min: 1, max: 10}}]', '10.5', '10.5 is out of range (min: 1, max: 10)'],
    ['number', '[{range: {min: 6}}]', '5.0', '5.0 is out of range (min: 6, max: None)'],
    ['number', '[{range: {min: 1, max: 10}}]', 10, null],
    ['number', '[{range: {min: 1, max: 10}}]', '1', null],
    ['number', '[{range: {min: 0.5}}]', 0.25, '0.25 is out of range (min: 0.5, max: None)'],
    ['number', '[{modulo: {step: 2, offset: 1}}]', 8, '8 is not a multiple of 2 with an offset of 1'],
    ['number', '[{modulo: {step: 2, offset: 1}}]', '9', null],
    ['number', '[{modulo: {step: 2, offset: 1}}]', -3, null],
    ['number', '[{modulo: {step: -3, offset: -1}}]', 2, null],
    ['number', '[{modulo: {step: -3, offset: -1}}]', 3, '3 is not a multiple of -3 with an offset of -1'],
    ['number', '[{allowed_values: [1, 2, 3]}]', '2', null],
    ['number', '[{allowed_values: [1, 2, 3]}]', '2.0', null],
    ['number', '[{allowed_values: [1, 2, 3]}]', '4', '"4" is not an allowed value [1, 2, 3]'],
    ['number', '[{allowed_values: [1, 2, 3]}]', 4, '4 is not an allowed value [1, 2, 3]'],
    ['number', '[{custom_constraint: test_constr}]', 3, null],
    // boolean
    ['boolean', '[{allowed_values: [true]}]', 'yes', null],
    ['boolean', '[{allowed_values: [true]}]', 'no', '"no" is not an allowed value [true]'],
    ['boolean', '[{allowed_values: ["on"]}]', true, null],
    // comma_delimited_list
    ['comma_delimited_list', '[{length: {min: 3}}]', 'a,b', 'length (2) is out of range (min: 3, max: None)'],
    ['comma_delimited_list', '[{length: {min: 2}}]', ['a', 'b'], null],
    ['comma_delimited_list', '[{allowed_values: [a, b, c]}]', 'a,c', null],
    [
      'comma_delimited_list',
      '[{allowed_values: [a, b, c]}]',
      'a,d',
      '["a", "d"] is not an allowed value ["a", "b", "c"]',
    ],
    [
      'comma_delimited_list',
      '[{allowed_values: [a, b]}]',
      'a, b',
      '["a", " b"] is not an allowed value ["a", "b"]',
    ],
    ['comma_delimited_list', '[{custom_constraint: ip_addr}]', '10.0.0.1,10.0.0.2', null],
    [
      'comma_delimited_list',
      '[{custom_constraint: ip_addr}]',
      '10.0.0.1,x',
      "Error validating value 'x': Invalid IP address",
    ],
    // json
    ['json', '[{length: {max: 1}}]', { a: 1, b: 2 }, 'length (2) is out of range (min: None, max: 1)'],
    ['json', '[{length: {max: 1}}]', '{"a": 1, "b": 2}', 'length (2) is out of range (min: None, max: 1)'],
    ['json', '[{length: {min: 3}}]', [1, 2], 'length (2) is out of range (min: 3, max: None)'],
    ['json', '[{length: {min: 1}}]', '[1]', null],
  ])('%s %s with %j', (type, constraints, raw, problem) => {
    expect(parameterValueProblem(schemaOf(type, constraints), raw)).toBe(problem);
  });

  it('a constraint description replaces the message', () => {
    const s = schemaOf(
      'string',
      '[{length: {min: 6}, description: Name must be at least six characters long.}]',
    );
    expect(parameterValueProblem(s, 'abc')).toBe('Name must be at least six characters long.');
  });

  it('the first failing constraint is reported', () => {
    const s = schemaOf(
      'string',
      '[{length: {max: 10}}, {allowed_pattern: "[a-z]+", description: lower-case letters only}, {allowed_values: [abc]}]',
    );
    expect(parameterValueProblem(s, 'Abc')).toBe('lower-case letters only');
    expect(parameterValueProblem(s, 'abd')).toBe('"abd" is not an allowed value ["abc"]');
  });

  it('an unknown custom constraint error carries a hint naming the supported ones', () => {
    const r = resolveParameterValues(
      schemasOf('  p: {type: string, constraints: [{custom_constraint: ipaddr}]}'),
      {
        user: { p: 'x' },
      },
    );
    expect(r.problems[0]?.hint).toContain('ip_addr');
  });
});

describe('resolveParameterValues: precedence', () => {
  const yaml = `
  a: {type: string}
  b: {type: string}
  c: {type: string, default: template-default}
  d: {type: string, default: template-d}
`;
  it('API over environment parameters over parameter_defaults over the template default', () => {
    expect(
      resolve(yaml, {
        user: { b: 'from-api' },
        environment: { a: 'from-env', b: 'from-env' },
        defaults: { b: 'pd-b', d: 'pd-d', undeclared: 'ignored' },
      }),
    ).toEqual({ values: { a: 'from-env', b: 'from-api', c: 'template-default', d: 'pd-d' }, problems: [] });
  });

  it('environment parameters beat parameter_defaults', () => {
    expect(
      resolve('  a: {type: string, default: t-a}\n  b: {type: string, default: t-b}', {
        environment: { b: 'env-param-b' },
        defaults: { a: 'env-default-a', b: 'env-default-b' },
      }).values,
    ).toEqual({ a: 'env-default-a', b: 'env-param-b' });
  });

  it('a null value counts as not given', () => {
    expect(resolve(yaml, { user: { a: 'x', b: null, d: null }, defaults: { b: 'pd' } }).values).toMatchObject(
      {
        b: 'pd',
        d: 'template-d',
      },
    );
  });

  it('parameter_defaults are typed and checked', () => {
    expect(resolve('  num: {type: number, default: 1}', { defaults: { num: '5' } }).values).toEqual({
      num: 5,
    });
    expect(
      resolve('  num: {type: number, default: 1, constraints: [{range: {max: 3}}]}', { defaults: { num: 5 } })
        .problems,
    ).toEqual(["StackValidationFailed: Parameter 'num' is invalid: 5 is out of range (min: None, max: 3)"]);
  });

  it('template defaults are checked with custom constraints in the value phase', () => {
    expect(
      resolve('  ip: {type: string, default: nope, constraints: [{custom_constraint: ip_addr}]}', {})
        .problems,
    ).toEqual([
      "StackValidationFailed: Parameter 'ip' is invalid: Error validating value 'nope': Invalid IP address",
    ]);
  });
});

describe('resolveParameterValues: problems', () => {
  it('collects every problem, unknown parameters first', () => {
    const r = resolveParameterValues(
      schemasOf(
        `
  needed: {type: string}
  size: {type: number, constraints: [{range: {min: 1, max: 10}}]}
  flag: {type: boolean}
  ok: {type: string, default: fine}
  bad_default: {type: number, default: 100, constraints: [{range: {max: 10}}]}
`,
        1,
      ),
      { user: { size: 11, flag: 'maybe', unknown: 'u' }, environment: { also_unknown: 1 } },
    );
    expect(r.problems.map((p) => [p.type, p.message, p.path])).toEqual([
      ['UnknownUserParameter', 'The Parameter (unknown) was not defined in template.', undefined],
      ['UnknownUserParameter', 'The Parameter (also_unknown) was not defined in template.', undefined],
      ['UserParameterMissing', 'The Parameter (needed) was not provided.', ['parameters', 'needed']],
      [
        'StackValidationFailed',
        "Parameter 'size' is invalid: 11 is out of range (min: 1, max: 10)",
        ['parameters', 'size'],
      ],
      [
        'StackValidationFailed',
        expect.stringContaining("Parameter 'flag' is invalid: Unrecognized value 'maybe'"),
        ['parameters', 'flag'],
      ],
      [
        'InvalidSchemaError',
        "Parameter 'bad_default' is invalid: Invalid default 100 (100 is out of range (min: None, max: 10))",
        ['parameters', 'bad_default', 'default'],
      ],
    ]);
    expect(Object.fromEntries(r.values)).toEqual({ ok: 'fine' });
    expect(r.problems.map((p) => p.status)).toEqual([400, 400, 400, 400, 400, 400]);
  });

  it('without value validation: no missing/type/constraint errors, unknown parameters still reported', () => {
    const yaml = `
  needed: {type: string}
  pick: {type: string, constraints: [{allowed_values: [x, y]}]}
  num: {type: number}
`;
    expect(resolve(yaml, { user: { pick: 'z', num: 'abc', extra: 1 } }, false)).toEqual({
      values: { pick: 'z' },
      problems: ['UnknownUserParameter: The Parameter (extra) was not defined in template.'],
    });
    const r = resolveParameterValues(schemasOf(yaml), {}, { requireValues: false });
    expect(r.problems).toEqual([]);
  });
});

describe('immutableParametersModified', () => {
  const schemas = schemasOf(
    '  fixed: {type: string, immutable: true}\n  free: {type: string, default: a}\n  num: {type: number, immutable: true}',
  );
  const old = new Map<string, unknown>([
    ['fixed', 'one'],
    ['free', 'a'],
    ['num', 5],
  ]);
  it('names changed immutable parameters only', () => {
    expect(
      immutableParametersModified(
        old,
        schemas,
        new Map<string, unknown>([
          ['fixed', 'two'],
          ['free', 'b'],
          ['num', 5],
        ]),
      ),
    ).toEqual(['fixed']);
    expect(
      immutableParametersModified(
        old,
        schemas,
        new Map<string, unknown>([
          ['fixed', 'one'],
          ['free', 'b'],
          ['num', 5.0],
        ]),
      ),
    ).toEqual([]);
  });
  it('compares request values as given', () => {
    const next = new Map<string, unknown>([
      ['fixed', 'one'],
      ['num', 6],
    ]);
    expect(immutableParametersModified(old, schemas, next, { fixed: 'three' })).toEqual(['fixed', 'num']);
  });
  it('ignores parameters the old stack did not have', () => {
    expect(immutableParametersModified(new Map(), schemas, new Map([['fixed', 'x']]))).toEqual([]);
  });
});
