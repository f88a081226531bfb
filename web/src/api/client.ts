/**
 * Calls to the Hearth API on behalf of the signed-in project: JSON in and out, `X-Auth-Token` when signed in,
 * every failure turned into an {@link ApiError} carrying the fault's type, message and located problems. A 401
 * ends the session (the token expired or was revoked).
 */
import type { Problem } from './types.js';

/** A failed call: HTTP status (0 when the server could not be reached), fault type, message, problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly problems: readonly Problem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True when the addressed thing does not exist (any more). */
  get notFound(): boolean {
    return this.status === 404;
  }
}

/** Reads a fault body: Heat's `{error: {type, message, problems}}` or Keystone's `{error: {title, message}}`. */
export function errorFromBody(status: number, body: unknown, fallback: string): ApiError {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (error && typeof error === 'object') {
    const type =
      typeof error.type === 'string' ? error.type : typeof error.title === 'string' ? error.title : '';
    const message = typeof error.message === 'string' ? error.message : fallback;
    const problems = Array.isArray(error.problems) ? (error.problems as Problem[]) : [];
    return new ApiError(status, type || `HTTP ${status}`, message, problems);
  }
  return new ApiError(status, `HTTP ${status}`, fallback);
}

/** Who calls, and what to do when the server says the credential is no longer valid. */
export interface ClientOptions {
  /** `/v1/{project_id}` */
  basePath: string;
  token?: string;
  onUnauthorized(message: string): void;
}

/** JSON request options. */
export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** The API of one signed-in project. */
export class ApiClient {
  constructor(private readonly options: ClientOptions) {}

  /** `/v1/{project}` + path. */
  url(path: string): string {
    return `${this.options.basePath}${path}`;
  }

  /** Headers of every call (the token, when signed in). */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      accept: 'application/json',
      ...(this.options.token ? { 'x-auth-token': this.options.token } : {}),
      ...extra,
    };
  }

  /** Ends the session: the server refused the credential. */
  expire(message = 'Your session has expired or was revoked. Sign in again.'): void {
    this.options.onUnauthorized(message);
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  delete(path: string): Promise<unknown> {
    return this.request('DELETE', path, {});
  }

  /** Sends one request; resolves with the parsed body (null when empty). */
  async request<T>(method: string, path: string, options: RequestOptions): Promise<T> {
    const headers = this.headers(options.headers);
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.url(path), {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'NetworkError', 'The Hearth server cannot be reached; check that it is running.');
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    if (res.ok) return body as T;
    const error = errorFromBody(res.status, body, `${method} ${path} failed with HTTP ${res.status}`);
    if (res.status === 401) this.expire();
    throw error;
  }
}
