import { describe, expect, it } from 'vitest';
import { problemsOf } from './errors.js';
import { resolveValue } from './functions/function.js';
import { buildDefinition, resolveOutput, type StackDefinition } from './definition.js';
import { evaluateConditions } from './conditions.js';
import { dependencyOrder } from './graph.js';
import { validateDefinition } from './validate.js';
import { contextFor, heatErrorOf, loadTemplate, validateContextFor } from './sections/testing.js';

const define = (text: string, user: Record<string, unknown> = {}): StackDefinition => {
  const t = loadTemplate(text);
  return buildDefinition(t, contextFor(t, user));
};
const outputValues = (def: StackDefinition): Record<string, unknown> =>
  Object.fromEntries([...def.outputs].map(([k, o]) => [k, resolveValue(o.value, def.context)]));
const validate = (def: StackDefinition) => validateDefinition(def, validateContextFor(def.template));

describe('conditions', () => {
  it('combines and/or/not/equals with nested expressions (case 159)', () => {
    const def = define(
      `heat_template_version: 2021-04-16
parameters:
  env: {type: string, default: prod}
  region: {type: string, default: eu}
conditions:
  is_prod: {equals: [{get_param: env}, prod]}
  is_eu: {equals: [{get_param: region}, eu]}
  prod_eu: {and: [is_prod, is_eu]}
  prod_or_us: {or: [is_prod, {equals: [{get_param: region}, us]}]}
  not_prod_eu: {not: prod_eu}
  complex:
    and:
      - or: [{not: is_prod}, is_eu]
      - not: {equals: [{get_param: region}, asia]}
      - true
outputs:
  prod_eu: {value: {if: [prod_eu, T, F]}}
  prod_or_us: {value: {if: [prod_or_us, T, F]}}
  not_prod_eu: {value: {if: [not_prod_eu, T, F]}}
  complex: {value: {if: [complex, T, F]}}
`,
      { region: 'us' },
    );
    expect(outputValues(def)).toEqual({ prod_eu: 'F', prod_or_us: 'T', not_prod_eu: 'T', complex: 'F' });
    expect(Object.fromEntries(def.conditions)).toEqual({
      is_prod: true,
      is_eu: false,
      prod_eu: false,
      prod_or_us: true,
      not_prod_eu: true,
      complex: false,
    });
  });

  it('supports contains, references between conditions, boolean parameters and typed equals (cases 160, 166, 169, 170)', () => {
    const t = loadTemplate(`heat_template_version: 2021-04-16
parameters:
  features: {type: comma_delimited_list, default: 'logging,metrics'}
  num: {type: number, default: 1}
  s: {type: string, default: '1'}
  enabled: {type: boolean}
conditions:
  has_metrics: {contains: [metrics, {get_param: features}]}
  has_tracing: {contains: [tracing, {get_param: features}]}
  one: {equals: [{get_param: num}, 1]}
  also_one: {and: [one, true]}
  not_one: {not: also_one}
  num_eq_str: {equals: [{get_param: num}, '1']}
  str_eq_str: {equals: [{get_param: s}, '1']}
  on_cond: {get_param: enabled}
`);
    expect(Object.fromEntries(evaluateConditions(t, contextFor(t, { enabled: 'true' })))).toEqual({
      has_metrics: true,
      has_tracing: false,
      one: true,
      also_one: true,
      not_one: false,
      num_eq_str: false,
      str_eq_str: true,
      on_cond: true,
    });
  });

  it('leaves out resources whose condition is false and nulls disabled outputs (cases 161, 163, 174)', () => {
    const def = define(`heat_template_version: 2021-04-16
parameters:
  create_broken: {type: boolean, default: false}
conditions:
  want_broken: {get_param: create_broken}
  never: false
  always: true
resources:
  broken: {type: OS::Heat::TestResource, condition: want_broken}
  skipped: {type: OS::Heat::TestResource, condition: false}
  kept: {type: OS::Heat::Value, condition: true, properties: {value: k}}
  ok: {type: OS::Heat::Value, properties: {value: fine}}
outputs:
  hidden_out: {condition: never, value: something}
  shown_out: {condition: always, value: visible}
  skipped: {condition: false, value: {get_attr: [skipped, output]}}
`);
    expect([...def.resources.keys()]).toEqual(['kept', 'ok']);
    expect(outputValues(def)).toEqual({ hidden_out: null, shown_out: 'visible', skipped: null });
    expect(def.outputs.get('hidden_out')?.enabled).toBe(false);
    expect(validate(def)).toEqual([]);
  });

  it('rejects an undefined condition name on a resource (case 164)', () => {
    const err = heatErrorOf(() =>
      define(
        'heat_template_version: 2021-04-16\nconditions:\n  real: true\nresources:\n  v:\n    type: OS::Heat::Value\n    condition: unreal\n',
      ),
    );
    expect(err.type).toBe('StackValidationFailed');
    expect(err.message).toBe('resources.v.condition: : Invalid condition "unreal"');
    expect(err.position).toEqual({ file: 'template.yaml', line: 7, column: 5 });
  });

  it('rejects get_resource inside a condition (case 165)', () => {
    const err = heatErrorOf(() =>
      loadTemplate(
        'heat_template_version: 2021-04-16\nresources:\n  v: {type: OS::Heat::Value}\nconditions:\n  bad: {equals: [{get_resource: v}, x]}\n',
      ),
    );
    expect(err.message).toContain('The function "get_resource" is invalid in this context');
    expect(err.message).toMatch(/^conditions\.bad\.equals(\[0\]|\.0)\.get_resource: : /);
    expect(err.position?.line).toBe(5);
  });

  it("rejects a condition defined as another condition's bare name (case 167)", () => {
    const err = heatErrorOf(() =>
      loadTemplate('heat_template_version: 2021-04-16\nconditions:\n  base: true\n  alias: base\n'),
    );
    expect(err.message).toBe(
      'Condition validation error: : The definition of condition "alias" is invalid: base',
    );
    expect(err.hint).toContain('and/or/not');
    expect(err.position?.line).toBe(4);
  });

  it('rejects a circular definition (case 172)', () => {
    const text =
      'heat_template_version: 2021-04-16\nconditions:\n  a: {not: b}\n  b: {not: a}\nresources:\n  v:\n    type: OS::Heat::Value\n    condition: a\n';
    const err = heatErrorOf(() => define(text));
    expect(err.type).toBe('StackValidationFailed');
    expect(err.message).toContain('Condition validation error: : Circular definition for condition "a"');
    const t = loadTemplate(text);
    expect(heatErrorOf(() => evaluateConditions(t, contextFor(t))).message).toContain(
      'Circular definition for condition "a"',
    );
  });

  it('rejects and with a single argument (case 173)', () => {
    const err = heatErrorOf(() =>
      loadTemplate(
        'heat_template_version: 2021-04-16\nconditions:\n  c: {and: [true]}\noutputs:\n  x: {value: {if: [c, a, b]}}\n',
      ),
    );
    expect(err.message).toContain(
      'conditions.c.and: : The minimum number of condition arguments to "and" is 2.',
    );
  });

  it('rejects a condition resolving to a non-boolean', () => {
    const err = heatErrorOf(() =>
      define(
        'heat_template_version: 2021-04-16\nparameters:\n  p: {type: string, default: abc}\nconditions:\n  c: {get_param: p}\nresources:\n  v: {type: OS::Heat::None, condition: c}\n',
      ),
    );
    expect(err.message).toBe('Condition validation error: : The definition of condition "c" is invalid: abc');
  });
});

