import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureStack, temporaryDirectory } from './fixtures.js';
import { createStore } from './index.js';
import { storeMigrations } from './migrations/index.js';
import { openSqliteStore } from './sqlite.js';
import { sqlDialectOf } from './dialect.js';
import { redactStoreUrl } from './store-url.js';
import { createTestDatabase, TEST_DIALECTS } from './testing/databases.js';
import { openStoreWhenReachable } from './unavailable.js';

describe('createStore', () => {
  it('opens sqlite:PATH, sqlite://PATH and a bare path (creating parent directories)', async () => {
    const dir = temporaryDirectory();
    try {
      for (const url of [
        `sqlite:${join(dir.path, 'a', 'one.db')}`,
        `sqlite://${join(dir.path, 'two.db')}`,
        join(dir.path, 'b', 'three.db'),
      ]) {
        const store = await createStore(url);
        const stack = fixtureStack();
        await store.apply([{ kind: 'insertStack', stack }]);
        expect((await store.getStack(stack.id))?.id).toBe(stack.id);
        await store.close();
      }
      expect(existsSync(join(dir.path, 'a', 'one.db'))).toBe(true);
      expect(existsSync(join(dir.path, 'two.db'))).toBe(true);
      expect(existsSync(join(dir.path, 'b', 'three.db'))).toBe(true);
    } finally {
      dir.remove();
    }
  });

  it('opens an in-memory database with sqlite::memory:', async () => {
    const store = await createStore('sqlite::memory:');
    expect(await store.countStacks({})).toBe(0);
    await store.close();
  });

  it.each(TEST_DIALECTS.filter((d) => d !== 'sqlite'))('opens a %s URL and migrates it', async (dialect) => {
    const database = await createTestDatabase(dialect);
    try {
      const url = dialect === 'mysql' ? database.url.replace(/^mysql:/, 'mariadb:') : database.url;
      const store = await createStore(url);
      expect(sqlDialectOf(store.db)).toBe(dialect);
      expect(await store.readiness()).toEqual({ reachable: true, pendingMigrations: [] });
      await store.close();
    } finally {
      await database.drop();
    }
  });

  it('refuses unknown schemes and empty URLs plainly, and hides passwords in messages', async () => {
    await expect(createStore('redis://h')).rejects.toThrow(/unsupported store URL scheme 'redis:'/);
    await expect(createStore('')).rejects.toThrow(/store URL is empty/);
    expect(redactStoreUrl('postgres://hearth:s3cret@db:5432/hearth')).toBe(
      'postgres://hearth:***@db:5432/hearth',
    );
    expect(redactStoreUrl('mysql://root@db/hearth')).toBe('mysql://root@db/hearth');
  });

  it('waits for an unreachable database with backoff, and fails at once for anything else', async () => {
    const messages: string[] = [];
    await expect(
      openStoreWhenReachable('postgres://postgres:pw@127.0.0.1:1/none', createStore, {
        initialDelayMs: 10,
        maxAttempts: 3,
        onRetry: (_attempt, _delay, message) => messages.push(message),
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(
      /^database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none is unreachable .*retrying in 0\.0 s$/,
    );
    expect(messages.join()).not.toContain(':pw@');
    await expect(openStoreWhenReachable('redis://h', createStore, { maxAttempts: 5 })).rejects.toThrow(
      /unsupported store URL scheme/,
    );
  });

  it('migrates once: reopening an existing file keeps its schema and meta', async () => {
    const dir = temporaryDirectory();
    try {
      const file = join(dir.path, 'm.db');
      const first = await openSqliteStore(file);
      const created = await first.db.selectFrom('hearth_meta').selectAll().execute();
      await first.close();
      const second = await openSqliteStore(file);
      expect(await second.db.selectFrom('hearth_meta').selectAll().execute()).toEqual(created);
      const migrations = await second.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      expect(migrations).toEqual(Object.keys(storeMigrations('sqlite')).map((name) => ({ name })));
      expect(migrations[0]).toEqual({ name: '0001_initial' });
      await second.close();
    } finally {
      dir.remove();
    }
  });
});
