/**
 * What the software config and deployment routes share: who the caller is for the {@link SoftwareService}, and
 * the answer when the server was built without one.
 */
import type { FastifyRequest } from 'fastify';
import type { SoftwareCaller, SoftwareService } from '../../engine/software/service.js';
import { hasRole } from '../../identity/caller.js';
import { param } from '../context.js';
import { ApiFault } from '../faults.js';

/**
 * The project acted in (the URL's tenant, which the auth and policy hooks have checked the caller may use) and
 * whether the caller is an admin (Heat's `context.is_admin`: no per-project limits, may list every project; a
 * signal token never is).
 */
export function softwareCaller(req: FastifyRequest): SoftwareCaller {
  return {
    projectId: param(req, 'tenant'),
    admin: req.caller !== undefined && req.caller.method !== 'signal' && hasRole(req.caller, 'admin'),
  };
}

/**
 * The service, or a 503 when this API was built without one (e.g. an API over a test engine only).
 * @throws ApiFault 503 HTTPServiceUnavailable
 */
export function requireSoftware(software: SoftwareService | undefined): SoftwareService {
  if (software) return software;
  throw new ApiFault(
    503,
    'HTTPServiceUnavailable',
    'Software configuration is not available: this API was built without a software config store.',
  );
}
