/**
 * Keystone's error shape for `/v3`: `{"error": {"code", "title", "message"}}`, with `WWW-Authenticate: Keystone
 * uri="<public>/v3"` on 401 and `Retry-After` on 429. Every failure inside `/v3` (Hearth's own, request
 * parsing, routing) is answered this way; unexpected errors are logged and answered with a generic 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdentityError, IDENTITY_TITLES } from '../../identity/errors.js';
import { sendJson } from '../context.js';
import { toFault } from '../faults.js';

/** Keystone's error body. */
export interface KeystoneErrorBody {
  error: { code: number; title: string; message: string };
}

/** Builds Keystone's error body. */
export function keystoneError(code: number, message: string, title?: string): KeystoneErrorBody {
  return { error: { code, title: title ?? IDENTITY_TITLES[code] ?? 'Error', message } };
}

/** Sends an error in Keystone's shape, with the headers its status needs. */
export function sendKeystoneError(
  reply: FastifyReply,
  identityUrl: string,
  status: number,
  body: KeystoneErrorBody,
  retryAfterSeconds?: number,
): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', `Keystone uri="${identityUrl}"`);
  if (status === 429 && retryAfterSeconds !== undefined)
    void reply.header('retry-after', String(retryAfterSeconds));
  return sendJson(reply, status, body);
}

/**
 * Installs Keystone-shaped error and not-found answers on the `/v3` plugin.
 * @param identityUrl the `<public>/v3` URL of a request (for `WWW-Authenticate`)
 */
export function installKeystoneErrors(
  v3: FastifyInstance,
  identityUrl: (req: FastifyRequest) => string,
  maxBodyBytes: number,
): void {
  v3.setErrorHandler((err, req, reply) => {
    if (err instanceof IdentityError) {
      const body = keystoneError(err.status, err.message, err.title);
      return sendKeystoneError(reply, identityUrl(req), err.status, body, err.retryAfterSeconds);
    }
    const fault = toFault(err, maxBodyBytes);
    if (fault.unexpected) req.log.error({ err }, 'unexpected error while handling an identity request');
    return sendKeystoneError(
      reply,
      identityUrl(req),
      fault.status,
      keystoneError(fault.status, fault.body.error.message, fault.body.title),
    );
  });
  v3.setNotFoundHandler((req, reply) =>
    sendKeystoneError(reply, identityUrl(req), 404, keystoneError(404, 'The resource could not be found.')),
  );
}
