/**
 * The identity service's persistence port: projects, users, role assignments, tokens (by digest only) and
 * application credentials (secret hashes only). Implemented over SQL in `src/store/identity-store.ts`.
 * Deleting a user or a project deletes its assignments, tokens and application credentials with it.
 */
import type { RoleName } from './caller.js';

/** A project (Keystone's, in the single domain `default`). */
export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly createdAt: string;
}

/** A user. */
export interface UserRecord {
  readonly id: string;
  readonly name: string;
  /** scrypt hash string (see `passwords.ts`); null for a user without a password (cannot sign in with one). */
  readonly passwordHash: string | null;
  readonly enabled: boolean;
  readonly defaultProjectId: string | null;
  readonly description: string;
  readonly createdAt: string;
}

/** Fields of a user that can change. */
export type UserChanges = Partial<
  Pick<UserRecord, 'name' | 'passwordHash' | 'enabled' | 'defaultProjectId' | 'description'>
>;

/** One role granted to one user on one project. */
export interface AssignmentRecord {
  readonly userId: string;
  readonly projectId: string;
  readonly role: RoleName;
}

/** How a token was obtained (Keystone's `methods`). */
export type TokenMethod = 'password' | 'token' | 'application_credential';

/** An issued token. The token itself is never stored: only its SHA-256 digest. */
export interface TokenRecord {
  readonly digest: string;
  readonly userId: string;
  /** Null for an unscoped token. */
  readonly projectId: string | null;
  readonly methods: readonly TokenMethod[];
  /** Set when issued from an application credential (its roles then bound the token's). */
  readonly applicationCredentialId: string | null;
  /** Keystone's `audit_ids`: this token's own id, then the one it was rescoped from, if any. */
  readonly auditIds: readonly string[];
  readonly issuedAt: string;
  readonly expiresAt: string;
}

/** An application credential: a secret a user hands to automation, limited to some of their roles. */
export interface AppCredentialRecord {
  readonly id: string;
  readonly userId: string;
  readonly projectId: string;
  readonly name: string;
  readonly description: string;
  /** scrypt hash string of the secret. */
  readonly secretHash: string;
  /** The roles granted (a subset of the creator's roles when created). */
  readonly roles: readonly RoleName[];
  /** Whether tokens from it may manage application credentials (Keystone's `unrestricted`). */
  readonly unrestricted: boolean;
  readonly expiresAt: string | null;
  readonly createdAt: string;
}

/** Filters of {@link IdentityStore.listAssignments} (all optional, combined with AND). */
export interface AssignmentFilter {
  readonly userId?: string;
  readonly projectId?: string;
  readonly role?: RoleName;
}

/** The persistence port of the identity service. */
export interface IdentityStore {
  insertProject(project: ProjectRecord): Promise<void>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  findProjectByName(name: string): Promise<ProjectRecord | undefined>;
  /** Every project, by name. */
  listProjects(): Promise<ProjectRecord[]>;
  /** Rewrites a project's name, description and enabled flag. */
  updateProject(project: ProjectRecord): Promise<void>;
  /** Deletes a project with its assignments, tokens and application credentials; false if it did not exist. */
  deleteProject(id: string): Promise<boolean>;

  insertUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | undefined>;
  findUserByName(name: string): Promise<UserRecord | undefined>;
  /** Every user, by name. */
  listUsers(): Promise<UserRecord[]>;
  updateUser(id: string, changes: UserChanges): Promise<void>;
  /** Deletes a user with their assignments, tokens and application credentials; false if they did not exist. */
  deleteUser(id: string): Promise<boolean>;

  /** Grants a role; false if it was already granted. */
  addAssignment(assignment: AssignmentRecord): Promise<boolean>;
  /** Removes a grant; false if there was none. */
  removeAssignment(assignment: AssignmentRecord): Promise<boolean>;
  /** Grants matching the filter, by user, project and role. */
  listAssignments(filter: AssignmentFilter): Promise<AssignmentRecord[]>;

  insertToken(token: TokenRecord): Promise<void>;
  getToken(digest: string): Promise<TokenRecord | undefined>;
  /** Deletes one token; false if it did not exist. */
  deleteToken(digest: string): Promise<boolean>;
  /** Deletes every token of a user (of one project only, when given). */
  deleteUserTokens(userId: string, projectId?: string): Promise<void>;
  /** Deletes tokens that expired at or before `now` (ISO time); returns how many. */
  deleteExpiredTokens(now: string): Promise<number>;

  insertAppCredential(credential: AppCredentialRecord): Promise<void>;
  getAppCredential(id: string): Promise<AppCredentialRecord | undefined>;
  findAppCredentialByName(userId: string, name: string): Promise<AppCredentialRecord | undefined>;
  /** A user's application credentials, by name. */
  listAppCredentials(userId: string): Promise<AppCredentialRecord[]>;
  /** Deletes one application credential with the tokens issued from it; false if it did not exist. */
  deleteAppCredential(id: string): Promise<boolean>;
  /** Deletes a user's application credentials on a project (when the user loses a role there, as Keystone). */
  deleteUserAppCredentials(userId: string, projectId: string): Promise<void>;
}
