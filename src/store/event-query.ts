/**
 * Event reads: filtered, ordered by the store-assigned `seq` (creation order), paged by marker; and the purge
 * of a stack's oldest events.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { EventListQuery } from '../engine/store.js';
import type { Database, EventsTable } from './schema.js';

/** An event row as read back (with its `seq`). */
export type EventRow = Omit<EventsTable, 'seq'> & { seq: number };

const NOTHING = sql<SqlBool>`1 = 0`;

const FILTER_COLUMNS = {
  resourceName: 'events.resource_name',
  resourceAction: 'events.action',
  resourceStatus: 'events.status',
  resourceType: 'events.resource_type',
} as const;

function eventCondition(
  eb: ExpressionBuilder<Database, 'events'>,
  query: EventListQuery,
): Expression<SqlBool> {
  if (query.stackIds.length === 0) return NOTHING;
  const conditions: Expression<SqlBool>[] = [eb('events.stack_id', 'in', query.stackIds)];
  for (const [key, column] of Object.entries(FILTER_COLUMNS)) {
    const values = query[key as keyof typeof FILTER_COLUMNS];
    if (values === undefined) continue;
    conditions.push(values.length === 0 ? NOTHING : eb(column, 'in', values));
  }
  return eb.and(conditions);
}

/**
 * Lists events of the given stacks, oldest first unless `sortDir` is `desc` (Heat's default is ascending);
 * `marker` is the id of the last event of the previous page (an unknown marker is ignored).
 */
export async function selectEventRows(db: Kysely<Database>, query: EventListQuery): Promise<EventRow[]> {
  const direction = query.sortDir ?? 'asc';
  const marker =
    query.marker === undefined
      ? undefined
      : await db.selectFrom('events').select('seq').where('id', '=', query.marker).executeTakeFirst();
  let select = db
    .selectFrom('events')
    .selectAll()
    .where((eb) => eventCondition(eb, query));
  if (marker !== undefined) select = select.where('seq', direction === 'asc' ? '>' : '<', marker.seq);
  select = select.orderBy('seq', direction);
  if (query.limit !== undefined) select = select.limit(query.limit);
  return (await select.execute()) as EventRow[];
}

/**
 * Deletes the events of a stack except the newest `keep` ones; with `batchSize` > 1 the oldest are deleted in
 * whole batches (Heat's `event_purge_batch_size`), so between `keep - batchSize + 1` and `keep` remain.
 */
export async function purgeOldEvents(
  db: Kysely<Database>,
  stackId: string,
  keep: number,
  batchSize = 1,
): Promise<void> {
  let kept = Math.max(0, Math.floor(keep));
  if (batchSize > 1) {
    const { count } = await db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('stack_id', '=', stackId)
      .executeTakeFirstOrThrow();
    const total = Number(count);
    if (total <= kept) return;
    kept = Math.max(0, total - Math.ceil((total - kept) / batchSize) * batchSize);
  }
  // The newest event to delete: two portable statements (MariaDB refuses LIMIT inside an IN subquery).
  const newestDoomed = await db
    .selectFrom('events')
    .select('seq')
    .where('stack_id', '=', stackId)
    .orderBy('seq', 'desc')
    .limit(1)
    .offset(kept)
    .executeTakeFirst();
  if (newestDoomed === undefined) return;
  await db
    .deleteFrom('events')
    .where('stack_id', '=', stackId)
    .where('seq', '<=', newestDoomed.seq)
    .execute();
}
