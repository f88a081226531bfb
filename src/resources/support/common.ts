/** Small pieces shared by the built-in plugins. */
import type { ActionContext, ResourceState } from '../../engine/plugin.js';
import { physicalResourceName } from '../../engine/physical-name.js';

/** Heat's base attribute every resource type has besides its schema (`show`; null for Hearth's own types). */
export const SHOW_ATTRIBUTE = 'show';

/** The physical resource name of the acting resource (`<stack>-<resource>-<short id>`). */
export function physicalNameOf(ctx: ActionContext): string {
  return physicalResourceName(ctx.stack.stackName, ctx.state.name, ctx.state.id);
}

/** Heat's default `get_reference_id`: the physical id, or the resource name while there is none. */
export function defaultReferenceId(state: Readonly<ResourceState>): string {
  return state.physicalId ?? state.name;
}

/** Sleeps `secs` seconds through the context (abortable); a negative value waits until aborted. */
export async function waitSeconds(ctx: ActionContext, secs: number): Promise<void> {
  if (secs < 0) {
    for (;;) await ctx.sleep(3_600_000);
  }
  if (secs > 0) await ctx.sleep(secs * 1000);
}
