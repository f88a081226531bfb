/**
 * OS::Heat::AutoScalingGroup — `resource` (a HOT resource definition) scaled between `min_size` and
 * `max_size` in a child stack (Heat's `AutoScalingResourceGroup`).
 *
 * Members get random 12-character names, kept in creation order; shrinking removes the oldest (failed ones
 * first). Create starts `desired_capacity` (else `min_size`) members. A change of `resource` rolls through the
 * members as Heat does (`rolling_updates`: batches of `max_batch_size`, `min_in_service` kept, `pause_time`
 * between batches), then the group is resized to `desired_capacity` (or its current size) within the bounds.
 *
 * Scaling: OS::Heat::ScalingPolicy delivers `{"hearth:adjust": {adjustment, adjustment_type,
 * min_adjustment_step, cooldown}}` through the engine's sibling signal; the group resizes its child unless it
 * is not COMPLETE, the size would not change, or it is in cooldown (then an event says why and nothing
 * happens). Any other signal body is refused as Heat refuses signals to a group.
 *
 * Crash safety: the child template is saved before every child action, and the names of members an
 * interrupted action was creating are reused on retry, so nothing is created twice.
 */
import { randomUUID } from 'node:crypto';
import { HeatError } from '../../template/errors.js';
import { shortId } from '../../engine/physical-name.js';
import type {
  ActionContext,
  ActionResult,
  NestedMember,
  NestedStackResult,
  Properties,
  ResourcePlugin,
  ResourceState,
} from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId } from '../support/common.js';
import { invalidAttribute } from '../support/errors.js';
import { failIfNestedFailed } from '../support/nested-action.js';
import {
  memberAttribute,
  memberNotFound,
  readMembers,
  snapshotMembers,
  splitMax,
} from '../support/nested-snapshot.js';
import { batches, memberDefinitions, type MemberDefinition } from '../support/rolling-update.js';
import { calculateNewCapacity, cooldownEnd, noScalingMessage, sanitizeCooldown } from '../support/scaling.js';

const TEMPLATE_KEY = 'child_template';
const MEMBERS_KEY = 'members';
const NAMES_KEY = 'names';
const COOLDOWN_END_KEY = 'cooldown_end';
/** The signal body key ScalingPolicy uses. */
export const ADJUST_SIGNAL_KEY = 'hearth:adjust';

/** What a scaling policy asks of its group. */
export interface Adjustment {
  readonly adjustment: number;
  readonly adjustment_type: string;
  readonly min_adjustment_step?: number | null;
  readonly cooldown?: number | null;
}

const ASG_ATTRIBUTES = ['outputs', 'outputs_list', 'current_size', 'refs', 'refs_map'];

function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The member definition (the `resource` property). */
function memberDefinition(properties: Properties): Record<string, unknown> {
  const r = properties['resource'];
  return r && typeof r === 'object' ? (r as Record<string, unknown>) : {};
}

function storedDefinitions(data: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const t = data[TEMPLATE_KEY];
  const r = t && typeof t === 'object' ? (t as Record<string, unknown>)['resources'] : undefined;
  return r && typeof r === 'object' ? (r as Record<string, Record<string, unknown>>) : {};
}

