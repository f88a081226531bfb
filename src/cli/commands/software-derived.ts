/**
 * The client side of `software deployment create`, as python-heatclient's `deployment_utils`: the input values
 * from `--input-value k=v`, and the derived config — the source config with each declared input given its value
 * (or its default), undeclared values added as String inputs, and the `deploy_*` inputs a host needs.
 */
import { CliError } from '../io.js';

/** A JSON object. */
type Json = Record<string, unknown>;

/** Signal transports `software deployment create` accepts. */
export const CLI_SIGNAL_TRANSPORTS = ['NO_SIGNAL'] as const;

/**
 * heatclient's `format_parameters(…, parse_semicolon=False)`: `k=v` pairs; a repeated key collects its values in
 * a list. @throws CliError (usage) for an item without `=`.
 */
export function parseInputValues(items: readonly string[]): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    if (at < 0) throw new CliError(`Malformed parameter(${item}). Use the key=value format.`, 2);
    const key = item.slice(0, at);
    const value = item.slice(at + 1);
    const previous = values[key];
    if (previous === undefined) values[key] = value;
    else values[key] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return values;
}

/** What the derived config is built from. */
export interface DerivedConfigSource {
  /** The deployment's name: the derived config's name (it orders a server's configs). */
  readonly name: string;
  /** The source config as the API shows it, or empty without `--config`. */
  readonly source: Json;
  readonly inputValues: Record<string, unknown>;
  readonly serverId: string;
  readonly action: string;
  readonly signalTransport: string;
}

/**
 * heatclient's `build_derived_config_params`: the body of the config to create for a deployment.
 * @throws CliError for a signal transport the CLI cannot set up.
 */
export function derivedConfigBody(d: DerivedConfigSource): Json {
  if (!(CLI_SIGNAL_TRANSPORTS as readonly string[]).includes(d.signalTransport)) {
    const why =
      d.signalTransport === 'TEMP_URL_SIGNAL'
        ? 'TEMP_URL_SIGNAL needs a Swift TempURL, and Hearth has no object store'
        : 'the CLI creates deployments directly and cannot set up its credentials';
    throw new CliError(
      `Unsupported signal transport ${d.signalTransport}: ${why}. Use --signal-transport NO_SIGNAL, or deploy ` +
        'through a stack (OS::Heat::SoftwareDeployment) for the other transports.',
      2,
    );
  }
  const remaining = { ...d.inputValues };
  const declared = Array.isArray(d.source.inputs) ? (structuredClone(d.source.inputs) as Json[]) : [];
  const inputs: Json[] = declared.map((input) => {
    const name = String(input.name);
    const value = Object.hasOwn(remaining, name) ? remaining[name] : (input.default ?? null);
    delete remaining[name];
    return { ...input, value };
  });
  for (const [name, value] of Object.entries(remaining)) inputs.push({ name, type: 'String', value });
  inputs.push(
    {
      name: 'deploy_server_id',
      description: 'ID of the server being deployed to',
      type: 'String',
      value: d.serverId,
    },
    {
      name: 'deploy_action',
      description: 'Name of the current action being deployed',
      type: 'String',
      value: d.action,
    },
    {
      name: 'deploy_signal_transport',
      description: 'How the server should signal to heat with the deployment output values.',
      type: 'String',
      value: d.signalTransport,
    },
  );
  return {
    group: truthy(d.source.group) ? d.source.group : 'Heat::Ungrouped',
    config: truthy(d.source.config) ? d.source.config : '',
    options: truthy(d.source.options) ? d.source.options : {},
    inputs,
    outputs: truthy(d.source.outputs) ? d.source.outputs : [],
    name: d.name,
  };
}

/** Python truthiness (`x or default`). */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
