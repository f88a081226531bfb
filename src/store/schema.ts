/**
 * The SQL schema of the store as Kysely table types.
 *
 * Portability rules (SQLite now, PostgreSQL and MariaDB later):
 * - ids are UUID strings (`varchar(36)`), except `events.seq`, an autoincrement integer used for ordering and paging;
 * - JSON values are stored as TEXT and encoded/decoded by the store (no dialect JSON types);
 * - times are ISO 8601 strings so that text ordering is time ordering in every dialect;
 * - booleans are stored as integers 0/1.
 */
import type { Generated } from 'kysely';

/** Row of `stacks`. */
export interface StacksTable {
  id: string;
  name: string;
  project_id: string;
  parent_id: string | null;
  owner_resource: string | null;
  root_id: string;
  depth: number;
  action: string;
  status: string;
  status_reason: string;
  /** JSON of `StackInputs`. */
  inputs: string;
  /** JSON of `StackInputs`, or null. */
  previous_inputs: string | null;
  /** 0 or 1. */
  disable_rollback: number;
  timeout_mins: number | null;
  /** JSON list of the tags in their original order (the `stack_tags` rows serve the filters). */
  tags: string;
  username: string | null;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  traversal: string;
  deadline: string | null;
  /** JSON object. */
  action_data: string;
}

/** Row of `stack_tags`: one per tag of a stack, so tag filters stay in SQL. */
export interface StackTagsTable {
  stack_id: string;
  /** Index of the tag in the stack's tag list (tags may repeat). */
  position: number;
  tag: string;
}

/** Row of `resources`. */
export interface ResourcesTable {
  id: string;
  stack_id: string;
  name: string;
  type: string;
  action: string;
  status: string;
  status_reason: string;
  physical_id: string | null;
  /** JSON object or null. */
  properties: string | null;
  /** JSON object. */
  attributes: string;
  /** JSON object. */
  data: string;
  /** JSON object. */
  metadata: string;
  /** JSON list of resource names. */
  requires: string;
  /** 0 or 1. */
  current: number;
  replaces: string | null;
  created_at: string;
  updated_at: string | null;
  traversal: string;
}

/** Row of `events`. */
export interface EventsTable {
  /** Store-assigned, strictly increasing. */
  seq: Generated<number>;
  id: string;
  stack_id: string;
  root_stack_id: string;
  resource_name: string;
  physical_id: string | null;
  resource_type: string;
  action: string;
  status: string;
  reason: string;
  /** JSON object or null. */
  properties: string | null;
  time: string;
}

/** Row of `snapshots`. */
export interface SnapshotsTable {
  id: string;
  stack_id: string;
  project_id: string;
  name: string | null;
  status: string;
  status_reason: string | null;
  /** JSON object or null. */
  data: string | null;
  created_at: string;
  updated_at: string | null;
}

/** Row of `software_configs`: an immutable software config of one project. */
export interface SoftwareConfigsTable {
  id: string;
  project_id: string;
  name: string | null;
  /** The config's `group` (the tool that applies it); not named `group`, an SQL keyword. */
  group_name: string;
  /** JSON of the config: a string (script, document) or an object (structured config), or null. */
  config: string;
  /** JSON list of the declared inputs. */
  inputs: string;
  /** JSON list of the declared outputs. */
  outputs: string;
  /** JSON object or null. */
  options: string | null;
  created_at: string;
}

/** Row of `software_deployments`: one config deployed to one server. */
export interface SoftwareDeploymentsTable {
  id: string;
  project_id: string;
  config_id: string;
  server_id: string;
  /** JSON object or null. */
  input_values: string | null;
  /** JSON object or null. */
  output_values: string | null;
  action: string | null;
  status: string | null;
  status_reason: string | null;
  created_at: string;
  updated_at: string | null;
  stack_user_project_id: string | null;
}

/** Row of `hearth_meta`: facts about the database itself (e.g. when its schema was created). */
export interface HearthMetaTable {
  key: string;
  value: string;
}

/** The whole database as Kysely sees it (Kysely's own migration tables are managed by its `Migrator`). */
export interface Database {
  stacks: StacksTable;
  stack_tags: StackTagsTable;
  resources: ResourcesTable;
  events: EventsTable;
  hearth_meta: HearthMetaTable;
  snapshots: SnapshotsTable;
  software_configs: SoftwareConfigsTable;
  software_deployments: SoftwareDeploymentsTable;
}
