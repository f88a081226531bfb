/**
 * OS::Heat::WaitConditionHandle and OS::Heat::UpdateWaitConditionHandle — the receiving end of wait condition
 * signals (Heat's `HeatWaitConditionHandle` / `UpdateWaitConditionHandle`).
 *
 * A signal (`POST …/resources/<handle>/signal`) is validated, normalised and stored in the handle's data as an
 * ordered list of entries (Heat keeps them in the resource metadata, keyed by id; an entry with an id already
 * received overwrites it in place). An OS::Heat::WaitCondition polls that list.
 *
 * - WaitConditionHandle: body `{status, reason, data, id}`, every key optional (status SUCCESS, reason
 *   `Signal N received`, data null, id N = number of signals so far + 1); extra keys or another status are
 *   refused. `signal_transport` TOKEN_SIGNAL (default) / HEAT_SIGNAL expose `endpoint`, `token`, `curl_cli` and
 *   `signal`; NO_SIGNAL exposes nothing (the API signal still works).
 * - UpdateWaitConditionHandle (the AWS handle): body `{Status, Reason, Data, UniqueId}`, all four required, a
 *   bare body is ignored; its reference is its signal URL; it is replaced on every stack update, so its
 *   signals start afresh.
 */
import { HeatError } from '../../template/errors.js';
import { pyJsonDumps, pyStr } from '../../template/functions/python.js';
import type { ActionContext, ResourcePlugin, ResourceState } from '../../engine/plugin.js';
import { selectFromAttribute } from '../support/attribute-path.js';
import { defaultReferenceId, physicalNameOf, SHOW_ATTRIBUTE } from '../support/common.js';

/** Type names of the wait condition handles. */
export const WAIT_CONDITION_HANDLE_TYPES = [
  'OS::Heat::WaitConditionHandle',
  'OS::Heat::UpdateWaitConditionHandle',
] as const;

/** One stored signal. */
export interface HandleSignal {
  readonly id: string;
  readonly status: 'SUCCESS' | 'FAILURE';
  readonly reason: unknown;
  readonly data: unknown;
}

const SIGNALS_KEY = 'signals';
const ENDPOINT_KEY = 'endpoint';
const TOKEN_KEY = 'token';
const WAIT_STATUSES = ['SUCCESS', 'FAILURE'];
const TRANSPORTS = [
  'CFN_SIGNAL',
  'TEMP_URL_SIGNAL',
  'HEAT_SIGNAL',
  'NO_SIGNAL',
  'ZAQAR_SIGNAL',
  'TOKEN_SIGNAL',
];
/** Transports Hearth serves (the others need Swift, Zaqar or the CFN API). */
const SERVED_TRANSPORTS = ['TOKEN_SIGNAL', 'HEAT_SIGNAL', 'NO_SIGNAL'];

/** The signals a handle received so far, in arrival order. */
export function handleSignals(state: Readonly<ResourceState>): HandleSignal[] {
  const v = state.data[SIGNALS_KEY];
  return Array.isArray(v) ? (v as HandleSignal[]) : [];
}

/** Heat's `{id: data}` JSON string over the signals (Python `json.dumps` layout, arrival order). */
export function signalDataJson(signals: readonly HandleSignal[]): string {
  return `{${signals.map((s) => `${pyJsonDumps(s.id)}: ${pyJsonDumps(s.data ?? null)}`).join(', ')}}`;
}

