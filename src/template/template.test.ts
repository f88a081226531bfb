import { describe, expect, it } from 'vitest';
import { ValidationFailure, problemsOf } from './errors.js';
import { heatErrorOf, loadTemplate } from './sections/testing.js';

const messages = (fn: () => unknown): string[] => problemsOf(heatErrorOf(fn)).map((p) => p.message);

describe('Template.load — versions', () => {
  it('accepts the wallaby and newton aliases as their dated versions', () => {
    expect(loadTemplate('heat_template_version: wallaby\n').version.key).toBe('2021-04-16');
    expect(loadTemplate('heat_template_version: newton\n').version.key).toBe('2016-10-14');
  });

  it('rejects an unknown version listing the accepted ones (case 114)', () => {
    const err = heatErrorOf(() =>
      loadTemplate('heat_template_version: 2019-01-01\noutputs:\n  x:\n    value: 1\n'),
    );
    expect(err.type).toBe('InvalidTemplateVersion');
    expect(err.status).toBe(400);
    expect(err.message).toContain('The template version is invalid: "heat_template_version: 2019-01-01"');
    expect(err.message).toContain('should be one of: 2013-05-23, 2014-10-16');
    expect(err.message).toMatch(/2021-04-16, newton, ocata, pike, queens, rocky, wallaby$/);
    expect(err.position).toMatchObject({ line: 1, column: 1 });
  });

  it('words the unknown-version message exactly as Heat 19 (lifecycle 093)', () => {
    expect(heatErrorOf(() => loadTemplate('heat_template_version: 2099-01-01\n')).message).toBe(
      'The template version is invalid: "heat_template_version: 2099-01-01". "heat_template_version" should be one of: ' +
        '2013-05-23, 2014-10-16, 2015-04-30, 2015-10-15, 2016-04-08, 2016-10-14, 2017-02-24, 2017-09-01, 2018-03-02, ' +
        '2018-08-31, 2021-04-16, newton, ocata, pike, queens, rocky, wallaby',
    );
  });

  it('rejects a template without a version key (case 115)', () => {
    const err = heatErrorOf(() =>
      loadTemplate('description: no version here\noutputs:\n  x:\n    value: 1\n'),
    );
    expect(err.type).toBe('HTTPBadRequest');
    expect(err.message).toBe('Template not in valid format: Template format version not found.');
  });

  it('rejects a version that is not a string', () => {
    const err = heatErrorOf(() => loadTemplate('heat_template_version: 2016\n'));
    expect(err.type).toBe('InvalidTemplateVersion');
    expect(err.message).toBe('The template version is invalid: Template version was not provided');
  });
});

describe('Template.load — top-level sections', () => {
  it('rejects an unknown section with its position (case 116)', () => {
    const err = heatErrorOf(() =>
      loadTemplate('heat_template_version: 2021-04-16\noutput:\n  x:\n    value: 1\n'),
    );
    expect(err.type).toBe('StackValidationFailed');
    expect(err.message).toBe('The template section is invalid: output');
    expect(err.position).toEqual({ file: 'template.yaml', line: 2, column: 1 });
    expect(err.hint).toBe('did you mean "outputs"?');
  });

  it('rejects conditions before 2016-10-14 (case 125) and accepts it from newton on', () => {
    const text = (v: string) =>
      `heat_template_version: ${v}\nconditions:\n  c: true\noutputs:\n  x:\n    value: 1\n`;
    expect(messages(() => loadTemplate(text('2016-04-08')))).toEqual([
      'The template section is invalid: conditions',
    ]);
    expect([...loadTemplate(text('2016-10-14')).conditions.keys()]).toEqual(['c']);
  });

  it('treats empty sections as empty and defaults the description', () => {
    const t = loadTemplate('heat_template_version: 2021-04-16\nresources:\noutputs:\nparameters:\n');
    expect(t.resources.size).toBe(0);
    expect(t.outputs.size).toBe(0);
    expect(t.description).toBe('No description');
  });
});

