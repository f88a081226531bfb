/**
 * The secret that signs resource signal URLs and host credentials, kept in the database (`hearth_meta`,
 * key `signal_key`) when several API and engine processes must agree on it (`hearth api` / `hearth engine`).
 * Created once, by whichever process comes first; never shown in logs or API output.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

const KEY = 'signal_key';

/** Reads the shared secret, creating it on first use (a concurrent creator's value wins consistently). */
export async function loadOrCreateSharedSecret(db: Kysely<Database>): Promise<Buffer> {
  const read = async (): Promise<Buffer | undefined> => {
    const row = await db.selectFrom('hearth_meta').select('value').where('key', '=', KEY).executeTakeFirst();
    return row ? Buffer.from(row.value, 'base64') : undefined;
  };
  const found = await read();
  if (found) return found;
  try {
    await db
      .insertInto('hearth_meta')
      .values({ key: KEY, value: randomBytes(32).toString('base64') })
      .execute();
  } catch {
    // Another process inserted it first (primary key): use theirs.
  }
  const created = await read();
  if (!created) throw new Error('store: could not create the shared signal secret');
  return created;
}
