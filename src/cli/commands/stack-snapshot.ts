/**
 * `hearth stack snapshot create|list|show|delete|restore`.
 */
import { Command } from 'commander';
import { formatList, formatOr, formatRecord } from '../format.js';
import { CliError, type CliIo } from '../io.js';
import { commandEnv, type CommandEnv } from './common.js';
import { confirm, mutateStack, pollInterval, printStack, stackNameOf, type Json } from './stack-common.js';

/** The columns of `snapshot list`. */
const LIST_COLUMNS: [string, string][] = [
  ['ID', 'id'],
  ['Name', 'name'],
  ['Status', 'status'],
  ['Status Reason', 'status_reason'],
  ['Created At', 'creation_time'],
];

/** A snapshot without its (large) data, for display. */
function summary(s: Json): Json {
  const { data: _data, ...rest } = s;
  return rest;
}

/** Polls a snapshot until it is no longer IN_PROGRESS. */
async function waitSnapshot(env: CommandEnv, url: string, intervalMs = 1000): Promise<Json> {
  for (;;) {
    const { snapshot } = await env.client.request<{ snapshot: Json }>('GET', url);
    if (snapshot.status !== 'IN_PROGRESS') return snapshot;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Adds the `snapshot` group to `stack`. */
export function addSnapshotCommands(stack: Command, io: CliIo): void {
  const snapshot = stack.command('snapshot').description('Stack snapshots');

  snapshot
    .command('create')
    .description('Snapshot a stack (its inputs and resources’ data)')
    .argument('<name>', 'stack name or id')
    .option('--name <snapshot>', 'name of the snapshot')
    .option('--wait', 'wait until the snapshot is complete; exit 1 when it fails')
    .option('--poll <seconds>', 'poll interval of --wait (default 1)')
    .action(async (name: string, opts: { name?: string; wait?: boolean; poll?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const intervalMs = pollInterval(opts.poll);
      const path = await env.client.stackPath(name);
      let snap = await env.client.request<Json>('POST', `${path}/snapshots`, { name: opts.name ?? null });
      if (opts.wait)
        snap = await waitSnapshot(
          env,
          `${path}/snapshots/${encodeURIComponent(String(snap.id))}`,
          intervalMs,
        );
      env.io.out(formatRecord(env.format, summary(snap), env.columns));
      if (snap.status === 'FAILED') throw new CliError(`Snapshot FAILED: ${String(snap.status_reason)}`);
    });

  snapshot
    .command('list')
    .description('List the snapshots of a stack')
    .argument('<name>', 'stack name or id')
    .action(async (name: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const { snapshots } = await env.client.request<{ snapshots: Json[] }>(
        'GET',
        `${await env.client.stackPath(name)}/snapshots`,
      );
      env.io.out(formatList(env.format, LIST_COLUMNS, snapshots, env.columns));
    });

  snapshot
    .command('show')
    .description('Show a snapshot, with its data')
    .argument('<name>', 'stack name or id')
    .argument('<snapshot>', 'snapshot id')
    .action(async (name: string, id: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const { snapshot: snap } = await env.client.request<{ snapshot: Json }>(
        'GET',
        `${await env.client.stackPath(name)}/snapshots/${encodeURIComponent(id)}`,
      );
      env.io.out(formatRecord(formatOr(cmd, 'yaml'), snap, env.columns));
    });

  snapshot
    .command('delete')
    .description('Delete a snapshot')
    .argument('<name>', 'stack name or id')
    .argument('<snapshot>', 'snapshot id')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (name: string, id: string, opts: { yes?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      if (
        !opts.yes &&
        process.stdin.isTTY &&
        !(await confirm(`Delete snapshot ${id} of stack ${name}? [y/N] `))
      ) {
        throw new CliError('Delete cancelled', 1);
      }
      await env.client.request(
        'DELETE',
        `${await env.client.stackPath(name)}/snapshots/${encodeURIComponent(id)}`,
      );
    });

  snapshot
    .command('restore')
    .description('Restore a stack to a snapshot')
    .argument('<name>', 'stack name or id')
    .argument('<snapshot>', 'snapshot id')
    .option('--wait', 'show progress until the restore ends; exit 1 when it fails')
    .option('--poll <seconds>', 'poll interval of --wait (default 1)')
    .action(async (name: string, id: string, opts: { wait?: boolean; poll?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const intervalMs = pollInterval(opts.poll);
      const path = await env.client.stackPath(name);
      await mutateStack(
        env,
        path,
        stackNameOf(path),
        {
          wait: opts.wait ?? false,
          actions: ['RESTORE', 'ROLLBACK'],
          ...(intervalMs !== undefined ? { intervalMs } : {}),
        },
        () => env.client.request('POST', `${path}/snapshots/${encodeURIComponent(id)}/restore`),
      );
      await printStack(env, path, false);
    });
}
