/**
 * What the engine offers to the API layer (and, through the API, to the CLI and dashboard).
 * Every method is project-scoped; every failure is a {@link HeatError} with Heat's type and status.
 */
import type { Problem } from '../template/errors.js';
import type { EventListQuery, EventRecord, ResourceRecord, StackListQuery, StackRecord } from './store.js';

/** Body of POST /stacks (and of preview), already shape-checked by the API. */
export interface StackCreateRequest {
  stackName: string;
  /** Template text, or an object sent as JSON. */
  template: unknown;
  /** Environment text or object. */
  environment?: unknown;
  files?: Record<string, string>;
  environmentFiles?: string[];
  parameters?: Record<string, unknown>;
  timeoutMins?: number | null;
  disableRollback?: boolean;
  tags?: string[];
  username?: string | null;
  /** The caller is an admin (Heat's `context.is_admin`): not held to the stacks-per-project limit. */
  callerIsAdmin?: boolean;
  /** Adopt (Heat's `adopt_stack_data`): take over existing resources instead of creating them. */
  adoptStackData?: Record<string, unknown>;
}

/** Body of PUT/PATCH /stacks/{name}/{id}. */
export interface StackUpdateRequest {
  template?: unknown;
  environment?: unknown;
  files?: Record<string, string>;
  environmentFiles?: string[];
  parameters?: Record<string, unknown>;
  timeoutMins?: number | null;
  disableRollback?: boolean;
  tags?: string[];
  /** PATCH semantics: reuse the stored template/environment/parameters where not given. */
  existing?: boolean;
  clearParameters?: string[];
  converge?: boolean;
}

/** Body of POST /validate. */
export interface ValidateRequest {
  template: unknown;
  environment?: unknown;
  files?: Record<string, string>;
  environmentFiles?: string[];
  parameters?: Record<string, unknown>;
  showNested?: boolean;
  /** Heat's `ignore_errors` (comma list of error codes). */
  ignoreErrors?: string[];
}

/** Heat's validate answer plus Hearth's warnings. */
export interface ValidateResult {
  Description: string;
  Parameters: Record<string, Record<string, unknown>>;
  ParameterGroups?: unknown[];
  Environment: Record<string, unknown>;
  /** With `show_nested`: parameters of provider-template resources, by resource name. */
  NestedParameters?: Record<string, unknown>;
  /** Hearth: likely mistakes that are not errors (e.g. `get_parm` looks like a typo of `get_param`). */
  Warnings?: Problem[];
}

/** One output of a stack. */
export interface OutputView {
  key: string;
  description: string;
  /** Present when resolved without error. */
  value?: unknown;
  /** Present when resolving it failed. */
  error?: string;
}

/** A stack with what the API shows beyond the row. */
export interface StackView extends StackRecord {
  description: string;
  /** Parameter values for display: hidden ones masked as `******`, pseudo parameters included. */
  displayParameters: Record<string, unknown>;
  /** Resolved outputs, unless not asked for. */
  outputs?: OutputView[];
  /** Name of the parent stack, for nested ones. */
  parentName?: string | null;
}

/** A resource with what the API shows beyond the row. */
export interface ResourceView extends ResourceRecord {
  stackName: string;
  /** Names of resources that depend on this one. */
  requiredBy: string[];
  /** Id of its child stack, for nested-stack types. */
  nestedStackId: string | null;
  /** Its description from the template. */
  description: string;
  /** With detail: attributes as get_attr would answer. */
  attributeValues?: Record<string, unknown>;
  /** The owning resource of this resource's stack, for nested resources (`parent_resource`). */
  parentResource: string | null;
}

/** An event with its stack's name. */
export interface EventView extends EventRecord {
  stackName: string;
}

/** Heat's preview/resource_changes shapes. */
export interface PreviewResult {
  stack: StackView;
  /** Preview of create: resources as they would be (Heat's `resources` list of lists for nested). */
  resources: unknown[];
}

/** One entry of Heat's update preview `resource_changes` lists (Heat's resource show shape, abridged). */
export interface ResourceChange {
  resource_name: string;
  resource_type: string;
  resource_action: string;
  resource_status: string;
  resource_status_reason: string;
  physical_resource_id: string;
  stack_name: string;
  required_by: string[];
  resource_identity?: unknown;
  stack_identity?: unknown;
}

/** Hearth's property-level diff of one resource in an update preview. */
export interface PropertyChange {
  resource: string;
  /** What will happen to it. */
  action: 'added' | 'deleted' | 'replaced' | 'updated' | 'unchanged';
  /** Dotted path of the stack (nested stacks: `grp.0`), empty for the root. */
  stack: string;
  /** Changed properties: old and new values (secrets masked). */
  properties: { name: string; old: unknown; new: unknown; updateAllowed: boolean; immutable: boolean }[];
  /** Why a replacement happens: the property that forced it, a type change, a failed/unhealthy resource … */
  reason?: string;
}

/** Heat's update preview plus Hearth's property-level diff. */
export interface UpdatePreview {
  resource_changes: {
    added: ResourceChange[];
    deleted: ResourceChange[];
    replaced: ResourceChange[];
    updated: ResourceChange[];
    unchanged: ResourceChange[];
  };
  /** Hearth's addition (ignored by Heat clients). */
  hearth_changes: PropertyChange[];
}

/** A stack snapshot (Heat's snapshot API). */
export interface SnapshotView {
  id: string;
  name: string | null;
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
  /** Null while the snapshot is being taken (as Heat). */
  status_reason: string | null;
  creation_time: string;
  /** Heat's `data`: the stack's template, environment and resources' data at snapshot time. */
  data: Record<string, unknown> | null;
}

