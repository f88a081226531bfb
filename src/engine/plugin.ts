/**
 * The resource plugin contract: what every resource type (OS::Heat::None, TestResource, ResourceGroup, provider
 * templates, and every later type) implements, and what the engine gives a plugin while it acts.
 *
 * A plugin is stateless; everything a resource needs to remember lives in the {@link ResourceState} the engine
 * persists (physical id, attributes snapshot, private data). Actions must be idempotent by resource id: after
 * a crash the engine calls the same action again with the same {@link ResourceState} (including whatever
 * `saveData` stored before the crash) and the plugin must converge rather than create twice.
 */
import type { StackIdentity } from '../template/functions/function.js';

/** Heat property types (`heat.engine.properties.Schema`). */
export type PropertyType = 'string' | 'integer' | 'number' | 'boolean' | 'map' | 'list' | 'any';

/** A constraint on a property value, Heat's `constraints` entries. */
export type PropertyConstraint =
  | { kind: 'range'; min?: number; max?: number; description?: string }
  | { kind: 'length'; min?: number; max?: number; description?: string }
  | { kind: 'allowed_values'; values: readonly unknown[]; description?: string }
  | { kind: 'allowed_pattern'; pattern: string; description?: string }
  | { kind: 'custom'; name: string; description?: string };

/** Schema of one property. */
export interface PropertySchema {
  readonly type: PropertyType;
  readonly description?: string;
  readonly required?: boolean;
  readonly default?: unknown;
  /** May change without replacement. */
  readonly updateAllowed?: boolean;
  /** May never change (update fails with NotSupported). */
  readonly immutable?: boolean;
  readonly constraints?: readonly PropertyConstraint[];
  /** For `map`: schema of known keys. For `list`: use `items`. */
  readonly schema?: Readonly<Record<string, PropertySchema>>;
  /** For `list`: schema of every item. */
  readonly items?: PropertySchema;
}

/** Schema of one attribute. */
export interface AttributeSchema {
  readonly description?: string;
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'map' | 'list' | 'any';
}

/** Resolved, schema-validated properties (defaults applied). */
export type Properties = Record<string, unknown>;

/** What the engine persists per resource and hands back to the plugin. */
export interface ResourceState {
  /** Stable id of this resource row (a UUID): the idempotency key. */
  readonly id: string;
  readonly name: string;
  readonly type: string;
  physicalId: string | null;
  /** Attributes snapshot returned by the last successful action. */
  attributes: Record<string, unknown>;
  /** Private data of the plugin (Heat's resource_data). */
  data: Record<string, unknown>;
  /** Properties the resource was last created/updated with. */
  properties: Properties | null;
  /** The resource's metadata (template `metadata`, or what the plugin wrote). */
  metadata: Record<string, unknown>;
}

