/**
 * Stack operations beyond converging to a template: suspend/resume/check, mark unhealthy, snapshots,
 * export/abandon/adopt. {@link StackOperations} is what the engine's public methods call.
 */
import { HeatError } from '../../template/errors.js';
import type { SnapshotView } from '../service.js';
import type { StackRecord } from '../store.js';
import { abandonStack } from './abandon.js';
import { stackAbandonData } from './abandon-data.js';
import { actionInProgress, beginStackAction, type OperationHost } from './host.js';
import { markUnhealthy } from './mark-unhealthy.js';
import {
  createSnapshot,
  deleteSnapshot,
  findSnapshot,
  listSnapshots,
  restoreSnapshot,
  snapshotView,
} from './snapshots.js';

export { adoptActionData, adoptParameters } from './abandon.js';
export { isWalkAction, type OperationHost, type WalkAction } from './host.js';
export { actOnChildStack, runStackOperation } from './stack-operation.js';

/** The API-facing stack actions this module runs. */
const ACTIONS = { suspend: 'SUSPEND', resume: 'RESUME', check: 'CHECK' } as const;

/** Engine façade of the stack operations. */
export class StackOperations {
  constructor(private readonly host: OperationHost) {}

  /** Whether `action` (API name) is one of suspend / resume / check. */
  static handles(action: string): action is keyof typeof ACTIONS {
    return Object.prototype.hasOwnProperty.call(ACTIONS, action);
  }

  /**
   * Starts suspend, resume or check (returns once the stack says `<ACTION>_IN_PROGRESS`). Suspending a
   * SUSPEND_COMPLETE stack or resuming a RESUME_COMPLETE one does nothing, as Heat.
   */
  async stackAction(stack: StackRecord, apiAction: keyof typeof ACTIONS): Promise<void> {
    const action = ACTIONS[apiAction];
    if (stack.status === 'IN_PROGRESS' || this.host.isRunning(stack.id)) throw actionInProgress(stack);
    if (action !== 'CHECK' && stack.action === action && stack.status === 'COMPLETE') return;
    await beginStackAction(this.host, stack, action);
    void this.host.start(stack, action);
  }

  /** PATCH …/resources/{name or physical id} `{mark_unhealthy, resource_status_reason}`. */
  markResourceUnhealthy(
    stack: StackRecord,
    resource: string,
    unhealthy: boolean,
    reason: string,
  ): Promise<void> {
    return markUnhealthy(this.host, stack, resource, unhealthy, reason);
  }

  createSnapshot(stack: StackRecord, name: string | null): Promise<SnapshotView> {
    return createSnapshot(this.host, stack, name);
  }

  listSnapshots(stack: StackRecord): Promise<SnapshotView[]> {
    return listSnapshots(this.host, stack);
  }

  async showSnapshot(stack: StackRecord, snapshotId: string): Promise<SnapshotView> {
    return snapshotView(await findSnapshot(this.host, stack, snapshotId));
  }

  deleteSnapshot(stack: StackRecord, snapshotId: string): Promise<void> {
    return deleteSnapshot(this.host, stack, snapshotId);
  }

  restoreSnapshot(stack: StackRecord, snapshotId: string): Promise<void> {
    return restoreSnapshot(this.host, stack, snapshotId);
  }

  /** GET …/export: the abandon data, nothing deleted. */
  exportStack(stack: StackRecord): Promise<Record<string, unknown>> {
    return stackAbandonData(this.host, stack);
  }

  /** DELETE …/abandon. */
  abandonStack(stack: StackRecord): Promise<Record<string, unknown>> {
    return abandonStack(this.host, stack);
  }

  /** Checks the shape of `adopt_stack_data` (an object whose `resources`, if present, is an object). */
  static checkAdoptData(data: unknown): asserts data is Record<string, unknown> {
    const ok =
      data !== null &&
      typeof data === 'object' &&
      !Array.isArray(data) &&
      (!('resources' in data) || isObject((data as Record<string, unknown>)['resources']));
    if (!ok)
      throw new HeatError('HTTPBadRequest', 'Invalid adopt data: expected a JSON object with "resources".');
  }
}

function isObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