/** Live members in Heat's order: failed first, then creation order (the order of the stored template). */
function orderedMembers(data: Record<string, unknown>, live: readonly NestedMember[]): NestedMember[] {
  const order = Object.keys(storedDefinitions(data));
  const pos = (n: string): number => {
    const i = order.indexOf(n);
    return i < 0 ? order.length : i;
  };
  return [...live].sort(
    (a, b) =>
      Number(a.status !== 'FAILED') - Number(b.status !== 'FAILED') ||
      pos(a.name) - pos(b.name) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * The child template for `size` members of which at most `numNew` get the current definition (Heat's
 * `_create_template`). New members reuse names an interrupted action had already chosen.
 */
export function scaledTemplate(
  properties: Properties,
  data: Record<string, unknown>,
  live: readonly NestedMember[],
  size: number,
  numNew: number,
  newName: () => string = () => shortId(randomUUID()),
): Record<string, unknown> {
  const stored = storedDefinitions(data);
  const wanted = memberDefinition(properties);
  const ordered = orderedMembers(data, live);
  const old: MemberDefinition[] = ordered.map((m) => [m.name, stored[m.name] ?? wanted] as const);
  const liveNames = new Set(live.map((m) => m.name));
  const pending = Object.keys(stored).filter((n) => !liveNames.has(n));
  const numCreate = Math.max(0, size - Math.min(old.length, size));
  const fresh = [...pending];
  while (fresh.length < numCreate) fresh.push(newName());
  const names = fresh.slice(0, numCreate).sort();
  let next = 0;
  const defs = memberDefinitions(
    old,
    () => wanted,
    size,
    numNew,
    () => names[next++] ?? newName(),
  );
  return { heat_template_version: '2015-04-30', resources: Object.fromEntries(defs) };
}

async function liveMembers(ctx: ActionContext): Promise<readonly NestedMember[]> {
  return (await ctx.nested.current())?.members ?? [];
}

/**
 * One action's view of the group's private data. (`ctx.state` is the state the action started with; the
 * template saved by each child action is tracked here.)
 */
class GroupSession {
  private data: Record<string, unknown>;

  constructor(private readonly ctx: ActionContext) {
    this.data = { ...ctx.state.data };
  }

  /** The child template for `size` members, at most `numNew` with the current definition. */
  async template(properties: Properties, size: number, numNew: number): Promise<Record<string, unknown>> {
    return scaledTemplate(properties, this.data, await liveMembers(this.ctx), size, numNew);
  }

  /** Saves the template, runs the child action and fails with Heat's nested reason if it failed. */
  async apply(action: string, template: Record<string, unknown>): Promise<NestedStackResult> {
    this.data = { ...this.data, [TEMPLATE_KEY]: template };
    await this.ctx.saveData({ [TEMPLATE_KEY]: template });
    const result = await this.ctx.nested.createOrUpdate({ template });
    await failIfNestedFailed(this.ctx, action, result, {
      [TEMPLATE_KEY]: template,
      [MEMBERS_KEY]: snapshotMembers(result.members),
    });
    return result;
  }

  /** Resizes the child to `size` members (no definition change for existing ones). */
  async resize(action: string, properties: Properties, size: number) {
    const template = await this.template(properties, size, 0);
    return { result: await this.apply(action, template), template };
  }

  /** Heat's `_replace`: rolls the current definition through the members in batches. */
  async rollingReplace(properties: Properties): Promise<void> {
    const policy = (properties['rolling_updates'] ?? {}) as Record<string, unknown>;
    const minInService = int(policy['min_in_service']) ?? 0;
    const batchSize = int(policy['max_batch_size']) ?? 1;
    const pause = int(policy['pause_time']) ?? 0;
    const capacity = (await liveMembers(this.ctx)).length;
    const target = Math.min(int(properties['desired_capacity']) || capacity, capacity);
    const steps = batches(target, capacity, batchSize, minInService, 'instance-group');
    for (const [i, step] of steps.entries()) {
      await this.apply('UPDATE', await this.template(properties, step.capacity, step.updates));
      if (i < steps.length - 1 && pause > 0) await this.ctx.sleep(pause * 1000);
    }
  }
}

/** The persisted outcome of a child action: member snapshot, names in order, and the static attributes. */
function outcome(
  result: NestedStackResult,
  template: Record<string, unknown>,
  extra: Record<string, unknown>,
): ActionResult {
  const order = Object.keys((template['resources'] ?? {}) as object);
  const byName = new Map(result.members.map((m) => [m.name, m]));
  const names = order.filter((n) => byName.has(n) && byName.get(n)!.status !== 'FAILED');
  const members = snapshotMembers(result.members);
  const refs = names.map((n) => members[n]?.ref ?? null);
  return {
    physicalId: result.stackId,
    data: { [TEMPLATE_KEY]: template, [MEMBERS_KEY]: members, [NAMES_KEY]: names, ...extra },
    attributes: {
      current_size: names.length,
      refs,
      refs_map: Object.fromEntries(names.map((n, i) => [n, refs[i]])),
    },
  };
}

function bounds(properties: Properties): { min: number; max: number } {
  return { min: int(properties['min_size']) ?? 0, max: int(properties['max_size']) ?? 0 };
}

function isAdjustSignal(details: unknown): details is Record<typeof ADJUST_SIGNAL_KEY, Adjustment> {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return false;
  const a = (details as Record<string, unknown>)[ADJUST_SIGNAL_KEY];
  return !!a && typeof a === 'object' && typeof (a as Adjustment).adjustment === 'number';
}

function nowIso(): string {
  return new Date().toISOString();
}

/** The OS::Heat::AutoScalingGroup plugin. */
export const autoScalingGroupResource: ResourcePlugin = {
  type: 'OS::Heat::AutoScalingGroup',
  description: 'An autoscaling group that can scale arbitrary resources.',
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },
  properties: {
    resource: {
      type: 'map',
      description:
        'Resource definition for the resources in the group, in HOT format. The value of this property is ' +
        'the definition of a resource just as if it had been declared in the template itself.',
      required: true,
      updateAllowed: true,
    },
    max_size: {
      type: 'integer',
      description: 'Maximum number of resources in the group.',
      required: true,
      updateAllowed: true,
      constraints: [{ kind: 'range', min: 0 }],
    },
    min_size: {
      type: 'integer',
      description: 'Minimum number of resources in the group.',
      required: true,
      updateAllowed: true,
      constraints: [{ kind: 'range', min: 0 }],
    },
    cooldown: { type: 'integer', description: 'Cooldown period, in seconds.', updateAllowed: true },
    desired_capacity: {
      type: 'integer',
      description: 'Desired initial number of resources.',
      updateAllowed: true,
    },
    rolling_updates: {
      type: 'map',
      description: 'Policy for rolling updates for this scaling group.',
      updateAllowed: true,
      schema: {
        min_in_service: {
          type: 'integer',
          description: 'The minimum number of resources in service while rolling updates are being executed.',
          constraints: [{ kind: 'range', min: 0 }],
          default: 0,
        },
        max_batch_size: {
          type: 'integer',
          description: 'The maximum number of resources to replace at once.',
          constraints: [{ kind: 'range', min: 1 }],
          default: 1,
        },
        pause_time: {
          type: 'number',
          description: 'The number of seconds to wait between batches of updates.',
          constraints: [{ kind: 'range', min: 0 }],
          default: 0,
        },
      },
      default: { min_in_service: 0, max_batch_size: 1, pause_time: 0 },
    },
  },
  attributes: {
    outputs: {
      description:
        'A map of resource names to the specified attribute of each individual resource that is part of the ' +
        'AutoScalingGroup. This map specifies output parameters that are available once the ' +
        'AutoScalingGroup has been instantiated.',
      type: 'map',
    },
    outputs_list: {
      description:
        'A list of the specified attribute of each individual resource that is part of the AutoScalingGroup. ' +
        'This list of attributes is available as an output once the AutoScalingGroup has been instantiated.',
      type: 'list',
    },
    current_size: { description: 'The current size of AutoscalingResourceGroup.', type: 'integer' },
    refs: { description: 'A list of resource IDs for the resources in the group.', type: 'list' },
    refs_map: { description: 'A map of resource names to IDs for the resources in the group.', type: 'map' },
  },
  alwaysUpdate: true,

  validate(properties) {
    const min = int(properties['min_size']);
    const max = int(properties['max_size']);
    if (min !== null && max !== null && max < min) {
      throw new HeatError('StackValidationFailed', 'MinSize can not be greater than MaxSize');
    }
    if (min !== null && min < 0) {
      throw new HeatError('StackValidationFailed', 'The size of AutoScalingGroup can not be less than zero');
    }
    const desired = int(properties['desired_capacity']);
    if (desired !== null && min !== null && max !== null && (desired < min || desired > max)) {
      throw new HeatError('StackValidationFailed', 'DesiredCapacity must be between MinSize and MaxSize');
    }
  },

  async create(properties, ctx) {
    const size = int(properties['desired_capacity']) || (int(properties['min_size']) ?? 0);
    const { result, template } = await new GroupSession(ctx).resize('CREATE', properties, size);
    const cooldown = sanitizeCooldown(int(properties['cooldown']));
    return outcome(result, template, { [COOLDOWN_END_KEY]: cooldownEnd(new Date(), cooldown) });
  },

  async update(request, ctx) {
    const properties = request.newProperties;
    const session = new GroupSession(ctx);
    if (request.changed.includes('resource')) await session.rollingReplace(properties);
    const capacity = (await liveMembers(ctx)).filter((m) => m.status !== 'FAILED').length;
    const desired = int(properties['desired_capacity']) || capacity;
    const { min, max } = bounds(properties);
    const size = calculateNewCapacity(capacity, desired, 'exact_capacity', null, min, max);
    const { result, template } = await session.resize('UPDATE', properties, size);
    const cooldown = sanitizeCooldown(int(properties['cooldown']));
    return outcome(result, template, {
      [COOLDOWN_END_KEY]: cooldownEnd(new Date(), cooldown, ctx.state.data[COOLDOWN_END_KEY]),
    });
  },

  async delete(ctx) {
    await ctx.nested.delete();
  },

  async signal(details, ctx) {
    if (!isAdjustSignal(details)) {
      throw new HeatError('ResourceActionNotSupported', 'signal is not supported for resource.');
    }
    const adjust = details[ADJUST_SIGNAL_KEY];
    const properties = ctx.state.properties ?? {};
    const name = ctx.state.name;
    const live = await liveMembers(ctx);
    const capacity = live.filter((m) => m.status !== 'FAILED').length;
    const { min, max } = bounds(properties);
    const size = calculateNewCapacity(
      capacity,
      adjust.adjustment,
      adjust.adjustment_type,
      adjust.min_adjustment_step,
      min,
      max,
    );
    // Heat's NoActionRequired without an event.
    if (size === capacity) return;
    const cooldown = adjust.cooldown ?? int(properties['cooldown']);
    const end = ctx.state.data[COOLDOWN_END_KEY];
    if (typeof end === 'string' && nowIso() < end) {
      await ctx.event(noScalingMessage(name, `due to cooldown, cooldown ${sanitizeCooldown(cooldown)}`));
      return;
    }
    const { result, template } = await new GroupSession(ctx).resize('UPDATE', properties, size);
    return outcome(result, template, {
      [COOLDOWN_END_KEY]: cooldownEnd(new Date(), sanitizeCooldown(cooldown), end),
    });
  },

  referenceId: defaultReferenceId,

  attribute(state, name, path) {
    const names = namesOf(state);
    const members = readMembers(state.data, MEMBERS_KEY);
    if (name === 'current_size') return names.length;
    if (name === 'refs')
      return selectFromAttribute(
        names.map((n) => members[n]?.ref ?? null),
        path,
      );
    if (name === 'refs_map') return Object.fromEntries(names.map((n) => [n, members[n]?.ref ?? null]));
    if ((name === 'outputs' || name === 'outputs_list') && path.length > 0) {
      const [attr, ...rest] = path;
      const values = names.map((n) => [n, memberAttribute(members, n, String(attr), rest)] as const);
      return name === 'outputs' ? Object.fromEntries(values) : values.map(([, v]) => v);
    }
    if (name.startsWith('resource.')) {
      const parts = splitMax(name, '.', 2);
      const index = Number(parts[1]);
      const member = Number.isInteger(index) && index >= 0 ? names[index] : undefined;
      if (member === undefined) throw memberNotFound(parts[1] ?? '', state.name);
      const full = [...parts.slice(2), ...path];
      if (full.length === 0) return members[member]?.ref ?? null;
      return memberAttribute(members, member, String(full[0]), full.slice(1));
    }
    throw invalidAttribute(state.name, name);
  },

  hasAttribute(name) {
    return ASG_ATTRIBUTES.includes(name) || name.startsWith('resource.');
  },
};

function namesOf(state: Readonly<ResourceState>): string[] {
  const v = state.data[NAMES_KEY];
  return Array.isArray(v) ? v.map(String) : [];
}
