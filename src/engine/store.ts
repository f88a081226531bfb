/**
 * The persistence port of the engine. The engine owns this interface; `src/store/` implements it over SQL
 * (SQLite now; PostgreSQL and MariaDB later through the same Kysely layer).
 *
 * Writes come in batches applied atomically ({@link Store.apply}): the engine group-commits the state
 * transitions of many resources at once, which is what makes 1000-resource stacks fast on SQLite.
 */
import type { TaskRecord } from './tasks.js';
import type { ResourceTaskRecord } from './resource-tasks.js';

/** Heat stack actions. */
export type StackAction =
  | 'INIT'
  | 'CREATE'
  | 'DELETE'
  | 'UPDATE'
  | 'ROLLBACK'
  | 'SUSPEND'
  | 'RESUME'
  | 'ADOPT'
  | 'SNAPSHOT'
  | 'CHECK'
  | 'RESTORE';
/** Heat resource actions. */
export type ResourceAction =
  | 'INIT'
  | 'CREATE'
  | 'DELETE'
  | 'UPDATE'
  | 'ROLLBACK'
  | 'SUSPEND'
  | 'RESUME'
  | 'ADOPT'
  | 'SNAPSHOT'
  | 'CHECK';
/** Heat statuses. */
export type Status = 'IN_PROGRESS' | 'FAILED' | 'COMPLETE';

/** The inputs a stack was created/updated with (kept for GET template/environment/files and for rollback). */
export interface StackInputs {
  /** The template as sent: a string (YAML/JSON text) or an object. */
  template: unknown;
  /** The environment as sent (string or object), before merging environment_files. */
  environment: unknown;
  /** The merged environment actually in effect (JSON object). */
  mergedEnvironment: Record<string, unknown>;
  files: Record<string, string>;
  environmentFiles: string[];
  /** User parameters from the request (API `parameters`). */
  parameters: Record<string, unknown>;
}

/** A stack row. */
export interface StackRecord {
  id: string;
  name: string;
  projectId: string;
  /** Parent stack id for nested stacks, else null. */
  parentId: string | null;
  /** The parent's resource name owning this nested stack. */
  ownerResource: string | null;
  /** Id of the root of the tree (self for a root stack). */
  rootId: string;
  /** Nesting depth: 0 for a root stack. */
  depth: number;
  action: StackAction;
  status: Status;
  statusReason: string;
  inputs: StackInputs;
  /** Inputs of the previous successful state, for rollback of an update. */
  previousInputs: StackInputs | null;
  disableRollback: boolean;
  timeoutMins: number | null;
  tags: string[];
  /** Who created it (username), if known. */
  username: string | null;
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
  /** Id of the current traversal (changes on every new action; work of older traversals stops). */
  traversal: string;
  /** When the current action must finish (ISO), or null. */
  deadline: string | null;
  /** Engine-private state of the current action (JSON), e.g. what to do after a rollback. */
  actionData: Record<string, unknown>;
}

/** A resource row. A resource being replaced has two rows with the same name (old one `current=false`). */
export interface ResourceRecord {
  id: string;
  stackId: string;
  name: string;
  type: string;
  action: ResourceAction;
  status: Status;
  statusReason: string;
  physicalId: string | null;
  /** Resolved properties it was last acted on with. */
  properties: Record<string, unknown> | null;
  attributes: Record<string, unknown>;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** Names of resources this one depends on (in the definition it was last acted on with). */
  requires: string[];
  /** False for a replaced resource awaiting cleanup (or kept by Retain). */
  current: boolean;
  /** Id of the row this one replaces, if it is a replacement. */
  replaces: string | null;
  createdAt: string;
  updatedAt: string | null;
  /** Traversal that last touched this row. */
  traversal: string;
}

/** An event row. */
export interface EventRecord {
  id: string;
  /** Monotonic sequence, assigned by the store (ordering and paging). */
  seq?: number;
  stackId: string;
  /** Root stack of the tree, for nested_depth queries. */
  rootStackId: string;
  resourceName: string;
  physicalId: string | null;
  resourceType: string;
  action: string;
  status: string;
  reason: string;
  /** Resolved properties at the time of the event (secrets removed). */
  properties: Record<string, unknown> | null;
  time: string;
}

/** A stack snapshot (Heat's `snapshot` table): the stack's inputs and resources' data at snapshot time. */
export interface SnapshotRecord {
  id: string;
  stackId: string;
  projectId: string;
  name: string | null;
  status: Status;
  /** Null until the snapshot action ends (as Heat). */
  statusReason: string | null;
  /** Heat's snapshot `data` (the stack's abandon data at completion), null while IN_PROGRESS. */
  data: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string | null;
}