describe('deletion policy', () => {
  it('normalises lower-case policies from 2016-10-14 and rejects unknown ones', () => {
    const def = define(
      'heat_template_version: 2021-04-16\nresources:\n  v: {type: OS::Heat::None, deletion_policy: retain}\n',
    );
    expect(def.resources.get('v')?.deletionPolicyValue).toBe('Retain');
    const err = heatErrorOf(() =>
      define(
        'heat_template_version: 2015-10-15\nresources:\n  v: {type: OS::Heat::None, deletion_policy: retain}\n',
      ),
    );
    expect(err.message).toBe('Invalid deletion policy "retain"');
    expect(err.position?.line).toBe(3);
  });
});

describe('dependencies', () => {
  it('computes requires from get_resource, get_attr and depends_on, and layers them', () => {
    const def = define(`heat_template_version: 2021-04-16
resources:
  a: {type: OS::Heat::None}
  b: {type: OS::Heat::Value, properties: {value: {get_resource: a}}}
  c: {type: OS::Heat::Value, properties: {value: {get_attr: [b, value]}}, depends_on: [a]}
  d: {type: OS::Heat::None}
`);
    expect([...(def.resources.get('c')?.requires ?? [])].sort()).toEqual(['a', 'b']);
    expect(dependencyOrder(def.resources)).toEqual([['a', 'd'], ['b'], ['c']]);
  });

  it('takes dependencies only from the branch an if selects', () => {
    const def = define(`heat_template_version: 2021-04-16
parameters:
  use_a: {type: boolean, default: false}
conditions:
  want_a: {get_param: use_a}
resources:
  a: {type: OS::Heat::None}
  b: {type: OS::Heat::Value, properties: {value: {if: [want_a, {get_resource: a}, none]}}}
  c: {type: OS::Heat::Value, properties: {value: {if: [want_a, none, {get_attr: [b, value]}]}}}
`);
    expect([...(def.resources.get('b')?.requires ?? [])]).toEqual([]);
    expect([...(def.resources.get('c')?.requires ?? [])]).toEqual(['b']);
    const t = def.template;
    const on = buildDefinition(t, contextFor(t, { use_a: true }));
    expect([...(on.resources.get('b')?.requires ?? [])]).toEqual(['a']);
    expect([...(on.resources.get('c')?.requires ?? [])]).toEqual([]);
  });

  it('drops edges to resources removed by their condition', () => {
    const def = define(`heat_template_version: 2021-04-16
resources:
  a: {type: OS::Heat::None, condition: false}
  b: {type: OS::Heat::None, depends_on: a}
`);
    expect(def.resources.get('b')?.requires.size).toBe(0);
    expect(validate(def)).toEqual([]);
  });

  it('reports a cycle listing the whole cycle with positions', () => {
    const def = define(`heat_template_version: 2021-04-16
resources:
  a: {type: OS::Heat::None, depends_on: c}
  b: {type: OS::Heat::None, depends_on: a}
  c: {type: OS::Heat::None, depends_on: b}
  free: {type: OS::Heat::None}
`);
    const problems = validate(def);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.type).toBe('CircularDependencyException');
    expect(problems[0]?.message).toBe('Circular Dependency Found: a -> c -> b -> a');
    expect(problems[0]?.position).toEqual({ file: 'template.yaml', line: 3, column: 3 });
    expect(problems[0]?.hint).toContain(
      'a (template.yaml:3:3) -> c (template.yaml:5:3) -> b (template.yaml:4:3)',
    );
  });

  it('reports depends_on an unknown resource', () => {
    const def = define(
      'heat_template_version: 2021-04-16\nresources:\n  a: {type: OS::Heat::None, depends_on: [ghost]}\n',
    );
    const problems = validate(def);
    expect(problems.map((p) => [p.type, p.message])).toEqual([
      ['InvalidTemplateReference', 'The specified reference "ghost" (in a) is incorrect.'],
    ]);
  });

  it('dependencyOrder reports requirements outside the map', () => {
    const err = heatErrorOf(() => dependencyOrder(new Map([['a', { requires: new Set(['x']) }]])));
    expect(err.type).toBe('InvalidTemplateReference');
  });
});

