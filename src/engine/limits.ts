/** Engine limits, with Heat's defaults (heat.conf). */
export interface EngineLimits {
  /** Resources in a whole stack tree (`max_resources_per_stack`); -1 = unlimited. */
  maxResourcesPerStack: number;
  /** Nesting depth (`max_nested_stack_depth`). */
  maxNestedDepth: number;
  /** Events kept per stack (`max_events_per_stack`). */
  maxEventsPerStack: number;
  /** Default stack timeout in minutes (`stack_action_timeout` / 60). */
  defaultTimeoutMins: number;
  /** Template size in bytes (`max_template_size`). */
  maxTemplateSize: number;
  /** Stacks per project (`max_stacks_per_tenant`). */
  maxStacksPerProject: number;
}

/** Heat's defaults. */
export const DEFAULT_LIMITS: EngineLimits = {
  maxResourcesPerStack: 1000,
  maxNestedDepth: 5,
  maxEventsPerStack: 1000,
  defaultTimeoutMins: 60,
  maxTemplateSize: 524_288,
  maxStacksPerProject: 512,
};
