import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureStack, temporaryDirectory } from './fixtures.js';
import { createStore } from './index.js';
import { storeMigrations } from './migrations/index.js';
import { openSqliteStore } from './sqlite.js';

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

  it('refuses PostgreSQL and MariaDB URLs plainly', async () => {
    for (const url of ['postgres://u@h/db', 'postgresql://h/db', 'mysql://h/db', 'mariadb://h/db']) {
      await expect(createStore(url)).rejects.toThrow(
        'PostgreSQL/MariaDB support arrives with the scale-out work',
      );
    }
    await expect(createStore('redis://h')).rejects.toThrow(/unsupported store URL scheme 'redis:'/);
    await expect(createStore('')).rejects.toThrow(/store URL is empty/);
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