describe('Template.load — resources', () => {
  const load = (resources: string, version = '2021-04-16') =>
    loadTemplate(`heat_template_version: ${version}\nresources:\n${resources}`);

  it('reads every resource key', () => {
    const t = load(
      [
        '  a:',
        '    type: OS::Heat::None',
        '  b:',
        '    type: OS::Heat::Value',
        '    description: the b',
        '    properties: {value: {get_resource: a}}',
        '    metadata: {m: 1}',
        '    depends_on: a',
        '    update_policy: {}',
        '    deletion_policy: retain',
        '    external_id: ext-1',
        '    condition: true',
        '',
      ].join('\n'),
    );
    const b = t.resources.get('b');
    expect(b).toMatchObject({
      name: 'b',
      type: 'OS::Heat::Value',
      description: 'the b',
      metadata: { m: 1 },
      dependsOn: ['a'],
      updatePolicy: {},
      deletionPolicy: 'retain',
      externalId: 'ext-1',
      condition: true,
      path: ['resources', 'b'],
    });
    expect(t.resources.get('a')).toMatchObject({
      properties: {},
      metadata: {},
      dependsOn: [],
      description: '',
    });
  });

  it("reports an unknown keyword with Heat's message and a hint", () => {
    const err = heatErrorOf(() => load('  v:\n    type: OS::Heat::None\n    Properties: {}\n'));
    expect(err.message).toBe('"Properties" is not a valid keyword inside a resource definition');
    expect(err.hint).toBe('did you mean "properties"?');
    expect(err.position).toEqual({ file: 'template.yaml', line: 5, column: 5 });
  });

  it('reports condition/external_id before 2016-10-14 as invalid keywords of the version', () => {
    const msgs = messages(() => load('  v:\n    type: OS::Heat::None\n    condition: true\n', '2015-10-15'));
    expect(msgs).toEqual(['Invalid keyword(s) inside a resource definition: condition']);
  });

  it('reports a missing type, an empty resource and a non-map resource', () => {
    const msgs = messages(() => load('  a:\n    properties: {}\n  b:\n  c: just-a-string\n'));
    expect(msgs).toEqual([
      'Each resource must contain a type key.',
      'Each resource must contain a type key.',
      '"resources" must contain a map of resource maps. Found a [<class \'str\'>] instead',
    ]);
  });

  it('reports field types as Heat does, collecting every problem', () => {
    const err = heatErrorOf(() =>
      load(
        [
          '  v:',
          '    type: OS::Heat::None',
          '    properties: [1]',
          '    metadata: text',
          '    depends_on: [1]',
          '    description: [x]',
          '    condition: 3',
          '',
        ].join('\n'),
      ),
    );
    expect(err).toBeInstanceOf(ValidationFailure);
    expect(problemsOf(err).map((p) => p.message)).toEqual([
      'Resource v properties type must be object',
      'Resource v metadata type must be object',
      'Resource v depends_on must be a list of strings',
      'Resource v description type must be string',
      'Resource v condition type must be string_or_boolean',
    ]);
    expect(problemsOf(err).map((p) => p.position?.line)).toEqual([5, 6, 7, 8, 9]);
  });

  it('reports a parameter and a resource with the same name', () => {
    const text =
      'heat_template_version: 2021-04-16\nparameters:\n  x: {type: string, default: a}\nresources:\n  x:\n    type: OS::Heat::None\n';
    expect(messages(() => loadTemplate(text))).toEqual(["Duplicate names {'x'}"]);
  });

  it('reports a removed function at its nested position', () => {
    const text = [
      'heat_template_version: 2021-04-16',
      'resources:',
      '  v:',
      '    type: OS::Heat::Value',
      '    properties:',
      '      value:',
      '        list:',
      "          - {'Fn::Join': [',', [a, b]]}",
      '',
    ].join('\n');
    const err = heatErrorOf(() => loadTemplate(text));
    expect(err.message).toContain('Fn::Join is not supported in this version of HOT');
    expect(err.position).toEqual({ file: 'template.yaml', line: 8, column: 14 });
  });
});

