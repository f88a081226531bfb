/**
 * A connection the database server ends while the store holds it between two queries (a restart, a failover, an
 * administrator's kill) must not crash the process: the transaction on it fails with an "unavailable" error and the
 * next call gets a fresh connection. (pg emits an `error` event on a checked-out client; unheard, it is fatal.)
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore, TEST_DIALECTS, type TestStore } from './testing/databases.js';
import { isDatabaseUnavailable } from './unavailable.js';

const SERVER_DIALECTS = TEST_DIALECTS.filter((d) => d !== 'sqlite');

let opened: TestStore | undefined;
afterEach(async () => {
  await opened?.dispose().catch(() => undefined);
  opened = undefined;
});

describe.each(SERVER_DIALECTS)('a connection ended by the server (%s)', (dialect) => {
  it('fails the transaction holding it, and the next call works', async () => {
    opened = await openTestStore(dialect);
    const db = opened.store.db;
    const outcome = await db
      .transaction()
      .execute(async (tx) => {
        const idQuery =
          dialect === 'postgres'
            ? sql<{ id: number }>`SELECT pg_backend_pid() AS id`
            : sql<{ id: number }>`SELECT CONNECTION_ID() AS id`;
        const [{ id }] = (await idQuery.execute(tx)).rows as [{ id: number }];
        // Another connection of the same pool ends this one while no query runs on it.
        await (dialect === 'postgres'
          ? sql`SELECT pg_terminate_backend(${id})`.execute(db)
          : sql.raw(`KILL ${Number(id)}`).execute(db));
        await new Promise((r) => setTimeout(r, 300)); // the server's goodbye arrives while the client idles
        await sql`SELECT 1`.execute(tx);
        return 'committed';
      })
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(outcome), String(outcome)).toBe(true);
    // The pool replaced the dead connection.
    expect(await opened.store.getStack('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });
});
