import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppCredentialRecord, ProjectRecord, TokenRecord, UserRecord } from '../identity/store.js';
import { SqlIdentityStore } from './identity-store.js';
import { openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';
import type { SqlStore } from './sql-store.js';

const T0 = '2030-01-01T00:00:00.000Z';
const project = (id: string, name: string): ProjectRecord => ({
  id,
  name,
  description: '',
  enabled: true,
  createdAt: T0,
});
const user = (id: string, name: string, defaultProjectId: string | null = null): UserRecord => ({
  id,
  name,
  passwordHash: '$scrypt$v=1$ln=15,r=8,p=1$x$y',
  enabled: true,
  defaultProjectId,
  description: '',
  createdAt: T0,
});
const token = (
  digest: string,
  userId: string,
  projectId: string | null,
  extra: Partial<TokenRecord> = {},
) => ({
  digest,
  userId,
  projectId,
  methods: ['password' as const],
  applicationCredentialId: null,
  auditIds: ['a1'],
  issuedAt: T0,
  expiresAt: '2030-01-01T01:00:00.000Z',
  ...extra,
});
const credential = (id: string, userId: string, projectId: string): AppCredentialRecord => ({
  id,
  userId,
  projectId,
  name: `cred-${id}`,
  description: 'd',
  secretHash: 'h',
  roles: ['member'],
  unrestricted: false,
  expiresAt: null,
  createdAt: T0,
});

describe.each(TEST_DIALECTS)('SqlIdentityStore (%s)', (dialect) => {
  let opened: TestStore;
  let sql: SqlStore;
  let store: SqlIdentityStore;

  beforeEach(async () => {
    opened = await openTestStore(dialect);
    sql = opened.store;
    store = new SqlIdentityStore(sql.db);
    await store.insertProject(project('p1', 'alpha'));
    await store.insertProject(project('p2', 'beta'));
    await store.insertUser(user('u1', 'alice', 'p1'));
    await store.insertUser(user('u2', 'bob'));
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('stores and finds projects and users by id and by name, listed by name', async () => {
    expect(await store.getProject('p1')).toEqual(project('p1', 'alpha'));
    expect((await store.findProjectByName('beta'))?.id).toBe('p2');
    expect(await store.findProjectByName('gamma')).toBeUndefined();
    expect((await store.listProjects()).map((p) => p.name)).toEqual(['alpha', 'beta']);
    expect(await store.getUser('u1')).toEqual(user('u1', 'alice', 'p1'));
    expect((await store.findUserByName('bob'))?.id).toBe('u2');
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['alice', 'bob']);
  });

  it('refuses a second project or user with the same name (unique constraint)', async () => {
    await expect(store.insertProject(project('p3', 'alpha'))).rejects.toThrow();
    await expect(store.insertUser(user('u3', 'alice'))).rejects.toThrow();
  });

  it('updates users and projects', async () => {
    await store.updateUser('u2', {
      enabled: false,
      passwordHash: null,
      defaultProjectId: 'p2',
      name: 'robert',
    });
    expect(await store.getUser('u2')).toMatchObject({
      name: 'robert',
      enabled: false,
      passwordHash: null,
      defaultProjectId: 'p2',
    });
    await store.updateProject({ ...project('p2', 'beta2'), enabled: false, description: 'x' });
    expect(await store.getProject('p2')).toMatchObject({ name: 'beta2', enabled: false, description: 'x' });
  });

  it('grants roles idempotently, filters and removes them', async () => {
    expect(await store.addAssignment({ userId: 'u1', projectId: 'p1', role: 'admin' })).toBe(true);
    expect(await store.addAssignment({ userId: 'u1', projectId: 'p1', role: 'admin' })).toBe(false);
    await store.addAssignment({ userId: 'u2', projectId: 'p1', role: 'reader' });
    await store.addAssignment({ userId: 'u2', projectId: 'p2', role: 'member' });
    expect(await store.listAssignments({ projectId: 'p1' })).toEqual([
      { userId: 'u1', projectId: 'p1', role: 'admin' },
      { userId: 'u2', projectId: 'p1', role: 'reader' },
    ]);
    expect(await store.listAssignments({ userId: 'u2', role: 'member' })).toEqual([
      { userId: 'u2', projectId: 'p2', role: 'member' },
    ]);
    expect(await store.removeAssignment({ userId: 'u2', projectId: 'p1', role: 'reader' })).toBe(true);
    expect(await store.removeAssignment({ userId: 'u2', projectId: 'p1', role: 'reader' })).toBe(false);
    expect(await store.listAssignments({})).toHaveLength(2);
  });

  it('keeps tokens by digest, deletes them one by one, per user/project, and when expired', async () => {
    await store.insertToken(token('d1', 'u1', 'p1'));
    await store.insertToken(token('d2', 'u1', 'p2'));
    await store.insertToken(token('d3', 'u1', null, { expiresAt: '2029-01-01T00:00:00.000Z' }));
    await store.insertToken(token('d4', 'u2', 'p2'));
    expect(await store.getToken('d1')).toEqual(token('d1', 'u1', 'p1'));
    expect(await store.deleteToken('d1')).toBe(true);
    expect(await store.deleteToken('d1')).toBe(false);
    await store.deleteUserTokens('u1', 'p2');
    expect(await store.getToken('d2')).toBeUndefined();
    expect(await store.getToken('d3')).toBeDefined();
    expect(await store.deleteExpiredTokens('2029-06-01T00:00:00.000Z')).toBe(1);
    expect(await store.getToken('d4')).toBeDefined();
    await store.deleteUserTokens('u2');
    expect(await store.getToken('d4')).toBeUndefined();
  });

  it('keeps application credentials per user, unique by name', async () => {
    await store.insertAppCredential(credential('c1', 'u1', 'p1'));
    expect(await store.getAppCredential('c1')).toEqual(credential('c1', 'u1', 'p1'));
    expect((await store.findAppCredentialByName('u1', 'cred-c1'))?.id).toBe('c1');
    expect(await store.findAppCredentialByName('u2', 'cred-c1')).toBeUndefined();
    await expect(
      store.insertAppCredential({ ...credential('c2', 'u1', 'p1'), name: 'cred-c1' }),
    ).rejects.toThrow();
    await store.insertAppCredential(credential('c3', 'u1', 'p2'));
    expect((await store.listAppCredentials('u1')).map((c) => c.id)).toEqual(['c1', 'c3']);
    await store.deleteUserAppCredentials('u1', 'p2');
    expect((await store.listAppCredentials('u1')).map((c) => c.id)).toEqual(['c1']);
  });

  it('deleting a user cascades to their assignments, tokens and application credentials', async () => {
    await store.addAssignment({ userId: 'u1', projectId: 'p1', role: 'member' });
    await store.insertAppCredential(credential('c1', 'u1', 'p1'));
    await store.insertToken(token('d1', 'u1', 'p1'));
    expect(await store.deleteUser('u1')).toBe(true);
    expect(await store.deleteUser('u1')).toBe(false);
    expect(await store.listAssignments({ userId: 'u1' })).toEqual([]);
    expect(await store.getAppCredential('c1')).toBeUndefined();
    expect(await store.getToken('d1')).toBeUndefined();
  });

  it("deleting a project cascades to its assignments, tokens and credentials, and clears users' default", async () => {
    await store.addAssignment({ userId: 'u1', projectId: 'p1', role: 'member' });
    await store.insertAppCredential(credential('c1', 'u1', 'p1'));
    await store.insertToken(token('d1', 'u1', 'p1'));
    await store.insertToken(token('d2', 'u1', 'p2'));
    expect(await store.deleteProject('p1')).toBe(true);
    expect(await store.listAssignments({})).toEqual([]);
    expect(await store.getAppCredential('c1')).toBeUndefined();
    expect(await store.getToken('d1')).toBeUndefined();
    expect(await store.getToken('d2')).toBeDefined();
    expect((await store.getUser('u1'))?.defaultProjectId).toBeNull();
  });

  it('deleting an application credential deletes the tokens issued from it', async () => {
    await store.insertAppCredential(credential('c1', 'u1', 'p1'));
    await store.insertToken(
      token('d1', 'u1', 'p1', { applicationCredentialId: 'c1', methods: ['application_credential'] }),
    );
    expect((await store.getToken('d1'))?.methods).toEqual(['application_credential']);
    expect(await store.deleteAppCredential('c1')).toBe(true);
    expect(await store.getToken('d1')).toBeUndefined();
  });
});
