/**
 * OS::Heat::Delay — pauses during the chosen `actions` (CREATE by default; also DELETE, SUSPEND, RESUME) for
 * `min_wait` seconds plus a random jitter in `[0, max_jitter × jitter_multiplier)` (Heat's `Delay`).
 *
 * Its properties are update_allowed, but Heat's Delay has no in-place update (the base `handle_update` asks for
 * replacement on any property change), so it has no `update`: a change replaces it.
 */
import type { ActionContext, Properties, ResourcePlugin } from '../../engine/plugin.js';
import { defaultReferenceId, SHOW_ATTRIBUTE } from '../support/common.js';

const DELAY_ACTIONS = ['CREATE', 'DELETE', 'SUSPEND', 'RESUME'];

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** The wait for `action`, in seconds (`random` in [0, 1)); 0 when the action is not listed. */
export function delaySeconds(
  properties: Properties,
  action: string,
  random: () => number = Math.random,
): number {
  const actions = Array.isArray(properties['actions']) ? properties['actions'] : ['CREATE'];
  if (!actions.includes(action)) return 0;
  const minWait = num(properties['min_wait'], 0);
  const maxJitter = num(properties['max_jitter'], 0) * num(properties['jitter_multiplier'], 1);
  return minWait + maxJitter * random();
}

async function pause(ctx: ActionContext, properties: Properties | null, action: string): Promise<void> {
  const secs = delaySeconds(properties ?? {}, action);
  if (secs > 0) await ctx.sleep(secs * 1000);
}

/** The OS::Heat::Delay plugin. */
export const delayResource: ResourcePlugin = {
  type: 'OS::Heat::Delay',
  description: 'A resource that pauses for a configurable delay.',
  supportStatus: { status: 'SUPPORTED', version: '11.0.0' },
  properties: {
    min_wait: {
      type: 'number',
      description: 'Minimum time in seconds to wait during the specified actions.',
      default: 0,
      updateAllowed: true,
      constraints: [{ kind: 'range', min: 0 }],
    },
    max_jitter: {
      type: 'number',
      description: 'Maximum jitter to add to the minimum wait time.',
      default: 0,
      updateAllowed: true,
      constraints: [{ kind: 'range', min: 0 }],
    },
    jitter_multiplier: {
      type: 'number',
      description: 'Number of seconds to multiply the maximum jitter value by.',
      default: 1.0,
      updateAllowed: true,
      constraints: [{ kind: 'range', min: 0 }],
    },
    actions: {
      type: 'list',
      description: 'Actions during which the delay will occur.',
      default: ['CREATE'],
      updateAllowed: true,
      constraints: [{ kind: 'allowed_values', values: DELAY_ACTIONS }],
    },
  },
  attributes: {},

  async create(properties, ctx) {
    // Like Heat's Delay, no physical id: its reference is its name.
    await pause(ctx, properties, 'CREATE');
    return {};
  },

  async delete(ctx) {
    await pause(ctx, ctx.state.properties, 'DELETE');
  },

  async suspend(ctx) {
    await pause(ctx, ctx.state.properties, 'SUSPEND');
  },

  async resume(ctx) {
    await pause(ctx, ctx.state.properties, 'RESUME');
  },

  referenceId: defaultReferenceId,

  hasAttribute(name) {
    return name === SHOW_ATTRIBUTE;
  },
};
