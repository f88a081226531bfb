/**
 * The Heat v1 API bodies the dashboard reads (the fields it uses; the API sends more).
 */

/** `{href, rel}` */
export interface Link {
  href: string;
  rel: string;
}

/** A stack in the list. */
export interface StackSummary {
  id: string;
  stack_name: string;
  description: string;
  stack_status: string;
  stack_status_reason: string;
  creation_time: string | null;
  updated_time: string | null;
  tags: string[] | null;
  parent: string | null;
  links: Link[];
}

/** One output of a stack show. */
export interface StackOutput {
  output_key: string;
  description: string;
  output_value?: unknown;
  output_error?: string;
}

/** `GET /stacks/{name}/{id}` */
export interface StackDetail extends StackSummary {
  parameters: Record<string, string>;
  outputs?: StackOutput[];
  timeout_mins: number | null;
  disable_rollback: boolean;
  stack_owner: string | null;
  template_description: string;
}

/** A resource of the resource list (with `parent_resource` for nested ones). */
export interface ResourceItem {
  resource_name: string;
  resource_type: string;
  resource_status: string;
  resource_status_reason: string;
  physical_resource_id: string;
  required_by: string[];
  creation_time: string | null;
  updated_time: string | null;
  links: Link[];
  parent_resource?: string;
  description?: string;
  attributes?: Record<string, unknown>;
}

/** An event (list item; `root_stack_id` when listed with nested_depth or streamed). */
export interface StackEvent {
  id: string;
  event_time: string;
  resource_name: string;
  logical_resource_id: string;
  physical_resource_id: string;
  resource_status: string;
  resource_status_reason: string;
  links: Link[];
  root_stack_id?: string;
  resource_type?: string;
  resource_properties?: Record<string, unknown>;
}

/** One parameter as `POST /validate` describes it. */
export interface ParameterInfo {
  Type: 'String' | 'Number' | 'CommaDelimitedList' | 'Json' | 'Boolean' | string;
  Description?: string;
  Label?: string;
  Default?: unknown;
  Value?: unknown;
  NoEcho?: 'true' | 'false';
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  ConstraintDescription?: string;
  CustomConstraint?: string;
}

/** A `parameter_groups` entry. */
export interface ParameterGroup {
  label?: string;
  description?: string;
  parameters: string[];
}

/** `POST /validate` */
export interface ValidateResult {
  Description: string;
  Parameters: Record<string, ParameterInfo>;
  ParameterGroups?: ParameterGroup[];
}

/** A `resource_changes` entry of an update preview. */
export interface ResourceChange {
  resource_name: string;
  resource_type: string;
  stack_name?: string;
}

/** Hearth's property-level diff entry. */
export interface PropertyChange {
  resource: string;
  action: 'added' | 'deleted' | 'replaced' | 'updated' | 'unchanged';
  stack: string;
  properties: { name: string; old: unknown; new: unknown; updateAllowed: boolean; immutable: boolean }[];
  reason?: string;
}

/** `PUT/PATCH …/preview` */
export interface UpdatePreview {
  resource_changes: Record<'added' | 'deleted' | 'replaced' | 'updated' | 'unchanged', ResourceChange[]>;
  hearth_changes?: PropertyChange[];
}

/** A problem of a fault body (`error.problems[]`), located in a file when it can be. */
export interface Problem {
  type: string;
  message: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
}

/** The stream's `stack` message. */
export interface StackStatus {
  id: string;
  stack_name: string;
  stack_status: string;
  stack_status_reason: string;
  creation_time: string | null;
  updated_time: string | null;
}

/** The link of a given relation. */
export function linkOf(links: readonly Link[] | undefined, rel: string): string | undefined {
  return links?.find((l) => l.rel === rel)?.href;
}

/** `{name, id}` of a `…/stacks/{name}/{id}[/…]` URL. */
export function stackRefOf(url: string | undefined): { name: string; id: string } | undefined {
  const m = url ? /\/stacks\/([^/?#]+)\/([^/?#]+)/.exec(url) : null;
  return m ? { name: decodeURIComponent(m[1]!), id: decodeURIComponent(m[2]!) } : undefined;
}
