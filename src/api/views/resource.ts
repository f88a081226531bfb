/**
 * Resource bodies as Heat's `resources_view.format_resource` renders them.
 */
import type { FastifyRequest } from 'fastify';
import type { ResourceView } from '../../engine/service.js';
import { heatTime, link, stackUrl, type Link } from '../links.js';
import { displayStatus } from './stack.js';

/** Options of {@link formatResource}. */
export interface ResourceFormatOptions {
  /** Add `description` and `attributes` (show, or list `with_detail`). */
  detail: boolean;
  /** Name of the nested stack (for the `rel: nested` link), when the resource owns one. */
  nestedStackName?: string;
}

/** One resource: list item, or show body with detail. */
export function formatResource(
  req: FastifyRequest,
  tenant: string,
  r: ResourceView,
  options: ResourceFormatOptions,
): Record<string, unknown> {
  const stack = { name: r.stackName, id: r.stackId };
  const links: Link[] = [
    link(stackUrl(req, tenant, stack, 'resources', r.name)),
    link(stackUrl(req, tenant, stack), 'stack'),
  ];
  if (r.nestedStackId && options.nestedStackName !== undefined) {
    links.push(link(stackUrl(req, tenant, { name: options.nestedStackName, id: r.nestedStackId }), 'nested'));
  }
  const body: Record<string, unknown> = {
    updated_time: heatTime(r.updatedAt ?? r.createdAt),
    creation_time: heatTime(r.createdAt),
    logical_resource_id: r.name,
    resource_name: r.name,
    physical_resource_id: r.physicalId ?? '',
    resource_status: displayStatus(r),
    resource_status_reason: r.statusReason,
    resource_type: r.type,
    links,
    required_by: r.requiredBy,
  };
  if (r.parentResource) body.parent_resource = r.parentResource;
  if (options.detail) {
    body.description = r.description;
    body.attributes = r.attributeValues ?? {};
  }
  return body;
}

/** A resource as it appears in a create preview (Heat's `format_stack_resource` with properties). */
export function formatPreviewResource(item: unknown): unknown {
  if (Array.isArray(item)) return item.map(formatPreviewResource);
  if (item === null || typeof item !== 'object') return item;
  const r = item as Partial<ResourceView> & Record<string, unknown>;
  if ('resource_name' in r || typeof r.name !== 'string') return item;
  const out: Record<string, unknown> = {
    updated_time: heatTime(r.updatedAt ?? r.createdAt),
    creation_time: heatTime(r.createdAt),
    resource_name: r.name,
    logical_resource_id: r.name,
    physical_resource_id: r.physicalId ?? '',
    resource_action: r.action,
    resource_status: r.status,
    resource_status_reason: r.statusReason ?? '',
    resource_type: r.type,
    stack_name: r.stackName,
    required_by: r.requiredBy ?? [],
    description: r.description ?? '',
    metadata: r.metadata ?? {},
    properties: r.properties ?? {},
  };
  if (r.parentResource) out.parent_resource = r.parentResource;
  return out;
}