describe('validateDefinition', () => {
  it('rejects get_attr on a resource removed by its condition (case 162)', () => {
    const def = define(`heat_template_version: 2021-04-16
conditions:
  never: false
resources:
  a:
    type: OS::Heat::Value
    condition: never
    properties:
      value: a
  b:
    type: OS::Heat::Value
    properties:
      value: {get_attr: [a, value]}
`);
    const problems = validate(def);
    expect(problems.map((p) => p.type)).toEqual(['InvalidTemplateReference']);
    expect(problems[0]?.message).toContain(
      'The specified reference "a" (in b.Properties.value) is incorrect.',
    );
    expect(problems[0]?.position?.line).toBe(13);
  });

  it('reports outputs reading an absent resource as StackValidationFailed (case 168)', () => {
    const def = define(`heat_template_version: 2021-04-16
conditions:
  never: false
resources:
  a: {type: OS::Heat::Value, condition: never, properties: {value: a}}
outputs:
  a:
    value: {get_attr: [a, value]}
`);
    const problems = validate(def);
    expect(problems.map((p) => p.type)).toEqual(['StackValidationFailed']);
    expect(problems[0]?.message).toContain(
      'outputs.a.value.get_attr: : The specified reference "a" (in unknown) is incorrect.',
    );
  });

  it('reports an unknown attribute (case 016) and collects every problem', () => {
    const def = define(`heat_template_version: 2021-04-16
resources:
  v: {type: OS::Heat::Value, properties: {value: {get_resource: ghost}}}
outputs:
  bad: {value: {get_attr: [v, nosuch]}}
`);
    const problems = validate(def);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('The specified reference "ghost" (in v.Properties.value) is incorrect.'),
      expect.stringContaining(
        'outputs.bad.value.get_attr: : The Referenced Attribute (v nosuch) is incorrect.',
      ),
    ]);
  });

  it('does not validate the branch of if that is not taken (case 090)', () => {
    const def = define(`heat_template_version: 2021-04-16
conditions:
  never: false
resources:
  v:
    type: OS::Heat::Value
    properties:
      value: {if: [never, {get_resource: does_not_exist}, fine]}
`);
    expect(validate(def)).toEqual([]);
    expect(resolveValue(def.resources.get('v')?.properties, def.context)).toEqual({ value: 'fine' });
  });
});

describe('problems carry positions', () => {
  it('locates every collected problem', () => {
    const err = heatErrorOf(() =>
      loadTemplate(
        'heat_template_version: 2021-04-16\nresources:\n  a: {type: OS::Heat::None, bogus: 1}\noutput: {}\n',
      ),
    );
    expect(problemsOf(err).map((p) => `${p.position?.line}:${p.position?.column}`)).toEqual(['4:1', '3:29']);
  });
});

describe('resolveOutput', () => {
  it('gives null for a disabled output and for a false two-argument if at the top (case 092)', () => {
    const def = define(`heat_template_version: 2021-04-16
conditions:
  never: false
outputs:
  gone: {value: {if: [never, something]}}
  kept: {value: {if: [true, something]}}
  off: {condition: never, value: 1}
`);
    expect(resolveOutput(def, 'gone')).toBeNull();
    expect(resolveOutput(def, 'kept')).toBe('something');
    expect(resolveOutput(def, 'off')).toBeNull();
  });
});
