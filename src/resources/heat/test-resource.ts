/**
 * OS::Heat::TestResource — Heat's test double: stores `value` (attribute `output`), can fail (`fail`), wait
 * (`wait_secs`, per action `action_wait_secs`), or ask for replacement when `value` changes (`update_replace`).
 * Failures read `ValueError: resources.<name>: Test Resource failed <name>` once the engine renders them.
 */
import {
  UpdateReplace,
  type ActionContext,
  type Properties,
  type ResourcePlugin,
  type UpdateRequest,
} from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf, SHOW_ATTRIBUTE, waitSeconds } from '../support/common.js';
import { PythonError } from '../support/errors.js';

type WaitAction = 'create' | 'update' | 'delete';

/** `_wait_secs`: the per-action wait when `action_wait_secs` is a non-empty map with that key, else `wait_secs`. */
function waitSecsFor(properties: Properties, action: WaitAction): number {
  const perAction = properties['action_wait_secs'];
  let secs: unknown = null;
  if (perAction && typeof perAction === 'object' && Object.keys(perAction).length > 0) {
    secs = (perAction as Record<string, unknown>)[action] ?? null;
  }
  if (secs === null) secs = properties['wait_secs'];
  return typeof secs === 'number' ? secs : Number(secs ?? 0) || 0;
}

/** Waits as Heat's `_check_status_complete`, then fails when `fail` is set (except on delete). */
async function finish(
  ctx: ActionContext,
  properties: Properties,
  action: WaitAction,
  secs: number,
): Promise<void> {
  await waitSeconds(ctx, secs);
  if (properties['fail'] === true && action !== 'delete') {
    throw new PythonError('ValueError', `Test Resource failed ${ctx.state.name}`);
  }
}

function valueChangeReplaces(request: UpdateRequest): boolean {
  return request.changed.includes('value') && request.newProperties['update_replace'] === true;
}

/** The OS::Heat::TestResource plugin. */
export const testResource: ResourcePlugin = {
  type: 'OS::Heat::TestResource',
  distributable: true,
  description: 'A resource which stores the string value that was provided.',
  supportStatus: { status: 'SUPPORTED', version: '5.0.0' },
  properties: {
    constraint_prop_secs: {
      type: 'number',
      description: 'Number value for delay during resolve constraint.',
      default: 0,
      updateAllowed: true,
      constraints: [{ kind: 'custom', name: 'test_constr' }],
    },
    attr_wait_secs: {
      type: 'number',
      description: 'Number value for timeout during resolving output value.',
      default: 0,
      updateAllowed: true,
    },
    value: {
      type: 'string',
      description: 'The input string to be stored.',
      default: 'test_string',
      updateAllowed: true,
    },
    update_replace_value: {
      type: 'string',
      description: 'Some value that can be stored but can not be updated.',
    },
    fail: {
      type: 'boolean',
      description: 'Value which can be set to fail the resource operation to test failure scenarios.',
      updateAllowed: true,
      default: false,
    },
    update_replace: {
      type: 'boolean',
      description: 'Value which can be set to trigger update replace for the particular resource.',
      updateAllowed: true,
      default: false,
    },
    wait_secs: {
      type: 'number',
      description: 'Seconds to wait after an action (-1 is infinite).',
      updateAllowed: true,
      default: 0,
    },
    action_wait_secs: {
      type: 'map',
      description: 'Options for simulating waiting.',
      updateAllowed: true,
      schema: {
        create: {
          type: 'number',
          description: 'Seconds to wait after a create. Defaults to the global wait_secs.',
          updateAllowed: true,
        },
        update: {
          type: 'number',
          description: 'Seconds to wait after an update. Defaults to the global wait_secs.',
          updateAllowed: true,
        },
        delete: {
          type: 'number',
          description: 'Seconds to wait after a delete. Defaults to the global wait_secs.',
          updateAllowed: true,
        },
      },
    },
    client_name: { type: 'string', description: 'Client to poll.', default: '', updateAllowed: true },
    entity_name: { type: 'string', description: 'Client entity to poll.', default: '', updateAllowed: true },
  },
  attributes: {
    output: {
      description: 'The string that was stored. This value is also available by referencing the resource.',
    },
  },

  async create(properties, ctx) {
    if (properties['fail'] !== true) {
      const value = properties['value'] ?? null;
      const physicalId = physicalNameOf(ctx);
      await ctx.saveData({ ...ctx.state.data, value });
      await ctx.savePhysicalId(physicalId);
      await finish(ctx, properties, 'create', waitSecsFor(properties, 'create'));
      return { physicalId, data: { ...ctx.state.data, value }, attributes: { output: value } };
    }
    await finish(ctx, properties, 'create', waitSecsFor(properties, 'create'));
    return {};
  },

  needsReplace(request) {
    return valueChangeReplaces(request);
  },

  async update(request, ctx) {
    if (valueChangeReplaces(request)) throw new UpdateReplace(ctx.state.name);
    const props = request.newProperties;
    const value = request.changed.includes('value') ? props['value'] : undefined;
    let data = ctx.state.data;
    let secs = 0;
    // Heat stores a changed value only when it is non-empty, and only waits for such a change.
    if (typeof value === 'string' && value !== '') {
      if (props['fail'] !== true) {
        data = { ...data, value };
        await ctx.saveData(data);
      }
      secs = waitSecsFor(props, 'update');
    }
    await finish(ctx, props, 'update', secs);
    return { data, attributes: { output: data['value'] ?? null } };
  },

  async delete(ctx) {
    const props = ctx.state.properties ?? {};
    await finish(ctx, props, 'delete', waitSecsFor(props, 'delete'));
  },

  // No check handler: Heat 19's TestResource has none (stack check reports "CHECK not supported for …").

  referenceId: defaultReferenceId,

  attribute(state, name, path) {
    if (name !== 'output') return null;
    return selectFromAttribute(state.data['value'] ?? null, path);
  },

  hasAttribute(name) {
    return name === 'output' || name === SHOW_ATTRIBUTE;
  },
};