/** What an action reports back. Omitted fields keep their previous value. */
export interface ActionResult {
  physicalId?: string | null;
  attributes?: Record<string, unknown>;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** A child stack as the parent's plugin sees it. */
export interface NestedStackSpec {
  /** The child template as a plain object (HOT or JSON). */
  template: Record<string, unknown> | string;
  /** Template file name shown in error positions. */
  templateName?: string;
  files?: Record<string, string>;
  /** Environment for the child (registry, parameter_defaults …), already merged by the parent as Heat does. */
  environment?: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  timeoutMins?: number;
  /** Parent resource facade values for `resource_facade`. */
  facade?: { metadata?: unknown; deletion_policy?: unknown; update_policy?: unknown };
}

/** Summary of a child stack's members, for group attributes. */
export interface NestedMember {
  readonly name: string;
  readonly type: string;
  readonly referenceId: string | null;
  readonly status: string;
  readonly action: string;
  /** Every attribute of the member (all-attributes form), or null. */
  readonly attributes: Record<string, unknown> | null;
  /** Reads one attribute with a path, as get_attr would. */
  attribute(name: string, path: readonly unknown[]): unknown;
  hasAttribute(name: string): boolean;
}

/** Result of a child stack action. */
export interface NestedStackResult {
  readonly stackId: string;
  readonly status: 'COMPLETE' | 'FAILED';
  readonly reason: string;
  /** Output values of the child (errors as undefined). */
  readonly outputs: Record<string, unknown>;
  readonly members: readonly NestedMember[];
}

/** Child stacks of a resource (ResourceGroup, provider templates, OS::Heat::Stack). */
export interface NestedStacks {
  /** Creates the child stack (or, if one exists already for this resource, updates it) and waits for it. */
  createOrUpdate(spec: NestedStackSpec, options?: NestedUpdateOptions): Promise<NestedStackResult>;
  /** Deletes the child stack, if any, and waits. */
  delete(): Promise<void>;
  /** Current view of the child stack, or null when there is none. */
  current(): Promise<NestedStackResult | null>;
  /** Suspend/resume/check the child and wait. */
  act(action: 'SUSPEND' | 'RESUME' | 'CHECK'): Promise<NestedStackResult>;
}

/** Batching for child updates (ResourceGroup rolling_update / batch_create). */
export interface NestedUpdateOptions {
  /** Members created/updated at most this many at a time. */
  maxBatchSize?: number;
  /** Seconds to pause between batches. */
  pauseTime?: number;
  /** Members kept in service during a rolling update. */
  minInService?: number;
}

/** What a plugin gets while it acts. */
export interface ActionContext {
  readonly stack: StackIdentity;
  /** The resource's state (read-only view; report changes through the result or `saveData`). */
  readonly state: Readonly<ResourceState>;
  /** Aborted when the action must stop (stack timeout, cancel, engine shutdown). */
  readonly signal: AbortSignal;
  /** Persists private data now (before the action ends), so a retry after a crash sees it. */
  saveData(data: Record<string, unknown>): Promise<void>;
  /** Persists the physical id now (before the action ends). */
  savePhysicalId(id: string): Promise<void>;
  /** Sleeps, rejecting when `signal` aborts. */
  sleep(ms: number): Promise<void>;
  /** The resource's child stacks. */
  readonly nested: NestedStacks;
  /** Emits an informational event for this resource (appears in the event list). */
  event(reason: string): Promise<void>;
  /** The resource's resolved `update_policy` from the template (ResourceGroup batch_create/rolling_update). */
  readonly updatePolicy?: unknown;
  /**
   * The stack's `timeout_mins` (null or absent: none was set, the engine's default applies). Used for what must
   * outlive the action but not much longer, e.g. the lifetime of a deployment's signed signal URL.
   */
  readonly stackTimeoutMins?: number | null;
  /**
   * Reads another resource of the same stack by name — or, as Heat's `resource_by_refid`, by its physical id —
   * fresh from the store (e.g. a WaitCondition polling its handle's signals, a ScalingPolicy finding its group
   * from `get_resource`). Undefined when there is no such resource.
   */
  readResource(nameOrPhysicalId: string): Promise<Readonly<ResourceState> | undefined>;
  /**
   * Delivers a signal to another resource of the same stack (by name or physical id), exactly as
   * `POST …/resources/{name}/signal` would: that resource's `plugin.signal` runs with its own context and its
   * result is persisted. Used by OS::Heat::ScalingPolicy to resize its group. Only present outside stack
   * actions (signal handling).
   */
  signalResource?(nameOrPhysicalId: string, details: unknown): Promise<void>;
  /**
   * Where this resource is signalled: `POST url` with JSON body and header `X-Auth-Token: token` (a token scoped
   * to this one resource; the API accepts it without other credentials). Used by wait condition handles
   * (`curl_cli`, `endpoint`, `token`) and scaling policies (`signal_url`).
   */
  signalEndpoint(): { url: string; token: string };
}

/** An update the plugin is asked to make. */
export interface UpdateRequest {
  readonly oldProperties: Properties;
  readonly newProperties: Properties;
  /** Names of properties whose value differs. */
  readonly changed: readonly string[];
  readonly oldMetadata?: unknown;
  readonly newMetadata?: unknown;
  readonly newUpdatePolicy?: unknown;
}

/** Thrown by `update` (or decided by the planner) when the resource must be replaced. */
export class UpdateReplace extends Error {
  constructor(
    readonly resourceName: string,
    readonly reason = 'update requires replacement',
  ) {
    super(`The Resource ${resourceName} requires replacement.`);
    this.name = 'UpdateReplace';
  }
}

/**
 * A resource action failure whose message is the complete, already rendered reason (used verbatim as the
 * resource's status reason). Any other Error is rendered by the engine as `<error name>: <resource path>: <message>`,
 * Heat's layout (`ValueError: resources.boom: Test Resource failed boom`).
 */
export class ResourceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceFailure';
  }
}

