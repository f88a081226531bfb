/**
 * `hearth stack hook poll NAME [--nested-depth N]` (resources paused on a breakpoint hook) and
 * `hearth stack hook clear NAME RESOURCE [--pre-create|…|--post-delete]` (signals `{"unset_hook": …}`).
 * RESOURCE may name a resource in a nested stack as `parent/child` and use `*`/`?` wildcards.
 */
import { Command } from 'commander';
import type { HeatClient } from '../client.js';
import { formatList } from '../format.js';
import { globPattern, HOOK_TYPES, pendingHooks, type HookEvent, type PendingHook } from '../hooks.js';
import { CliError, type CliIo } from '../io.js';
import { commandEnv, type CommandEnv } from './common.js';

/** Every event of a stack (oldest first), paging through the list. */
async function allEvents(client: HeatClient, stackUrl: string, nestedDepth: number): Promise<HookEvent[]> {
  const out: HookEvent[] = [];
  let marker: string | undefined;
  for (;;) {
    const q = new URLSearchParams({ sort_dir: 'asc', limit: '200' });
    if (nestedDepth > 0) q.set('nested_depth', String(nestedDepth));
    if (marker) q.set('marker', marker);
    const { events } = await client.request<{ events: (HookEvent & { id: string })[] }>(
      'GET',
      `${stackUrl}/events?${q}`,
    );
    out.push(...events);
    if (events.length < 200) return out;
    marker = events[events.length - 1]!.id;
  }
}

/** A resource of some stack, with its nested stack's URL when it has one. */
interface FoundResource {
  stackUrl: string;
  name: string;
  nestedUrl?: string;
}

/** The resources matching a `parent/child` path of globs, starting at `stackUrl`. */
async function findResources(client: HeatClient, stackUrl: string, path: string): Promise<FoundResource[]> {
  let stacks = [stackUrl];
  let found: FoundResource[] = [];
  const segments = path.split('/').filter((s) => s !== '');
  for (const [i, segment] of segments.entries()) {
    const pattern = globPattern(segment);
    found = [];
    for (const url of stacks) {
      const { resources } = await client.request<{
        resources: { resource_name: string; links: { href: string; rel: string }[] }[];
      }>('GET', `${url}/resources`);
      for (const r of resources) {
        if (!pattern.test(r.resource_name)) continue;
        const nestedUrl = r.links.find((l) => l.rel === 'nested')?.href;
        found.push({ stackUrl: url, name: r.resource_name, ...(nestedUrl ? { nestedUrl } : {}) });
      }
    }
    if (i < segments.length - 1) stacks = found.flatMap((f) => (f.nestedUrl ? [f.nestedUrl] : []));
  }
  return found;
}

/** Adds the `hook` group to `stack`. */
export function addHookCommands(stack: Command, io: CliIo): void {
  const hook = stack.command('hook').description('Breakpoint hooks');

  hook
    .command('poll')
    .description('List the resources paused on a hook')
    .argument('<name>', 'stack name or id')
    .option('-n, --nested-depth <n>', 'also look into nested stacks down to this depth', '0')
    .action(async (name: string, opts: { nestedDepth: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const depth = Number(opts.nestedDepth);
      if (!Number.isInteger(depth) || depth < 0)
        throw new CliError('--nested-depth must be a whole number', 2);
      const path = await env.client.stackPath(name);
      const pending = pendingHooks(await allEvents(env.client, path, depth));
      env.io.out(
        formatList(
          env.format,
          [
            ['Resource Name', 'resource'],
            ['Stack', 'stackName'],
            ['Hook', 'hook'],
            ['Pause Reason', 'reason'],
          ],
          pending as unknown as Record<string, unknown>[],
          env.columns,
        ),
      );
    });

  const clear = hook
    .command('clear')
    .description('Clear hooks of resources (all their pending ones unless hook types are given)')
    .argument('<name>', 'stack name or id')
    .argument('<resource...>', 'resource names; nested as parent/child; wildcards * and ? allowed');
  for (const type of HOOK_TYPES) clear.option(`--${type}`, `clear the ${type} hook`);
  clear.action(
    async (name: string, resources: string[], opts: Record<string, boolean | undefined>, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = await env.client.stackPath(name);
      const wanted = HOOK_TYPES.filter((t) => opts[t.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())]);
      for (const resource of resources) await clearHooks(env, path, name, resource, wanted);
    },
  );
}

/** Clears the `wanted` hooks (or the pending ones) of the resources matching `resource`. @throws CliError */
async function clearHooks(
  env: CommandEnv,
  path: string,
  name: string,
  resource: string,
  wanted: string[],
): Promise<void> {
  const targets = await findResources(env.client, path, resource);
  if (targets.length === 0) throw new CliError(`No resource matches "${resource}" in stack ${name}`);
  let cleared = 0;
  for (const t of targets) {
    let hooks = wanted;
    if (hooks.length === 0) {
      const pending: PendingHook[] = pendingHooks(await allEvents(env.client, t.stackUrl, 0));
      hooks = pending.filter((p) => p.resource === t.name).map((p) => p.hook);
    }
    for (const h of hooks) {
      await env.client.request('POST', `${t.stackUrl}/resources/${encodeURIComponent(t.name)}/signal`, {
        unset_hook: h,
      });
      env.io.out(`Cleared ${h} hook on ${t.name}`);
      cleared++;
    }
  }
  if (cleared === 0) throw new CliError(`No pending hook on "${resource}" in stack ${name}`);
}
