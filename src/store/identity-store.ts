/**
 * {@link IdentityStore} over the same Kysely database as the {@link SqlStore} (tables of migration 0003).
 * Dialect-neutral: booleans as 0/1, lists as JSON text, times as ISO strings.
 */
import type { Kysely } from 'kysely';
import type { RoleName } from '../identity/caller.js';
import type {
  AppCredentialRecord,
  AssignmentFilter,
  AssignmentRecord,
  IdentityStore,
  ProjectRecord,
  TokenMethod,
  TokenRecord,
  UserChanges,
  UserRecord,
} from '../identity/store.js';
import type { Database } from './schema.js';
import { sqlDialectOf, type SqlDialectName } from './dialect.js';

/** Row of `identity_projects`. */
export interface IdentityProjectsTable {
  id: string;
  name: string;
  description: string;
  /** 0 or 1. */
  enabled: number;
  created_at: string;
}

/** Row of `identity_users`. */
export interface IdentityUsersTable {
  id: string;
  name: string;
  password_hash: string | null;
  /** 0 or 1. */
  enabled: number;
  default_project_id: string | null;
  description: string;
  created_at: string;
}

/** Row of `identity_assignments`. */
export interface IdentityAssignmentsTable {
  user_id: string;
  project_id: string;
  role: string;
}

/** Row of `identity_tokens`: the SHA-256 digest of a token, never the token. */
export interface IdentityTokensTable {
  digest: string;
  user_id: string;
  project_id: string | null;
  /** JSON list of method names. */
  methods: string;
  app_credential_id: string | null;
  /** JSON list of audit ids. */
  audit_ids: string;
  issued_at: string;
  expires_at: string;
}

/** Row of `identity_app_credentials`. */
export interface IdentityAppCredentialsTable {
  id: string;
  user_id: string;
  project_id: string;
  name: string;
  description: string;
  secret_hash: string;
  /** JSON list of role names. */
  roles: string;
  /** 0 or 1. */
  unrestricted: number;
  expires_at: string | null;
  created_at: string;
}

/** The identity tables as Kysely sees them (a type alias: `withTables` needs an index signature). */
export type IdentityTables = {
  identity_projects: IdentityProjectsTable;
  identity_users: IdentityUsersTable;
  identity_assignments: IdentityAssignmentsTable;
  identity_tokens: IdentityTokensTable;
  identity_app_credentials: IdentityAppCredentialsTable;
};

const projectOf = (r: IdentityProjectsTable): ProjectRecord => ({
  id: r.id,
  name: r.name,
  description: r.description,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
});

const userOf = (r: IdentityUsersTable): UserRecord => ({
  id: r.id,
  name: r.name,
  passwordHash: r.password_hash,
  enabled: r.enabled === 1,
  defaultProjectId: r.default_project_id,
  description: r.description,
  createdAt: r.created_at,
});

const tokenOf = (r: IdentityTokensTable): TokenRecord => ({
  digest: r.digest,
  userId: r.user_id,
  projectId: r.project_id,
  methods: JSON.parse(r.methods) as TokenMethod[],
  applicationCredentialId: r.app_credential_id,
  auditIds: JSON.parse(r.audit_ids) as string[],
  issuedAt: r.issued_at,
  expiresAt: r.expires_at,
});

const appCredentialOf = (r: IdentityAppCredentialsTable): AppCredentialRecord => ({
  id: r.id,
  userId: r.user_id,
  projectId: r.project_id,
  name: r.name,
  description: r.description,
  secretHash: r.secret_hash,
  roles: JSON.parse(r.roles) as RoleName[],
  unrestricted: r.unrestricted === 1,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
});

const bit = (b: boolean): number => (b ? 1 : 0);

/** The SQL implementation of the identity persistence port. */
export class SqlIdentityStore implements IdentityStore {
  readonly #db: Kysely<Database & IdentityTables>;

  /** @param db the store's open, migrated database (`SqlStore.db`); not owned (never closed here). */
  constructor(db: Kysely<Database>) {
    this.#db = db.withTables<IdentityTables>();
    this.#dialect = sqlDialectOf(db);
  }

  readonly #dialect: SqlDialectName;

  async insertProject(p: ProjectRecord): Promise<void> {
    await this.#db
      .insertInto('identity_projects')
      .values({
        id: p.id,
        name: p.name,
        description: p.description,
        enabled: bit(p.enabled),
        created_at: p.createdAt,
      })
      .execute();
  }

  async getProject(id: string): Promise<ProjectRecord | undefined> {
    const row = await this.#db
      .selectFrom('identity_projects')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && projectOf(row);
  }

  async findProjectByName(name: string): Promise<ProjectRecord | undefined> {
    const row = await this.#db
      .selectFrom('identity_projects')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && projectOf(row);
  }

  async listProjects(): Promise<ProjectRecord[]> {
    const rows = await this.#db.selectFrom('identity_projects').selectAll().orderBy('name').execute();
    return rows.map(projectOf);
  }

  async updateProject(p: ProjectRecord): Promise<void> {
    await this.#db
      .updateTable('identity_projects')
      .set({ name: p.name, description: p.description, enabled: bit(p.enabled) })
      .where('id', '=', p.id)
      .execute();
  }

