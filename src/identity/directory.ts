/**
 * Projects, users and role assignments (the Keystone admin API's model). Every change that can take rights away
 * (deleting a user or project, changing a password, disabling a user, removing a role) takes effect on tokens at
 * once: dependent rows are deleted and the validation cache is cleared.
 */
import type { RoleName } from './caller.js';
import { conflict, IdentityError, notFound, unauthorized } from './errors.js';
import { newId } from './ids.js';
import { hashSecret, verifySecret, type ScryptCost } from './passwords.js';
import type {
  AssignmentFilter,
  AssignmentRecord,
  IdentityStore,
  ProjectRecord,
  UserChanges,
  UserRecord,
} from './store.js';
import type { TokenRegistry } from './token-registry.js';

/** A new project. */
export interface ProjectInput {
  readonly name: string;
  readonly description?: string;
  readonly enabled?: boolean;
}

/** Changes to a project. */
export type ProjectChanges = Partial<ProjectInput>;

/** A new user. */
export interface UserInput {
  readonly name: string;
  readonly password?: string;
  readonly enabled?: boolean;
  readonly defaultProjectId?: string | null;
  readonly description?: string;
}

/** Changes to a user (a new password revokes the user's tokens, as Keystone does). */
export type UserUpdate = Partial<UserInput>;

/** The identity directory. */
export class IdentityDirectory {
  constructor(
    private readonly store: IdentityStore,
    private readonly tokens: TokenRegistry,
    private readonly hashCost: ScryptCost,
    private readonly now: () => number,
  ) {}

  /** Creates a project. @throws IdentityError 409 if the name is taken */
  async createProject(input: ProjectInput): Promise<ProjectRecord> {
    if (await this.store.findProjectByName(input.name)) throw conflict('project', input.name);
    const project: ProjectRecord = {
      id: newId(),
      name: input.name,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      createdAt: this.#time(),
    };
    await this.#insert(() => this.store.insertProject(project), 'project', input.name);
    return project;
  }

  /** A project by id. @throws IdentityError 404 */
  async project(id: string): Promise<ProjectRecord> {
    const project = await this.store.getProject(id);
    if (!project) throw notFound('project', id);
    return project;
  }

  /** Projects, optionally only those with this name. */
  async listProjects(filter: { name?: string } = {}): Promise<ProjectRecord[]> {
    const all = await this.store.listProjects();
    return filter.name === undefined ? all : all.filter((p) => p.name === filter.name);
  }

  /** Renames, describes, enables or disables a project (disabling stops its tokens). @throws IdentityError */
  async updateProject(id: string, changes: ProjectChanges): Promise<ProjectRecord> {
    const project = await this.project(id);
    if (changes.name !== undefined && changes.name !== project.name) {
      if (await this.store.findProjectByName(changes.name)) throw conflict('project', changes.name);
    }
    const updated: ProjectRecord = {
      ...project,
      name: changes.name ?? project.name,
      description: changes.description ?? project.description,
      enabled: changes.enabled ?? project.enabled,
    };
    await this.store.updateProject(updated);
    this.tokens.forgetCached();
    return updated;
  }

  /** Deletes a project with its role assignments, tokens and application credentials. @throws IdentityError 404 */
  async deleteProject(id: string): Promise<void> {
    if (!(await this.store.deleteProject(id))) throw notFound('project', id);
    this.tokens.forgetCached();
  }

  /** Creates a user. @throws IdentityError 409 if the name is taken, 404 for an unknown default project */
  async createUser(input: UserInput): Promise<UserRecord> {
    if (await this.store.findUserByName(input.name)) throw conflict('user', input.name);
    if (input.defaultProjectId) await this.project(input.defaultProjectId);
    const user: UserRecord = {
      id: newId(),
      name: input.name,
      passwordHash: input.password === undefined ? null : await hashSecret(input.password, this.hashCost),
      enabled: input.enabled ?? true,
      defaultProjectId: input.defaultProjectId ?? null,
      description: input.description ?? '',
      createdAt: this.#time(),
    };
    await this.#insert(() => this.store.insertUser(user), 'user', input.name);
    return user;
  }