/** One write in a batch. */
export type WriteOp =
  | { kind: 'insertStack'; stack: StackRecord }
  | {
      kind: 'updateStack';
      id: string;
      patch: Partial<Omit<StackRecord, 'id'>>;
      /** Fence: change the row only if its traversal is still this one (else the update is skipped). */
      ifTraversal?: string;
    }
  | { kind: 'insertResource'; resource: ResourceRecord }
  | { kind: 'updateResource'; id: string; patch: Partial<Omit<ResourceRecord, 'id' | 'stackId'>> }
  | { kind: 'deleteResource'; id: string }
  | { kind: 'deleteResourcesOfStack'; stackId: string }
  | { kind: 'insertEvent'; event: EventRecord }
  /** Records (or replaces) a root stack's task for the engines (see `src/engine/tasks.ts`). */
  | { kind: 'putTask'; task: TaskRecord }
  /** Records a provider call for any engine to run (see `src/engine/resource-tasks.ts`). */
  | { kind: 'putResourceTask'; task: ResourceTaskRecord };

/** Filters, sorting and paging for stack lists (Heat's GET /stacks). */
export interface StackListQuery {
  projectId?: string;
  /** Only roots unless true. */
  showNested?: boolean;
  showDeleted?: boolean;
  /**
   * Exact-match filters; each value may be a list (OR). Keys: id, name, status, action, username, parentId,
   * projectId (Heat's `tenant` filter).
   */
  filters?: {
    id?: string[];
    name?: string[];
    status?: string[];
    action?: string[];
    username?: string[];
    parentId?: string[];
    projectId?: string[];
  };
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  /** Columns: created_at, updated_at, name, status (Heat: stack_name, stack_status, creation_time, updated_time). */
  sortKeys?: ('createdAt' | 'updatedAt' | 'name' | 'status')[];
  sortDir?: 'asc' | 'desc';
  limit?: number;
  /** Id of the last stack of the previous page. */
  marker?: string;
}

/** Filters and paging for events. */
export interface EventListQuery {
  /** Events of these stacks. */
  stackIds: string[];
  resourceName?: string[];
  resourceAction?: string[];
  resourceStatus?: string[];
  resourceType?: string[];
  sortDir?: 'asc' | 'desc';
  limit?: number;
  /** Id of the last event of the previous page. */
  marker?: string;
}

/** The persistence port. */
export interface Store {
  /** Applies the writes atomically, in order. */
  apply(ops: readonly WriteOp[]): Promise<void>;

  getStack(id: string): Promise<StackRecord | undefined>;
  /** A live (not deleted) stack by project and name. */
  findStackByName(projectId: string, name: string): Promise<StackRecord | undefined>;
  listStacks(query: StackListQuery): Promise<StackRecord[]>;
  countStacks(query: StackListQuery): Promise<number>;
  /** Direct children of a stack (not deleted). */
  listChildStacks(parentId: string): Promise<StackRecord[]>;
  /** Stacks whose status is IN_PROGRESS (not deleted): work to resume after a restart. */
  listStacksInProgress(): Promise<StackRecord[]>;

  listResources(stackId: string): Promise<ResourceRecord[]>;
  getResource(id: string): Promise<ResourceRecord | undefined>;

  listEvents(query: EventListQuery): Promise<EventRecord[]>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  /**
   * Deletes the oldest events of a stack beyond `keep` (Heat's max_events_per_stack purge), in whole batches of
   * `batchSize` (default 1; Heat's event_purge_batch_size).
   */
  purgeEvents(stackId: string, keep: number, batchSize?: number): Promise<void>;

  /** Stores a new snapshot. */
  insertSnapshot(snapshot: SnapshotRecord): Promise<void>;
  /** Changes fields of a snapshot. */
  updateSnapshot(
    id: string,
    patch: Partial<Omit<SnapshotRecord, 'id' | 'stackId' | 'projectId'>>,
  ): Promise<void>;
  getSnapshot(id: string): Promise<SnapshotRecord | undefined>;
  /** Snapshots of a stack, oldest first. */
  listSnapshots(stackId: string): Promise<SnapshotRecord[]>;
  countSnapshots(stackId: string): Promise<number>;
  /** Deletes one snapshot (no error when absent). */
  deleteSnapshot(id: string): Promise<void>;
  /** Deletes every snapshot of a stack. */
  deleteSnapshotsOfStack(stackId: string): Promise<void>;

  close(): Promise<void>;
}
