/**
 * Record builders for the store's tests and benchmark: complete, valid records with overridable fields.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventRecord, ResourceRecord, StackInputs, StackRecord } from '../engine/store.js';

let counter = 0;
/** A fresh UUID-shaped id whose suffix counts up (readable in failures). */
export function fixtureId(): string {
  counter++;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

/** Minimal stack inputs. */
export function fixtureInputs(overrides: Partial<StackInputs> = {}): StackInputs {
  return {
    template: { heat_template_version: '2021-04-16', resources: {} },
    environment: {},
    mergedEnvironment: { parameters: {} },
    files: {},
    environmentFiles: [],
    parameters: {},
    ...overrides,
  };
}

/** A root stack in CREATE_COMPLETE. */
export function fixtureStack(overrides: Partial<StackRecord> = {}): StackRecord {
  const id = overrides.id ?? fixtureId();
  return {
    id,
    name: `stack-${id.slice(-4)}`,
    projectId: 'project-a',
    parentId: null,
    ownerResource: null,
    rootId: id,
    depth: 0,
    action: 'CREATE',
    status: 'COMPLETE',
    statusReason: 'Stack CREATE completed successfully',
    inputs: fixtureInputs(),
    previousInputs: null,
    disableRollback: true,
    timeoutMins: 60,
    tags: [],
    username: 'admin',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: null,
    deletedAt: null,
    traversal: fixtureId(),
    deadline: null,
    actionData: {},
    ...overrides,
  };
}

/** A resource in CREATE_COMPLETE. */
export function fixtureResource(stackId: string, overrides: Partial<ResourceRecord> = {}): ResourceRecord {
  const id = overrides.id ?? fixtureId();
  return {
    id,
    stackId,
    name: `res-${id.slice(-4)}`,
    type: 'OS::Heat::None',
    action: 'CREATE',
    status: 'COMPLETE',
    statusReason: 'state changed',
    physicalId: null,
    properties: {},
    attributes: {},
    data: {},
    metadata: {},
    requires: [],
    current: true,
    replaces: null,
    createdAt: '2024-01-01T00:00:01.000Z',
    updatedAt: null,
    traversal: 't',
    ...overrides,
  };
}

/** An event of a stack. */
export function fixtureEvent(stackId: string, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id: fixtureId(),
    stackId,
    rootStackId: stackId,
    resourceName: 'res',
    physicalId: null,
    resourceType: 'OS::Heat::None',
    action: 'CREATE',
    status: 'IN_PROGRESS',
    reason: 'state changed',
    properties: null,
    time: '2024-01-01T00:00:02.000Z',
    ...overrides,
  };
}

/** A temporary directory and its removal. */
export function temporaryDirectory(prefix = 'hearth-store-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
