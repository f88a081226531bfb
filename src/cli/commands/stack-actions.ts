/**
 * `hearth stack check|suspend|resume|cancel` (stack actions) and `stack abandon|export|adopt`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { collect, readParameters } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { followStack, type FinalState } from '../wait.js';
import { commandEnv, type CommandEnv } from './common.js';
import { checkFinal, mutateStack, printStack, stackNameOf, type Json } from './stack-common.js';

/** A cancel succeeded unless its rollback failed (a cancel without rollback ends `*_FAILED` on purpose). */
export function checkCancelled(state: FinalState): void {
  if (state.status === 'ROLLBACK_FAILED') throw new CliError(`Stack ${state.status}: ${state.reason}`);
}

/** Runs one `POST …/actions` body and, with `wait`, follows the stack. */
async function runAction(
  env: CommandEnv,
  name: string,
  action: string,
  wait: boolean,
  actions: string[],
  check?: (state: FinalState) => void,
): Promise<void> {
  const path = await env.client.stackPath(name);
  await mutateStack(env, path, stackNameOf(path), { wait, actions, ...(check ? { check } : {}) }, () =>
    env.client.request('POST', `${path}/actions`, { [action]: null }),
  );
  await printStack(env, path, false);
}

/** Prints abandon/export data, or writes it to a file. */
async function emitData(env: CommandEnv, data: Json, outputFile: string | undefined): Promise<void> {
  const text = JSON.stringify(data, null, 2);
  if (outputFile === undefined) {
    env.io.out(text);
    return;
  }
  try {
    await writeFile(outputFile, `${text}\n`);
  } catch (err) {
    throw new CliError(`cannot write ${outputFile}: ${(err as Error).message}`);
  }
}

/** Adds check, suspend, resume, cancel, abandon, export and adopt to `stack`. */
export function addActionCommands(stack: Command, io: CliIo): void {
  const simple: [string, string, string][] = [
    ['check', 'CHECK', 'Check that every resource of the stack still exists and is healthy'],
    ['suspend', 'SUSPEND', 'Suspend the resources of a stack'],
    ['resume', 'RESUME', 'Resume a suspended stack'],
  ];
  for (const [verb, action, description] of simple) {
    stack
      .command(verb)
      .description(description)
      .argument('<name>', 'stack name or id')
      .option('--wait', `print events until the ${verb} ends; non-zero exit on failure`)
      .action(async (name: string, opts: { wait?: boolean }, cmd: Command) => {
        await runAction(commandEnv(cmd, io), name, verb, opts.wait ?? false, [action]);
      });
  }

  stack
    .command('cancel')
    .description('Cancel the update (or, with --no-rollback, the create/update) in progress')
    .argument('<name>', 'stack name or id')
    .option('--no-rollback', 'stop without rolling back (cancel_without_rollback)')
    .option('--wait', 'print events until the stack settles; non-zero exit when the rollback fails')
    .action(async (name: string, opts: { rollback: boolean; wait?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      if (opts.rollback) {
        await runAction(
          env,
          name,
          'cancel_update',
          opts.wait ?? false,
          ['ROLLBACK', 'UPDATE'],
          checkCancelled,
        );
      } else {
        await runAction(
          env,
          name,
          'cancel_without_rollback',
          opts.wait ?? false,
          ['CREATE', 'UPDATE'],
          checkCancelled,
        );
      }
    });

  stack
    .command('export')
    .description("Print the stack's abandon data (template, environment, resources) without changing it")
    .argument('<name>', 'stack name or id')
    .option('--output-file <file>', 'write the data to this file')
    .action(async (name: string, opts: { outputFile?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const data = await env.client.request<Json>('GET', `${await env.client.stackPath(name)}/export`);
      await emitData(env, data, opts.outputFile);
    });

  stack
    .command('abandon')
    .description('Remove a stack from Hearth but keep its resources; prints the data `stack adopt` needs')
    .argument('<name>', 'stack name or id')
    .option('--output-file <file>', 'write the abandon data to this file')
    .action(async (name: string, opts: { outputFile?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const data = await env.client.request<Json>('DELETE', `${await env.client.stackPath(name)}/abandon`);
      await emitData(env, data, opts.outputFile);
    });

  stack
    .command('adopt')
    .description('Create a stack that takes over the resources described by abandon data')
    .argument('<name>', 'new stack name')
    .requiredOption('--adopt-file <file>', 'abandon data (from `stack abandon`)')
    .option('-e, --environment <file>', 'environment file (repeatable)', collect, [])
    .option('--parameter <key=value>', 'parameter value (repeatable; overrides the adopt data)', collect, [])
    .option('--timeout <minutes>', 'adopt timeout in minutes')
    .option('--enable-rollback', 'roll back on failure')
    .option('--wait', 'print events until the adopt ends; non-zero exit on failure')
    .action(async (name: string, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      let adoptData: string;
      try {
        adoptData = await readFile(opts.adoptFile as string, 'utf8');
      } catch (err) {
        throw new CliError(`--adopt-file: cannot read ${opts.adoptFile}: ${(err as Error).message}`);
      }
      const files: Record<string, string> = {};
      for (const p of opts.environment as string[]) {
        try {
          files[p] = await readFile(p, 'utf8');
        } catch (err) {
          throw new CliError(`cannot read environment ${p}: ${(err as Error).message}`);
        }
      }
      const body: Json = {
        stack_name: name,
        adopt_stack_data: adoptData,
        parameters: await readParameters(opts.parameter, []),
        disable_rollback: !opts.enableRollback,
        ...(opts.environment.length ? { files, environment_files: opts.environment } : {}),
      };
      if (opts.timeout !== undefined) body.timeout_mins = Number(opts.timeout);
      const created = await env.client.request<{ stack: { id: string } }>('POST', 'stacks', body);
      const path = `stacks/${encodeURIComponent(name)}/${created.stack.id}`;
      if (opts.wait) {
        checkFinal(
          await followStack(env.client, path, name, { actions: ['ADOPT', 'ROLLBACK'], print: io.out }),
        );
      }
      await printStack(env, path, false);
    });
}
