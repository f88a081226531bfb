/**
 * Translates a {@link StackListQuery} into SQL: filters, tag filters (through `stack_tags`), sorting and
 * keyset paging. Everything stays in SQL so a page costs the same however many stacks exist.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { StackListQuery } from '../engine/store.js';
import type { Database, StacksTable } from './schema.js';

type StacksBuilder = ExpressionBuilder<Database, 'stacks'>;
type SortKey = NonNullable<StackListQuery['sortKeys']>[number];
type Direction = 'asc' | 'desc';

/** Always false, in every dialect (`IN ()` is not portable). */
const NOTHING = sql<SqlBool>`1 = 0`;

const FILTER_COLUMNS = {
  id: 'stacks.id',
  name: 'stacks.name',
  status: 'stacks.status',
  action: 'stacks.action',
  username: 'stacks.username',
  parentId: 'stacks.parent_id',
  projectId: 'stacks.project_id',
} as const;

/**
 * The WHERE condition of a stack list/count: project, roots only unless `showNested`, live only unless
 * `showDeleted`, exact-match filters (a list is OR; an empty list matches nothing) and the four tag filters
 * (Heat semantics: `tags` all of, `tagsAny` any of, `notTags` not all of, `notTagsAny` none of; an empty tag list is no filter).
 */
export function stackListCondition(eb: StacksBuilder, query: StackListQuery): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (query.projectId !== undefined) conditions.push(eb('stacks.project_id', '=', query.projectId));
  if (!query.showNested) conditions.push(eb('stacks.parent_id', 'is', null));
  if (!query.showDeleted) conditions.push(eb('stacks.deleted_at', 'is', null));
  for (const [key, column] of Object.entries(FILTER_COLUMNS)) {
    const values = query.filters?.[key as keyof typeof FILTER_COLUMNS];
    if (values === undefined) continue;
    conditions.push(values.length === 0 ? NOTHING : eb(column, 'in', values));
  }
  const hasTag = (tags: readonly string[]) =>
    eb.exists(
      eb
        .selectFrom('stack_tags')
        .select('stack_tags.stack_id')
        .whereRef('stack_tags.stack_id', '=', 'stacks.id')
        .where('stack_tags.tag', 'in', tags),
    );
  const hasAllTags = (tags: readonly string[]) => eb.and(unique(tags).map((tag) => hasTag([tag])));
  if (query.tags?.length) conditions.push(hasAllTags(query.tags));
  if (query.tagsAny?.length) conditions.push(hasTag(unique(query.tagsAny)));
  if (query.notTags?.length) conditions.push(eb.not(hasAllTags(query.notTags)));
  if (query.notTagsAny?.length) conditions.push(eb.not(hasTag(unique(query.notTagsAny))));
  return eb.and(conditions);
}

/**
 * Heat's sort defaults: no keys → `created_at desc`; keys without a direction → ascending. The id is always
 * the last key so the order (and so the paging) is total.
 */
export function resolveStackSort(query: StackListQuery): { keys: SortKey[]; direction: Direction } {
  const keys = unique(query.sortKeys ?? []);
  if (keys.length === 0) return { keys: ['createdAt'], direction: query.sortDir ?? 'desc' };
  return { keys, direction: query.sortDir ?? 'asc' };
}

/** The sortable value of a key as an SQL expression (a NULL update time sorts as the earliest, in every dialect). */
function sortExpression(eb: StacksBuilder, key: SortKey | 'id'): Expression<string> {
  switch (key) {
    case 'createdAt':
      return eb.ref('stacks.created_at');
    case 'updatedAt':
      return eb.fn.coalesce('stacks.updated_at', eb.val(''));
    case 'name':
      return eb.ref('stacks.name');
    case 'status':
      return eb.ref('stacks.status');
    case 'id':
      return eb.ref('stacks.id');
  }
}

function sortValue(row: StacksTable, key: SortKey | 'id'): string {
  switch (key) {
    case 'createdAt':
      return row.created_at;
    case 'updatedAt':
      return row.updated_at ?? '';
    case 'name':
      return row.name;
    case 'status':
      return row.status;
    case 'id':
      return row.id;
  }
}

/** The keyset condition "after the marker row" for the given order: (k1 > m1) OR (k1 = m1 AND k2 > m2) OR … */
function afterMarker(eb: StacksBuilder, keys: (SortKey | 'id')[], direction: Direction, marker: StacksTable) {
  const beyond = direction === 'asc' ? '>' : '<';
  const alternatives = keys.map((key, index) =>
    eb.and([
      ...keys.slice(0, index).map((prefix) => eb(sortExpression(eb, prefix), '=', sortValue(marker, prefix))),
      eb(sortExpression(eb, key), beyond, sortValue(marker, key)),
    ]),
  );
  return eb.or(alternatives);
}

/** Lists the stack rows of a query, sorted and paged (an unknown marker is ignored, as Heat does). */
export async function selectStackRows(db: Kysely<Database>, query: StackListQuery): Promise<StacksTable[]> {
  const { keys, direction } = resolveStackSort(query);
  const allKeys: (SortKey | 'id')[] = [...keys, 'id'];
  const marker =
    query.marker === undefined
      ? undefined
      : await db.selectFrom('stacks').selectAll().where('id', '=', query.marker).executeTakeFirst();
  let select = db
    .selectFrom('stacks')
    .selectAll('stacks')
    .where((eb) => stackListCondition(eb, query));
  if (marker !== undefined) select = select.where((eb) => afterMarker(eb, allKeys, direction, marker));
  for (const key of allKeys) select = select.orderBy((eb) => sortExpression(eb, key), direction);
  if (query.limit !== undefined) select = select.limit(query.limit);
  return select.execute();
}

/** Counts the stacks of a query (paging and sorting do not apply). */
export async function countStackRows(db: Kysely<Database>, query: StackListQuery): Promise<number> {
  const row = await db
    .selectFrom('stacks')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where((eb) => stackListCondition(eb, query))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
