/**
 * `hearth stack …`: create, list, show, delete, output show/list here; update, actions, snapshots, hooks,
 * failures, resources, events and stored inputs in the `stack-*.ts` modules.
 */
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { formatList, formatRecord } from '../format.js';
import { collect, readParameters, templateBody } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { followStack, lastEventId } from '../wait.js';
import { commandEnv } from './common.js';
import { addActionCommands } from './stack-actions.js';
import { checkFinal, printStack, type Json } from './stack-common.js';
import { addStackDataCommands } from './stack-data.js';
import { addFailuresCommand } from './stack-failures.js';
import { addHookCommands } from './stack-hook.js';
import { addResourceCommands } from './stack-resource.js';
import { addSnapshotCommands } from './stack-snapshot.js';
import { addUpdateCommand } from './stack-update.js';

/** Asks a yes/no question on a terminal. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Builds the `stack` command group. */
export function stackCommand(io: CliIo): Command {
  const stack = new Command('stack').description('Manage stacks');

  stack
    .command('create')
    .description('Create a stack')
    .argument('<name>', 'stack name')
    .requiredOption('-t, --template <file>', 'template file')
    .option('-e, --environment <file>', 'environment file (repeatable, merged in order)', collect, [])
    .option('--parameter <key=value>', 'parameter value (repeatable)', collect, [])
    .option('--parameter-file <key=path>', 'parameter value read from a file (repeatable)', collect, [])
    .option('--timeout <minutes>', 'stack creation timeout in minutes')
    .option('--enable-rollback', 'roll back on failure (default: no rollback, as Heat)')
    .option('--tags <a,b>', 'comma-separated tags')
    .option('--wait', 'print events until the stack is created; non-zero exit on failure')
    .action(async (name: string, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const body: Json = {
        stack_name: name,
        ...(await templateBody(opts.template, opts.environment)),
        parameters: await readParameters(opts.parameter, opts.parameterFile),
        disable_rollback: !opts.enableRollback,
      };
      if (opts.timeout !== undefined) body.timeout_mins = Number(opts.timeout);
      if (opts.tags !== undefined) body.tags = opts.tags;
      const created = await env.client.request<{ stack: { id: string } }>('POST', 'stacks', body);
      const path = `stacks/${encodeURIComponent(name)}/${created.stack.id}`;
      if (opts.wait) {
        const final = await followStack(env.client, path, name, {
          actions: ['CREATE', 'ROLLBACK'],
          print: io.out,
        });
        await printStack(env, path, false);
        checkFinal(final);
      } else {
        await printStack(env, path, false);
      }
    });

  stack
    .command('list')
    .description('List stacks')
    .option('--tags <a,b>', 'only stacks with all these tags')
    .option('--deleted', 'include deleted stacks')
    .option('--nested', 'include nested stacks')
    .action(async (opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const q = new URLSearchParams();
      if (opts.tags) q.set('tags', opts.tags);
      if (opts.deleted) q.set('show_deleted', 'true');
      if (opts.nested) q.set('show_nested', 'true');
      const { stacks } = await env.client.request<{ stacks: Json[] }>(
        'GET',
        `stacks${q.size ? `?${q}` : ''}`,
      );
      env.io.out(
        formatList(
          env.format,
          [
            ['ID', 'id'],
            ['Stack Name', 'stack_name'],
            ['Stack Status', 'stack_status'],
            ['Creation Time', 'creation_time'],
            ['Updated Time', 'updated_time'],
          ],
          stacks,
        ),
      );
    });

  stack
    .command('show')
    .description('Show a stack')
    .argument('<name>', 'stack name or id')
    .action(async (name: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      await printStack(env, await env.client.stackPath(name), true);
    });

  stack
    .command('delete')
    .description('Delete a stack')
    .argument('<name>', 'stack name or id')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--wait', 'print events until the stack is deleted; non-zero exit on failure')
    .action(async (name: string, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = await env.client.stackPath(name);
      if (!opts.yes && process.stdin.isTTY && !(await confirm(`Delete stack ${name}? [y/N] `))) {
        throw new CliError('Delete cancelled', 1);
      }
      const marker = opts.wait ? await lastEventId(env.client, path) : undefined;
      await env.client.request('DELETE', path);
      if (opts.wait) {
        const final = await followStack(env.client, path, name, {
          actions: ['DELETE'],
          print: io.out,
          ...(marker ? { marker } : {}),
        });
        checkFinal(final);
      }
    });

  const output = stack.command('output').description('Stack outputs');
  output
    .command('list')
    .description('List the outputs of a stack')
    .argument('<name>', 'stack name or id')
    .action(async (name: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const { outputs } = await env.client.request<{ outputs: Json[] }>(
        'GET',
        `${await env.client.stackPath(name)}/outputs`,
      );
      env.io.out(
        formatList(
          env.format,
          [
            ['output_key', 'output_key'],
            ['description', 'description'],
          ],
          outputs,
        ),
      );
    });
  output
    .command('show')
    .description('Show one output (or all with --all)')
    .argument('<name>', 'stack name or id')
    .argument('[key]', 'output key')
    .option('--all', 'show every output')
    .action(async (name: string, key: string | undefined, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = await env.client.stackPath(name);
      if (!key && !opts.all) throw new CliError('Either <key> or --all is required', 2);
      if (opts.all) {
        const { stack } = await env.client.request<{ stack: { outputs?: Json[] } }>('GET', path);
        const all = Object.fromEntries((stack.outputs ?? []).map((o) => [o.output_key as string, o]));
        env.io.out(formatRecord(env.format, all));
        return;
      }
      const { output: o } = await env.client.request<{ output: Json }>(
        'GET',
        `${path}/outputs/${encodeURIComponent(key!)}`,
      );
      env.io.out(formatRecord(env.format, o));
      if (o.output_error !== undefined) throw new CliError(`Output ${key}: ${String(o.output_error)}`);
    });

  addUpdateCommand(stack, io);
  addActionCommands(stack, io);
  addSnapshotCommands(stack, io);
  addHookCommands(stack, io);
  addFailuresCommand(stack, io);
  addResourceCommands(stack, io);
  addStackDataCommands(stack, io);
  return stack;
}
