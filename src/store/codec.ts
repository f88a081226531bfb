/**
 * Conversions between the engine's records and SQL rows: camelCase fields ↔ snake_case columns,
 * JSON values ↔ TEXT, booleans ↔ 0/1. One field table per record drives inserts, patches and reads.
 */
import type { EventRecord, ResourceRecord, StackRecord } from '../engine/store.js';
import type { EventsTable, ResourcesTable, StacksTable } from './schema.js';

/** How one record field is stored. */
interface FieldCodec {
  readonly column: string;
  encode(value: unknown): unknown;
}

const plain = (column: string): FieldCodec => ({ column, encode: (value) => value });
const json = (column: string): FieldCodec => ({ column, encode: (value) => JSON.stringify(value) });
const jsonOrNull = (column: string): FieldCodec => ({
  column,
  encode: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
});
const flag = (column: string): FieldCodec => ({ column, encode: (value) => (value ? 1 : 0) });

const STACK_FIELDS: Record<keyof StackRecord, FieldCodec> = {
  id: plain('id'),
  name: plain('name'),
  projectId: plain('project_id'),
  parentId: plain('parent_id'),
  ownerResource: plain('owner_resource'),
  rootId: plain('root_id'),
  depth: plain('depth'),
  action: plain('action'),
  status: plain('status'),
  statusReason: plain('status_reason'),
  inputs: json('inputs'),
  previousInputs: jsonOrNull('previous_inputs'),
  disableRollback: flag('disable_rollback'),
  timeoutMins: plain('timeout_mins'),
  tags: json('tags'),
  username: plain('username'),
  createdAt: plain('created_at'),
  updatedAt: plain('updated_at'),
  deletedAt: plain('deleted_at'),
  traversal: plain('traversal'),
  deadline: plain('deadline'),
  actionData: json('action_data'),
};

const RESOURCE_FIELDS: Record<keyof ResourceRecord, FieldCodec> = {
  id: plain('id'),
  stackId: plain('stack_id'),
  name: plain('name'),
  type: plain('type'),
  action: plain('action'),
  status: plain('status'),
  statusReason: plain('status_reason'),
  physicalId: plain('physical_id'),
  properties: jsonOrNull('properties'),
  attributes: json('attributes'),
  data: json('data'),
  metadata: json('metadata'),
  requires: json('requires'),
  current: flag('current'),
  replaces: plain('replaces'),
  createdAt: plain('created_at'),
  updatedAt: plain('updated_at'),
  traversal: plain('traversal'),
};

const EVENT_FIELDS: Record<Exclude<keyof EventRecord, 'seq'>, FieldCodec> = {
  id: plain('id'),
  stackId: plain('stack_id'),
  rootStackId: plain('root_stack_id'),
  resourceName: plain('resource_name'),
  physicalId: plain('physical_id'),
  resourceType: plain('resource_type'),
  action: plain('action'),
  status: plain('status'),
  reason: plain('reason'),
  properties: jsonOrNull('properties'),
  time: plain('time'),
};

/** Encodes every field of a field table (a missing value becomes NULL), so all rows of a table have the same columns. */
function encodeRecord(fields: Record<string, FieldCodec>, record: object): Record<string, unknown> {
  const values = record as Record<string, unknown>;
  const row: Record<string, unknown> = {};
  for (const [key, codec] of Object.entries(fields)) {
    const value = values[key];
    row[codec.column] = value === undefined ? null : codec.encode(value);
  }
  return row;
}

/** Encodes the fields present in a patch (undefined values are skipped); an unknown field is an error, not a lost write. */
function encodePatch(fields: Record<string, FieldCodec>, patch: object): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const codec = fields[key];
    if (codec === undefined || key === 'id') throw new Error(`store: field '${key}' cannot be patched`);
    if (value !== undefined) row[codec.column] = codec.encode(value);
  }
  return row;
}

/** The full row of a stack. */
export function stackToRow(stack: StackRecord): StacksTable {
  return encodeRecord(STACK_FIELDS, stack) as unknown as StacksTable;
}

/** The columns a stack patch changes. */
export function stackPatchToRow(patch: Partial<Omit<StackRecord, 'id'>>): Partial<StacksTable> {
  return encodePatch(STACK_FIELDS, patch) as Partial<StacksTable>;
}

/** The full row of a resource. */
export function resourceToRow(resource: ResourceRecord): ResourcesTable {
  return encodeRecord(RESOURCE_FIELDS, resource) as unknown as ResourcesTable;
}

/** The columns a resource patch changes. */
export function resourcePatchToRow(
  patch: Partial<Omit<ResourceRecord, 'id' | 'stackId'>>,
): Partial<ResourcesTable> {
  return encodePatch(RESOURCE_FIELDS, patch) as Partial<ResourcesTable>;
}

/** The row of an event (its `seq` is assigned by the database: a given one is ignored). */
export function eventToRow(event: EventRecord): Omit<EventsTable, 'seq'> {
  return encodeRecord(EVENT_FIELDS, event) as unknown as Omit<EventsTable, 'seq'>;
}

const parse = <T>(text: string): T => JSON.parse(text) as T;
const parseOrNull = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** A stack row back as a record. */
export function rowToStack(row: StacksTable): StackRecord {
  return {
    id: row.id,
    name: row.name,
    projectId: row.project_id,
    parentId: row.parent_id,
    ownerResource: row.owner_resource,
    rootId: row.root_id,
    depth: Number(row.depth),
    action: row.action as StackRecord['action'],
    status: row.status as StackRecord['status'],
    statusReason: row.status_reason,
    inputs: parse(row.inputs),
    previousInputs: parseOrNull(row.previous_inputs),
    disableRollback: Number(row.disable_rollback) !== 0,
    timeoutMins: row.timeout_mins === null ? null : Number(row.timeout_mins),
    tags: parse(row.tags),
    username: row.username,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    traversal: row.traversal,
    deadline: row.deadline,
    actionData: parse(row.action_data),
  };
}

/** A resource row back as a record. */
export function rowToResource(row: ResourcesTable): ResourceRecord {
  return {
    id: row.id,
    stackId: row.stack_id,
    name: row.name,
    type: row.type,
    action: row.action as ResourceRecord['action'],
    status: row.status as ResourceRecord['status'],
    statusReason: row.status_reason,
    physicalId: row.physical_id,
    properties: parseOrNull(row.properties),
    attributes: parse(row.attributes),
    data: parse(row.data),
    metadata: parse(row.metadata),
    requires: parse(row.requires),
    current: Number(row.current) !== 0,
    replaces: row.replaces,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    traversal: row.traversal,
  };
}

/** An event row (with its `seq`) back as a record. */
export function rowToEvent(row: Omit<EventsTable, 'seq'> & { seq: number }): EventRecord {
  return {
    id: row.id,
    seq: Number(row.seq),
    stackId: row.stack_id,
    rootStackId: row.root_stack_id,
    resourceName: row.resource_name,
    physicalId: row.physical_id,
    resourceType: row.resource_type,
    action: row.action,
    status: row.status,
    reason: row.reason,
    properties: parseOrNull(row.properties),
    time: row.time,
  };
}
