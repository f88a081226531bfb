/**
 * `hearth stack check|suspend|resume|cancel STACK...` (stack actions) and `stack abandon|export|adopt`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { formatOr, formatRecord } from '../format.js';
import { collect, readParameters } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { waitForStack, type FinalState } from '../wait.js';
import { commandEnv, type CommandEnv } from './common.js';
import {
  checkFinal,
  checkInterrupted,
  mutateStack,
  pollInterval,
  printStack,
  printStackRows,
  stackNameOf,
  timeoutMinutes,
  type Json,
} from './stack-common.js';

/** A cancel succeeded unless its rollback failed (a cancel without rollback ends `*_FAILED` on purpose). */
export function checkCancelled(state: FinalState): void {
  checkInterrupted(state);
  if (state.status === 'ROLLBACK_FAILED') throw new CliError(`Stack ${state.status}: ${state.reason}`);
}

/** How one action verb runs. */
interface ActionSpec {
  /** The `POST …/actions` body key. */
  action: string;
  /** Actions whose terminal status ends `--wait`. */
  waitFor: string[];
  check?: (state: FinalState) => void;
}

/**
 * Runs an action on each stack (waiting for each with `wait`), then prints the stack — or, for several, one row
 * per stack as `openstack stack check|suspend|…`.
 */
async function runAction(
  env: CommandEnv,
  names: string[],
  spec: ActionSpec,
  opts: { wait?: boolean; poll?: string },
): Promise<void> {
  const intervalMs = pollInterval(opts.poll);
  const paths: string[] = [];
  for (const name of names) {
    const path = await env.client.stackPath(name);
    await mutateStack(
      env,
      path,
      stackNameOf(path),
      {
        wait: opts.wait ?? false,
        actions: spec.waitFor,
        ...(spec.check ? { check: spec.check } : {}),
        ...(intervalMs !== undefined ? { intervalMs } : {}),
      },
      () => env.client.request('POST', `${path}/actions`, { [spec.action]: null }),
    );
    paths.push(path);
  }
  if (paths.length === 1) {
    await printStack(env, paths[0]!, false);
    return;
  }
  const rows: Json[] = [];
  for (const path of paths) {
    rows.push((await env.client.request<{ stack: Json }>('GET', `${path}?resolve_outputs=false`)).stack);
  }
  printStackRows(env, rows);
}

/** Prints abandon/export data (JSON unless `-f yaml`), or writes it to a file as JSON. */
async function emitData(
  env: CommandEnv,
  cmd: Command,
  data: Json,
  outputFile: string | undefined,
): Promise<void> {
  if (outputFile === undefined) {
    env.io.out(formatRecord(formatOr(cmd, 'json'), data, env.columns));
    return;
  }
  try {
    await writeFile(outputFile, `${JSON.stringify(data, null, 2)}\n`);
  } catch (err) {
    throw new CliError(`cannot write ${outputFile}: ${(err as Error).message}`);
  }
}

/** Adds check, suspend, resume and cancel to `stack`. */
function addStateActions(stack: Command, io: CliIo): void {
  const simple: [string, string][] = [
    ['check', 'Check that every resource of the stacks still exists and is healthy'],
    ['suspend', 'Suspend the resources of stacks'],
    ['resume', 'Resume suspended stacks'],
  ];
  for (const [verb, description] of simple) {
    const action = verb.toUpperCase();
    stack
      .command(verb)
      .description(description)
      .argument('<stack...>', 'stack names or ids')
      .option('--wait', `show progress until the ${verb} ends; exit 1 when it fails`)
      .option('--poll <seconds>', 'poll interval of --wait (default 1)')
      .action(async (names: string[], opts: { wait?: boolean; poll?: string }, cmd: Command) => {
        await runAction(commandEnv(cmd, io), names, { action: verb, waitFor: [action] }, opts);
      });
  }

  stack
    .command('cancel')
    .description('Cancel the update (or, with --no-rollback, the create/update) in progress')
    .argument('<stack...>', 'stack names or ids')
    .option('--no-rollback', 'stop without rolling back (cancel_without_rollback)')
    .option('--wait', 'show progress until the stacks settle; exit 1 when the rollback fails')
    .option('--poll <seconds>', 'poll interval of --wait (default 1)')
    .action(
      async (names: string[], opts: { rollback: boolean; wait?: boolean; poll?: string }, cmd: Command) => {
        const spec: ActionSpec = opts.rollback
          ? { action: 'cancel_update', waitFor: ['ROLLBACK', 'UPDATE'], check: checkCancelled }
          : { action: 'cancel_without_rollback', waitFor: ['CREATE', 'UPDATE'], check: checkCancelled };
        await runAction(commandEnv(cmd, io), names, spec, opts);
      },
    );
}

