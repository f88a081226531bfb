/**
 * Batched changes of scaling groups (Heat's `heat.scaling.rolling_update` and `heat.scaling.template`): how
 * many members a group has after each batch and how many of them get the new definition, and which member
 * definitions the child template of one batch holds.
 */
import { jsonEqual } from '../../engine/records.js';

/** One batch: the group's size after it, and how many members may receive the new definition in it. */
export interface Batch {
  readonly capacity: number;
  readonly updates: number;
}

/** Heat's `needs_update`: whether more batches are needed. */
export function needsUpdate(target: number, current: number, upToDate: number): boolean {
  return !(upToDate >= current && current === target);
}

/** Heat's `next_batch`. */
export function nextBatch(
  target: number,
  current: number,
  upToDate: number,
  batchSize: number,
  minInService: number,
): Batch {
  const effectiveMin = Math.min(minInService, target, current);
  const effectiveBatch = Math.min(batchSize, Math.max(target - upToDate, 0));
  const capacity = effectiveBatch + Math.max(Math.min(current, target - effectiveBatch), effectiveMin);
  return { capacity, updates: effectiveBatch };
}

/**
 * The batches of a group change. `style` picks how members created beyond the old size count as up to date:
 * `resource-group` (ResourceGroup `_get_batches`) or `instance-group` (InstanceGroup / AutoScalingGroup).
 */
export function batches(
  target: number,
  current: number,
  batchSize: number,
  minInService: number,
  style: 'resource-group' | 'instance-group',
): Batch[] {
  const out: Batch[] = [];
  let upToDate = 0;
  let cap = current;
  while (needsUpdate(target, cap, upToDate)) {
    const b = nextBatch(target, cap, upToDate, batchSize, minInService);
    out.push(b);
    upToDate +=
      style === 'resource-group' ? b.updates - Math.max(b.capacity - Math.max(cap, target), 0) : b.updates;
    cap = b.capacity;
    if (out.length > 10_000) throw new Error('rolling update does not converge');
  }
  return out;
}

/** A member name with its resource definition (a HOT resource snippet). */
export type MemberDefinition = readonly [name: string, definition: Record<string, unknown>];

/**
 * Heat's `member_definitions`: the members of the next child template. `old` lists existing members in the
 * order they should be replaced or removed (first = first to go); members are added or dropped to reach
 * `size`; at most `numNew` members (new ones included) get the new definition.
 */
export function memberDefinitions(
  old: readonly MemberDefinition[],
  newDefinition: (name: string) => Record<string, unknown>,
  size: number,
  numNew: number,
  nextName: () => string,
): MemberDefinition[] {
  const kept = size > 0 ? old.slice(-size) : [];
  const numCreate = size - kept.length;
  let numReplace = numNew - numCreate;
  const out: MemberDefinition[] = [];
  for (let i = 0; i < size; i++) {
    const existing = kept[i];
    if (existing) {
      const [name, oldDef] = existing;
      const wanted = newDefinition(name);
      if (!jsonEqual(oldDef, wanted) && numReplace > 0) {
        numReplace--;
        out.push([name, wanted]);
      } else out.push([name, oldDef]);
    } else {
      const name = nextName();
      out.push([name, newDefinition(name)]);
    }
  }
  return out;
}
