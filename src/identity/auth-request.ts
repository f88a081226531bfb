/**
 * The parsed form of a Keystone `POST /v3/auth/tokens` body (the API checks its shape): one credential and a scope.
 */

/** A domain reference; Hearth has one domain, id `default`, name `Default`. */
export interface DomainRef {
  readonly id?: string;
  readonly name?: string;
}

/** A user by id, or by name in a domain. */
export type UserRef = { readonly id: string } | { readonly name: string; readonly domain?: DomainRef };

/** A project by id, or by name in a domain. */
export type ProjectRef = { readonly id: string } | { readonly name: string; readonly domain?: DomainRef };

/** The credential proving who the caller is. */
export type AuthCredential =
  | { readonly method: 'password'; readonly user: UserRef; readonly password: string }
  | { readonly method: 'token'; readonly token: string }
  | {
      readonly method: 'application_credential';
      /** By id, or by name (with `user`). */
      readonly id?: string;
      readonly name?: string;
      readonly user?: UserRef;
      readonly secret: string;
    };

/**
 * What the token is for: a project, explicitly unscoped, or the default (the application credential's project,
 * the rescoped token's project, or the user's default project when they hold a role there).
 */
export type AuthScope =
  | { readonly kind: 'project'; readonly project: ProjectRef }
  | { readonly kind: 'unscoped' }
  | { readonly kind: 'default' };

/** One authentication attempt. */
export interface AuthRequest {
  readonly credential: AuthCredential;
  readonly scope: AuthScope;
  /** The client's address (failed attempts are rate-limited per address too). */
  readonly clientAddress: string;
}

/** True when a domain reference names Hearth's only domain (`default` / `Default`), or is absent. */
export function isDefaultDomain(domain: DomainRef | undefined): boolean {
  if (!domain) return true;
  if (domain.id !== undefined) return domain.id === 'default';
  return domain.name === undefined || domain.name.toLowerCase() === 'default';
}
