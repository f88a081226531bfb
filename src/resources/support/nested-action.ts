/**
 * Shared handling of child-stack actions for nested-stack resources (ResourceGroup, provider templates,
 * OS::Heat::Stack): the update policy of the acting resource, and failing with Heat's nested reason.
 */
import type { ActionContext, NestedStackResult, ResourcePlugin } from '../../engine/plugin.js';
import { nestedStackFailure } from './errors.js';
import { snapshotMembers } from './nested-snapshot.js';

/**
 * The resource's `update_policy` as the engine hands it to actions. `ActionContext` has no such field yet
 * (requested from the engine); until then `UpdateRequest.newUpdatePolicy` is the only source during updates.
 */
export function updatePolicyOf(ctx: ActionContext): unknown {
  return (ctx as ActionContext & { readonly updatePolicy?: unknown }).updatePolicy;
}

/**
 * Persists what a failed child action left (so attributes and retries see it) and throws Heat's failure
 * `<type>: resources.<name>.<child path>: <message>`; returns normally when the child action completed.
 */
export async function failIfNestedFailed(
  ctx: ActionContext,
  action: string,
  result: NestedStackResult,
  data: Record<string, unknown>,
): Promise<void> {
  if (result.status !== 'FAILED') return;
  await ctx.saveData(data);
  await ctx.savePhysicalId(result.stackId);
  throw nestedStackFailure(ctx.state.name, action, result.reason);
}

/**
 * Delete, suspend, resume and check of a resource whose members live in its child stack (ResourceGroup,
 * ResourceChain): the child stack acts, and a failure keeps the resource's data with the members' snapshot under
 * `membersKey` before failing with Heat's nested reason.
 */
export function nestedMemberActions(
  membersKey: string,
): Required<Pick<ResourcePlugin, 'delete' | 'suspend' | 'resume' | 'check'>> {
  const act = async (ctx: ActionContext, action: 'SUSPEND' | 'RESUME' | 'CHECK'): Promise<void> => {
    const result = await ctx.nested.act(action);
    await failIfNestedFailed(ctx, action, result, {
      ...ctx.state.data,
      [membersKey]: snapshotMembers(result.members),
    });
  };
  return {
    delete: async (ctx) => ctx.nested.delete(),
    suspend: (ctx) => act(ctx, 'SUSPEND'),
    resume: (ctx) => act(ctx, 'RESUME'),
    check: (ctx) => act(ctx, 'CHECK'),
  };
}
