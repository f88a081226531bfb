/**
 * The notification announcing one event, in the shape of Heat's (oslo.messaging) notifications: what the outbox
 * stores and the publisher sends as is.
 *
 * Stack events become `orchestration.stack.<action>.<start|end|error>` with Heat's `format_notification_body`
 * payload; resource events become `orchestration.resource.<action>.<start|end|error>` with the same stack fields
 * plus the resource's. FAILED is priority ERROR (routing key `notifications.error`), everything else INFO
 * (`notifications.info`). Resolved properties are never included (they are in the event, secrets masked, but a
 * notification goes to every consumer of the exchange).
 */
import type { EventRecord } from '../engine/store.js';

/** What a notification says about the stack an event belongs to (read in the event's transaction). */
export interface NotificationStack {
  id: string;
  name: string;
  projectId: string;
  username: string | null;
  parentId: string | null;
  createdAt: string;
  updatedAt: string | null;
  tags: string[];
}

/** Notification priority (oslo.messaging levels Hearth uses). */
export type NotificationPriority = 'INFO' | 'ERROR';

/** One notification message (the JSON body published to the exchange). */
export interface Notification {
  /** The event id: a consumer that sees a message twice (after a broker failure) recognises it by this. */
  message_id: string;
  /** `orchestration.<host>` (Heat's default_publisher_id). */
  publisher_id: string;
  event_type: string;
  priority: NotificationPriority;
  /** oslo's format: UTC `YYYY-MM-DD HH:MM:SS.ffffff`. */
  timestamp: string;
  payload: Record<string, unknown>;
}

/** The routing key of a priority on the exchange (oslo.messaging: `<topic>.<priority>`, topic `notifications`). */
export function routingKeyOf(priority: NotificationPriority): string {
  return `notifications.${priority.toLowerCase()}`;
}

/** Whether an event is about the stack itself (Heat: resource name = stack name, physical id = stack id). */
export function isStackEvent(event: EventRecord): boolean {
  return event.resourceType === 'OS::Heat::Stack' && event.physicalId === event.stackId;
}

/** Heat's suffix of a status: the start, the end or the failure of an action. */
function phaseOf(status: string): string {
  switch (status) {
    case 'IN_PROGRESS':
      return 'start';
    case 'COMPLETE':
      return 'end';
    case 'FAILED':
      return 'error';
    default:
      return status.toLowerCase();
  }
}

/** Heat's `isotime`: whole seconds, `Z`. */
function isoTime(time: string | null): string | null {
  if (time === null) return null;
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : `${date.toISOString().slice(0, 19)}Z`;
}

/** oslo's timestamp: `str(datetime.utcnow())` with microseconds. */
function osloTimestamp(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return time;
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/**
 * The notification of an event. `stack` is the event's stack as committed with it (undefined only when the event
 * names a stack that does not exist: the payload then carries what the event knows).
 */
export function notificationOf(
  event: EventRecord,
  stack: NotificationStack | undefined,
  publisherId: string,
): Notification {
  const priority: NotificationPriority = event.status === 'FAILED' ? 'ERROR' : 'INFO';
  const stackEvent = isStackEvent(event);
  const state = `${event.action}_${event.status}`;
  const payload: Record<string, unknown> = {
    tenant_id: stack?.projectId ?? null,
    user_id: stack?.username ?? null,
    username: stack?.username ?? null,
    stack_identity: event.stackId,
    stack_name: stack?.name ?? (stackEvent ? event.resourceName : null),
    state,
    state_reason: event.reason,
    create_at: isoTime(stack?.createdAt ?? null),
    updated_at: isoTime(stack?.updatedAt ?? null),
    tags: stack?.tags ?? [],
    root_stack_id: event.rootStackId,
    parent_stack_id: stack?.parentId ?? null,
  };
  if (!stackEvent) {
    Object.assign(payload, {
      resource_name: event.resourceName,
      physical_resource_id: event.physicalId,
      resource_type: event.resourceType,
      resource_action: event.action,
      resource_status: event.status,
    });
  }
  return {
    message_id: event.id,
    publisher_id: publisherId,
    event_type: `orchestration.${stackEvent ? 'stack' : 'resource'}.${event.action.toLowerCase()}.${phaseOf(event.status)}`,
    priority,
    timestamp: osloTimestamp(event.time),
    payload,
  };
}
