/**
 * Small constructors and helpers for rows and events.
 */
import { randomUUID } from 'node:crypto';
import type { ActionResult } from './plugin.js';
import { physicalResourceName } from './physical-name.js';
import type { EventRecord, ResourceRecord, StackInputs, StackRecord } from './store.js';
import type { StackCreateRequest } from './service.js';

/** Now as ISO 8601. */
export function now(): string {
  return new Date().toISOString();
}

/** A fresh INIT_COMPLETE resource row. */
export function newResourceRecord(
  stackId: string,
  name: string,
  type: string,
  traversal: string,
): ResourceRecord {
  return {
    id: randomUUID(),
    stackId,
    name,
    type,
    action: 'INIT',
    status: 'COMPLETE',
    statusReason: '',
    physicalId: null,
    properties: null,
    attributes: {},
    data: {},
    metadata: {},
    requires: [],
    current: true,
    replaces: null,
    createdAt: now(),
    updatedAt: null,
    traversal,
  };
}

/** An event about a resource. */
export function resourceEvent(
  stack: StackRecord,
  r: Pick<
    ResourceRecord,
    'name' | 'physicalId' | 'type' | 'action' | 'status' | 'statusReason' | 'properties'
  > & { id?: string },
): EventRecord {
  return {
    id: randomUUID(),
    stackId: stack.id,
    rootStackId: stack.rootId,
    resourceName: r.name,
    // Heat: the resource id, else the physical name it will have (`<stack>-<resource>-<short id>`).
    physicalId: r.physicalId ?? (r.id ? physicalResourceName(stack.name, r.name, r.id) : null),
    resourceType: r.type,
    action: r.action,
    status: r.status,
    reason: r.statusReason,
    properties: r.properties,
    time: now(),
  };
}

/** An event about the stack itself (resource_name = stack name, as Heat). */
export function stackEvent(stack: StackRecord): EventRecord {
  return {
    id: randomUUID(),
    stackId: stack.id,
    rootStackId: stack.rootId,
    resourceName: stack.name,
    physicalId: stack.id,
    resourceType: 'OS::Heat::Stack',
    action: stack.action,
    status: stack.status,
    reason: stack.statusReason,
    properties: null,
    time: now(),
  };
}

/** Deep equality of JSON-like values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.prototype.hasOwnProperty.call(b, k) &&
      jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** A root stack row for a create request (INIT_COMPLETE; the caller sets the action it starts). */
export function newRootStackRecord(
  id: string,
  projectId: string,
  req: StackCreateRequest,
  inputs: StackInputs,
): StackRecord {
  return {
    id,
    name: req.stackName,
    projectId,
    parentId: null,
    ownerResource: null,
    rootId: id,
    depth: 0,
    action: 'INIT',
    status: 'COMPLETE',
    statusReason: '',
    inputs,
    previousInputs: null,
    disableRollback: req.disableRollback ?? true,
    timeoutMins: req.timeoutMins ?? null,
    tags: req.tags ?? [],
    username: req.username ?? null,
    createdAt: now(),
    updatedAt: null,
    deletedAt: null,
    traversal: '',
    deadline: null,
    actionData: {},
  };
}

/** The row fields a plugin action's result changes (its data merged over the row's). */
export function resultPatch(row: ResourceRecord, result: ActionResult | void): Partial<ResourceRecord> {
  const patch: Partial<ResourceRecord> = {};
  if (!result) return patch;
  if (result.physicalId !== undefined) patch.physicalId = result.physicalId;
  if (result.attributes !== undefined) patch.attributes = result.attributes;
  if (result.data !== undefined) patch.data = { ...row.data, ...result.data };
  if (result.metadata !== undefined) patch.metadata = result.metadata;
  return patch;
}
