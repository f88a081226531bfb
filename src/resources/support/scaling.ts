/**
 * Autoscaling arithmetic and cooldown (Heat's `heat.scaling.scalingutil` and `heat.scaling.cooldown`).
 */

/** Heat's adjustment types (HOT names). */
export const ADJUSTMENT_TYPES = [
  'change_in_capacity',
  'exact_capacity',
  'percent_change_in_capacity',
] as const;

/** One of {@link ADJUSTMENT_TYPES}, or the CFN names Heat also accepts. */
export type AdjustmentType = string;

/**
 * Heat's `calculate_new_capacity`: applies an adjustment to `current` and keeps the result within
 * `[minimum, maximum]`. A percent change below one member still moves one member (rounded away from zero);
 * `minAdjustmentStep` raises a smaller percent change to that many members.
 */
export function calculateNewCapacity(
  current: number,
  adjustment: number,
  adjustmentType: AdjustmentType,
  minAdjustmentStep: number | null | undefined,
  minimum: number,
  maximum: number,
): number {
  let capacity: number;
  if (adjustmentType === 'change_in_capacity' || adjustmentType === 'ChangeInCapacity') {
    capacity = current + adjustment;
  } else if (adjustmentType === 'exact_capacity' || adjustmentType === 'ExactCapacity') {
    capacity = adjustment;
  } else {
    const delta = (current * adjustment) / 100.0;
    let rounded: number;
    if (Math.abs(delta) < 1.0) rounded = delta > 0 ? Math.ceil(delta) : Math.floor(delta);
    else rounded = delta > 0 ? Math.floor(delta) : Math.ceil(delta);
    if (minAdjustmentStep && minAdjustmentStep > Math.abs(rounded)) {
      rounded = rounded > 0 ? minAdjustmentStep : -minAdjustmentStep;
    }
    capacity = current + rounded;
  }
  if (capacity > maximum) return maximum;
  if (capacity < minimum) return minimum;
  return capacity;
}

/** Heat's `_sanitize_cooldown`: null → 0, never negative. */
export function sanitizeCooldown(cooldown: number | null | undefined): number {
  return cooldown === null || cooldown === undefined ? 0 : Math.max(0, cooldown);
}

/** When a cooldown that starts `now` ends (ISO), never earlier than an `existing` end. */
export function cooldownEnd(now: Date, cooldownSecs: number, existing?: unknown): string {
  const end = new Date(now.getTime() + sanitizeCooldown(cooldownSecs) * 1000).toISOString();
  return typeof existing === 'string' && existing > end ? existing : end;
}

/** Heat's NoActionRequired text: "The resource <name> could not perform scaling action: <reason>". */
export function noScalingMessage(resourceName: string, reason: string): string {
  return `The resource ${resourceName} could not perform scaling action: ${reason}`;
}
