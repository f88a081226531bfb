/**
 * Environments: parsing (`format`), merging `environment_files` (`merge`), the resource registry
 * (`registry`), hooks and restricted actions (`hooks`), nested-stack environments (`child`).
 */
export {
  ENVIRONMENT_SECTIONS,
  buildEnvironment,
  emptyEnvironment,
  environmentFromJSON,
  environmentToJSON,
  parseEnvironment,
  parseEnvironmentDocument,
  userEnvironmentToJSON,
  type BuildEnvironmentOptions,
  type Environment,
  type EnvironmentDocument,
  type EnvironmentErrorStyle,
  type EnvironmentSection,
} from './format.js';
export {
  MERGE_STRATEGIES,
  mergeEnvironments,
  mergeTypeOf,
  type MergeEnvironmentsInput,
  type MergeParameterType,
  type MergeStrategy,
} from './merge.js';
export {
  DEFAULT_GLOBAL_REGISTRY_ENTRIES,
  ResourceRegistry,
  globalRegistry,
  type RegistryLoadOptions,
  type ResolveOptions,
  type ResolvedResourceType,
  type ResourceRegistryOptions,
} from './registry.js';
export {
  HOOK_TYPES,
  RESTRICTED_ACTIONS,
  isHookType,
  isRestrictedAction,
  type HookType,
  type RestrictedAction,
} from './hooks.js';
export { childEnvironment, type ChildEnvironmentOptions } from './child.js';