  /** A user by id. @throws IdentityError 404 */
  async user(id: string): Promise<UserRecord> {
    const user = await this.store.getUser(id);
    if (!user) throw notFound('user', id);
    return user;
  }

  /** Users, optionally only those with this name. */
  async listUsers(filter: { name?: string } = {}): Promise<UserRecord[]> {
    const all = await this.store.listUsers();
    return filter.name === undefined ? all : all.filter((u) => u.name === filter.name);
  }

  /** Changes a user; a new password or disabling revokes their tokens. @throws IdentityError 404/409 */
  async updateUser(id: string, update: UserUpdate): Promise<UserRecord> {
    const user = await this.user(id);
    if (update.name !== undefined && update.name !== user.name) {
      if (await this.store.findUserByName(update.name)) throw conflict('user', update.name);
    }
    if (update.defaultProjectId) await this.project(update.defaultProjectId);
    const changes: UserChanges = {
      ...(update.name !== undefined ? { name: update.name } : {}),
      ...(update.enabled !== undefined ? { enabled: update.enabled } : {}),
      ...(update.description !== undefined ? { description: update.description } : {}),
      ...(update.defaultProjectId !== undefined ? { defaultProjectId: update.defaultProjectId } : {}),
      ...(update.password !== undefined
        ? { passwordHash: await hashSecret(update.password, this.hashCost) }
        : {}),
    };
    await this.store.updateUser(id, changes);
    if (update.password !== undefined || update.enabled === false) await this.store.deleteUserTokens(id);
    this.tokens.forgetCached();
    return this.user(id);
  }

  /**
   * A user changing their own password, proving the current one (Keystone's `POST /v3/users/{id}/password`).
   * Their tokens are revoked. @throws IdentityError 401 when the original password is wrong
   */
  async changeOwnPassword(id: string, originalPassword: string, password: string): Promise<void> {
    const user = await this.user(id);
    if (!user.passwordHash || !(await verifySecret(originalPassword, user.passwordHash)))
      throw unauthorized();
    await this.updateUser(id, { password });
  }

  /** Deletes a user with their assignments, tokens and application credentials. @throws IdentityError 404 */
  async deleteUser(id: string): Promise<void> {
    if (!(await this.store.deleteUser(id))) throw notFound('user', id);
    this.tokens.forgetCached();
  }

  /** Grants `role` to a user on a project (idempotent). @throws IdentityError 404 */
  async grant(projectId: string, userId: string, role: RoleName): Promise<void> {
    await this.project(projectId);
    await this.user(userId);
    await this.store.addAssignment({ userId, projectId, role });
    this.tokens.forgetCached();
  }

  /**
   * Removes a grant. As Keystone, the user's tokens and application credentials on that project are revoked.
   * @throws IdentityError 404 (also when the grant does not exist)
   */
  async revokeGrant(projectId: string, userId: string, role: RoleName): Promise<void> {
    await this.project(projectId);
    await this.user(userId);
    if (!(await this.store.removeAssignment({ userId, projectId, role }))) {
      throw new IdentityError(
        404,
        `Could not find role assignment with role: ${role}, user: ${userId}, project: ${projectId}.`,
      );
    }
    await this.store.deleteUserTokens(userId, projectId);
    await this.store.deleteUserAppCredentials(userId, projectId);
    this.tokens.forgetCached();
  }

  /** Whether the grant exists. @throws IdentityError 404 for an unknown project or user */
  async hasGrant(projectId: string, userId: string, role: RoleName): Promise<boolean> {
    await this.project(projectId);
    await this.user(userId);
    return (await this.store.listAssignments({ userId, projectId, role })).length > 0;
  }

  /** Grants matching a filter. */
  listGrants(filter: AssignmentFilter): Promise<AssignmentRecord[]> {
    return this.store.listAssignments(filter);
  }

  #time(): string {
    return new Date(this.now()).toISOString();
  }

  /** Runs an insert; a concurrent insert of the same name (unique constraint) becomes a 409. */
  async #insert(insert: () => Promise<void>, kind: 'project' | 'user', name: string): Promise<void> {
    try {
      await insert();
    } catch (err) {
      const taken =
        kind === 'project' ? await this.store.findProjectByName(name) : await this.store.findUserByName(name);
      if (taken) throw conflict(kind, name);
      throw err;
    }
  }
}
