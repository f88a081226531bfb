/**
 * Static validation of a stack definition: every function's own checks (get_resource/get_attr targets among the
 * enabled resources, attribute names, argument shapes …), depends_on targets, and the dependency cycle check.
 * Every problem is returned (not only the first), each with its path and source position. Property schemas are the
 * engine's business.
 */
import { HeatError, formatPath, type Path } from './errors.js';
import { IntrinsicFunction, isPlainMap, type ValidateContext } from './functions/function.js';
import type { StackDefinition } from './definition.js';
import { dependencyOrder } from './graph.js';
import { withConditions } from './conditions.js';
import { asHeatErrors } from './sections/guard.js';
import type { SourceDocument } from './source.js';
import { locateProblem, locateProblems, positionIn } from './sections/positions.js';

/** Validates `def`; `ctx` supplies resource handles (attribute names) and files. */
export function validateDefinition(def: StackDefinition, ctx: ValidateContext): HeatError[] {
  const vctx = definitionValidateContext(def, ctx);
  const doc = def.template.doc;
  const problems: HeatError[] = [];

  for (const [name, r] of def.resources) {
    for (const [value] of [
      [r.properties],
      [r.metadata],
      [r.updatePolicy],
      [r.deletionPolicy],
      [r.externalId],
    ]) {
      problems.push(...validateFunctions(value, vctx, r.path, doc));
    }
    for (const dep of r.dependsOn) {
      if (!def.template.resources.has(dep)) {
        problems.push(
          new HeatError(
            'InvalidTemplateReference',
            `The specified reference "${dep}" (in ${name}) is incorrect.`,
            {
              path: [...r.path, 'depends_on'],
              hint: `resources are: ${[...def.template.resources.keys()].join(', ')}`,
            },
          ),
        );
      }
    }
  }

  try {
    dependencyOrder(def.resources, { positionOf: (p) => positionIn(def.template.doc, p) });
  } catch (e) {
    // An unknown depends_on is reported above; dependencyOrder only sees enabled names, so this is a cycle.
    problems.push(...asHeatErrors(e, ['resources']));
  }

  for (const output of def.outputs.values()) {
    if (!output.enabled) continue;
    problems.push(...validateFunctions(output.value, vctx, [...output.path, 'value'], doc, asOutputProblem));
  }
  return locateProblems(problems, def.template.doc);
}

/**
 * The ValidateContext seen by functions: only enabled resources exist, and `resolver` (for `if` to validate only
 * the branch it takes) answers conditions from the definition.
 */
export function definitionValidateContext(def: StackDefinition, ctx: ValidateContext): ValidateContext {
  const resolver = ctx.resolver
    ? withConditions(ctx.resolver, (name) => def.context.condition(name))
    : def.context;
  return {
    hasResource: (name) => def.resources.has(name),
    resource: (name) => (def.resources.has(name) ? ctx.resource(name) : undefined),
    hasCondition: (name) => def.template.conditions.has(name),
    file: (key) => ctx.file(key),
    resolver,
  };
}

/** Runs `validate` on every outermost function node in `value`, collecting every problem. */
function validateFunctions(
  value: unknown,
  ctx: ValidateContext,
  path: Path,
  doc: SourceDocument,
  convert: (problem: HeatError, fnPath: Path) => HeatError = (p) => p,
): HeatError[] {
  const problems: HeatError[] = [];
  const walk = (v: unknown, at: Path): void => {
    if (v instanceof IntrinsicFunction) {
      try {
        v.validate(ctx);
      } catch (e) {
        // A problem without a path (e.g. InvalidTemplateReference) is still located at the call.
        problems.push(...asHeatErrors(e, v.path).map((p) => locateProblem(convert(p, v.path), doc, v.path)));
      }
    } else if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...at, i]));
    else if (isPlainMap(v)) for (const [k, item] of Object.entries(v)) walk(item, [...at, k]);
  };
  walk(value, path);
  return problems;
}

/**
 * Heat reports problems inside outputs as `StackValidationFailed` `outputs.<name>.value.<fn>: : <message>`, whatever
 * the function raised (e.g. the InvalidTemplateReference of get_attr on an absent resource, case 168).
 */
function asOutputProblem(problem: HeatError, fnPath: Path): HeatError {
  if (problem.type === 'StackValidationFailed') return problem;
  const path = problem.path ?? fnPath;
  const prefix = `${formatPath(path)}: : `;
  const message =
    path.length && !problem.message.startsWith(prefix) ? prefix + problem.message : problem.message;
  return new HeatError('StackValidationFailed', message, {
    path,
    position: problem.position,
    hint: problem.hint,
    cause: problem,
  });
}
