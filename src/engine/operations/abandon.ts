/**
 * Abandon (`DELETE …/abandon`): the stack and its child stacks leave Hearth — rows deleted, stacks marked
 * DELETE_COMPLETE — while every physical resource is kept; the answer is the abandon data, which `adopt` takes
 * back. Done in one atomic write, so a crash never leaves half an abandoned stack.
 */
import { now, stackEvent } from '../records.js';
import type { StackRecord, WriteOp } from '../store.js';
import { stackAbandonData } from './abandon-data.js';
import { actionInProgress, type OperationHost } from './host.js';
import { isMap } from './resource-actions.js';

/** Abandons a stack (and its children); returns Heat's abandon data. */
export async function abandonStack(
  host: OperationHost,
  stack: StackRecord,
): Promise<Record<string, unknown>> {
  if (stack.status === 'IN_PROGRESS' || host.isRunning(stack.id)) throw actionInProgress(stack);
  const data = await stackAbandonData(host, stack);
  const tree: StackRecord[] = [];
  const collect = async (s: StackRecord): Promise<void> => {
    tree.push(s);
    for (const c of await host.store.listChildStacks(s.id)) await collect(c);
  };
  await collect(stack);
  const ops: WriteOp[] = [];
  const deletedAt = now();
  for (const s of tree) {
    const started = {
      ...s,
      action: 'DELETE' as const,
      status: 'IN_PROGRESS' as const,
      statusReason: 'Stack DELETE started',
    };
    const ended = {
      ...started,
      status: 'COMPLETE' as const,
      statusReason: 'Stack DELETE completed successfully',
    };
    ops.push(
      { kind: 'deleteResourcesOfStack', stackId: s.id },
      {
        kind: 'updateStack',
        id: s.id,
        patch: {
          action: 'DELETE',
          status: 'COMPLETE',
          statusReason: ended.statusReason,
          deletedAt,
          deadline: null,
        },
      },
      { kind: 'insertEvent', event: stackEvent(started) },
      { kind: 'insertEvent', event: stackEvent(ended) },
    );
  }
  await host.writer.write(ops);
  for (const s of tree) await host.store.deleteSnapshotsOfStack(s.id);
  return data;
}

/**
 * The user parameters of an adopt: the adopt data's environment parameters, overridden by the request's
 * (Heat: "Override the params with values given with -P option").
 */
export function adoptParameters(
  adoptData: Record<string, unknown>,
  parameters: Record<string, unknown>,
): Record<string, unknown> {
  const env = adoptData['environment'];
  const saved = isMap(env) && isMap(env['parameters']) ? env['parameters'] : {};
  return { ...saved, ...parameters };
}

/** What an ADOPT action keeps in the stack's action data (so a restarted engine can resume it). */
export function adoptActionData(adoptData: Record<string, unknown>): Record<string, unknown> {
  const resources = adoptData['resources'];
  return { adoptStackData: { resources: isMap(resources) ? resources : {} } };
}
