/**
 * What a valid token stands for, as validation finds it now (roles are computed at validation, as Keystone does,
 * so a removed role or a disabled user stops working at once), and the request {@link Caller} it gives.
 */
import type { Caller, RoleName } from './caller.js';
import type { TokenMethod } from './store.js';

/** The application credential a token was issued from. */
export interface TokenAppCredential {
  readonly id: string;
  readonly name: string;
  readonly unrestricted: boolean;
}

/** A validated token. */
export interface TokenInfo {
  readonly user: { readonly id: string; readonly name: string };
  /** Null for an unscoped token. */
  readonly project: { readonly id: string; readonly name: string } | null;
  /** Effective roles on the project (implied roles included); empty when unscoped. */
  readonly roles: readonly RoleName[];
  readonly methods: readonly TokenMethod[];
  readonly applicationCredential: TokenAppCredential | null;
  readonly auditIds: readonly string[];
  readonly issuedAt: string;
  readonly expiresAt: string;
}

/** A newly issued token: the bearer secret (shown once, never stored) and what it stands for. */
export interface IssuedToken {
  readonly token: string;
  readonly info: TokenInfo;
}

/** The request identity of a project-scoped token; undefined for an unscoped one (it may not use `/v1`). */
export function callerOf(info: TokenInfo): Caller | undefined {
  if (!info.project) return undefined;
  return {
    userId: info.user.id,
    userName: info.user.name,
    projectId: info.project.id,
    projectName: info.project.name,
    roles: info.roles,
    method: info.applicationCredential ? 'application_credential' : 'token',
    expiresAt: info.expiresAt,
  };
}
