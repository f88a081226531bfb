/**
 * The template layer's public surface: parsing sources, the template model, conditions, stack definitions, the
 * dependency graph and static validation.
 */
export * from './errors.js';
export * from './source.js';
export { Template, type OutputSource, type ResourceSource } from './template.js';
export { NO_OUTPUT_DESCRIPTION, NO_TEMPLATE_DESCRIPTION } from './sections/model.js';
export {
  ConditionResolver,
  InvalidConditionError,
  evaluateConditions,
  withConditions,
} from './conditions.js';
export {
  buildDefinition,
  referencedResources,
  resolveOutput,
  type DeletionPolicy,
  type OutputDefinition,
  type ResourceDefinition,
  type StackDefinition,
} from './definition.js';
export { dependencyOrder, type DependencyOrderOptions } from './graph.js';
export { validateDefinition, definitionValidateContext } from './validate.js';
export { collectWarnings, type WarningInput } from './warnings.js';
export { createParseContexts, type ParseContexts } from './sections/parse-context.js';
export { locateProblem, locateProblems } from './sections/positions.js';
export { acceptedVersionNames, resolveTemplateVersion } from './sections/version.js';
