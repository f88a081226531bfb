/**
 * Issues, validates and revokes tokens. A token is 32 random bytes (base64url) handed to the client once; the
 * store keeps only its SHA-256 digest. Validation re-reads the user, project, roles and application credential,
 * and caches the answer in memory for a few seconds: any change made through this process clears the cache at
 * once; a change made by another process sharing the database is seen within the cache lifetime (5 s).
 */
import { unauthorized } from './errors.js';
import { effectiveRoles } from './roles.js';
import { newAuditId, newSecret, tokenDigest } from './ids.js';
import type {
  AppCredentialRecord,
  IdentityStore,
  ProjectRecord,
  TokenMethod,
  TokenRecord,
  UserRecord,
} from './store.js';
import type { IssuedToken, TokenInfo } from './token-info.js';
import type { RoleName } from './caller.js';

/** What a token is issued for (the credentials were already verified). */
export interface TokenGrant {
  readonly user: UserRecord;
  readonly project: ProjectRecord | null;
  readonly methods: readonly TokenMethod[];
  readonly appCredential: AppCredentialRecord | null;
  /** Audit id of the token this one was rescoped from. */
  readonly parentAuditId?: string;
  /** The token may not outlive this time (ISO): its parent token's or its application credential's expiry. */
  readonly notAfter?: string | null;
}

/** Options of {@link TokenRegistry}. */
export interface TokenRegistryOptions {
  /** Token lifetime in milliseconds. */
  readonly ttlMs: number;
  /** How long a validation is reused from memory (other processes' revocations take up to this long). */
  readonly cacheMs: number;
  readonly now: () => number;
}

/** Cached validations at most (oldest dropped first). */
const MAX_CACHED = 10_000;
/** Expired tokens are purged from the store at most this often. */
const PURGE_EVERY_MS = 60_000;

/** Roles a user holds on a project through an application credential: its roles the user still holds. */
export function appCredentialRoles(
  credential: AppCredentialRecord,
  userRoles: readonly RoleName[],
): RoleName[] {
  return effectiveRoles(credential.roles.filter((r) => userRoles.includes(r)));
}

/** The token registry. */
export class TokenRegistry {
  readonly #cache = new Map<string, { info: TokenInfo; loadedAt: number }>();
  #lastPurge = 0;

  constructor(
    private readonly store: IdentityStore,
    private readonly options: TokenRegistryOptions,
  ) {}

  /** Effective roles of a user on a project (implied roles included). */
  async userRoles(userId: string, projectId: string): Promise<RoleName[]> {
    const assignments = await this.store.listAssignments({ userId, projectId });
    return effectiveRoles(assignments.map((a) => a.role));
  }

  /** Issues a token for verified credentials. */
  async issue(grant: TokenGrant): Promise<IssuedToken> {
    const now = this.options.now();
    await this.#purgeExpired(now);
    let expires = now + this.options.ttlMs;
    if (grant.notAfter) expires = Math.min(expires, Date.parse(grant.notAfter));
    const token = newSecret(32);
    const record: TokenRecord = {
      digest: tokenDigest(token),
      userId: grant.user.id,
      projectId: grant.project?.id ?? null,
      methods: grant.methods,
      applicationCredentialId: grant.appCredential?.id ?? null,
      auditIds: [newAuditId(), ...(grant.parentAuditId ? [grant.parentAuditId] : [])],
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(expires).toISOString(),
    };
    await this.store.insertToken(record);
    const info = await this.#load(record);
    if (!info) {
      // e.g. an application credential whose roles the user no longer holds: nothing to grant.
      await this.store.deleteToken(record.digest);
      throw unauthorized();
    }
    return { token, info };
  }

  /** What a token stands for now; undefined if it is unknown, expired, revoked or no longer backed by a role. */
  async validate(token: string): Promise<TokenInfo | undefined> {
    const digest = tokenDigest(token);
    const now = this.options.now();
    const cached = this.#cache.get(digest);
    if (cached && now - cached.loadedAt < this.options.cacheMs) {
      return Date.parse(cached.info.expiresAt) > now ? cached.info : undefined;
    }
    this.#cache.delete(digest);
    const record = await this.store.getToken(digest);
    const info = record && (await this.#load(record));
    if (!info) return undefined;
    if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(digest, { info, loadedAt: now });
    return info;
  }

  /** Revokes one token; false if it was not a live token. */
  async revoke(token: string): Promise<boolean> {
    this.forgetCached();
    return this.store.deleteToken(tokenDigest(token));
  }

  /** Drops every cached validation (after any change to users, projects, roles or credentials). */
  forgetCached(): void {
    this.#cache.clear();
  }

  /** Builds the info of a stored token, or undefined if it no longer validates. */
  async #load(record: TokenRecord): Promise<TokenInfo | undefined> {
    if (Date.parse(record.expiresAt) <= this.options.now()) return undefined;
    const user = await this.store.getUser(record.userId);
    if (!user?.enabled) return undefined;
    let project: ProjectRecord | undefined;
    let roles: RoleName[] = [];
    if (record.projectId !== null) {
      project = await this.store.getProject(record.projectId);
      if (!project?.enabled) return undefined;
      roles = await this.userRoles(user.id, project.id);
    }
    let credential: AppCredentialRecord | undefined;
    if (record.applicationCredentialId !== null) {
      credential = await this.store.getAppCredential(record.applicationCredentialId);
      if (!credential) return undefined;
      if (credential.expiresAt && Date.parse(credential.expiresAt) <= this.options.now()) return undefined;
      roles = appCredentialRoles(credential, roles);
    }
    if (project && roles.length === 0) return undefined;
    return {
      user: { id: user.id, name: user.name },
      project: project ? { id: project.id, name: project.name } : null,
      roles,
      methods: record.methods,
      applicationCredential: credential
        ? { id: credential.id, name: credential.name, unrestricted: credential.unrestricted }
        : null,
      auditIds: record.auditIds,
      issuedAt: record.issuedAt,
      expiresAt: record.expiresAt,
    };
  }

  /** Deletes expired tokens from the store, at most once a minute. */
  async #purgeExpired(now: number): Promise<void> {
    if (now - this.#lastPurge < PURGE_EVERY_MS) return;
    this.#lastPurge = now;
    await this.store.deleteExpiredTokens(new Date(now).toISOString());
  }
}
