/** Engine limits, with Heat's defaults (heat.conf). */
export interface EngineLimits {
  /** Resources in a whole stack tree (`max_resources_per_stack`); -1 = unlimited. */
  maxResourcesPerStack: number;
  /** Nesting depth (`max_nested_stack_depth`). */
  maxNestedDepth: number;
  /** Events kept per stack (`max_events_per_stack`); 0 = unlimited. */
  maxEventsPerStack: number;
  /** Events purged at a time once a stack has too many (`event_purge_batch_size`). */
  eventPurgeBatchSize: number;
  /** Default stack timeout in minutes (`stack_action_timeout` / 60). */
  defaultTimeoutMins: number;
  /** Template size in bytes (`max_template_size`). */
  maxTemplateSize: number;
  /** Stacks per project (`max_stacks_per_tenant`); admins are exempt; -1 = unlimited. */
  maxStacksPerProject: number;
}

/** Heat's defaults. */
export const DEFAULT_LIMITS: EngineLimits = {
  maxResourcesPerStack: 1000,
  maxNestedDepth: 5,
  maxEventsPerStack: 1000,
  eventPurgeBatchSize: 200,
  defaultTimeoutMins: 60,
  maxTemplateSize: 524_288,
  maxStacksPerProject: 512,
};

/** The part of the persistence port the event purge needs. */
interface EventPurger {
  purgeEvents(stackId: string, keep: number, batchSize?: number): Promise<void>;
}

/**
 * Heat's event cap, applied when a stack action ends: once a stack has more than `maxEventsPerStack` events, the
 * oldest go in batches of `eventPurgeBatchSize` (never larger than the cap itself, so a small cap keeps recent
 * history); a cap of 0 (or less) keeps every event.
 */
export async function purgeStackEvents(
  store: EventPurger,
  stackId: string,
  limits: EngineLimits,
): Promise<void> {
  const cap = limits.maxEventsPerStack;
  if (cap <= 0) return;
  await store.purgeEvents(stackId, cap, Math.max(1, Math.min(limits.eventPurgeBatchSize, cap)));
}
