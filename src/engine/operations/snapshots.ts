/**
 * Stack snapshots (Heat's snapshot API): create runs the SNAPSHOT action on the stack (every resource
 * SNAPSHOT_IN_PROGRESS → SNAPSHOT_COMPLETE, plugin snapshot data collected) and stores the stack's abandon data;
 * list, show, delete; restore updates the stack back to the snapshot's template, environment and files
 * (action RESTORE), re-creating changed resources with their snapshot data so that types that honour existing
 * data on create (RandomString) come back with their old values.
 */
import { randomUUID } from 'node:crypto';
import { environmentToJSON } from '../../template/environment/index.js';
import { HeatError, throwIfProblems } from '../../template/errors.js';
import { newResourceRecord, now, stackEvent } from '../records.js';
import type { SnapshotView } from '../service.js';
import type { SnapshotRecord, StackInputs, StackRecord, WriteOp } from '../store.js';
import { validateLoaded } from '../validator.js';
import {
  actionInProgress,
  beginStackAction,
  heatError,
  stackActionPatch,
  type OperationHost,
} from './host.js';
import { isMap } from './resource-actions.js';

/** Heat's `max_snapshots_per_stack`. */
export const MAX_SNAPSHOTS_PER_STACK = 32;

/** Heat's `format_snapshot`. */
export function snapshotView(s: SnapshotRecord): SnapshotView {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    status_reason: s.statusReason as string,
    creation_time: s.createdAt.replace(/\.\d+Z$/, 'Z'),
    data: s.data,
  };
}

/** Starts a snapshot of the stack; answers the IN_PROGRESS snapshot. */
export async function createSnapshot(
  host: OperationHost,
  stack: StackRecord,
  name: string | null,
  limit = MAX_SNAPSHOTS_PER_STACK,
): Promise<SnapshotView> {
  if (stack.status === 'IN_PROGRESS') throw actionInProgress(stack);
  if (limit >= 0 && (await host.store.countSnapshots(stack.id)) >= limit) {
    throw new HeatError(
      'RequestLimitExceeded',
      `Request limit exceeded: You have reached the maximum snapshots per stack, ${limit}. Please delete some snapshots.`,
    );
  }
  const snapshot: SnapshotRecord = {
    id: randomUUID(),
    stackId: stack.id,
    projectId: stack.projectId,
    name,
    status: 'IN_PROGRESS',
    statusReason: null,
    data: null,
    createdAt: now(),
    updatedAt: null,
  };
  await host.store.insertSnapshot(snapshot);
  await beginStackAction(host, stack, 'SNAPSHOT', { snapshotId: snapshot.id });
  void host.start(stack, 'SNAPSHOT');
  return snapshotView(snapshot);
}

/** A snapshot of the stack. @throws SnapshotNotFound */
export async function findSnapshot(
  host: OperationHost,
  stack: StackRecord,
  snapshotId: string,
): Promise<SnapshotRecord> {
  const s = await host.store.getSnapshot(snapshotId);
  if (!s) throw heatError('NotFound', `Snapshot with id ${snapshotId} not found`, 404);
  if (s.stackId !== stack.id) {
    throw heatError(
      'SnapshotNotFound',
      `The Snapshot (${snapshotId}) for Stack (${stack.name}) could not be found.`,
      404,
    );
  }
  return s;
}

/** Snapshots of a stack, oldest first. */
export async function listSnapshots(host: OperationHost, stack: StackRecord): Promise<SnapshotView[]> {
  return (await host.store.listSnapshots(stack.id)).map(snapshotView);
}

/** Deletes a snapshot (refused while it is being taken). */
export async function deleteSnapshot(
  host: OperationHost,
  stack: StackRecord,
  snapshotId: string,
): Promise<void> {
  const s = await findSnapshot(host, stack, snapshotId);
  if (s.status === 'IN_PROGRESS')
    throw new HeatError('NotSupported', 'Deleting in-progress snapshot is not supported.');
  await host.store.deleteSnapshot(s.id);
}

/** The stack inputs a snapshot's data describes (Heat keeps the template, environment and files). */
export function snapshotInputs(data: Record<string, unknown>): StackInputs {
  const files = isMap(data['files']) ? (data['files'] as Record<string, string>) : {};
  return {
    template: data['template'],
    environment: isMap(data['environment']) ? data['environment'] : null,
    mergedEnvironment: {},
    files,
    environmentFiles: [],
    parameters: {},
  };
}

/**
 * Restores a snapshot: validates its inputs, then starts the RESTORE action (an update to those inputs).
 * Resources that differ from the snapshot (other physical id, failed, unhealthy, gone) get a fresh row seeded
 * with their snapshot data, which the update creates (the old row is cleaned up afterwards).
 */
export async function restoreSnapshot(
  host: OperationHost,
  stack: StackRecord,
  snapshotId: string,
): Promise<void> {
  const snap = await findSnapshot(host, stack, snapshotId);
  if (stack.status === 'IN_PROGRESS') throw actionInProgress(stack);
  if (snap.status !== 'COMPLETE' || !snap.data) {
    throw new HeatError('NotSupported', `Restoring a snapshot in status ${snap.status} is not supported.`);
  }
  const inputs = snapshotInputs(snap.data);
  const loaded = host.loaded({ ...stack, inputs, traversal: `${randomUUID()}:validate` }, inputs);
  throwIfProblems(validateLoaded(loaded));
  inputs.mergedEnvironment = environmentToJSON(loaded.environment);

  const previous = stack.status === 'COMPLETE' ? stack.inputs : (stack.previousInputs ?? stack.inputs);
  Object.assign(stack, { inputs, previousInputs: previous });
  const fields = [...stackActionPatch(host, stack, 'RESTORE'), 'inputs', 'previousInputs'] as const;
  const ops: WriteOp[] = [];
  const saved = isMap(snap.data['resources']) ? snap.data['resources'] : {};
  const current = new Map(
    (await host.store.listResources(stack.id)).filter((r) => r.current).map((r) => [r.name, r]),
  );
  for (const [name, entry] of Object.entries(saved)) {
    if (!isMap(entry) || typeof entry['resource_id'] !== 'string' || !isMap(entry['resource_data'])) continue;
    const type = entry['type'];
    if (typeof type !== 'string' || loaded.types.get(name) !== type) continue;
    const row = current.get(name);
    const intact =
      row &&
      row.type === type &&
      row.physicalId === entry['resource_id'] &&
      row.status !== 'FAILED' &&
      row.action !== 'INIT';
    if (intact) continue;
    const seeded = newResourceRecord(stack.id, name, type, stack.traversal);
    seeded.data = { ...entry['resource_data'] };
    if (row) {
      seeded.replaces = row.id;
      ops.push({ kind: 'updateResource', id: row.id, patch: { current: false } });
    }
    ops.push({ kind: 'insertResource', resource: seeded });
  }
  const patch: Record<string, unknown> = {};
  for (const f of fields) patch[f] = stack[f];
  ops.push({ kind: 'updateStack', id: stack.id, patch }, { kind: 'insertEvent', event: stackEvent(stack) });
  await host.writer.write(ops);
  void host.start(stack, 'RESTORE');
}
