/**
 * Who is calling: the identity every authenticated request carries, whatever proved it (a Keystone-style token,
 * an application credential's token, a resource signal token, or the trusted URL tenant under `--insecure-noauth`).
 * The API's auth hook sets it on the request (`req.caller`); policy, audit and quotas read it.
 */

/** The roles Hearth knows, as Keystone's default roles: admin ⊃ member ⊃ reader. */
export type RoleName = 'admin' | 'member' | 'reader';

/** Every role name, strongest first. */
export const ROLE_NAMES: readonly RoleName[] = ['admin', 'member', 'reader'];

/** How a caller proved who it is. */
export type AuthMethod = 'password' | 'token' | 'application_credential' | 'signal' | 'host' | 'noauth';

/** The authenticated identity of a request. */
export interface Caller {
  /** User id (32 hex chars, Keystone style); under noauth the `X-Auth-User` name or `admin`. */
  readonly userId: string;
  readonly userName: string;
  /** The project the credential is scoped to (the `{tenant}` a caller may use in `/v1/{tenant}/…`). */
  readonly projectId: string;
  readonly projectName: string;
  /** Effective roles in that project (implied roles included: admin ⇒ member ⇒ reader). */
  readonly roles: readonly RoleName[];
  /** What authenticated the original credential (`token` = a token from `POST /v3/auth/tokens`). */
  readonly method: AuthMethod;
  /**
   * Under `method: 'signal'`: the one resource the caller may signal (a resource signal token proves nothing
   * else).
   */
  readonly signalScope?: { readonly stackId: string; readonly resourceName: string };
  /**
   * Under `method: 'host'`: the one server whose deployments the caller may read and signal (a host credential,
   * from a DeployedServer's `os_collect_config`, proves nothing else).
   */
  readonly hostScope?: { readonly serverId: string };
  /** When the credential stops being valid (ISO 8601), if it expires. */
  readonly expiresAt?: string;
}

/** Whether the caller holds `role` (implied roles count: an admin is a member and a reader). */
export function hasRole(caller: Caller, role: RoleName): boolean {
  return caller.roles.includes(role);
}

/** Roles implied by one role: admin ⇒ member ⇒ reader. */
export function impliedRoles(role: RoleName): RoleName[] {
  return ROLE_NAMES.slice(ROLE_NAMES.indexOf(role));
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook for authenticated requests; absent for public routes (version documents, `/v3`). */
    caller?: Caller;
  }
}