/** Support status of a type, as Heat's `support_status`. */
export interface SupportStatus {
  readonly status: 'SUPPORTED' | 'DEPRECATED' | 'HIDDEN' | 'UNSUPPORTED';
  readonly version?: string;
  readonly message?: string;
}

/** Static things the plugin may need during validation. */
export interface PluginValidateContext {
  readonly resourceName: string;
  /** The request's files map. */
  readonly files: Readonly<Record<string, string>>;
}

/**
 * A resource type. Implementations live in `src/resources/`.
 *
 * Lifecycle: validate → create → (update | replace) → delete, plus suspend/resume/check. Each action receives the
 * resolved properties; returns attributes and data to persist. Throw {@link ResourceFailure} (or any Error) to
 * fail the action with that reason; throw {@link UpdateReplace} from `update` to ask for replacement.
 */
export interface ResourcePlugin {
  readonly type: string;
  readonly description?: string;
  readonly supportStatus?: SupportStatus;
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  /** True for types that accept any property (OS::Heat::None). */
  readonly acceptsAnyProperty?: boolean;
  /** True for types that answer every attribute name (OS::Heat::None, provider templates decide dynamically). */
  readonly acceptsAnyAttribute?: boolean;
  /** True for nested-stack types that are updated on every stack update (their child may change): Heat's StackResource. */
  readonly alwaysUpdate?: boolean;
  /** True for nested-stack types: a FAILED resource is repaired by updating its child stack, not replaced. */
  readonly updateFailedInPlace?: boolean;
  /**
   * True for types replaced on every stack update even when nothing changed (Heat's UpdateWaitConditionHandle,
   * whose `_needs_update` always raises UpdateReplace).
   */
  readonly replaceOnEveryUpdate?: boolean;
  /**
   * True for types whose create, update and delete need nothing but the resource's row and properties (no nested
   * stacks, no process-local state): in the engine role they run as resource tasks on any engine
   * (`src/engine/resource-tasks.ts`).
   */
  readonly distributable?: boolean;

  /** Checks beyond the schema, after properties were resolved in validation mode (unknown values are null). */
  validate?(properties: Properties, ctx: PluginValidateContext): void;

  create(properties: Properties, ctx: ActionContext): Promise<ActionResult>;
  /** In-place update; throw UpdateReplace to be replaced instead. Absent = every change replaces. */
  update?(request: UpdateRequest, ctx: ActionContext): Promise<ActionResult>;
  delete(ctx: ActionContext): Promise<void>;
  suspend?(ctx: ActionContext): Promise<ActionResult | void>;
  resume?(ctx: ActionContext): Promise<ActionResult | void>;
  check?(ctx: ActionContext): Promise<ActionResult | void>;
  /**
   * Handles a signal (`POST …/resources/{name}/signal`), outside any stack action. The returned result is
   * persisted on the resource (attributes/data/metadata). Throw a HeatError for a bad signal body (answered 400).
   * Absent = the type does not accept signals (`ResourceActionNotSupported`).
   */
  signal?(details: unknown, ctx: ActionContext): Promise<ActionResult | void>;
  /** Data to keep in a stack snapshot for this resource (Heat's handle_snapshot); default: none. */
  snapshot?(ctx: ActionContext): Promise<Record<string, unknown>>;

  /** `get_resource` value; default: the physical id. */
  referenceId?(state: Readonly<ResourceState>): string | null;
  /**
   * `get_attr` value; default: `state.attributes[name]` walked by `path` (null on a miss).
   * Group types implement their synthetic attributes here.
   */
  attribute?(state: Readonly<ResourceState>, name: string, path: readonly unknown[]): unknown;
  /** Whether `name` is an attribute (beyond the schema: `resource.N`, outputs …). */
  hasAttribute?(name: string, properties: Properties | null): boolean;
  /** Forces replacement for this change even when every changed property is update_allowed. */
  needsReplace?(request: UpdateRequest): boolean;
}