function invalidSignal(): HeatError {
  return new HeatError('ValueError', 'Metadata format invalid');
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Key names of a handle's signal bodies. */
interface SignalKeys {
  readonly status: string;
  readonly reason: string;
  readonly data: string;
  readonly id: string;
}

const HEAT_KEYS: SignalKeys = { status: 'status', reason: 'reason', data: 'data', id: 'id' };
const CFN_KEYS: SignalKeys = { status: 'Status', reason: 'Reason', data: 'Data', id: 'UniqueId' };

/**
 * Heat's `handle_signal` of a wait condition handle: validates `body` (already normalised) and merges it into
 * `signals` (same id → overwritten in place). @throws HeatError ValueError "Metadata format invalid"
 */
export function mergeSignal(
  signals: readonly HandleSignal[],
  body: Record<string, unknown>,
  keys: SignalKeys,
): HandleSignal[] {
  const expected = Object.values(keys);
  const given = Object.keys(body);
  if (given.length !== expected.length || !expected.every((k) => Object.hasOwn(body, k))) {
    throw invalidSignal();
  }
  const status = body[keys.status];
  if (typeof status !== 'string' || !WAIT_STATUSES.includes(status)) throw invalidSignal();
  const entry: HandleSignal = {
    id: pyStr(body[keys.id]),
    status: status as HandleSignal['status'],
    reason: body[keys.reason],
    data: body[keys.data],
  };
  const at = signals.findIndex((s) => s.id === entry.id);
  if (at < 0) return [...signals, entry];
  const out = [...signals];
  out[at] = entry;
  return out;
}

/** Heat's `normalise_signal_data` of the native handle: defaults for every missing key. */
function normaliseHeatSignal(details: unknown, count: number): Record<string, unknown> {
  if (
    details === null ||
    details === undefined ||
    details === '' ||
    (isMap(details) && !Object.keys(details).length)
  )
    details = {};
  if (!isMap(details)) throw invalidSignal();
  const n = count + 1;
  return {
    reason: `Signal ${n} received`,
    data: null,
    id: n,
    status: 'SUCCESS',
    ...details,
  };
}

function transportOf(properties: Readonly<Record<string, unknown>> | null): string {
  const t = properties?.['signal_transport'];
  return typeof t === 'string' ? t : 'TOKEN_SIGNAL';
}

/** Whether the transport hands out the signal URL and token. */
function exposesToken(transport: string): boolean {
  return transport === 'TOKEN_SIGNAL' || transport === 'HEAT_SIGNAL';
}

/** The curl command line Heat offers for signalling (`curl_cli`). */
export function curlCli(endpoint: string, token: string): string {
  return (
    `curl -i -X POST -H 'X-Auth-Token: ${token}' -H 'Content-Type: application/json' ` +
    `-H 'Accept: application/json' ${endpoint}`
  );
}

function handleAttribute(state: Readonly<ResourceState>, name: string): unknown {
  if (state.physicalId === null) return null;
  const endpoint = state.data[ENDPOINT_KEY];
  const token = state.data[TOKEN_KEY];
  const hasToken = typeof endpoint === 'string' && typeof token === 'string';
  switch (name) {
    case 'token':
      return hasToken ? token : null;
    case 'endpoint':
      return hasToken ? endpoint : null;
    case 'curl_cli':
      return hasToken ? curlCli(endpoint, token) : null;
    case 'signal':
      return hasToken ? pyJsonDumps({ url: endpoint, token }) : '{}';
    default:
      return null;
  }
}

async function createHandle(ctx: ActionContext, withToken: boolean): Promise<Record<string, unknown>> {
  const data: Record<string, unknown> = { [SIGNALS_KEY]: [] };
  if (withToken) {
    const { url, token } = ctx.signalEndpoint();
    data[ENDPOINT_KEY] = url;
    data[TOKEN_KEY] = token;
  }
  return data;
}

/** The OS::Heat::WaitConditionHandle plugin. */
export const waitConditionHandleResource: ResourcePlugin = {
  type: 'OS::Heat::WaitConditionHandle',
  description: 'Resource for managing instance signals.',
  supportStatus: { status: 'SUPPORTED', version: '2014.2' },
  properties: {
    signal_transport: {
      type: 'string',
      description:
        'How the client will signal the wait condition. TOKEN_SIGNAL will allow an HTTP POST to a Heat API ' +
        'endpoint with the provided keystone token. NO_SIGNAL will result in the resource going to a signalled ' +
        'state without waiting for any signal.',
      default: 'TOKEN_SIGNAL',
      constraints: [{ kind: 'allowed_values', values: TRANSPORTS }],
    },
  },
  attributes: {
    token: {
      description:
        'Token for stack-user which can be used for signalling handle when signal_transport is set to ' +
        'TOKEN_SIGNAL. None for all other signal transports.',
      type: 'string',
    },
    endpoint: {
      description:
        'Endpoint/url which can be used for signalling handle when signal_transport is set to TOKEN_SIGNAL. ' +
        'None for all other signal transports.',
      type: 'string',
    },
    curl_cli: {
      description:
        'Convenience attribute, provides curl CLI command prefix, which can be used for signalling handle ' +
        'completion or failure when signal_transport is set to TOKEN_SIGNAL. You can signal success by adding ' +
        '--data-binary \'{"status": "SUCCESS"}\' , or signal failure by adding ' +
        '--data-binary \'{"status": "FAILURE"}\'. This attribute is set to None for all other signal transports.',
      type: 'string',
    },
    signal: {
      description:
        'JSON serialized map that includes the endpoint, token and/or other attributes the client must use ' +
        'for signalling this handle. The contents of this map depend on the type of signal selected in the ' +
        'signal_transport property.',
      type: 'string',
    },
  },

  validate(properties) {
    const transport = transportOf(properties);
    if (properties['signal_transport'] !== null && !SERVED_TRANSPORTS.includes(transport)) {
      throw new HeatError(
        'StackValidationFailed',
        `signal_transport ${transport} needs a service Hearth does not provide; use one of ${SERVED_TRANSPORTS.join(', ')}.`,
      );
    }
  },

  async create(properties, ctx) {
    const data = await createHandle(ctx, exposesToken(transportOf(properties)));
    return { physicalId: physicalNameOf(ctx), data, attributes: {} };
  },

  async delete() {},

  async signal(details, ctx) {
    const signals = handleSignals(ctx.state);
    const body = normaliseHeatSignal(details, signals.length);
    return { data: { [SIGNALS_KEY]: mergeSignal(signals, body, HEAT_KEYS) } };
  },

  referenceId: defaultReferenceId,

  attribute(state, name, path) {
    return selectFromAttribute(handleAttribute(state, name), path);
  },

  hasAttribute(name) {
    return ['token', 'endpoint', 'curl_cli', 'signal', SHOW_ATTRIBUTE].includes(name);
  },
};

/** The OS::Heat::UpdateWaitConditionHandle plugin. */
export const updateWaitConditionHandleResource: ResourcePlugin = {
  type: 'OS::Heat::UpdateWaitConditionHandle',
  description: 'WaitConditionHandle that clears signals and changes handle on update.',
  supportStatus: { status: 'SUPPORTED', version: '2014.1' },
  properties: {},
  attributes: {},
  replaceOnEveryUpdate: true,

  async create(_properties, ctx) {
    const data = await createHandle(ctx, true);
    return { physicalId: physicalNameOf(ctx), data, attributes: {} };
  },

  async delete() {},

  async signal(details, ctx) {
    if (details === null || details === undefined) return;
    if (!isMap(details)) throw invalidSignal();
    const signals = handleSignals(ctx.state);
    return { data: { [SIGNALS_KEY]: mergeSignal(signals, details, CFN_KEYS) } };
  },

  referenceId(state) {
    const endpoint = state.data[ENDPOINT_KEY];
    return state.physicalId !== null && typeof endpoint === 'string' ? endpoint : state.name;
  },

  hasAttribute(name) {
    return name === SHOW_ATTRIBUTE;
  },
};

/** Whether `type` is a wait condition handle type. */
export function isWaitConditionHandle(type: string): boolean {
  return (WAIT_CONDITION_HANDLE_TYPES as readonly string[]).includes(type);
}
