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

/** The API client. */
export class HeatClient {
  constructor(readonly endpoint: string) {}

  /** Sends a request (following redirects) and returns the JSON body (null when empty). @throws ApiError */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const url = /^https?:\/\//.test(path) ? path : `${this.endpoint}/${path.replace(/^\/+/, '')}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      throw new ApiError(
        0,
        'ConnectionError',
        `cannot reach ${this.endpoint}: ${cause ?? (err as Error).message}`,
      );
    }
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
      const error = (json as { error?: { type?: string; message?: string; problems?: ApiProblem[] } } | null)
        ?.error;
      throw new ApiError(
        res.status,
        error?.type ?? `HTTP${res.status}`,
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
