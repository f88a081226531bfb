/**
 * OS::Heat::WaitCondition — waits (create, and update when `count` changes) until its handle received `count`
 * SUCCESS signals (Heat's `HeatWaitCondition`).
 *
 * The handle is found from the `handle` property (its `get_resource` value: the handle's physical id or name,
 * or for UpdateWaitConditionHandle its signal URL) with `ctx.readResource`, polled every
 * {@link POLL_INTERVAL_MS}. Any FAILURE signal fails the action with `WaitConditionFailure: <reasons>`; running
 * out of `timeout` seconds fails with `WaitConditionTimeout: <n> of <count> received[ - <reasons>]`.
 * Crash-safe: the start time is saved before waiting, so a resumed create keeps the original deadline and
 * sees the signals stored meanwhile. Attribute `data`: JSON string `{id: data}` of the signals.
 */
import type { ActionContext, Properties, ResourcePlugin, ResourceState } from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf, SHOW_ATTRIBUTE } from '../support/common.js';
import { PythonError } from '../support/errors.js';
import {
  handleSignals,
  isWaitConditionHandle,
  signalDataJson,
  type HandleSignal,
} from './wait-condition-handle.js';

/** How often the handle is read while waiting. */
export const POLL_INTERVAL_MS = 100;

const STARTED_AT_KEY = 'wait_started_at';
const STARTED_FOR_KEY = 'wait_started_for';

/** The handle name inside a signal URL (`…/resources/<name>/signal`), for UpdateWaitConditionHandle refs. */
function nameFromSignalUrl(ref: string): string | undefined {
  const m = /\/resources\/([^/]+)\/signal$/.exec(ref);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/** Heat's `resource_by_refid` for the handle: by name or physical id, else from a signal URL. */
async function findHandle(ctx: ActionContext, ref: string): Promise<Readonly<ResourceState> | undefined> {
  const direct = await ctx.readResource(ref);
  if (direct) return direct;
  const fromUrl = nameFromSignalUrl(ref);
  return fromUrl ? ctx.readResource(fromUrl) : undefined;
}

async function validHandle(ctx: ActionContext, ref: string): Promise<Readonly<ResourceState>> {
  const handle = await findHandle(ctx, ref);
  if (!handle || !isWaitConditionHandle(handle.type)) {
    throw new PythonError('ValueError', `${handle?.name ?? ref} is not a valid wait condition handle.`);
  }
  return handle;
}

function reasonsOf(signals: readonly HandleSignal[], status: HandleSignal['status']): string[] {
  return signals.filter((s) => s.status === status).map((s) => String(s.reason));
}

/** Heat's `WaitConditionTimeout` message. */
export function timeoutMessage(signals: readonly HandleSignal[], count: number): string {
  const reasons = reasonsOf(signals, 'SUCCESS');
  const head = `${reasons.length} of ${count} received`;
  return reasons.length > 0 ? `${head} - ${reasons.join(';')}` : head;
}

/**
 * Waits for the handle. Returns the signals once `count` arrived. @throws PythonError WaitConditionFailure /
 * WaitConditionTimeout
 */
async function waitForSignals(ctx: ActionContext, properties: Properties): Promise<HandleSignal[]> {
  const ref = String(properties['handle']);
  const count = typeof properties['count'] === 'number' ? properties['count'] : 1;
  const timeoutMs = Number(properties['timeout']) * 1000;
  const handle = await validHandle(ctx, ref);
  const startedFor = JSON.stringify(properties);
  let startedAt = Date.parse(String(ctx.state.data[STARTED_AT_KEY]));
  if (!Number.isFinite(startedAt) || ctx.state.data[STARTED_FOR_KEY] !== startedFor) {
    startedAt = Date.now();
    await ctx.saveData({
      [STARTED_AT_KEY]: new Date(startedAt).toISOString(),
      [STARTED_FOR_KEY]: startedFor,
    });
  }
  for (;;) {
    const fresh = (await ctx.readResource(handle.name)) ?? handle;
    const signals = handleSignals(fresh);
    if (Date.now() - startedAt > timeoutMs) {
      throw new PythonError('WaitConditionTimeout', timeoutMessage(signals, count));
    }
    if (signals.some((s) => s.status !== 'SUCCESS')) {
      throw new PythonError('WaitConditionFailure', reasonsOf(signals, 'FAILURE').join(';'));
    }
    if (signals.length >= count) return signals;
    await ctx.sleep(Math.min(POLL_INTERVAL_MS, Math.max(1, startedAt + timeoutMs - Date.now() + 1)));
  }
}

async function waitAndReport(ctx: ActionContext, properties: Properties) {
  const signals = await waitForSignals(ctx, properties);
  return {
    data: { [STARTED_AT_KEY]: null, [STARTED_FOR_KEY]: null },
    attributes: { data: signalDataJson(signals) },
  };
}

/** The OS::Heat::WaitCondition plugin. */
export const waitConditionResource: ResourcePlugin = {
  type: 'OS::Heat::WaitCondition',
  description: 'Resource for handling signals received by WaitConditionHandle.',
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },
  properties: {
    handle: {
      type: 'string',
      description: 'A reference to the wait condition handle used to signal this wait condition.',
      required: true,
    },
    timeout: {
      type: 'number',
      description: 'The number of seconds to wait for the correct number of signals to arrive.',
      required: true,
      constraints: [{ kind: 'range', min: 1, max: 43200 }],
    },
    count: {
      type: 'integer',
      description:
        'The number of success signals that must be received before the stack creation process continues.',
      default: 1,
      constraints: [{ kind: 'range', min: 1 }],
      updateAllowed: true,
    },
  },
  attributes: {
    data: {
      description: 'JSON string containing data associated with wait condition signals sent to the handle.',
      type: 'string',
    },
  },

  async create(properties, ctx) {
    if (ctx.state.physicalId === null) await ctx.savePhysicalId(physicalNameOf(ctx));
    return { physicalId: physicalNameOf(ctx), ...(await waitAndReport(ctx, properties)) };
  },

  async update(request, ctx) {
    return waitAndReport(ctx, request.newProperties);
  },

  async delete() {},

  referenceId: defaultReferenceId,

  attribute(state, name, path) {
    if (name !== 'data') return null;
    return selectFromAttribute(state.attributes['data'] ?? null, path);
  },

  hasAttribute(name) {
    return name === 'data' || name === SHOW_ATTRIBUTE;
  },
};
