/**
 * Identity for the `/v1/{tenant}` routes. With `insecureNoauth` the tenant in the URL is trusted (Heat's
 * noauth paste flavor); otherwise every call is refused with 401 until an identity backend is configured.
 */
import type { FastifyInstance } from 'fastify';
import { ApiFault } from './faults.js';

/** True for URLs under a tenant (`/v1/{tenant}/…`); the version documents stay public. */
export function isTenantUrl(url: string): boolean {
  return /^\/v1\/[^/?]+\/?/.test(url) && !/^\/v1\/?(\?|$)/.test(url);
}

/** Installs the identity check. */
export function installAuth(app: FastifyInstance, insecureNoauth: boolean): void {
  if (insecureNoauth) return;
  app.addHook('onRequest', async (req) => {
    if (!isTenantUrl(req.url)) return;
    throw new ApiFault(
      401,
      'HTTPUnauthorized',
      'Identity is not configured: Hearth has no authentication backend yet. Start the server with ' +
        '--insecure-noauth to trust the project in the URL (development only).',
    );
  });
}
