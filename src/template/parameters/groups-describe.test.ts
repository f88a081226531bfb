import { describe, expect, it } from 'vitest';
import { parseSource } from '../source.js';
import { describeParameter, displayParameterValue } from './describe.js';
import { validateParameterGroups } from './groups.js';
import { parseParameterSchemas, type ParameterSchema } from './schema.js';

function load(yaml: string): { schemas: Map<string, ParameterSchema>; groups: unknown } {
  const doc = parseSource(`heat_template_version: 2018-08-31\n${yaml}`).value as Record<string, unknown>;
  const { schemas, problems } = parseParameterSchemas(doc['parameters'], { version: '2018-08-31' });
  expect(problems).toEqual([]);
  return { schemas, groups: doc['parameter_groups'] };
}

function groupMessages(yaml: string): string[] {
  const { schemas, groups } = load(yaml);
  return validateParameterGroups(groups, schemas).map((p) => `${p.type}: ${p.message}`);
}

const PARAMS = `parameters:
  a: {type: string, default: x}
  b: {type: string, default: y}
`;

describe('validateParameterGroups', () => {
  it('accepts valid groups, a missing section and pseudo parameters', () => {
    expect(
      groupMessages(
        `${PARAMS}parameter_groups:\n  - {label: g1, description: d, parameters: [a]}\n  - {parameters: [b, 'OS::stack_id']}`,
      ),
    ).toEqual([]);
    expect(groupMessages(PARAMS)).toEqual([]);
    expect(groupMessages(`${PARAMS}parameter_groups:`)).toEqual([]);
  });

  it.each([
    [
      'label: grp\n  parameters: [a]',
      'StackValidationFailed: Parameter Groups error: : parameter_groups: : The parameter_groups should be a list.',
    ],
    [
      '- {label: first, parameters: [a]}\n  - {label: second, parameters: [a, b]}',
      'StackValidationFailed: Parameter Groups error: : parameter_groups.second: : The a parameter must be assigned to one parameter group only.',
    ],
    [
      '- {label: grp, description: a group, parameters: [a, ghost]}',
      'StackValidationFailed: Parameter Groups error: : parameter_groups.grp: : The grouped parameter ghost does not reference a valid parameter.',
    ],
    [
      '- {label: grp}',
      'StackValidationFailed: Parameter Groups error: : parameter_groups.grp: : The parameters must be provided for each parameter group.',
    ],
    [
      '- {label: grp, parameters: a}',
      'StackValidationFailed: Parameter Groups error: : parameter_groups.grp: : The parameters of parameter group should be a list.',
    ],
  ])('%s', (groups, message) => {
    expect(groupMessages(`${PARAMS}parameter_groups:\n  ${groups}`)).toEqual([message]);
  });

  it('reports every problem with its path', () => {
    const { schemas, groups } = load(
      `${PARAMS}parameter_groups:\n  - {label: one, parameters: [a, ghost]}\n  - {label: two, parameters: [a]}`,
    );
    const problems = validateParameterGroups(groups, schemas);
    expect(problems.map((p) => p.path)).toEqual([
      ['parameter_groups', 0, 'parameters', 1],
      ['parameter_groups', 1, 'parameters', 0],
    ]);
  });
});

describe('describeParameter (validate API)', () => {
  const { schemas } = load(`parameters:
  name:
    type: string
    label: Name
    description: the name
    default: n1
    constraints:
      - length: {min: 1, max: 10}
      - allowed_pattern: "[a-z0-9]+"
        description: lowercase only
  size:
    type: number
    default: 3
    constraints:
      - range: {min: 1, max: 9}
      - modulo: {step: 2, offset: 1}
        description: odd
  secret: {type: string, hidden: true, default: s3cr3t, tags: [a, b]}
  flag: {type: boolean, default: false}
  items: {type: comma_delimited_list, default: "a,b", constraints: [{allowed_values: [a, b, c]}]}
  blob: {type: json, default: {k: v}}
  pick: {type: string, constraints: [{allowed_values: [x, 'y']}, {custom_constraint: ip_addr}]}
`);
  const d = (name: string, value?: unknown, defaultOverride?: unknown) =>
    describeParameter(schemas.get(name) as ParameterSchema, value, { defaultOverride });

  it('matches Heat for each type', () => {
    expect(d('name')).toEqual({
      Type: 'String',
      Description: 'the name',
      NoEcho: 'false',
      Label: 'Name',
      Default: 'n1',
      MinLength: 1,
      MaxLength: 10,
      AllowedPattern: '[a-z0-9]+',
      ConstraintDescription: 'lowercase only',
    });
    expect(d('size')).toEqual({
      Type: 'Number',
      Description: '',
      NoEcho: 'false',
      Label: 'size',
      Default: 3,
      MinValue: 1,
      MaxValue: 9,
      Step: 2,
      Offset: 1,
      ConstraintDescription: 'odd',
    });
    expect(d('secret')).toEqual({
      Type: 'String',
      Description: '',
      NoEcho: 'true',
      Label: 'secret',
      Default: 's3cr3t',
      Tags: ['a', 'b'],
    });
    expect(d('flag')).toMatchObject({ Type: 'Boolean', Default: false });
    expect(d('items')).toMatchObject({
      Type: 'CommaDelimitedList',
      Default: 'a,b',
      AllowedValues: ['a', 'b', 'c'],
    });
    expect(d('blob')).toMatchObject({ Type: 'Json', Default: { k: 'v' } });
    expect(d('pick')).toEqual({
      Type: 'String',
      Description: '',
      NoEcho: 'false',
      Label: 'pick',
      AllowedValues: ['x', 'y'],
      CustomConstraint: 'ip_addr',
    });
  });

  it('shows user values when truthy and parameter_defaults as Default', () => {
    expect(d('pick', 'y')).toMatchObject({ Value: 'y' });
    expect(d('pick', '')).not.toHaveProperty('Value');
    expect(d('size', undefined, 5)).toMatchObject({ Default: 5 });
  });
});

describe('displayParameterValue (stack show)', () => {
  const { schemas } = load(`parameters:
  s: {type: string}
  num: {type: number}
  flag: {type: boolean}
  l: {type: comma_delimited_list}
  j: {type: json}
  secret: {type: string, hidden: true}
`);
  const show = (name: string, value: unknown) =>
    displayParameterValue(schemas.get(name) as ParameterSchema, value);

  it.each([
    ['s', 'abc', 'abc'],
    ['num', 12, '12'],
    ['num', '12', '12'],
    ['num', 2.5, '2.5'],
    ['num', '5.0', '5.0'],
    ['flag', true, 'True'],
    ['flag', 'no', 'False'],
    ['l', ['a', 'b'], 'a,b'],
    ['l', 'a, b', 'a, b'],
    ['j', { a: [1, 'x'] }, '{"a": [1, "x"]}'],
    ['secret', 's3cr3t', '******'],
  ])('%s %j → %j', (name, value, text) => {
    expect(show(name, value)).toBe(text);
  });
});
