/**
 * Checks credentials and resolves the scope of an authentication, producing a {@link TokenGrant}. Every failure
 * is the same 401 ({@link unauthorized}), and a missing user or credential still costs one hash, so neither the
 * message nor the time tells which part was wrong.
 */
import type { AuthCredential, AuthRequest, AuthScope, ProjectRef, UserRef } from './auth-request.js';
import { isDefaultDomain } from './auth-request.js';
import { unauthorized } from './errors.js';
import { verifySecret } from './passwords.js';
import type { AppCredentialRecord, IdentityStore, ProjectRecord, UserRecord } from './store.js';
import type { TokenInfo } from './token-info.js';
import type { TokenGrant, TokenRegistry } from './token-registry.js';

/** Verifies credentials against the store. */
export class CredentialVerifier {
  /**
   * @param dummyHash a hash of a secret nobody knows, at the production cost: verified against when there is no
   *   real hash, so that every attempt costs one hash
   */
  constructor(
    private readonly store: IdentityStore,
    private readonly tokens: TokenRegistry,
    private readonly dummyHash: Promise<string>,
    private readonly now: () => number,
  ) {}

  /** The user a reference names (undefined if none, or in another domain). */
  async findUser(ref: UserRef): Promise<UserRecord | undefined> {
    if ('id' in ref) return this.store.getUser(ref.id);
    return isDefaultDomain(ref.domain) ? this.store.findUserByName(ref.name) : undefined;
  }

  /** The project a reference names (undefined if none, or in another domain). */
  async findProject(ref: ProjectRef): Promise<ProjectRecord | undefined> {
    if ('id' in ref) return this.store.getProject(ref.id);
    return isDefaultDomain(ref.domain) ? this.store.findProjectByName(ref.name) : undefined;
  }

  /** Verifies the request's credential and scope. @throws IdentityError 401 */
  async verify(request: AuthRequest): Promise<TokenGrant> {
    const { credential } = request;
    switch (credential.method) {
      case 'password':
        return this.#password(credential.user, credential.password, request.scope);
      case 'token':
        return this.#token(credential.token, request.scope);
      case 'application_credential':
        return this.#applicationCredential(credential, request.scope);
    }
  }

  async #password(ref: UserRef, password: string, scope: AuthScope): Promise<TokenGrant> {
    const user = await this.findUser(ref);
    const matches = await verifySecret(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !user.passwordHash || !matches || !user.enabled) throw unauthorized();
    let project: ProjectRecord | null = null;
    if (scope.kind === 'project') project = await this.#scopedProject(user, scope.project);
    else if (scope.kind === 'default' && user.defaultProjectId) {
      const candidate = await this.store.getProject(user.defaultProjectId);
      if (candidate?.enabled && (await this.tokens.userRoles(user.id, candidate.id)).length > 0)
        project = candidate;
    }
    return { user, project, methods: ['password'], appCredential: null };
  }

  async #token(token: string, scope: AuthScope): Promise<TokenGrant> {
    const parent: TokenInfo | undefined = await this.tokens.validate(token);
    if (!parent) throw unauthorized();
    const user = await this.store.getUser(parent.user.id);
    if (!user) throw unauthorized();
    const credential = parent.applicationCredential
      ? await this.store.getAppCredential(parent.applicationCredential.id)
      : undefined;
    let project: ProjectRecord | null = null;
    if (scope.kind === 'project') project = await this.#scopedProject(user, scope.project);
    else if (scope.kind === 'default' && parent.project) {
      project = (await this.store.getProject(parent.project.id)) ?? null;
    }
    if (credential && project?.id !== credential.projectId) throw unauthorized();
    return {
      user,
      project,
      methods: ['token'],
      appCredential: credential ?? null,
      parentAuditId: parent.auditIds[0],
      notAfter: parent.expiresAt,
    };
  }

  async #applicationCredential(
    given: Extract<AuthCredential, { method: 'application_credential' }>,
    scope: AuthScope,
  ): Promise<TokenGrant> {
    let credential: AppCredentialRecord | undefined;
    if (given.id !== undefined) credential = await this.store.getAppCredential(given.id);
    else if (given.name !== undefined && given.user) {
      const owner = await this.findUser(given.user);
      credential = owner && (await this.store.findAppCredentialByName(owner.id, given.name));
    }
    const matches = await verifySecret(given.secret, credential?.secretHash ?? (await this.dummyHash));
    if (!credential || !matches) throw unauthorized();
    if (credential.expiresAt && Date.parse(credential.expiresAt) <= this.now()) throw unauthorized();
    const user = await this.store.getUser(credential.userId);
    const project = await this.store.getProject(credential.projectId);
    if (!user?.enabled || !project?.enabled) throw unauthorized();
    if (scope.kind === 'project' && (await this.findProject(scope.project))?.id !== project.id)
      throw unauthorized();
    if (scope.kind === 'unscoped') throw unauthorized();
    return {
      user,
      project,
      methods: ['application_credential'],
      appCredential: credential,
      notAfter: credential.expiresAt,
    };
  }

  /** The project of an explicit scope, if it exists, is enabled and the user holds a role on it. */
  async #scopedProject(user: UserRecord, ref: ProjectRef): Promise<ProjectRecord> {
    const project = await this.findProject(ref);
    if (!project?.enabled) throw unauthorized();
    if ((await this.tokens.userRoles(user.id, project.id)).length === 0) throw unauthorized();
    return project;
  }
}
