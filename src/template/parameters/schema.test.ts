import { describe, expect, it } from 'vitest';
import { parseSource } from '../source.js';
import { parseParameterSchemas } from './schema.js';

/** Parses the `parameters` section of a YAML snippet. */
function parse(yaml: string, version = '2021-04-16') {
  const doc = parseSource(`parameters:\n${yaml}`).value as { parameters: unknown };
  return parseParameterSchemas(doc.parameters, { version });
}

function messages(yaml: string, version?: string): string[] {
  return parse(yaml, version).problems.map((p) => `${p.type}: ${p.message}`);
}

describe('parseParameterSchemas', () => {
  it('reads every key', () => {
    const { schemas, problems } = parse(`
  region:
    type: string
    label: Region
    description: Where to deploy
    default: r1
    hidden: false
    immutable: true
    tags: [infra, "2"]
    constraints:
      - allowed_values: [r1, r2]
        description: one of the two regions
      - length: {min: 1}
      - allowed_pattern: "r[0-9]"
      - custom_constraint: dns_name
`);
    expect(problems).toEqual([]);
    const s = schemas.get('region');
    expect(s).toMatchObject({
      name: 'region',
      type: 'string',
      label: 'Region',
      description: 'Where to deploy',
      default: 'r1',
      hasDefault: true,
      hidden: false,
      immutable: true,
      tags: ['infra', '2'],
      path: ['parameters', 'region'],
    });
    expect(s?.constraints).toEqual([
      { kind: 'allowed_values', values: ['r1', 'r2'], description: 'one of the two regions' },
      { kind: 'length', min: 1 },
      { kind: 'allowed_pattern', pattern: 'r[0-9]' },
      { kind: 'custom_constraint', name: 'dns_name' },
    ]);
  });

  it('defaults hidden/immutable to false and tags to []', () => {
    const s = parse('  p: {type: number}').schemas.get('p');
    expect(s).toMatchObject({
      hidden: false,
      immutable: false,
      tags: [],
      hasDefault: false,
      constraints: [],
    });
    expect(s && 'default' in s).toBe(false);
  });

  it('accepts a null section and an empty parameter list', () => {
    expect(parseParameterSchemas(null, { version: '2021-04-16' })).toEqual({
      schemas: new Map(),
      problems: [],
    });
  });

  it('reads numeric strings in range/length/modulo definitions', () => {
    const s = parse(
      '  p: {type: number, constraints: [{range: {min: "1", max: "2.5"}}, {modulo: {step: "3", offset: 1}}]}',
    );
    expect(s.schemas.get('p')?.constraints).toEqual([
      { kind: 'range', min: 1, max: 2.5 },
      { kind: 'modulo', step: 3, offset: 1 },
    ]);
  });

  it.each([
    [
      '  p: {type: string, default: x, lable: typo}',
      "InvalidSchemaError: Invalid key 'lable' for parameter (p)",
    ],
    ['  p: {type: integer, default: 1}', 'InvalidSchemaError: Invalid type (integer)'],
    ['  p: {default: 1}', 'InvalidSchemaError: Missing parameter type for parameter: p'],
    ['  p:', 'InvalidSchemaError: Invalid parameter (p), expected a mapping'],
    ['  p: [string]', 'InvalidSchemaError: Invalid parameter (p), expected a mapping'],
    ['  p: {type: string, tags: x}', 'InvalidSchemaError: Tags property should be a list for parameter: p'],
    [
      '  p: {type: string, constraints: {length: {min: 1}}}',
      'InvalidSchemaError: Invalid parameter constraints for parameter p, expected a list',
    ],
    [
      '  p: {type: string, constraints: [x]}',
      'InvalidSchemaError: Invalid parameter constraints, expected a mapping',
    ],
    [
      '  p: {type: string, constraints: [{lenght: {min: 1}}]}',
      "InvalidSchemaError: Invalid key 'lenght' for parameter constraints",
    ],
    ['  p: {type: string, constraints: [{description: d}]}', 'InvalidSchemaError: No constraint expressed'],
    [
      '  p: {type: string, constraints: [{length: 3}]}',
      'InvalidSchemaError: Invalid length constraint, expected a mapping',
    ],
    [
      '  p: {type: string, constraints: [{length: {min: 1, mx: 3}}]}',
      "InvalidSchemaError: Invalid key 'mx' for length constraint",
    ],
    [
      '  p: {type: string, constraints: [{length: {}}]}',
      'InvalidSchemaError: A length constraint must have a min value and/or a max value specified.',
    ],
    [
      '  p: {type: number, constraints: [{range: {}}]}',
      'InvalidSchemaError: A range constraint must have a min value and/or a max value specified.',
    ],
    [
      '  p: {type: string, constraints: [{length: {min: 1.5}}]}',
      'InvalidSchemaError: min/max length must be integral',
    ],
    [
      '  p: {type: number, constraints: [{range: {min: abc}}]}',
      "InvalidSchemaError: could not convert string to float: 'abc'",
    ],
    [
      '  p: {type: number, constraints: [{modulo: {step: 2}}]}',
      'InvalidSchemaError: A modulo constraint must have a step value and an offset value specified.',
    ],
    [
      '  p: {type: number, constraints: [{modulo: {step: 0, offset: 0}}]}',
      'InvalidSchemaError: step cannot be 0.',
    ],
    [
      '  p: {type: number, constraints: [{modulo: {step: 2, offset: 2}}]}',
      'InvalidSchemaError: offset must be smaller (by absolute value) than step.',
    ],
    [
      '  p: {type: number, constraints: [{modulo: {step: 3, offset: -1}}]}',
      'InvalidSchemaError: step and offset must be both positive or both negative.',
    ],
    [
      '  p: {type: number, constraints: [{modulo: {step: 2.5, offset: 1}}]}',
      'InvalidSchemaError: step/offset must be integer',
    ],
    [
      '  p: {type: string, constraints: [{allowed_values: a}]}',
      'InvalidSchemaError: AllowedValues must be a list',
    ],
    [
      '  p: {type: string, constraints: [{allowed_pattern: [a]}]}',
      'InvalidSchemaError: AllowedPattern must be a string',
    ],
    [
      '  p: {type: string, hidden: "yes"}',
      `InvalidSchemaError: Parameter 'p' is invalid: "hidden" must be a boolean, not yes`,
    ],
    [
      '  p: {type: string, immutable: 1}',
      `InvalidSchemaError: Parameter 'p' is invalid: "immutable" must be a boolean, not 1`,
    ],
  ])('%s → %s', (yaml, message) => {
    expect(messages(yaml)).toEqual([message]);
  });

  it('rejects modulo before 2017-02-24 and tags before 2018-03-02', () => {
    const modulo = '  p: {type: number, constraints: [{modulo: {step: 2, offset: 1}}]}';
    expect(messages(modulo, '2016-10-14')).toEqual(['InvalidSchemaError: No constraint expressed']);
    expect(messages(modulo, '2017-02-24')).toEqual([]);
    expect(messages(modulo, 'ocata')).toEqual([]);
    const tags = '  p: {type: string, tags: [a]}';
    expect(messages(tags, '2017-09-01')).toEqual([
      "InvalidSchemaError: Invalid key 'tags' for parameter (p)",
    ]);
    expect(messages(tags, '2018-03-02')).toEqual([]);
    expect(messages(tags, 'queens')).toEqual([]);
  });

  it.each([
    ['number', 'length: {min: 1}', 'Length constraint invalid for number'],
    ['string', 'range: {min: 1}', 'Range constraint invalid for string'],
    ['boolean', 'length: {min: 1}', 'Length constraint invalid for boolean'],
    ['comma_delimited_list', 'range: {max: 1}', 'Range constraint invalid for comma_delimited_list'],
    ['json', 'allowed_values: [a]', 'AllowedValues constraint invalid for json'],
    ['number', 'allowed_pattern: "[0-9]+"', 'AllowedPattern constraint invalid for number'],
    ['json', 'custom_constraint: ip_addr', 'CustomConstraint constraint invalid for json'],
    ['string', 'modulo: {step: 2, offset: 0}', 'Modulo constraint invalid for string'],
  ])('a %s parameter refuses %s', (type, constraint, message) => {
    expect(messages(`  p: {type: ${type}, constraints: [{${constraint}}]}`)).toEqual([
      `InvalidSchemaError: Parameter 'p' is invalid: ${message}`,
    ]);
  });

  it.each([
    ['number', '100', 'range: {max: 10}', 'Invalid default 100 (100 is out of range (min: None, max: 10))'],
    ['number', '"5.0"', 'range: {min: 6}', 'Invalid default 5.0 (5.0 is out of range (min: 6, max: None))'],
    [
      'number',
      '7',
      'modulo: {step: 2, offset: 0}',
      'Invalid default 7 (7 is not a multiple of 2 with an offset of 0)',
    ],
    [
      'string',
      'ab',
      'length: {min: 3}',
      'Invalid default ab (length (2) is out of range (min: 3, max: None))',
    ],
    // probe 236 (real Heat 19): len() of an int default fails with Python's TypeError text
    ['string', '12345', 'length: {max: 3}', "Invalid default 12345 (object of type 'int' has no len())"],
    ['string', 'x', 'allowed_values: [a, b]', 'Invalid default x ("x" is not an allowed value ["a", "b"])'],
    [
      'string',
      'A1',
      'allowed_pattern: "[a-z]+"',
      'Invalid default A1 ("A1" does not match pattern "[a-z]+")',
    ],
    ['string', 'ab', '{length: {min: 3}, description: too short}', 'Invalid default ab (too short)'],
    [
      'comma_delimited_list',
      '"a,b"',
      'length: {max: 1}',
      'Invalid default a,b (length (2) is out of range (min: None, max: 1))',
    ],
    [
      'comma_delimited_list',
      '[a, d]',
      'allowed_values: [a, b]',
      `Invalid default ['a', 'd'] (["a", "d"] is not an allowed value ["a", "b"])`,
    ],
    [
      'json',
      '{a: 1, b: 2}',
      'length: {max: 1}',
      `Invalid default {'a': 1, 'b': 2} (length (2) is out of range (min: None, max: 1))`,
    ],
    [
      'boolean',
      'true',
      'allowed_values: [false]',
      'Invalid default True (true is not an allowed value [false])',
    ],
  ])('a %s default %s violating %s', (type, dflt, constraint, message) => {
    const c = constraint.startsWith('{') ? constraint : `{${constraint}}`;
    const result = parse(`  p: {type: ${type}, default: ${dflt}, constraints: [${c}]}`);
    expect(result.problems.map((p) => p.message)).toEqual([`Parameter 'p' is invalid: ${message}`]);
    expect(result.problems[0]?.type).toBe('InvalidSchemaError');
    expect(result.problems[0]?.path).toEqual(['parameters', 'p', 'default']);
    // the schema is still known, so that get_param and values can refer to it
    expect(result.schemas.has('p')).toBe(true);
  });

  it('does not apply custom constraints to defaults', () => {
    expect(
      messages('  p: {type: string, default: nope, constraints: [{custom_constraint: ip_addr}]}'),
    ).toEqual([]);
  });

  it('reports every parameter, each at its path', () => {
    const { problems, schemas } = parse(`
  a: {type: integer}
  b: {type: string, default: x, lable: y}
  c: {type: string}
  d: {type: number, default: 100, constraints: [{range: {max: 10}}]}
`);
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [['parameters', 'a'], 'Invalid type (integer)'],
      [['parameters', 'b'], "Invalid key 'lable' for parameter (b)"],
      [
        ['parameters', 'd', 'default'],
        "Parameter 'd' is invalid: Invalid default 100 (100 is out of range (min: None, max: 10))",
      ],
    ]);
    expect([...schemas.keys()]).toEqual(['c', 'd']);
  });

  it('uses a given base path and refuses a non-mapping section', () => {
    const { problems } = parseParameterSchemas(
      { p: { type: 'bad' } },
      { version: '2021-04-16', path: ['x'] },
    );
    expect(problems[0]?.path).toEqual(['x', 'p']);
    const bad = parseParameterSchemas(['p'], { version: '2021-04-16' });
    expect(bad.problems.map((p) => p.type)).toEqual(['InvalidSchemaError']);
  });
});
