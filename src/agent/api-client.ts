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

  constructor(config: AgentConfig) {
    this.#config = config;
    this.#base = `${config.endpoint}/agent/${encodeURIComponent(config.serverId)}/deployments`;
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
