/**
 * Test support: real templates through parseSource + Template.load, with a small ResolveContext over real
 * parameter values (the parameters module) and stand-in resource handles that know a few attribute names.
 */
import { HeatError } from '../errors.js';
import type { ResolveContext, ResourceHandle, ValidateContext } from '../functions/function.js';
import { resolveParameterValues } from '../parameters/index.js';
import { parseSource } from '../source.js';
import { Template } from '../template.js';

/** Loads YAML text as `template.yaml`. */
export function loadTemplate(text: string): Template {
  return Template.load(parseSource(text));
}

/** Runs `fn` and returns the HeatError it throws (fails when it throws nothing or something else). */
export function heatErrorOf(fn: () => unknown): HeatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HeatError) return e;
    throw e;
  }
  throw new Error('expected a HeatError');
}

/** A handle whose type has the attributes `attributes` (default: `value`, `show`). */
export function handle(
  name: string,
  type: string,
  attributes: readonly string[] = ['value', 'show'],
): ResourceHandle {
  return {
    name,
    type,
    referenceId: () => null,
    hasAttribute: (a) => attributes.includes(a),
    attributeNames: () => attributes,
    attribute: () => null,
    allAttributes: () => null,
  };
}

/** A validating ResolveContext for `t` with the given user parameters. */
export function contextFor(t: Template, user: Record<string, unknown> = {}): ResolveContext {
  const { values, problems } = resolveParameterValues(t.parameters, { user });
  if (problems.length > 0) throw problems[0];
  const identity = { stackId: 'stack-id', stackName: 'teststack', projectId: 'project-id' };
  const pseudo: Record<string, string> = {
    'OS::stack_id': identity.stackId,
    'OS::stack_name': identity.stackName,
    'OS::project_id': identity.projectId,
  };
  return {
    identity,
    validating: true,
    parameter(name) {
      if (values.has(name)) return values.get(name);
      if (name in pseudo) return pseudo[name];
      throw new HeatError('UserParameterMissing', `The Parameter (${name}) was not provided.`);
    },
    file: () => undefined,
    resource: (name) => {
      const r = t.resources.get(name);
      return r ? handle(name, r.type) : undefined;
    },
    condition: (name) => {
      throw new HeatError('StackValidationFailed', `condition ${name} asked outside a definition`);
    },
    facade: () => null,
  };
}

/** A ValidateContext whose resources have the attributes `value` and `show`. */
export function validateContextFor(t: Template): ValidateContext {
  return {
    hasResource: (name) => t.resources.has(name),
    resource: (name) => {
      const r = t.resources.get(name);
      return r ? handle(name, r.type) : undefined;
    },
    hasCondition: (name) => t.conditions.has(name),
    file: () => undefined,
  };
}
