/**
 * Mark unhealthy (`PATCH …/resources/{name or physical id}` `{mark_unhealthy, resource_status_reason}`), as
 * Heat's `resource_mark_unhealthy`: marking puts the resource in CHECK_FAILED with the reason (unless it is being
 * deleted), so the next update replaces it; unmarking a CHECK_FAILED resource puts it in CHECK_COMPLETE.
 * Anything else is left unchanged. Each change is one event.
 */
import { HeatError } from '../../template/errors.js';
import { resourceEvent } from '../records.js';
import type { ResourceRecord, StackRecord } from '../store.js';
import { actionInProgress, heatError, type OperationHost } from './host.js';

/** Heat's default reason when the request gives none. */
export const DEFAULT_UNHEALTHY_REASON = 'state changed by resource_mark_unhealthy api';

/** The current resource named `nameOrPhysicalId`, or the one whose physical id it is. */
export async function findResource(
  host: OperationHost,
  stack: StackRecord,
  nameOrPhysicalId: string,
): Promise<ResourceRecord> {
  const rows = (await host.store.listResources(stack.id)).filter((r) => r.current);
  const byName = rows.find((r) => r.name === nameOrPhysicalId);
  if (byName) return byName;
  const byPhysical = rows.filter((r) => r.physicalId !== null && r.physicalId === nameOrPhysicalId);
  if (byPhysical.length === 1) return byPhysical[0]!;
  if (byPhysical.length > 1) {
    throw heatError(
      'PhysicalResourceIDAmbiguity',
      `Multiple resources were found with the physical ID (${nameOrPhysicalId}).`,
      400,
    );
  }
  throw new HeatError(
    'ResourceNotFound',
    `The Resource (${nameOrPhysicalId}) could not be found in Stack ${stack.name}.`,
  );
}

/** Marks (or unmarks) a resource unhealthy. */
export async function markUnhealthy(
  host: OperationHost,
  stack: StackRecord,
  nameOrPhysicalId: string,
  unhealthy: boolean,
  reason: string,
): Promise<void> {
  const row = await findResource(host, stack, nameOrPhysicalId);
  if (row.status === 'IN_PROGRESS') throw actionInProgress(stack);
  const why = reason || DEFAULT_UNHEALTHY_REASON;
  let status: 'FAILED' | 'COMPLETE';
  if (unhealthy) {
    if (row.action === 'DELETE') return;
    status = 'FAILED';
  } else {
    if (!(row.action === 'CHECK' && row.status === 'FAILED')) return;
    status = 'COMPLETE';
  }
  const patch = { action: 'CHECK' as const, status, statusReason: why, updatedAt: new Date().toISOString() };
  Object.assign(row, patch);
  await host.writer.write([
    { kind: 'updateResource', id: row.id, patch },
    {
      kind: 'insertEvent',
      event: resourceEvent(stack, { ...row, properties: host.redact(stack, row.properties) }),
    },
  ]);
}
