/**
 * A deployment as the host receives it: one derived config of the server's metadata (Heat's format: `id`, `name`,
 * `group`, `config`, `inputs` with values, `outputs`, `options`), and what the agent reads from it.
 */

/** One input of a derived config. */
export interface DeploymentInput {
  readonly name: string;
  readonly type?: string;
  readonly value?: unknown;
  readonly [key: string]: unknown;
}

/** One declared output. */
export interface DeploymentOutput {
  readonly name: string;
  readonly error_output?: boolean;
  readonly [key: string]: unknown;
}

/** A derived config (what the deployed marker stores and a hook reads on stdin). */
export interface DeploymentConfig {
  id: string;
  name: string | null;
  group: string;
  config: unknown;
  inputs: DeploymentInput[];
  outputs: DeploymentOutput[];
  options: Record<string, unknown> | null;
  [key: string]: unknown;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The configs of an answer that have the shape the agent needs (an id, a group, input and output lists). */
export function asDeploymentConfigs(list: unknown): DeploymentConfig[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter(
      (c): c is DeploymentConfig =>
        isMap(c) &&
        typeof c['id'] === 'string' &&
        /^[A-Za-z0-9_.-]+$/.test(c['id']) &&
        c['id'] !== '.' &&
        c['id'] !== '..',
    )
    .map((c) => ({
      ...c,
      group: typeof c.group === 'string' ? c.group : 'Heat::Ungrouped',
      inputs: Array.isArray(c.inputs)
        ? c.inputs.filter((i) => isMap(i) && typeof i['name'] === 'string')
        : [],
      outputs: Array.isArray(c.outputs)
        ? c.outputs.filter((o) => isMap(o) && typeof o['name'] === 'string')
        : [],
    }));
}

/** The value of input `name` (undefined when absent). */
export function inputValue(c: DeploymentConfig, name: string): unknown {
  return c.inputs.find((i) => i.name === name)?.value;
}

/** A text input, or undefined. */
export function inputText(c: DeploymentConfig, name: string): string | undefined {
  const v = inputValue(c, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Python's `str()` of a JSON value, as heat-config coerces `String` inputs. */
function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** heat-config's first step: `String` inputs whose value is not a string become one. */
export function coerceStringInputs(c: DeploymentConfig): DeploymentConfig {
  return {
    ...c,
    inputs: c.inputs.map((i) =>
      i.type === 'String' && 'value' in i && typeof i.value !== 'string'
        ? { ...i, value: pythonStr(i.value) }
        : i,
    ),
  };
}

/**
 * The deployment id behind a config, read from its signal URL (`…/agent/<server>/deployments/<id>/signal` or
 * `…/signal/deployments/<id>?…`); undefined when it names none (NO_SIGNAL, or a config made by hand).
 */
export function deploymentIdOf(c: DeploymentConfig): string | undefined {
  const url = inputText(c, 'deploy_signal_id');
  if (!url) return undefined;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const m = /\/deployments\/([^/]+)(?:\/signal)?\/?$/.exec(path);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

/**
 * A SoftwareComponent (`group: component`) resolved for its `deploy_action`: the entry of `config.configs` whose
 * `actions` list it becomes (its `config`, and its `tool` as the group). Other configs are returned unchanged;
 * undefined when a component has no entry for the action.
 */
export function resolveComponent(c: DeploymentConfig): DeploymentConfig | undefined {
  if (c.group !== 'component') return c;
  const action = inputValue(c, 'deploy_action');
  const configs = isMap(c.config) ? c.config['configs'] : undefined;
  if (!Array.isArray(configs)) return undefined;
  const entry = configs.find((e) => isMap(e) && Array.isArray(e['actions']) && e['actions'].includes(action));
  if (!isMap(entry)) return undefined;
  return {
    ...c,
    config: entry['config'],
    group: typeof entry['tool'] === 'string' ? entry['tool'] : 'Heat::Ungrouped',
  };
}