/** Reads the environment files of `adopt` into a files map. */
async function readEnvironments(paths: string[]): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const p of paths) {
    try {
      files[p] = await readFile(p, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read environment ${p}: ${(err as Error).message}`);
    }
  }
  return files;
}

/** The `files` of abandon data (heatclient uploads them with the adopt request). */
function adoptDataFiles(text: string, file: string): Record<string, string> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new CliError(`--adopt-file ${file}: not JSON or YAML: ${(err as Error).message}`);
  }
  const files = (data as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return {};
  return Object.fromEntries(
    Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** Adds export, abandon and adopt to `stack`. */
function addAbandonActions(stack: Command, io: CliIo): void {
  stack
    .command('export')
    .description("Print the stack's abandon data (template, environment, resources) without changing it")
    .argument('<name>', 'stack name or id')
    .option('--output-file <file>', 'write the data to this file')
    .action(async (name: string, opts: { outputFile?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const data = await env.client.request<Json>('GET', `${await env.client.stackPath(name)}/export`);
      await emitData(env, cmd, data, opts.outputFile);
    });

  stack
    .command('abandon')
    .description('Remove a stack from Hearth but keep its resources; prints the data `stack adopt` needs')
    .argument('<name>', 'stack name or id')
    .option('--output-file <file>', 'write the abandon data to this file')
    .action(async (name: string, opts: { outputFile?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const data = await env.client.request<Json>('DELETE', `${await env.client.stackPath(name)}/abandon`);
      await emitData(env, cmd, data, opts.outputFile);
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
    .option('--wait', 'show progress until the adopt ends; exit 1 when it fails')
    .option('--poll <seconds>', 'poll interval of --wait (default 1)')
    .action(async (name: string, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const intervalMs = pollInterval(opts.poll as string | undefined);
      const timeout = timeoutMinutes(opts.timeout as string | undefined);
      let adoptData: string;
      try {
        adoptData = await readFile(opts.adoptFile as string, 'utf8');
      } catch (err) {
        throw new CliError(`--adopt-file: cannot read ${opts.adoptFile}: ${(err as Error).message}`);
      }
      const environments = opts.environment as string[];
      const files = {
        ...adoptDataFiles(adoptData, opts.adoptFile as string),
        ...(await readEnvironments(environments)),
      };
      const body: Json = {
        stack_name: name,
        adopt_stack_data: adoptData,
        parameters: await readParameters(opts.parameter as string[], []),
        disable_rollback: !opts.enableRollback,
        ...(Object.keys(files).length ? { files } : {}),
        ...(environments.length ? { environment_files: environments } : {}),
      };
      if (timeout !== undefined) body.timeout_mins = timeout;
      const created = await env.client.request<{ stack: { id: string } }>('POST', 'stacks', body);
      const path = `stacks/${encodeURIComponent(name)}/${encodeURIComponent(created.stack.id)}`;
      if (opts.wait) {
        const final = await waitForStack(env, path, name, {
          actions: ['ADOPT', 'ROLLBACK'],
          ...(intervalMs !== undefined ? { intervalMs } : {}),
        });
        checkFinal(final);
      }
      await printStack(env, path, false);
    });
}

/** Adds check, suspend, resume, cancel, abandon, export and adopt to `stack`. */
export function addActionCommands(stack: Command, io: CliIo): void {
  addStateActions(stack, io);
  addAbandonActions(stack, io);
}
