/**
 * The environment of a nested stack (Heat's `get_child_environment`): the parent's user registry and
 * `parameter_defaults` flow down; `parameters` do not (the child gets its parameters from the owning
 * resource's properties); `resources:` is narrowed to what the owning resource's entries say about the
 * child's resources; a provider template's own registry entry is dropped so the template can use the type it
 * stands in for.
 */
import { buildEnvironment, environmentToJSON, type Environment } from './format.js';

/** Options of {@link childEnvironment}. */
export interface ChildEnvironmentOptions {
  /**
   * For a provider (template) resource: the registry path of the template entry it was resolved through
   * (`ResolvedResourceType.path`); that entry is removed from the child's registry.
   */
  templateEntryPath?: readonly string[];
  /** Parameters of the child stack (Heat's flat `child_params`). Default: none. */
  parameters?: Record<string, unknown>;
}

/**
 * The environment for the child stack of resource `ownerResourceName`.
 * @example registry `resources: {wrap: {inner: {hooks: pre-create}}}` → the child of `wrap` has
 *   `resources: {inner: {hooks: pre-create}}`.
 */
export function childEnvironment(
  parent: Environment,
  ownerResourceName: string,
  options: ChildEnvironmentOptions = {},
): Environment {
  const json = environmentToJSON(parent);
  const child = buildEnvironment({
    resource_registry: json.resource_registry,
    parameter_defaults: json.parameter_defaults,
    event_sinks: json.event_sinks,
    parameters: options.parameters ?? {},
  });
  if (options.templateEntryPath) child.resourceRegistry.removeTemplateEntry(options.templateEntryPath);
  child.resourceRegistry.scopeToResource(ownerResourceName);
  return child;
}
