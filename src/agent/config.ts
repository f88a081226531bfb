/**
 * The agent's configuration file: the JSON of a DeployedServer's `os_collect_config` attribute, copied onto the
 * host as is.
 *
 * ```json
 * {"collectors": ["hearth"],
 *  "hearth": {"endpoint": "http://HOST:PORT/v1/<project_id>", "server_id": "<id>", "token": "hth1....",
 *             "stack_id": "<stack_name>/<stack_id>", "resource_name": "<name>", "polling_interval": 30}}
 * ```
 */
import { readFileSync } from 'node:fs';

/** What the agent needs to know. */
export interface AgentConfig {
  /** `http://HOST:PORT/v1/<project_id>`, without a trailing slash. */
  readonly endpoint: string;
  /** The server whose deployments this host applies. */
  readonly serverId: string;
  /** The host credential (`hth1.…`): sent in `X-Auth-Token` to the endpoint only, never logged. */
  readonly token: string;
  readonly stackId?: string;
  readonly resourceName?: string;
  /** Seconds between polls when the server does not hold long-polls. */
  readonly pollingIntervalSeconds: number;
  /**
   * Where the kubelet hook's pods run: `local` (this host's Docker, the default) or `host` (the agent runs inside
   * a container server, without Docker: the Hearth server runs the pods beside it, through the agent API).
   */
  readonly pods?: 'local' | 'host';
}

/** A configuration file that cannot be used, with where and why. */
export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the parsed file (`source` names it in messages).
 * @throws AgentConfigError naming the field, the value received and what is allowed.
 */
export function parseAgentConfig(doc: unknown, source: string): AgentConfig {
  const fail = (what: string): never => {
    throw new AgentConfigError(`${source}: ${what}`);
  };
  if (!isMap(doc)) return fail(`must be a JSON object (os_collect_config), got ${JSON.stringify(doc)}`);
  const collectors = doc['collectors'];
  if (collectors !== undefined && (!Array.isArray(collectors) || !collectors.includes('hearth'))) {
    fail(`"collectors" must list "hearth", got ${JSON.stringify(collectors)}`);
  }
  const h = doc['hearth'];
  if (!isMap(h))
    return fail(`"hearth" must be an object with endpoint, server_id and token, got ${JSON.stringify(h)}`);
  const text = (key: string, required: boolean): string | undefined => {
    const v = h[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || (required && v === '')) {
      return fail(`"hearth.${key}" must be a non-empty string, got ${JSON.stringify(v) ?? 'nothing'}`);
    }
    return v;
  };
  const endpoint = text('endpoint', true)!.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return fail(`"hearth.endpoint" must be an http(s) URL, got "${endpoint}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`"hearth.endpoint" must be an http(s) URL, got "${endpoint}"`);
  }
  const interval = h['polling_interval'] ?? 30;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    fail(`"hearth.polling_interval" must be a positive number of seconds, got ${JSON.stringify(interval)}`);
  }
  const pods = h['pods'];
  if (pods !== undefined && pods !== 'local' && pods !== 'host') {
    fail(`"hearth.pods" must be "local" or "host", got ${JSON.stringify(pods)}`);
  }
  const stackId = text('stack_id', false);
  const resourceName = text('resource_name', false);
  return {
    endpoint,
    serverId: text('server_id', true)!,
    token: text('token', true)!,
    pollingIntervalSeconds: interval as number,
    ...(pods !== undefined ? { pods: pods as 'local' | 'host' } : {}),
    ...(stackId !== undefined ? { stackId } : {}),
    ...(resourceName !== undefined ? { resourceName } : {}),
  };
}

/** Reads and checks a configuration file. @throws AgentConfigError */
export function loadAgentConfig(path: string): AgentConfig {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AgentConfigError(`${path}: cannot read the file (${(err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (err) {
    throw new AgentConfigError(`${path}: not JSON (${(err as Error).message})`);
  }
  return parseAgentConfig(doc, path);
}
