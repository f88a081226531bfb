/**
 * Stack-level suspend, resume, check, snapshot and adopt (Heat's `Stack.stack_task`): the stack row already says
 * `<ACTION>_IN_PROGRESS` (written by the caller, or left by a crashed process: running it again resumes it);
 * resources are walked in dependency order (suspend in reverse), then the stack ends `<ACTION>_COMPLETE`
 * "Stack <ACTION> completed successfully" or `<ACTION>_FAILED` "Resource <ACTION> failed: <leaf reason>".
 */
import { purgeStackEvents } from '../limits.js';
import type { LoadedStack } from '../loader.js';
import type { NestedStackResult } from '../plugin.js';
import { now } from '../records.js';
import type { ResourceRecord, StackRecord } from '../store.js';
import { stackAbandonData } from './abandon-data.js';
import { beginStackAction, type OperationHost, type WalkAction } from './host.js';
import { pythonListRepr } from './python-repr.js';
import { ResourceActor, isMap } from './resource-actions.js';
import { walkResources } from './resource-walk.js';

/** Why an operation was interrupted, read from the executor's abort reason (`timeout`, `shutdown`, …). */
function abortCause(signal: AbortSignal): string | null {
  if (!signal.aborted) return null;
  const cause = (signal.reason as { cause?: unknown } | undefined)?.cause;
  return typeof cause === 'string' ? cause : 'aborted';
}

function loadedOrNull(host: OperationHost, stack: StackRecord): LoadedStack | null {
  try {
    return host.loaded(stack);
  } catch {
    return null;
  }
}

/** The dependency names of a resource: from the stack's definition when it has it, else from its row. */
function requiresOf(loaded: LoadedStack | null, row: ResourceRecord): string[] {
  const def = loaded?.definition.resources.get(row.name);
  return def ? [...def.requires] : row.requires;
}

/**
 * Runs (or resumes) a walk action on a stack whose row says `<action>_IN_PROGRESS`. Never throws for resource
 * failures: they end the stack FAILED. Returns without finishing when interrupted by a shutdown, a delete or a
 * newer action (the interrupter owns the stack's status); a timeout fails it ("Suspend timed out").
 * @param signal aborts work in flight (plugins see it)
 * @param drain stops launching new work (aborted on every interruption, with the cause as reason)
 */
export async function runStackOperation(
  host: OperationHost,
  stack: StackRecord,
  action: WalkAction,
  signal: AbortSignal,
  drain: AbortSignal = signal,
): Promise<void> {
  const rows = (await host.store.listResources(stack.id)).filter((r) => r.current);
  const loaded = loadedOrNull(host, stack);
  const adoptData = stack.actionData['adoptStackData'];
  const adoptResources = isMap(adoptData) && isMap(adoptData['resources']) ? adoptData['resources'] : {};
  const actor = new ResourceActor(host, stack, rows, loaded, signal, adoptResources);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const failures = await walkResources(
    rows.map((r) => r.name),
    (name) => requiresOf(loaded, byName.get(name)!),
    (name) => actor.act(action, name),
    { reverse: action === 'SUSPEND', aggregate: action === 'CHECK', signal: drain },
  );
  const cause = abortCause(drain) ?? abortCause(signal);
  if (cause !== null && cause !== 'timeout' && cause !== 'cancel' && cause !== 'cancel-no-rollback') return;

  let status: 'COMPLETE' | 'FAILED' = 'COMPLETE';
  let reason = `Stack ${action} completed successfully`;
  if (cause !== null) {
    status = 'FAILED';
    reason =
      cause === 'timeout'
        ? `${action[0]}${action.slice(1).toLowerCase()} timed out`
        : `Stack ${action} cancelled`;
  } else if (failures.length > 0) {
    status = 'FAILED';
    reason = `Resource ${action} failed: ${action === 'CHECK' ? pythonListRepr(failures) : failures[0]}`;
  }
  if (action === 'SNAPSHOT') await saveSnapshot(host, stack, actor, status, reason);
  await finishStack(host, stack, status, reason, failures[0]);
  if (action === 'CHECK' && !(await supportsCheck(host, stack, actor.checkUnsupported))) {
    stack.statusReason = `${reason}. 'CHECK' not fully supported (see resources)`;
    await host.writeStack(stack, ['statusReason']);
  }
  await purgeStackEvents(host.store, stack.id, host.limits);
}

