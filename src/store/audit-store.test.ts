import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../api/audit.js';
import { SqlAuditLog } from './audit-store.js';
import { fixtureId } from './fixtures.js';
import type { SqlStore } from './sql-store.js';
import { createTestDatabase, openDatabase, TEST_DIALECTS, type TestDatabase } from './testing/databases.js';

let seconds = 0;

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  seconds += 1;
  return {
    id: fixtureId(),
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString(),
    projectId: 'project-a',
    userId: 'u1',
    userName: 'owner',
    method: 'POST',
    route: '/v1/:tenant/stacks',
    action: 'stacks:create',
    target: 'stacks/web/1',
    status: 201,
    result: 'success',
    requestId: `req-${seconds}`,
    ...overrides,
  };
}

describe.each(TEST_DIALECTS)('the SQL audit log (%s)', (dialect) => {
  let database: TestDatabase;
  let store: SqlStore;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    store = await openDatabase(database);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('round-trips records and lists a project newest first, never another project', async () => {
    const log = new SqlAuditLog(store.db);
    const a1 = record();
    const b1 = record({ projectId: 'project-b', action: null, target: null });
    const a2 = record({ method: 'DELETE', action: 'stacks:delete', status: 403, result: 'denied' });
    for (const r of [a1, b1, a2]) await log.append(r);
    expect(await log.list('project-a', {})).toStrictEqual([a2, a1]);
    expect(await log.list('project-b', {})).toStrictEqual([b1]);
    expect(await log.find('project-a', a1.id)).toStrictEqual(a1);
    expect(await log.find('project-a', b1.id)).toBeUndefined();
    expect(await log.list('nobody', {})).toStrictEqual([]);
  });

  it('pages with limit and marker and filters by since, action and result', async () => {
    const log = new SqlAuditLog(store.db);
    const records = [
      record(),
      record({ action: 'stacks:delete', result: 'failure', status: 409 }),
      record({ action: 'stacks:update', result: 'denied', status: 403 }),
      record(),
      record({ action: 'stacks:delete' }),
    ];
    for (const r of records) await log.append(r);
    const ids = (rs: AuditRecord[]) => rs.map((r) => r.id);
    const newestFirst = ids([...records].reverse());
    expect(ids(await log.list('project-a', { limit: 2 }))).toEqual(newestFirst.slice(0, 2));
    expect(ids(await log.list('project-a', { limit: 2, marker: newestFirst[1]! }))).toEqual(
      newestFirst.slice(2, 4),
    );
    expect(ids(await log.list('project-a', { marker: newestFirst[4]! }))).toEqual([]);
    expect(ids(await log.list('project-a', { since: records[3]!.time }))).toEqual(newestFirst.slice(0, 2));
    expect(ids(await log.list('project-a', { actions: ['stacks:delete'] }))).toEqual([
      records[4]!.id,
      records[1]!.id,
    ]);
    expect(ids(await log.list('project-a', { results: ['denied', 'failure'] }))).toEqual([
      records[2]!.id,
      records[1]!.id,
    ]);
    expect(await log.list('project-a', { actions: [] })).toEqual([]);
    // A marker of another project is unknown here: nothing follows it.
    const other = record({ projectId: 'project-b' });
    await log.append(other);
    expect(await log.list('project-a', { marker: other.id })).toEqual([]);
  });

  it('keeps the newest `retention` records per project, whatever other projects hold', async () => {
    const log = new SqlAuditLog(store.db, { retention: 3 });
    const a = Array.from({ length: 5 }, () => record());
    const b = [record({ projectId: 'project-b' }), record({ projectId: 'project-b' })];
    for (const r of [...a.slice(0, 2), ...b, ...a.slice(2)]) await log.append(r);
    expect((await log.list('project-a', {})).map((r) => r.id)).toEqual(
      a
        .slice(2)
        .reverse()
        .map((r) => r.id),
    );
    expect((await log.list('project-b', {})).map((r) => r.id)).toEqual([b[1]!.id, b[0]!.id]);
  });

  it('refuses a retention below 1 with the value received', () => {
    expect(() => new SqlAuditLog(store.db, { retention: 0 })).toThrow(
      'audit retention must be an integer >= 1, got 0',
    );
  });

  it('survives reopening the database (records are durable)', async () => {
    await store.close();
    const first = await openDatabase(database);
    const r = record();
    await new SqlAuditLog(first.db).append(r);
    await first.close();
    store = await openDatabase(database);
    expect(await new SqlAuditLog(store.db).list('project-a', {})).toStrictEqual([r]);
  });
});
