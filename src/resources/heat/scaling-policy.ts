/**
 * OS::Heat::ScalingPolicy — a webhook that scales an OS::Heat::AutoScalingGroup (Heat's `AutoScalingPolicy`).
 *
 * `signal_url` (and `alarm_url`, the same URL here: Hearth has no CFN API) is the policy's signal endpoint.
 * A signal (any body: Aodh alarm notifications, `{}` …) finds the group from `auto_scaling_group_id` (its
 * `get_resource` value, or its name) and asks it, through the engine's sibling signal, to apply
 * `scaling_adjustment` of `adjustment_type` (with `min_adjustment_step`, and this policy's `cooldown` if set).
 */
import { HeatError } from '../../template/errors.js';
import type { ResourcePlugin, ResourceState } from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf, SHOW_ATTRIBUTE } from '../support/common.js';
import { ADJUSTMENT_TYPES } from '../support/scaling.js';
import { ADJUST_SIGNAL_KEY, type Adjustment } from './autoscaling-group.js';

const URL_KEY = 'heat_signal_url';

function signalUrl(state: Readonly<ResourceState>): string | null {
  if (state.physicalId === null) return null;
  const url = state.data[URL_KEY];
  return typeof url === 'string' ? url : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The OS::Heat::ScalingPolicy plugin. */
export const scalingPolicyResource: ResourcePlugin = {
  type: 'OS::Heat::ScalingPolicy',
  description: 'A resource to manage scaling of `OS::Heat::AutoScalingGroup`.',
  supportStatus: { status: 'SUPPORTED' },
  properties: {
    auto_scaling_group_id: {
      type: 'string',
      description: 'AutoScaling group ID to apply policy to.',
      required: true,
    },
    scaling_adjustment: {
      type: 'number',
      description: 'Size of adjustment.',
      required: true,
      updateAllowed: true,
    },
    adjustment_type: {
      type: 'string',
      description: 'Type of adjustment (absolute or percentage).',
      required: true,
      constraints: [{ kind: 'allowed_values', values: ADJUSTMENT_TYPES }],
      updateAllowed: true,
    },
    cooldown: { type: 'number', description: 'Cooldown period, in seconds.', updateAllowed: true },
    min_adjustment_step: {
      type: 'integer',
      description:
        'Minimum number of resources that are added or removed when the AutoScaling group scales up or ' +
        'down. This can be used only when specifying percent_change_in_capacity for the adjustment_type ' +
        'property.',
      constraints: [{ kind: 'range', min: 0 }],
      updateAllowed: true,
    },
  },
  attributes: {
    alarm_url: { description: 'A signed url to handle the alarm.', type: 'string' },
    signal_url: { description: 'A url to handle the alarm using native API.', type: 'string' },
  },

  validate(properties) {
    const type = properties['adjustment_type'];
    const step = properties['min_adjustment_step'];
    if (type !== null && type !== 'percent_change_in_capacity' && step !== null && step !== undefined) {
      throw new HeatError(
        'StackValidationFailed',
        'min_adjustment_step property should only be specified for adjustment_type with value percent_change_in_capacity.',
      );
    }
  },

  async create(_properties, ctx) {
    return { physicalId: physicalNameOf(ctx), data: { [URL_KEY]: ctx.signalEndpoint().url } };
  },

  async update() {
    return {};
  },

  async delete() {},

  async signal(_details, ctx) {
    const properties = ctx.state.properties ?? {};
    const groupRef = String(properties['auto_scaling_group_id'] ?? '');
    const group = await ctx.readResource(groupRef);
    if (!group) {
      throw new HeatError(
        'NotFound',
        `Alarm ${ctx.state.name} could not find scaling group named "${groupRef}"`,
      );
    }
    if (!ctx.signalResource) {
      throw new HeatError('NotSupported', 'Scaling signals are only handled outside stack actions.');
    }
    const adjustment: Adjustment = {
      adjustment: num(properties['scaling_adjustment']) ?? 0,
      adjustment_type: String(properties['adjustment_type']),
      min_adjustment_step: num(properties['min_adjustment_step']),
      cooldown: num(properties['cooldown']),
    };
    await ctx.signalResource(group.name, { [ADJUST_SIGNAL_KEY]: adjustment });
  },

  referenceId: defaultReferenceId,

  attribute(state, name, path) {
    if (name !== 'signal_url' && name !== 'alarm_url') return null;
    return selectFromAttribute(signalUrl(state), path);
  },

  hasAttribute(name) {
    return name === 'signal_url' || name === 'alarm_url' || name === SHOW_ATTRIBUTE;
  },
};
