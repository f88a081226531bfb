/**
 * Event bodies as Heat's `events_view.format_event` renders them.
 */
import type { FastifyRequest } from 'fastify';
import type { EventView } from '../../engine/service.js';
import { heatTime, link, stackUrl } from '../links.js';

/** Options of {@link formatEvent}. */
export interface EventFormatOptions {
  /** Show body: adds `resource_type` and `resource_properties` (Heat 19 shows no `root_stack_id` there). */
  detail: boolean;
  /** Lists with `nested_depth` also carry `root_stack_id`. */
  withRootStackId?: boolean;
}

/** One event (list item or show body). */
export function formatEvent(
  req: FastifyRequest,
  tenant: string,
  e: EventView,
  options: EventFormatOptions,
): Record<string, unknown> {
  const stack = { name: e.stackName, id: e.stackId };
  const body: Record<string, unknown> = {
    id: e.id,
    links: [
      link(stackUrl(req, tenant, stack, 'resources', e.resourceName, 'events', e.id)),
      link(stackUrl(req, tenant, stack, 'resources', e.resourceName), 'resource'),
      link(stackUrl(req, tenant, stack), 'stack'),
    ],
    event_time: heatTime(e.time),
    logical_resource_id: e.resourceName,
    resource_name: e.resourceName,
    physical_resource_id: e.physicalId ?? '',
    resource_status: `${e.action}_${e.status}`,
    resource_status_reason: e.reason,
  };
  if (options.detail) {
    body.resource_type = e.resourceType;
    body.resource_properties = e.properties ?? {};
  }
  if (options.withRootStackId) body.root_stack_id = e.rootStackId;
  return body;
}