  async deleteProject(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('identity_projects').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async insertUser(u: UserRecord): Promise<void> {
    await this.#db
      .insertInto('identity_users')
      .values({
        id: u.id,
        name: u.name,
        password_hash: u.passwordHash,
        enabled: bit(u.enabled),
        default_project_id: u.defaultProjectId,
        description: u.description,
        created_at: u.createdAt,
      })
      .execute();
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const row = await this.#db
      .selectFrom('identity_users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && userOf(row);
  }

  async findUserByName(name: string): Promise<UserRecord | undefined> {
    const row = await this.#db
      .selectFrom('identity_users')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row && userOf(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.#db.selectFrom('identity_users').selectAll().orderBy('name').execute();
    return rows.map(userOf);
  }

  async updateUser(id: string, changes: UserChanges): Promise<void> {
    const values: Partial<IdentityUsersTable> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.passwordHash !== undefined) values.password_hash = changes.passwordHash;
    if (changes.enabled !== undefined) values.enabled = bit(changes.enabled);
    if (changes.defaultProjectId !== undefined) values.default_project_id = changes.defaultProjectId;
    if (changes.description !== undefined) values.description = changes.description;
    if (Object.keys(values).length === 0) return;
    await this.#db.updateTable('identity_users').set(values).where('id', '=', id).execute();
  }

  async deleteUser(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('identity_users').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async addAssignment(a: AssignmentRecord): Promise<boolean> {
    const insert = this.#db
      .insertInto('identity_assignments')
      .values({ user_id: a.userId, project_id: a.projectId, role: a.role });
    // MariaDB has no ON CONFLICT, and INSERT IGNORE would also swallow a foreign-key failure: look first (locking
    // the key), then insert; a concurrent twin is absorbed by the no-op ON DUPLICATE KEY UPDATE.
    if (this.#dialect !== 'mysql') {
      const result = await insert.onConflict((oc) => oc.doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    }
    return this.#db.transaction().execute(async (tx) => {
      const existing = await tx
        .selectFrom('identity_assignments')
        .select('role')
        .where('user_id', '=', a.userId)
        .where('project_id', '=', a.projectId)
        .where('role', '=', a.role)
        .forUpdate()
        .executeTakeFirst();
      if (existing !== undefined) return false;
      await tx.executeQuery(insert.onDuplicateKeyUpdate({ role: a.role }).compile());
      return true;
    });
  }

  async removeAssignment(a: AssignmentRecord): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('identity_assignments')
      .where('user_id', '=', a.userId)
      .where('project_id', '=', a.projectId)
      .where('role', '=', a.role)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listAssignments(filter: AssignmentFilter): Promise<AssignmentRecord[]> {
    let query = this.#db.selectFrom('identity_assignments').selectAll();
    if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
    if (filter.projectId !== undefined) query = query.where('project_id', '=', filter.projectId);
    if (filter.role !== undefined) query = query.where('role', '=', filter.role);
    const rows = await query.orderBy('user_id').orderBy('project_id').orderBy('role').execute();
    return rows.map((r) => ({ userId: r.user_id, projectId: r.project_id, role: r.role as RoleName }));
  }

  async insertToken(t: TokenRecord): Promise<void> {
    await this.#db
      .insertInto('identity_tokens')
      .values({
        digest: t.digest,
        user_id: t.userId,
        project_id: t.projectId,
        methods: JSON.stringify(t.methods),
        app_credential_id: t.applicationCredentialId,
        audit_ids: JSON.stringify(t.auditIds),
        issued_at: t.issuedAt,
        expires_at: t.expiresAt,
      })
      .execute();
  }

  async getToken(digest: string): Promise<TokenRecord | undefined> {
    const row = await this.#db
      .selectFrom('identity_tokens')
      .selectAll()
      .where('digest', '=', digest)
      .executeTakeFirst();
    return row && tokenOf(row);
  }

  async deleteToken(digest: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('identity_tokens')
      .where('digest', '=', digest)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteUserTokens(userId: string, projectId?: string): Promise<void> {
    let query = this.#db.deleteFrom('identity_tokens').where('user_id', '=', userId);
    if (projectId !== undefined) query = query.where('project_id', '=', projectId);
    await query.execute();
  }

  async deleteExpiredTokens(now: string): Promise<number> {
    const result = await this.#db
      .deleteFrom('identity_tokens')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async insertAppCredential(c: AppCredentialRecord): Promise<void> {
    await this.#db
      .insertInto('identity_app_credentials')
      .values({
        id: c.id,
        user_id: c.userId,
        project_id: c.projectId,
        name: c.name,
        description: c.description,
        secret_hash: c.secretHash,
        roles: JSON.stringify(c.roles),
        unrestricted: bit(c.unrestricted),
        expires_at: c.expiresAt,
        created_at: c.createdAt,
      })
      .execute();
  }

  async getAppCredential(id: string): Promise<AppCredentialRecord | undefined> {
    const row = await this.#db
      .selectFrom('identity_app_credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && appCredentialOf(row);
  }

  async findAppCredentialByName(userId: string, name: string): Promise<AppCredentialRecord | undefined> {
    const row = await this.#db
      .selectFrom('identity_app_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && appCredentialOf(row);
  }

  async listAppCredentials(userId: string): Promise<AppCredentialRecord[]> {
    const rows = await this.#db
      .selectFrom('identity_app_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('name')
      .execute();
    return rows.map(appCredentialOf);
  }

  async deleteAppCredential(id: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('identity_app_credentials')
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteUserAppCredentials(userId: string, projectId: string): Promise<void> {
    await this.#db
      .deleteFrom('identity_app_credentials')
      .where('user_id', '=', userId)
      .where('project_id', '=', projectId)
      .execute();
  }
}
