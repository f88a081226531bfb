/**
 * Derived configs, exactly as Heat's `SoftwareDeployment._build_derived_config_params`: each time a deployment
 * acts, the source config is copied with every input carrying its value (declared inputs take the deployment's
 * `input_values` entry or their default; undeclared values become extra String inputs) plus the `deploy_*` inputs
 * that tell the host which server, action, stack and resource it is, and how to signal back.
 *
 * Structured deployments also substitute `{get_input: name}` (or a custom `input_key`) across the config map;
 * with `input_values_validate: STRICT` a missing input is an error, with LAX it becomes null.
 */
import { HeatError } from '../../template/errors.js';
import type { SoftwareConfigRequest } from './config-request.js';
import { isMap } from './describe.js';
import { DEFAULT_CONFIG_GROUP, type SoftwareConfigRecord, type SoftwareInput } from './records.js';
import type { SignalTransport } from './transports.js';

/** How a structured deployment substitutes inputs into its config. */
export interface StructuredSubstitution {
  /** The key of the substitution function (Heat's `input_key`, default `get_input`). */
  readonly inputKey: string;
  /** `STRICT`: a missing input fails; `LAX`: it becomes null. */
  readonly validate: 'LAX' | 'STRICT';
}

/** Where the host sends its signal: the `deploy_signal_id` URL and its HTTP verb. */
export interface SignalTarget {
  readonly id: string;
  readonly verb: 'POST' | 'PUT';
}

/** Everything a derived config depends on besides its source config. */
export interface DeploymentSpec {
  /** The `server` property. */
  readonly serverId: string;
  /** CREATE, UPDATE, DELETE, SUSPEND or RESUME. */
  readonly action: string;
  /** `<stack_name>/<stack_id>`. */
  readonly stackPath: string;
  readonly resourceName: string;
  /** The deployment resource's physical name: the derived config's name when neither it nor the source has one. */
  readonly physicalName: string;
  /** The `input_values` property. */
  readonly inputValues: Readonly<Record<string, unknown>>;
  /** The `name` property. */
  readonly name: string | null;
  readonly transport: SignalTransport;
  /** For HEAT_SIGNAL and TEMP_URL_SIGNAL. */
  readonly signal?: SignalTarget;
  /** For structured deployments. */
  readonly structured?: StructuredSubstitution;
}

/** The source of a deployment without a config (Heat's `_load_config` of no id). */
export const EMPTY_SOURCE: Pick<
  SoftwareConfigRecord,
  'name' | 'group' | 'config' | 'inputs' | 'outputs' | 'options'
> = { name: null, group: DEFAULT_CONFIG_GROUP, config: null, inputs: [], outputs: [], options: null };

/** The parts of a source config a derived config is built from. */
export type DerivationSource = Pick<
  SoftwareConfigRecord,
  'name' | 'group' | 'config' | 'inputs' | 'outputs' | 'options'
>;

/** One input as Heat's `InputConfig.as_dict()` orders it (schema order, then `value`). */
function input(fields: {
  name: string;
  description?: string | undefined;
  type?: SoftwareInput['type'] | undefined;
  default?: unknown;
  replace_on_change?: true | undefined;
  value: unknown;
}): SoftwareInput {
  const out: Record<string, unknown> = { name: fields.name };
  if (fields.description !== undefined) out['description'] = fields.description;
  out['type'] = fields.type ?? 'String';
  if (fields.default !== undefined && fields.default !== null) out['default'] = fields.default;
  if (fields.replace_on_change) out['replace_on_change'] = true;
  out['value'] = fields.value;
  return out as unknown as SoftwareInput;
}

