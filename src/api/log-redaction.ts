/**
 * Request logging without secrets: query parameters that carry credentials (a resource signal token, a signed
 * signal URL's signature, a dashboard stream token) are replaced by `***` in every logged URL.
 */
import type { FastifyRequest } from 'fastify';

/** Query parameters whose values are credentials. */
export const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'signal_token',
  'signature',
  'token',
  'x-auth-token',
]);

/** `url` with the values of credential query parameters masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponentSafe(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      return SECRET_QUERY_PARAMS.has(name) && eq >= 0 ? `${pair.slice(0, eq)}=***` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Fastify's logger option with a request serializer that redacts URLs (`true` → pino defaults + redaction). */
export function redactingLogger(logger: boolean | object): boolean | object {
  if (logger === false) return false;
  const base = logger === true ? {} : logger;
  return {
    ...base,
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        hostname: req.hostname,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}