describe('Template.load — outputs', () => {
  const load = (outputs: string) => loadTemplate(`heat_template_version: 2021-04-16\noutputs:\n${outputs}`);

  it('requires a value (case 179)', () => {
    const err = heatErrorOf(() => load('  x:\n    description: nothing here\n'));
    expect(err.type).toBe('StackValidationFailed');
    expect(err.message).toBe(
      'Output validation error: : outputs.x: : Each output definition must contain a value key.',
    );
    expect(err.position).toEqual({ file: 'template.yaml', line: 3, column: 3 });
  });

  it('requires a map', () => {
    expect(messages(() => load('  x: 1\n  z:\n'))).toEqual([
      'Output validation error: : outputs.x: : Output definitions must be a map. Found a int instead',
      'Output validation error: : outputs.z: : Output definitions must be a map. Found a NoneType instead',
    ]);
  });

  it('ignores unknown keys but warns about them (case 177)', () => {
    const t = load('  x:\n    value: 1\n    descripton: typo\n');
    expect(t.outputs.get('x')).toMatchObject({ value: 1, description: 'No description given' });
    expect(t.warnings).toContainEqual(
      expect.objectContaining({
        type: 'IgnoredOutputKey',
        path: 'outputs.x.descripton',
        hint: 'did you mean "description"?',
        line: 5,
      }),
    );
  });

  it('keeps descriptions (case 175)', () => {
    const t = load('  a:\n    description: The answer\n    value: 42\n');
    expect(t.outputs.get('a')?.description).toBe('The answer');
  });

  it('reports an undefined condition name on an output', () => {
    const text =
      'heat_template_version: 2021-04-16\nconditions:\n  c: true\noutputs:\n  x:\n    condition: d\n    value: 1\n';
    expect(messages(() => loadTemplate(text))).toEqual(['outputs.x.condition: : Invalid condition "d"']);
  });
});

describe('Template.warnings', () => {
  it('flags a typo of a function name (case 117), a function newer than the version (case 122), a condition function as data (case 119) and an unused parameter', () => {
    const t = loadTemplate(
      [
        'heat_template_version: 2015-10-15',
        'parameters:',
        '  p: {type: string, default: real}',
        '  unused: {type: string, default: x}',
        'outputs:',
        '  typo: {value: {get_parm: p}}',
        '  ok: {value: {get_param: p}}',
        '  merged: {value: {map_merge: [{a: 1}]}}',
        '  eq: {value: {equals: [1, 1]}}',
        '',
      ].join('\n'),
    );
    const byType = Object.fromEntries(t.warnings.map((w) => [w.type, w]));
    expect(byType['PossibleTypo']).toMatchObject({
      path: 'outputs.typo.value.get_parm',
      hint: 'did you mean "get_param"?',
      line: 6,
    });
    expect(byType['FunctionNotInVersion']).toMatchObject({ path: 'outputs.merged.value.map_merge' });
    expect(byType['FunctionNotInVersion']?.hint).toContain('2016-04-08');
    expect(byType['ConditionFunctionAsData']).toMatchObject({ path: 'outputs.eq.value.equals' });
    expect(byType['UnusedParameter']).toMatchObject({ path: 'parameters.unused', line: 4 });
    expect(t.warnings.every((w) => w.severity === 'warning')).toBe(true);
  });

  it('has no warnings for a clean template (inline if conditions are condition functions)', () => {
    const t = loadTemplate(
      [
        'heat_template_version: 2021-04-16',
        'parameters:',
        '  p: {type: string, default: a}',
        'conditions:',
        '  is_a: {equals: [{get_param: p}, a]}',
        'resources:',
        '  v:',
        '    type: OS::Heat::Value',
        '    condition: {not: is_a}',
        '    properties: {value: {if: [{equals: [{get_param: p}, b]}, x, y]}}',
        'outputs:',
        '  o: {value: {if: [is_a, 1, 2]}}',
        '',
      ].join('\n'),
    );
    expect(t.warnings).toEqual([]);
  });
});

describe('positions', () => {
  it('point at the key of the offending entry, also for keys YAML could read as booleans', () => {
    const text = 'heat_template_version: 2021-04-16\noutputs:\n  y:\n    description: no value\n  n: 1\n';
    const err = heatErrorOf(() => loadTemplate(text));
    expect(problemsOf(err).map((p) => [p.message, p.position?.line, p.position?.column])).toEqual([
      ['Output validation error: : outputs.y: : Each output definition must contain a value key.', 3, 3],
      ['Output validation error: : outputs.n: : Output definitions must be a map. Found a int instead', 5, 3],
    ]);
  });
});
