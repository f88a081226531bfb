/**
 * Writing the outbox: inside the transaction of a batch, one `outbox` row per event of the batch, holding the
 * event's notification (see `notification.ts`). Written with the state change or not at all, so a notification is
 * never lost by a crash or a broker outage and never announces a change that was rolled back.
 */
import { hostname } from 'node:os';
import type { Generated, Kysely, Transaction } from 'kysely';
import type { EventRecord } from '../engine/store.js';
import { notificationOf, routingKeyOf, type NotificationStack } from './notification.js';
import type { Database } from './schema.js';

/** Row of `outbox` (migration 0008). */
export interface OutboxTable {
  /** Store-assigned, strictly increasing: the publishing order. */
  seq: Generated<number>;
  /** The event the row announces (the message id). */
  event_id: string;
  /** The event's root stack: rows of one stack tree are published in `seq` order. */
  stack_id: string;
  routing_key: string;
  /** JSON of the notification message. */
  payload: string;
  /** ISO time of the write (the outbox lag is measured from it). */
  created_at: string;
}

/** The tables the outbox reads and writes. */
export interface OutboxTables {
  outbox: OutboxTable;
  stacks: Database['stacks'];
}

/** Options of the outbox writer. */
export interface OutboxOptions {
  /** Heat's `default_publisher_id`; default `orchestration.<hostname>`. */
  publisherId?: string;
}

/** The writer's settled options. */
export interface OutboxSettings {
  readonly publisherId: string;
}

/** Settles {@link OutboxOptions}. */
export function outboxSettings(options: OutboxOptions = {}): OutboxSettings {
  return { publisherId: options.publisherId ?? `orchestration.${hostname()}` };
}

/** Most rows (or ids) per statement: well under every dialect's bound-parameter limit. */
const ROWS_PER_STATEMENT = 300;

/** Reads the stacks of `ids` as a notification sees them (in the caller's transaction). */
async function notificationStacks(
  tx: Kysely<OutboxTables>,
  ids: readonly string[],
): Promise<Map<string, NotificationStack>> {
  const stacks = new Map<string, NotificationStack>();
  for (let start = 0; start < ids.length; start += ROWS_PER_STATEMENT) {
    const rows = await tx
      .selectFrom('stacks')
      .select(['id', 'name', 'project_id', 'username', 'parent_id', 'created_at', 'updated_at', 'tags'])
      .where('id', 'in', ids.slice(start, start + ROWS_PER_STATEMENT))
      .execute();
    for (const row of rows) {
      let tags: string[] = [];
      try {
        const parsed: unknown = JSON.parse(row.tags);
        if (Array.isArray(parsed)) tags = parsed.map(String);
      } catch {
        // a malformed tag list is reported as none
      }
      stacks.set(row.id, {
        id: row.id,
        name: row.name,
        projectId: row.project_id,
        username: row.username,
        parentId: row.parent_id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        tags,
      });
    }
  }
  return stacks;
}

/**
 * Inserts the outbox rows of `events` in `tx`, which must be the transaction that inserts the events (and after
 * the batch's other writes, so the notification sees the stack as the batch leaves it).
 */
export async function writeOutboxRows(
  tx: Transaction<Database> | Kysely<Database>,
  events: readonly EventRecord[],
  settings: OutboxSettings,
): Promise<void> {
  if (events.length === 0) return;
  const db = tx as unknown as Kysely<OutboxTables>;
  const stacks = await notificationStacks(db, [...new Set(events.map((event) => event.stackId))]);
  const createdAt = new Date().toISOString();
  const rows = events.map((event) => {
    const notification = notificationOf(event, stacks.get(event.stackId), settings.publisherId);
    return {
      event_id: event.id,
      stack_id: event.rootStackId,
      routing_key: routingKeyOf(notification.priority),
      payload: JSON.stringify(notification),
      created_at: createdAt,
    };
  });
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    await db
      .insertInto('outbox')
      .values(rows.slice(start, start + ROWS_PER_STATEMENT))
      .execute();
  }
}