/** The inputs of the derived config (Heat's `_build_derived_inputs`), in Heat's order. */
export function derivedInputs(source: DerivationSource, spec: DeploymentSpec): SoftwareInput[] {
  const remaining = new Map(Object.entries(spec.inputValues));
  const out: SoftwareInput[] = [];
  for (const declared of source.inputs) {
    const value = remaining.has(declared.name) ? remaining.get(declared.name) : (declared.default ?? null);
    remaining.delete(declared.name);
    out.push(input({ ...declared, value }));
  }
  for (const [name, value] of remaining) out.push(input({ name, value }));
  out.push(
    input({
      name: 'deploy_server_id',
      value: spec.serverId,
      description: 'ID of the server being deployed to',
    }),
    input({
      name: 'deploy_action',
      value: spec.action,
      description: 'Name of the current action being deployed',
    }),
    input({
      name: 'deploy_stack_id',
      value: spec.stackPath,
      description: 'ID of the stack this deployment belongs to',
    }),
    input({
      name: 'deploy_resource_name',
      value: spec.resourceName,
      description: 'Name of this deployment resource in the stack',
    }),
    input({
      name: 'deploy_signal_transport',
      value: spec.transport,
      description: 'How the server should signal to heat with the deployment output values.',
    }),
  );
  if (spec.signal && spec.transport !== 'NO_SIGNAL') {
    out.push(
      input({
        name: 'deploy_signal_id',
        value: spec.signal.id,
        description: 'ID of signal to use for signaling output values',
      }),
      input({
        name: 'deploy_signal_verb',
        value: spec.signal.verb,
        description: 'HTTP verb to use for signaling output values',
      }),
    );
  }
  return out;
}

/** Python truthiness of a config value (`derived_config or empty_config()`). */
function isEmptyConfig(value: unknown): boolean {
  return (
    value === null || value === undefined || value === '' || (isMap(value) && Object.keys(value).length === 0)
  );
}

/**
 * The request that stores the derived config (Heat's `_build_derived_config_params`).
 * @throws HeatError UserParameterMissing for a STRICT structured deployment missing an input.
 */
export function derivedConfigRequest(source: DerivationSource, spec: DeploymentSpec): SoftwareConfigRequest {
  const inputs = derivedInputs(source, spec);
  let config: unknown = source.config;
  if (spec.structured) {
    const values = new Map(inputs.map((i) => [i.name, i.value ?? null]));
    config = substituteInputs(config, values, spec.structured);
  }
  return {
    name: spec.name || source.name || spec.physicalName,
    group: source.group || DEFAULT_CONFIG_GROUP,
    config: isEmptyConfig(config) ? (spec.structured ? {} : '') : config,
    options: source.options,
    inputs,
    outputs: source.outputs,
  };
}

/**
 * Heat's `StructuredDeployment.parse`: replaces every single-key map `{<inputKey>: "<name>"}` with that input's
 * value, recursively through maps and lists.
 * @throws HeatError UserParameterMissing (STRICT) for an input without a value.
 */
export function substituteInputs(
  snippet: unknown,
  inputs: ReadonlyMap<string, unknown>,
  how: StructuredSubstitution,
): unknown {
  if (Array.isArray(snippet)) return snippet.map((v) => substituteInputs(v, inputs, how));
  if (!isMap(snippet)) return snippet;
  const keys = Object.keys(snippet);
  if (keys.length === 1 && keys[0] === how.inputKey && typeof snippet[how.inputKey] === 'string') {
    const name = snippet[how.inputKey] as string;
    if (how.validate === 'STRICT' && !inputs.has(name)) {
      throw new HeatError('UserParameterMissing', `The Parameter (${name}) was not provided.`, {
        hint: `give it in input_values, or declare it with a default in the config's inputs`,
      });
    }
    return inputs.get(name) ?? null;
  }
  return Object.fromEntries(Object.entries(snippet).map(([k, v]) => [k, substituteInputs(v, inputs, how)]));
}

/**
 * The actions a SoftwareComponent config acts on (the union of its `configs[].actions`), or undefined for any
 * other config (whose deployment acts on its `actions` property).
 */
export function componentActions(source: DerivationSource): Set<string> | undefined {
  if (source.group !== 'component') return undefined;
  const configs = isMap(source.config) ? source.config['configs'] : undefined;
  const actions = new Set<string>();
  if (Array.isArray(configs)) {
    for (const c of configs) {
      const list = isMap(c) ? c['actions'] : undefined;
      if (Array.isArray(list)) for (const a of list) actions.add(String(a));
    }
  }
  return actions;
}

/**
 * Heat's replace_on_change rule: the name of the first input declared `replace_on_change` whose value differs from
 * the one the previous derived config carried, or undefined (no replacement needed).
 */
export function replacingInput(
  previous: readonly SoftwareInput[],
  next: readonly SoftwareInput[],
): string | undefined {
  const old = new Map(previous.map((i) => [i.name, i]));
  for (const inp of next) {
    if (!inp.replace_on_change) continue;
    const before = old.get(inp.name);
    if (before && !sameValue(before.value ?? null, inp.value ?? null)) return inp.name;
  }
  return undefined;
}

/** Deep equality of JSON values (Python `==` on decoded JSON). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]))
    );
  }
  return false;
}
