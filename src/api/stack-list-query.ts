/**
 * `GET /stacks` query → {@link StackListQuery} (Heat's `StackController._index` whitelist).
 */
import type { StackListQuery } from '../engine/store.js';
import {
  boolParam,
  extractTags,
  intParam,
  multi,
  single,
  sortDirParam,
  splitActionStatus,
  type Query,
} from './params.js';

type SortKey = NonNullable<StackListQuery['sortKeys']>[number];

/** Heat's sort keys (and the column names) → store sort keys. Unknown keys are ignored, as in Heat. */
const SORT_KEYS: Record<string, SortKey> = {
  stack_name: 'name',
  name: 'name',
  stack_status: 'status',
  status: 'status',
  creation_time: 'createdAt',
  created_at: 'createdAt',
  updated_time: 'updatedAt',
  updated_at: 'updatedAt',
};

/** The parsed list request. */
export interface StackListRequest {
  query: StackListQuery;
  withCount: boolean;
  /** `global_tenant=true`: every project's stacks (the policy lets only admins ask). */
  globalTenant: boolean;
}

/** Collects values of several query keys (aliases). */
function values(q: Query, ...keys: string[]): string[] {
  return keys.flatMap((k) =>
    multi(q, k)
      .flatMap((v) => v.split(','))
      .filter((v) => v !== ''),
  );
}

/**
 * Parses the stack list query: filters (`id, name, status, action, username, owner_id, tenant`; a status may be
 * `COMPLETE` or `CREATE_COMPLETE`), tags filters, sorting, paging, `show_deleted`, `show_nested`, `with_count`,
 * `global_tenant`.
 * @throws HeatError HTTPBadRequest on bad integers/booleans/sort direction.
 */
export function parseStackListQuery(q: Query): StackListRequest {
  const query: StackListQuery = {};
  const filters: NonNullable<StackListQuery['filters']> = {};
  const ids = values(q, 'id');
  if (ids.length) filters.id = ids;
  const names = multi(q, 'name').concat(multi(q, 'stack_name'));
  if (names.length) filters.name = names;
  const actions = values(q, 'action', 'stack_action');
  const statuses: string[] = [];
  for (const s of values(q, 'status', 'stack_status')) {
    const split = splitActionStatus(s);
    if (split) {
      statuses.push(split.status);
      if (!actions.includes(split.action)) actions.push(split.action);
    } else statuses.push(s);
  }
  if (statuses.length) filters.status = statuses;
  if (actions.length) filters.action = actions;
  const users = values(q, 'username', 'stack_owner');
  if (users.length) filters.username = users;
  const parents = values(q, 'owner_id', 'parent');
  if (parents.length) filters.parentId = parents;
  const projects = values(q, 'tenant', 'project');
  if (projects.length) filters.projectId = projects;
  if (Object.keys(filters).length) query.filters = filters;

  for (const [key, field] of [
    ['tags', 'tags'],
    ['tags_any', 'tagsAny'],
    ['not_tags', 'notTags'],
    ['not_tags_any', 'notTagsAny'],
  ] as const) {
    const v = single(q, key);
    if (v !== undefined) query[field] = extractTags(key, v);
  }
  const sortKeys = multi(q, 'sort_keys')
    .flatMap((k) => k.split(','))
    .map((k) => SORT_KEYS[k])
    .filter((k): k is SortKey => k !== undefined);
  if (sortKeys.length) query.sortKeys = sortKeys;
  const dir = sortDirParam(q);
  if (dir) query.sortDir = dir;
  const limit = intParam(q, 'limit');
  if (limit !== undefined) query.limit = limit;
  const marker = single(q, 'marker');
  if (marker) query.marker = marker;
  const showDeleted = boolParam(q, 'show_deleted');
  if (showDeleted !== undefined) query.showDeleted = showDeleted;
  const showNested = boolParam(q, 'show_nested');
  if (showNested !== undefined) query.showNested = showNested;
  boolParam(q, 'show_hidden');
  const withCount = boolParam(q, 'with_count') ?? false;
  const globalTenant = boolParam(q, 'global_tenant') ?? false;
  return { query, withCount, globalTenant };
}
