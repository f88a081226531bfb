/**
 * The agent's HTTP client of the agent API (`<endpoint>/agent/<server_id>/…`), authenticated with the host
 * credential. Connections are kept alive and reused (the global `fetch` pool).
 */
import type { AgentConfig } from './config.js';
import { asDeploymentConfigs, type DeploymentConfig } from './deployment.js';

/** A request for fresh container figures of one deployment (answered with {@link AgentApiClient.stats}). */
export interface RefreshRequest {
  readonly deploymentId: string;
  readonly token: string;
}

/** The server's answer to a deployments poll. */
export interface DeploymentsAnswer {
  readonly version: string;
  readonly deployments: DeploymentConfig[];
  /** Deployments whose figures the server asks for (`{"refresh": "stats"}` signalled to their resource). */
  readonly refresh: RefreshRequest[];
}

/** The well-formed entries of an answer's `refresh` list. */
function refreshRequests(list: unknown): RefreshRequest[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((r: unknown) => {
    const { deployment_id: deploymentId, token } = (r ?? {}) as Record<string, unknown>;
    return typeof deploymentId === 'string' && typeof token === 'string' ? [{ deploymentId, token }] : [];
  });
}

/** The host's answer about a container server's pods (JSON of the runtime's statuses and figures). */
export interface HostPodsAnswer {
  readonly pods: unknown[];
  readonly stats?: unknown[];
  /** False when the Hearth server has not received this server's pod set since it started. */
  readonly desired?: boolean;
}

/** An HTTP answer that is not a success. */
export class AgentHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AgentHttpError';
  }
}

/** The Heat fault message of an error body, if it has one. */
function faultMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON
  }
  return text.slice(0, 500);
}

/** Calls of the agent API. */
export class AgentApiClient {
  readonly #config: AgentConfig;
  readonly #base: string;
  readonly #pods: string;

  constructor(config: AgentConfig) {
    this.#config = config;
    this.#base = `${config.endpoint}/agent/${encodeURIComponent(config.serverId)}/deployments`;
    this.#pods = `${config.endpoint}/agent/${encodeURIComponent(config.serverId)}/pods`;
  }

  /**
   * Asks the Hearth server to run exactly `pods` (pod name → manifest) beside this container server.
   * @returns the pods accepted and the manifests refused. @throws AgentHttpError, or the network error.
   */
  async applyPods(
    pods: Readonly<Record<string, unknown>>,
  ): Promise<{ pods: string[]; invalid: { pod: string; message: string }[] }> {
    const r = await fetch(this.#pods, {
      method: 'PUT',
      headers: this.#headers(true),
      body: JSON.stringify({ pods }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await r.text();
    if (!r.ok) throw new AgentHttpError(r.status, faultMessage(text));
    const body = JSON.parse(text) as { pods?: unknown; invalid?: unknown };
    return {
      pods: Array.isArray(body.pods) ? body.pods.map(String) : [],
      invalid: Array.isArray(body.invalid) ? (body.invalid as { pod: string; message: string }[]) : [],
    };
  }

  /**
   * The statuses of this container server's pods as the Hearth server runs them (only `pods`, when given), and
   * with `stats` their figures (waiting at most `statsWaitMs` for Docker's samples).
   * @throws AgentHttpError, or the network error.
   */
  async podStatus(options: {
    pods?: readonly string[];
    stats?: boolean;
    statsWaitMs?: number;
  }): Promise<HostPodsAnswer> {
    const query = new URLSearchParams();
    for (const pod of options.pods ?? []) query.append('pod', pod);
    if (options.stats) query.set('stats', 'true');
    if (options.statsWaitMs !== undefined) query.set('stats_wait_ms', String(options.statsWaitMs));
    const r = await fetch(`${this.#pods}?${query.toString()}`, {
      headers: this.#headers(true),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await r.text();
    if (!r.ok) throw new AgentHttpError(r.status, faultMessage(text));
    const body = JSON.parse(text) as { pods?: unknown; stats?: unknown; desired?: unknown };
    return {
      pods: Array.isArray(body.pods) ? body.pods : [],
      ...(Array.isArray(body.stats) ? { stats: body.stats } : {}),
      ...(typeof body.desired === 'boolean' ? { desired: body.desired } : {}),
    };
  }

  /** Whether `url` is on the configured endpoint (only there does the host credential go). */
  isEndpointUrl(url: string): boolean {
    try {
      const target = new URL(url);
      const endpoint = new URL(this.#config.endpoint);
      return target.origin === endpoint.origin && target.pathname.startsWith(`${endpoint.pathname}/`);
    } catch {
      return false;
    }
  }

  /**
   * The server's deployments; with `version` and `waitSeconds` the server holds the request until they differ
   * from `version` or the time passes. @throws AgentHttpError, or the network error.
   */
  async deployments(
    version: string | undefined,
    waitSeconds: number,
    signal?: AbortSignal,
  ): Promise<DeploymentsAnswer> {
    const query = new URLSearchParams();
    if (version !== undefined) {
      query.set('version', version);
      query.set('wait', String(waitSeconds));
    }
    const timeout = AbortSignal.timeout((waitSeconds + 30) * 1000);
    const r = await fetch(`${this.#base}?${query.toString()}`, {
      headers: this.#headers(true),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await r.text();
    if (!r.ok) throw new AgentHttpError(r.status, faultMessage(text));
    const body = JSON.parse(text) as { version?: unknown; deployments?: unknown; refresh?: unknown };
    return {
      version: typeof body.version === 'string' ? body.version : '',
      deployments: asDeploymentConfigs(body.deployments),
      refresh: refreshRequests(body.refresh),
    };
  }

  /**
   * Posts fresh `containers` figures of a finished deployment (answering the request `token`, if any).
   * @returns whether the server stored them. @throws AgentHttpError, or the network error.
   */
  async stats(deploymentId: string, containers: Record<string, unknown>, token?: string): Promise<boolean> {
    const r = await fetch(`${this.#base}/${encodeURIComponent(deploymentId)}/stats`, {
      method: 'POST',
      headers: this.#headers(true),
      body: JSON.stringify(token === undefined ? { containers } : { containers, token }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    if (!r.ok) throw new AgentHttpError(r.status, faultMessage(text));
    return (JSON.parse(text) as { stored?: unknown }).stored === true;
  }

  /** Reports progress of a running deployment. @throws AgentHttpError, or the network error. */
  async progress(deploymentId: string, lines: string[], heartbeat: boolean): Promise<void> {
    const r = await fetch(`${this.#base}/${encodeURIComponent(deploymentId)}/progress`, {
      method: 'POST',
      headers: this.#headers(true),
      body: JSON.stringify(heartbeat ? { lines, heartbeat } : { lines }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    if (!r.ok) throw new AgentHttpError(r.status, faultMessage(text));
  }

  /**
   * Sends a signal body to `url` with `verb`; the host credential only when `withToken` and the URL is on the
   * endpoint. @returns the HTTP status and the fault message of an error. @throws the network error.
   */
  async send(
    url: string,
    verb: string,
    body: string,
    withToken: boolean,
  ): Promise<{ status: number; message: string }> {
    const r = await fetch(url, {
      method: verb,
      headers: this.#headers(withToken && this.isEndpointUrl(url)),
      body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await r.text();
    return { status: r.status, message: r.ok ? '' : faultMessage(text) };
  }

  #headers(withToken: boolean): Record<string, string> {
    return {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(withToken ? { 'x-auth-token': this.#config.token } : {}),
    };
  }
}
