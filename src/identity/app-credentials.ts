/**
 * Application credentials: a user creates them with a project-scoped token; each has an id and a secret (shown
 * once, stored hashed), is bound to the creator's project, grants a subset of the creator's roles there, and may
 * expire. Only their owner lists, shows or deletes them; tokens issued from one stop with it.
 */
import type { RoleName } from './caller.js';
import { conflict, IdentityError, invalidField, notFound } from './errors.js';
import { newId, newSecret } from './ids.js';
import { hashSecret, type ScryptCost } from './passwords.js';
import type { AppCredentialRecord, IdentityStore } from './store.js';
import type { TokenInfo } from './token-info.js';
import type { TokenRegistry } from './token-registry.js';

/** A new application credential. */
export interface AppCredentialInput {
  readonly name: string;
  readonly description?: string;
  /** Chosen by the user; generated (64 random bytes, base64url) when absent. */
  readonly secret?: string;
  /** ISO time; null or absent: never. */
  readonly expiresAt?: string | null;
  /** Default: every role of the creating token. */
  readonly roles?: readonly RoleName[];
  readonly unrestricted?: boolean;
}

/** A created application credential and its secret (the only time the secret is available). */
export interface CreatedAppCredential {
  readonly credential: AppCredentialRecord;
  readonly secret: string;
}

/** The application credential manager. */
export class AppCredentials {
  constructor(
    private readonly store: IdentityStore,
    private readonly tokens: TokenRegistry,
    private readonly hashCost: ScryptCost,
    private readonly now: () => number,
  ) {}

  /**
   * Creates an application credential for the caller on the caller's project.
   * @throws IdentityError 403 (another user, an unscoped or restricted token), 400 (a role the caller lacks, an
   *   expiry in the past), 409 (name taken)
   */
  async create(caller: TokenInfo, userId: string, input: AppCredentialInput): Promise<CreatedAppCredential> {
    this.#checkOwner(caller, userId, 'create_application_credential', true);
    const project = caller.project;
    if (!project) {
      throw new IdentityError(
        403,
        'An application credential needs a project-scoped token (the project it acts in).',
      );
    }
    const roles = input.roles ?? caller.roles;
    const missing = roles.filter((r) => !caller.roles.includes(r));
    if (missing.length > 0) {
      throw invalidField(
        'application_credential.roles',
        `the caller does not hold ${missing.map((r) => `'${r}'`).join(', ')} on project ${project.id} ` +
          `(roles held: ${caller.roles.join(', ') || 'none'}).`,
      );
    }
    if (input.expiresAt && Date.parse(input.expiresAt) <= this.now()) {
      throw invalidField('application_credential.expires_at', `'${input.expiresAt}' is in the past.`);
    }
    if (await this.store.findAppCredentialByName(userId, input.name)) {
      throw conflict('application credential', input.name);
    }
    const secret = input.secret ?? newSecret(64);
    const credential: AppCredentialRecord = {
      id: newId(),
      userId,
      projectId: project.id,
      name: input.name,
      description: input.description ?? '',
      secretHash: await hashSecret(secret, this.hashCost),
      roles: [...roles],
      unrestricted: input.unrestricted ?? false,
      expiresAt: input.expiresAt ?? null,
      createdAt: new Date(this.now()).toISOString(),
    };
    await this.store.insertAppCredential(credential);
    return { credential, secret };
  }

  /** The caller's application credentials. @throws IdentityError 403 for another user's */
  async list(
    caller: TokenInfo,
    userId: string,
    filter: { name?: string } = {},
  ): Promise<AppCredentialRecord[]> {
    this.#checkOwner(caller, userId, 'list_application_credentials', false);
    const all = await this.store.listAppCredentials(userId);
    return filter.name === undefined ? all : all.filter((c) => c.name === filter.name);
  }

  /** One of the caller's application credentials. @throws IdentityError 403/404 */
  async get(caller: TokenInfo, userId: string, id: string): Promise<AppCredentialRecord> {
    this.#checkOwner(caller, userId, 'get_application_credential', false);
    const credential = await this.store.getAppCredential(id);
    if (!credential || credential.userId !== userId) throw notFound('application credential', id);
    return credential;
  }

  /** Deletes one of the caller's application credentials and the tokens issued from it. @throws IdentityError */
  async delete(caller: TokenInfo, userId: string, id: string): Promise<void> {
    this.#checkOwner(caller, userId, 'delete_application_credential', true);
    await this.get(caller, userId, id);
    await this.store.deleteAppCredential(id);
    this.tokens.forgetCached();
  }

  /**
   * Only the user themself manages their application credentials; a token obtained from a restricted
   * application credential may not create or delete any (Keystone's rule).
   */
  #checkOwner(caller: TokenInfo, userId: string, action: string, changes: boolean): void {
    if (caller.user.id !== userId) {
      throw new IdentityError(
        403,
        `You are not authorized to perform the requested action: identity:${action}.`,
      );
    }
    if (changes && caller.applicationCredential && !caller.applicationCredential.unrestricted) {
      throw new IdentityError(
        403,
        "Using method 'application_credential' is not allowed for managing additional application credentials.",
      );
    }
  }
}
