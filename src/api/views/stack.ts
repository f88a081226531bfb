/**
 * Stack bodies as Heat's `stacks_view.format_stack` renders them (show, list item, preview).
 */
import type { FastifyRequest } from 'fastify';
import type { OutputView, StackView } from '../../engine/service.js';
import type { StackRecord } from '../../engine/store.js';
import { heatTime, link, stackUrl } from '../links.js';

/** `{output_key, description, output_value[, output_error]}` (value null when resolving failed). */
export function formatOutput(o: OutputView): Record<string, unknown> {
  const out: Record<string, unknown> = {
    output_key: o.key,
    description: o.description,
    output_value: o.value === undefined ? null : o.value,
  };
  if (o.error !== undefined) out.output_error = o.error;
  return out;
}

/**
 * Outputs in Heat's listing order: sorted by key (Heat 19 answers `[b, o]` for a template declaring `o`
 * then `b`, in stack show and in `GET …/outputs` alike).
 */
export function sortedOutputs<T extends Pick<OutputView, 'key'>>(outputs: readonly T[]): T[] {
  return [...outputs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** An output as listed by `GET …/outputs` (key and description only). */
export function formatOutputSummary(o: OutputView): Record<string, unknown> {
  return { output_key: o.key, description: o.description };
}

/** `ACTION_STATUS`. */
export function displayStatus(s: { action: string; status: string }): string {
  return `${s.action}_${s.status}`;
}

/** The full stack body of `GET /stacks/{name}/{id}` (and of preview and `/stacks/detail`). */
export function formatStackShow(req: FastifyRequest, tenant: string, s: StackView): Record<string, unknown> {
  const body: Record<string, unknown> = {
    stack_name: s.name,
    id: s.id,
    links: [link(stackUrl(req, tenant, s))],
    creation_time: heatTime(s.createdAt),
    updated_time: heatTime(s.updatedAt),
    deletion_time: heatTime(s.deletedAt),
    notification_topics: [],
    parameters: s.displayParameters,
    description: s.description,
    template_description: s.description,
    capabilities: [],
    disable_rollback: s.disableRollback,
    timeout_mins: s.timeoutMins,
    stack_owner: s.username,
    parent: s.parentId,
    stack_user_project_id: s.projectId,
    tags: s.tags ?? [],
    stack_status: displayStatus(s),
    stack_status_reason: s.statusReason,
  };
  if (s.outputs) body.outputs = sortedOutputs(s.outputs).map(formatOutput);
  return body;
}

/**
 * A stack list item (Heat's `basic_keys`). Like Heat, the list does not load templates, so `description` is
 * empty, and an untagged stack lists `tags: null`.
 */
export function formatStackListItem(
  req: FastifyRequest,
  tenant: string,
  s: StackRecord,
): Record<string, unknown> {
  return {
    id: s.id,
    links: [link(stackUrl(req, tenant, s))],
    project: s.projectId,
    stack_name: s.name,
    description: '',
    stack_status: displayStatus(s),
    stack_status_reason: s.statusReason,
    creation_time: heatTime(s.createdAt),
    updated_time: heatTime(s.updatedAt),
    deletion_time: heatTime(s.deletedAt),
    stack_owner: s.username,
    parent: s.parentId,
    stack_user_project_id: s.projectId,
    tags: s.tags && s.tags.length > 0 ? s.tags : null,
  };
}