async function finishStack(
  host: OperationHost,
  stack: StackRecord,
  status: 'COMPLETE' | 'FAILED',
  reason: string,
  leafReason: string | undefined,
): Promise<void> {
  stack.status = status;
  stack.statusReason = reason;
  const fields: (keyof StackRecord)[] = ['status', 'statusReason'];
  if (stack.action === 'RESTORE') {
    stack.updatedAt = now();
    fields.push('updatedAt');
  }
  if (status === 'FAILED') {
    stack.actionData = { ...stack.actionData, leafReason: leafReason ?? reason };
    fields.push('actionData');
  }
  await host.writeStack(stack, fields);
}

/** Heat's `supports_check_action`: every resource (recursively through child stacks) has a check handler. */
async function supportsCheck(
  host: OperationHost,
  stack: StackRecord,
  unsupported: ReadonlySet<string>,
): Promise<boolean> {
  const children = new Map(
    (await host.store.listChildStacks(stack.id)).map((c) => [c.ownerResource ?? '', c] as const),
  );
  const rows = (await host.store.listResources(stack.id)).filter((r) => r.current);
  for (const row of rows) {
    const child = children.get(row.name);
    if (child) {
      if (!(await supportsCheck(host, child, new Set()))) return false;
      continue;
    }
    if (unsupported.has(row.name)) return false;
    if (!host.pluginOf(stack, row)?.check) return false;
  }
  return true;
}

/** Completes the snapshot row of a SNAPSHOT action with the stack's data (Heat's `save_snapshot`). */
async function saveSnapshot(
  host: OperationHost,
  stack: StackRecord,
  actor: ResourceActor,
  status: 'COMPLETE' | 'FAILED',
  reason: string,
): Promise<void> {
  const snapshotId = stack.actionData['snapshotId'];
  if (typeof snapshotId !== 'string') return;
  const data = await stackAbandonData(host, { ...stack, status });
  const resources = data['resources'] as Record<string, Record<string, unknown>>;
  for (const [name, extra] of actor.snapshotData) {
    const entry = resources[name];
    if (entry && isMap(entry['resource_data']))
      entry['resource_data'] = { ...entry['resource_data'], ...extra };
  }
  if (!(await host.store.getSnapshot(snapshotId))) return;
  await host.store.updateSnapshot(snapshotId, {
    status,
    statusReason: reason,
    data,
    updatedAt: now(),
  });
}

/**
 * Suspends, resumes or checks a child stack for its parent's resource and waits (Heat's StackResource
 * `handle_suspend`/`check_suspend_complete` …). A child left IN_PROGRESS by a crash is resumed; a child already
 * SUSPEND_COMPLETE (RESUME_COMPLETE) is not suspended (resumed) again.
 */
export async function actOnChildStack(
  host: OperationHost,
  child: StackRecord,
  action: 'SUSPEND' | 'RESUME' | 'CHECK',
  signal: AbortSignal,
): Promise<NestedStackResult> {
  if (host.isRunning(child.id)) {
    await host.settle(child.id);
    child = (await host.store.getStack(child.id)) ?? child;
  }
  const alreadyThere = action !== 'CHECK' && child.action === action && child.status === 'COMPLETE';
  if (child.status === 'IN_PROGRESS' && child.action === action) {
    await host.start(child, action, signal);
  } else if (!alreadyThere) {
    await beginStackAction(host, child, action);
    await host.start(child, action, signal);
  }
  const fresh = (await host.store.getStack(child.id)) ?? child;
  return host.nestedResult(fresh);
}