/** The engine's public operations. */
export interface EngineService {
  createStack(projectId: string, req: StackCreateRequest): Promise<StackRecord>;
  previewStack(projectId: string, req: StackCreateRequest): Promise<PreviewResult>;
  updateStack(projectId: string, stackId: string, req: StackUpdateRequest): Promise<StackRecord>;
  deleteStack(projectId: string, stackId: string): Promise<void>;
  /** suspend, resume, check, cancel_update, cancel_without_rollback. */
  stackAction(projectId: string, stackId: string, action: string): Promise<void>;

  /** By id or name (not deleted). @throws HeatError StackNotFound */
  lookupStack(projectId: string, nameOrId: string): Promise<StackRecord>;
  /** Exact name+id. @throws HeatError StackNotFound */
  getStack(projectId: string, name: string, id: string): Promise<StackRecord>;
  showStack(projectId: string, stackId: string, options?: { resolveOutputs?: boolean }): Promise<StackView>;
  /** The stacks of a project, or of every project when `projectId` is null (an admin's `global_tenant` list). */
  listStacks(projectId: string | null, query: StackListQuery): Promise<StackView[]>;
  /** How many stacks match, in a project or (null) in every project. */
  countStacks(projectId: string | null, query: StackListQuery): Promise<number>;

  listOutputs(projectId: string, stackId: string): Promise<OutputView[]>;
  showOutput(projectId: string, stackId: string, key: string): Promise<OutputView>;

  listResources(
    projectId: string,
    stackId: string,
    options?: { nestedDepth?: number; withDetail?: boolean },
  ): Promise<ResourceView[]>;
  showResource(
    projectId: string,
    stackId: string,
    resourceName: string,
    options?: { withAttr?: string[] },
  ): Promise<ResourceView>;
  resourceMetadata(
    projectId: string,
    stackId: string,
    resourceName: string,
  ): Promise<Record<string, unknown>>;
  signalResource(projectId: string, stackId: string, resourceName: string, details: unknown): Promise<void>;
  /**
   * Signals the current resource whose row id is `resourceId` (a software deployment's id) in a stack of
   * `projectId`, as {@link signalResource} would. Returns false when there is no such resource.
   */
  signalResourceById(projectId: string, resourceId: string, details: unknown): Promise<boolean>;
  /**
   * Appends one event per reason to the resource whose row id is `resourceId` (a software deployment's id), with
   * the resource's current action and status — live progress of a host's deployment. Callers rate-limit; the
   * stack's `max_events_per_stack` purge applies. Returns how many were written: 0 when no resource of a stack of
   * `projectId` has that id (e.g. a deployment created through the REST API only).
   */
  appendResourceEvents(projectId: string, resourceId: string, reasons: readonly string[]): Promise<number>;

  listEvents(
    projectId: string,
    stackId: string,
    query: Omit<EventListQuery, 'stackIds'> & { nestedDepth?: number },
  ): Promise<EventView[]>;
  showEvent(projectId: string, stackId: string, resourceName: string, eventId: string): Promise<EventView>;

  validateTemplate(projectId: string, req: ValidateRequest): Promise<ValidateResult>;
  /** Heat's `template_versions` list entries. */
  templateVersions(): { version: string; type: 'hot' | 'cfn'; aliases: string[] }[];
  /** Functions of a version: `[{functions, description}]`. @throws HeatError NotFound */
  templateFunctions(
    version: string,
    withConditionFunctions: boolean,
  ): { functions: string; description: string }[];
  /** Resource type names (`name` regex filter, with descriptions). */
  resourceTypes(options?: { name?: string; withDescription?: boolean; supportStatus?: string }): {
    resource_type: string;
    description?: string;
  }[];
  /** Heat's resource type schema body. @throws HeatError ResourceTypeNotFound */
  resourceTypeSchema(type: string): Record<string, unknown>;
  /** Heat's generated provider template for a type. */
  resourceTypeTemplate(type: string, templateType: 'hot' | 'cfn'): Record<string, unknown>;

  /** PUT/PATCH …/preview: what an update would do, agreeing with what the update then does. */
  previewUpdateStack(
    projectId: string,
    stackId: string,
    req: StackUpdateRequest & { showNested?: boolean },
  ): Promise<UpdatePreview>;
  /** PATCH …/resources/{name|physical id} `{mark_unhealthy, resource_status_reason}`. */
  markResourceUnhealthy(
    projectId: string,
    stackId: string,
    resourceName: string,
    markUnhealthy: boolean,
    reason: string,
  ): Promise<void>;
  createSnapshot(projectId: string, stackId: string, name: string | null): Promise<SnapshotView>;
  listSnapshots(projectId: string, stackId: string): Promise<SnapshotView[]>;
  showSnapshot(projectId: string, stackId: string, snapshotId: string): Promise<SnapshotView>;
  deleteSnapshot(projectId: string, stackId: string, snapshotId: string): Promise<void>;
  restoreSnapshot(projectId: string, stackId: string, snapshotId: string): Promise<void>;
  /** GET …/export: Heat's abandon data without deleting. */
  exportStack(projectId: string, stackId: string): Promise<Record<string, unknown>>;
  /** DELETE …/abandon: removes the stack from Hearth, keeps its resources; returns the abandon data. */
  abandonStack(projectId: string, stackId: string): Promise<Record<string, unknown>>;

  /** Stops accepting work and waits for in-flight persistence. */
  close(): Promise<void>;
}
