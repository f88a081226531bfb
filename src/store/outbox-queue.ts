/**
 * Reading the outbox for a publisher: claim the oldest rows, hand them to a sink (the broker), delete the ones it
 * confirmed.
 *
 * On PostgreSQL and MariaDB a claim is `SELECT … FOR UPDATE SKIP LOCKED` in a READ COMMITTED transaction held
 * while the sink publishes, so several processes can publish at once without sending a row twice or waiting on each
 * other. Rows of one stack tree keep their order across publishers: a claim publishes a stack's rows only while
 * they are the oldest of that stack still in the outbox (rows that follow a row held by another publisher wait for
 * the next claim). On SQLite (one writer at a time) a claim is a plain read: run one publisher per database.
 */
import type { Kysely } from 'kysely';
import { sqlDialectOf, type SqlDialectName } from './dialect.js';
import type { OutboxTables } from './outbox-writer.js';

/** A notification waiting in the outbox. */
export interface OutboxMessage {
  seq: number;
  eventId: string;
  /** The root stack of the event: messages of one stack tree are published in `seq` order. */
  stackId: string;
  routingKey: string;
  /** The JSON message. */
  payload: string;
  /** ISO time the row was written. */
  createdAt: string;
}

/**
 * Publishes messages in order and resolves with how many of them, from the first, the broker confirmed (those are
 * deleted; the others stay for the next claim).
 */
export type OutboxSink = (messages: readonly OutboxMessage[]) => Promise<number>;

/** What one {@link SqlOutbox.drain} did. */
export interface DrainResult {
  /** Rows claimed. */
  claimed: number;
  /** Rows handed to the sink (claimed rows not held back for order). */
  offered: number;
  /** Rows the sink confirmed (now deleted). */
  published: number;
}

/** Most ids per statement. */
const IDS_PER_STATEMENT = 500;

/**
 * The claimed rows that may be published now: per stack, the claimed rows up to the first row of that stack (older
 * than the stack's last claimed row) that is still in the outbox but not claimed — another publisher holds it.
 * `present` lists the rows of the claimed stacks still in the outbox up to the newest claimed row, by `seq`.
 */
export function publishableInOrder(
  claimed: readonly OutboxMessage[],
  present: readonly { stackId: string; seq: number }[],
): OutboxMessage[] {
  const claimedSeqs = new Set(claimed.map((message) => message.seq));
  const blockedAfter = new Map<string, number>();
  for (const row of present) {
    if (blockedAfter.has(row.stackId)) continue;
    if (!claimedSeqs.has(row.seq)) blockedAfter.set(row.stackId, row.seq);
  }
  return claimed.filter((message) => {
    const limit = blockedAfter.get(message.stackId);
    return limit === undefined || message.seq < limit;
  });
}

function toMessage(row: {
  seq: number | string;
  event_id: string;
  stack_id: string;
  routing_key: string;
  payload: string;
  created_at: string;
}): OutboxMessage {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    stackId: row.stack_id,
    routingKey: row.routing_key,
    payload: row.payload,
    createdAt: row.created_at,
  };
}

/** The outbox of a store's database, as its publishers see it. */
export class SqlOutbox {
  readonly #db: Kysely<OutboxTables>;
  readonly #dialect: SqlDialectName;

  /** @param db the store's open, migrated database. */
  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<OutboxTables>;
    this.#dialect = sqlDialectOf(db);
  }

  /**
   * Claims up to `limit` of the oldest rows, offers the publishable ones to `sink` in `seq` order and deletes those
   * it confirmed. A sink that throws leaves every row in the outbox.
   */
  async drain(limit: number, sink: OutboxSink): Promise<DrainResult> {
    if (limit <= 0) return { claimed: 0, offered: 0, published: 0 };
    if (this.#dialect === 'sqlite') {
      const claimed = (
        await this.#db.selectFrom('outbox').selectAll().orderBy('seq').limit(limit).execute()
      ).map(toMessage);
      return this.#offer(this.#db, claimed, claimed, sink);
    }
    return this.#db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (tx) => {
        const claimed = (
          await tx
            .selectFrom('outbox')
            .selectAll()
            .orderBy('seq')
            .limit(limit)
            .forUpdate()
            .skipLocked()
            .execute()
        ).map(toMessage);
        if (claimed.length === 0) return { claimed: 0, offered: 0, published: 0 };
        const stacks = [...new Set(claimed.map((message) => message.stackId))];
        const newest = claimed[claimed.length - 1]!.seq;
        const present: { stackId: string; seq: number }[] = [];
        for (let start = 0; start < stacks.length; start += IDS_PER_STATEMENT) {
          const rows = await tx
            .selectFrom('outbox')
            .select(['stack_id', 'seq'])
            .where('stack_id', 'in', stacks.slice(start, start + IDS_PER_STATEMENT))
            .where('seq', '<=', newest)
            .execute();
          for (const row of rows) present.push({ stackId: row.stack_id, seq: Number(row.seq) });
        }
        present.sort((a, b) => a.seq - b.seq);
        return this.#offer(tx, claimed, publishableInOrder(claimed, present), sink);
      });
  }

  async #offer(
    db: Kysely<OutboxTables>,
    claimed: readonly OutboxMessage[],
    offered: readonly OutboxMessage[],
    sink: OutboxSink,
  ): Promise<DrainResult> {
    if (offered.length === 0) return { claimed: claimed.length, offered: 0, published: 0 };
    const confirmed = Math.max(0, Math.min(offered.length, Math.floor(await sink(offered))));
    const seqs = offered.slice(0, confirmed).map((message) => message.seq);
    for (let start = 0; start < seqs.length; start += IDS_PER_STATEMENT) {
      await db
        .deleteFrom('outbox')
        .where('seq', 'in', seqs.slice(start, start + IDS_PER_STATEMENT))
        .execute();
    }
    return { claimed: claimed.length, offered: offered.length, published: confirmed };
  }

  /** Rows waiting to be published. */
  async depth(): Promise<number> {
    const row = await this.#db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Seconds since the oldest waiting row was written (0 when the outbox is empty). */
  async lagSeconds(now: number = Date.now()): Promise<number> {
    const row = await this.#db
      .selectFrom('outbox')
      .select('created_at')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (row === undefined) return 0;
    const written = Date.parse(row.created_at);
    return Number.isNaN(written) ? 0 : Math.max(0, (now - written) / 1000);
  }
}
