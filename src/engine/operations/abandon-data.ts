/**
 * Heat's abandon data (`Stack.prepare_abandon`), returned by export and abandon and kept in snapshots:
 * `{name, id, action, status, template, environment, files, resources, project_id, stack_user_project_id, tags}`,
 * each resource as `{name, resource_id, type, action, status, metadata, resource_data}` — except a resource that
 * owns a child stack, which is the child's own abandon data (Heat's `StackResource.prepare_abandon`).
 */
import { parseSource } from '../../template/source.js';
import type { StackRecord } from '../store.js';
import type { OperationHost } from './host.js';

/** The template as a JSON value (Heat keeps the parsed dict). */
export function templateJson(template: unknown): unknown {
  if (typeof template !== 'string') return template;
  try {
    return parseSource(template, { maxSize: Number.MAX_SAFE_INTEGER }).value;
  } catch {
    return template;
  }
}

/** The abandon data of a stack and, recursively, of its child stacks. */
export async function stackAbandonData(
  host: OperationHost,
  stack: StackRecord,
): Promise<Record<string, unknown>> {
  const children = new Map(
    (await host.store.listChildStacks(stack.id)).map((c) => [c.ownerResource ?? '', c] as const),
  );
  const resources: Record<string, unknown> = {};
  for (const row of await host.store.listResources(stack.id)) {
    if (!row.current) continue;
    const child = children.get(row.name);
    resources[row.name] = child
      ? await stackAbandonData(host, child)
      : {
          name: row.name,
          resource_id: row.physicalId,
          type: row.type,
          action: row.action,
          status: row.status,
          metadata: row.metadata,
          resource_data: row.data,
        };
  }
  return {
    name: stack.name,
    id: stack.id,
    action: stack.action,
    status: stack.status,
    template: templateJson(stack.inputs.template),
    environment: stack.inputs.mergedEnvironment,
    files: stack.inputs.files,
    resources,
    project_id: stack.projectId,
    stack_user_project_id: stack.projectId,
    tags: stack.tags,
  };
}
