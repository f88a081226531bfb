/**
 * What the stack operations (suspend/resume/check, snapshots, abandon/adopt, mark unhealthy) need from the
 * engine. The {@link Executor} provides it (`Executor.operationHost()`), so this module depends on an interface
 * instead of the executor's internals.
 */
import { randomUUID } from 'node:crypto';
import { HeatError, type HeatErrorType } from '../../template/errors.js';
import type { EngineLimits } from '../limits.js';
import type { LoadedStack } from '../loader.js';
import type { NestedStackResult, NestedStacks, ResourcePlugin } from '../plugin.js';
import { now } from '../records.js';
import type { ResourceRecord, StackAction, StackInputs, StackRecord, Store } from '../store.js';
import type { WriteQueue } from '../writer.js';

/** Stack actions run by the operations module (not by a converging traversal). */
export type WalkAction = 'SUSPEND' | 'RESUME' | 'CHECK' | 'SNAPSHOT' | 'ADOPT';

/** The engine services the operations use. */
export interface OperationHost {
  readonly store: Store;
  readonly writer: WriteQueue;
  readonly limits: EngineLimits;
  /** The loaded (parsed, parameters resolved) inputs of a stack; throws when they no longer load. */
  loaded(stack: StackRecord, inputs?: StackInputs): LoadedStack;
  /** The plugin of a resource row. */
  pluginOf(stack: StackRecord, row: ResourceRecord): ResourcePlugin | undefined;
  /** Child stacks of a resource, aborted with `signal`. */
  nestedFor(
    stack: StackRecord,
    row: ResourceRecord,
    signal: AbortSignal,
    loaded: LoadedStack | null,
  ): NestedStacks;
  /** Persists fields of a stack row, plus (by default) an event of its status. */
  writeStack(stack: StackRecord, fields: (keyof StackRecord)[], event?: boolean): Promise<void>;
  /** Starts an action whose row already says `<action>_IN_PROGRESS`; resolves when it ends. */
  start(stack: StackRecord, action: StackAction, parentSignal?: AbortSignal): Promise<void>;
  /** Whether an action of the stack runs in this process. */
  isRunning(stackId: string): boolean;
  /** Waits for the stack's running action, if any. */
  settle(stackId: string): Promise<void>;
  /** A child stack as its parent's plugin sees it. */
  nestedResult(child: StackRecord): Promise<NestedStackResult>;
  /** Signal URL and token of a resource. */
  signalEndpoint(stack: StackRecord, resourceName: string): { url: string; token: string };
  /** Masks hidden parameter values in event properties. */
  redact(stack: StackRecord, value: Record<string, unknown> | null): Record<string, unknown> | null;
}

/** Whether `action` is run by the operations module. */
export function isWalkAction(action: string): action is WalkAction {
  return (
    action === 'SUSPEND' ||
    action === 'RESUME' ||
    action === 'CHECK' ||
    action === 'SNAPSHOT' ||
    action === 'ADOPT'
  );
}

/**
 * A Heat error whose type is not (yet) in the shared table (`SnapshotNotFound`, `PhysicalResourceIDAmbiguity`):
 * the type name goes on the wire as is, with the given HTTP status.
 */
export function heatError(type: string, message: string, status: number): HeatError {
  return new HeatError(type as HeatErrorType, message, { status });
}

/** Heat's `ActionInProgress` (409). */
export function actionInProgress(stack: StackRecord): HeatError {
  return new HeatError(
    'ActionInProgress',
    `Stack ${stack.name} already has an action (${stack.action}) in progress.`,
  );
}

/**
 * Puts the stack (in memory) into `<action>_IN_PROGRESS` "Stack <action> started" with a new traversal and
 * deadline; returns the changed fields. `actionData` entries are merged (nested stacks keep their path and facade).
 */
export function stackActionPatch(
  host: OperationHost,
  stack: StackRecord,
  action: StackAction,
  actionData: Record<string, unknown> = {},
): (keyof StackRecord)[] {
  const { leafReason: _leaf, snapshotId: _snap, adoptStackData: _adopt, ...kept } = stack.actionData;
  const started = now();
  Object.assign(stack, {
    action,
    status: 'IN_PROGRESS',
    statusReason: `Stack ${action} started`,
    traversal: randomUUID(),
    // Heat sets updated_time for updates and restores, not for create, adopt, suspend, resume, check or snapshot.
    updatedAt: TOUCHES_UPDATED_TIME.has(action) ? started : stack.updatedAt,
    deadline: new Date(
      Date.parse(started) + (stack.timeoutMins ?? host.limits.defaultTimeoutMins) * 60_000,
    ).toISOString(),
    actionData: { ...kept, ...actionData },
  });
  return ['action', 'status', 'statusReason', 'traversal', 'updatedAt', 'deadline', 'actionData'];
}

/** {@link stackActionPatch}, persisted with the stack's event. */
export async function beginStackAction(
  host: OperationHost,
  stack: StackRecord,
  action: StackAction,
  actionData: Record<string, unknown> = {},
): Promise<void> {
  await host.writeStack(stack, stackActionPatch(host, stack, action, actionData));
}

/** Stack actions after which Heat's `updated_time` changes. */
const TOUCHES_UPDATED_TIME: ReadonlySet<string> = new Set(['UPDATE', 'RESTORE', 'ROLLBACK', 'DELETE']);
