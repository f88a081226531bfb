/**
 * A small client of Hearth's (Heat's) v1 REST API, on Node's fetch.
 */

/** A problem in Hearth's fault body. */
export interface ApiProblem {
  type?: string;
  message: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
}

/** A non-2xx answer, with Heat's fault body fields when present. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly problems: ApiProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Builds the endpoint from `--endpoint`, `HEARTH_ENDPOINT`, or `--project` on the local default server. */
export function resolveEndpoint(
  opts: { endpoint?: string; project?: string },
  env: NodeJS.ProcessEnv,
): string {
  const explicit = opts.endpoint ?? env.HEARTH_ENDPOINT;
  if (explicit) return explicit.replace(/\/+$/, '');
  return `http://127.0.0.1:8004/v1/${encodeURIComponent(opts.project ?? env.HEARTH_PROJECT ?? 'admin')}`;
}

/** Where requests go, and the token they carry (none for a noauth endpoint). */
export interface Connection {
  endpoint: string;
  token?: string;
}

/** A connection found when the first request is made (signing in, reading the service catalog). */
export interface ConnectionSource {
  /** For messages before the endpoint is known. */
  describe: string;
  connect(): Promise<Connection>;
  /** After a 401: a fresh connection (a new sign-in), tried once. */
  reconnect?(): Promise<Connection>;
}

/** The API client. */
export class HeatClient {
  readonly #source: ConnectionSource;
  #connection: Connection | undefined;

  /** @param target a fixed endpoint (no token: noauth), or a source that signs in on first use */
  constructor(target: string | ConnectionSource) {
    if (typeof target === 'string') {
      this.#connection = { endpoint: target };
      this.#source = { describe: target, connect: async () => ({ endpoint: target }) };
    } else {
      this.#source = target;
    }
  }

  /** The endpoint (once connected; before, a description of where it will come from). */
  get endpoint(): string {
    return this.#connection?.endpoint ?? this.#source.describe;
  }

  /** The connection, signing in on first use. @throws ApiError */
  async connection(): Promise<Connection> {
    return (this.#connection ??= await this.#source.connect());
  }

  /**
   * Sends a request (following redirects) with the session's `X-Auth-Token` and returns the JSON body (null when
   * empty). A 401 with a token signs in once more and retries. @throws ApiError
   */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let connection = await this.connection();
    let res = await this.#send(connection, method, path, body, headers);
    if (res.status === 401 && connection.token && this.#source.reconnect) {
      connection = this.#connection = await this.#source.reconnect();
      res = await this.#send(connection, method, path, body, headers);
    }
    return this.#answer<T>(res);
  }

  async #send(
    connection: Connection,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Response> {
    const url = /^https?:\/\//.test(path) ? path : `${connection.endpoint}/${path.replace(/^\/+/, '')}`;
    try {
      return await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(connection.token ? { 'x-auth-token': connection.token } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new ApiError(
        0,
        'ConnectionError',
        `cannot reach ${connection.endpoint}: ${cause ?? (err as Error).message}`,
      );
    }
  }

  /** The JSON body of a 2xx answer. @throws ApiError for any other */
  async #answer<T>(res: Response): Promise<T> {
    const text = await res.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!res.ok) {
      const error = (
        json as {
          error?: { type?: string; title?: string; message?: string; problems?: ApiProblem[] };
        } | null
      )?.error;
      throw new ApiError(
        res.status,
        error?.type ?? error?.title?.replace(/\s+/g, '') ?? `HTTP${res.status}`,
        error?.message ?? (text || res.statusText),
        error?.problems ?? [],
      );
    }
    return json as T;
  }

  /** `stacks/{name}/{id}` of a stack named by name or id. @throws ApiError 404 */
  async stackPath(nameOrId: string): Promise<string> {
    const { stack } = await this.request<{ stack: { id: string; stack_name: string } }>(
      'GET',
      `stacks/${encodeURIComponent(nameOrId)}?resolve_outputs=false`,
    );
    return `stacks/${encodeURIComponent(stack.stack_name)}/${encodeURIComponent(stack.id)}`;
  }
}
