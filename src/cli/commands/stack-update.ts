/**
 * `hearth stack update NAME -t FILE [-e ENV]... [--parameter k=v]... [--existing] [--clear-parameter k]...
 * [--rollback enabled|disabled|keep] [--pre-update RES]... [--converge] [--dry-run [--show-nested]] [--wait]`: PUT
 * (or PATCH with `--existing`) of the stack; `--dry-run` asks the update preview instead and prints it as a plan.
 */
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { collect, readParameters, templateBody } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { renderPlan, type PreviewBody } from '../plan.js';
import { commandEnv } from './common.js';
import {
  mutateStack,
  pollInterval,
  printStack,
  stackNameOf,
  timeoutMinutes,
  type Json,
} from './stack-common.js';
import { hooksEnvironment } from './stack-inputs.js';

/** Options of `stack update`. */
export interface UpdateOptions {
  template?: string;
  environment: string[];
  parameter: string[];
  parameterFile: string[];
  existing?: boolean;
  clearParameter: string[];
  rollback?: 'enabled' | 'disabled' | 'keep';
  timeout?: string;
  tags?: string;
  preUpdate: string[];
  converge?: boolean;
  dryRun?: boolean;
  showNested?: boolean;
  wait?: boolean;
  poll?: string;
}

/** Environment files alone (PATCH without a template): their texts in `files`, listed in `environment_files`. */
async function environmentOnly(paths: string[]): Promise<Json> {
  const files: Record<string, string> = {};
  for (const p of paths) {
    try {
      files[p] = await readFile(p, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read environment ${p}: ${(err as Error).message}`);
    }
  }
  return paths.length ? { files, environment_files: paths } : {};
}

/** The update (or preview) request body from the options. @throws CliError for usage errors */
export async function updateBody(opts: UpdateOptions): Promise<Json> {
  if (!opts.template && !opts.existing) {
    throw new CliError('stack update needs -t/--template, or --existing to reuse the stored template', 2);
  }
  if (opts.showNested && !opts.dryRun) throw new CliError('--show-nested only applies with --dry-run', 2);
  const body: Json = opts.template
    ? await templateBody(opts.template, opts.environment)
    : await environmentOnly(opts.environment);
  const parameters = await readParameters(opts.parameter, opts.parameterFile);
  if (Object.keys(parameters).length || !opts.existing) body.parameters = parameters;
  if (opts.clearParameter.length) body.clear_parameters = opts.clearParameter;
  if (opts.rollback === 'enabled') body.disable_rollback = false;
  if (opts.rollback === 'disabled') body.disable_rollback = true;
  const timeout = timeoutMinutes(opts.timeout);
  if (timeout !== undefined) body.timeout_mins = timeout;
  if (opts.tags !== undefined) body.tags = opts.tags;
  const hooks = hooksEnvironment(opts.preUpdate ?? [], 'pre-update');
  if (hooks) body.environment = hooks;
  if (opts.converge) body.converge = true;
  return body;
}

/** Adds `update` to `stack`. */
export function addUpdateCommand(stack: Command, io: CliIo): void {
  stack
    .command('update')
    .description('Update a stack (or, with --dry-run, show what the update would do)')
    .argument('<name>', 'stack name or id')
    .option('-t, --template <file>', 'new template file')
    .option('-e, --environment <file>', 'environment file (repeatable, merged in order)', collect, [])
    .option('--parameter <key=value>', 'parameter value (repeatable)', collect, [])
    .option('--parameter-file <key=path>', 'parameter value read from a file (repeatable)', collect, [])
    .option('--existing', 'PATCH: keep the stored template, environment and parameters where not given')
    .option(
      '--clear-parameter <key>',
      'forget a stored parameter value (repeatable; with --existing)',
      collect,
      [],
    )
    .addOption(
      new Option('--rollback <mode>', 'roll back on failure: enabled, disabled, or keep the stack setting')
        .choices(['enabled', 'disabled', 'keep'])
        .default('keep'),
    )
    .option('--timeout <minutes>', 'stack update timeout in minutes')
    .option('--tags <a,b>', 'comma-separated tags')
    .option(
      '--pre-update <resource>',
      'set a pre-update hook on a resource (repeatable; nested as parent/child, wildcards * and ?)',
      collect,
      [],
    )
    .option('--converge', 'compare with the real resources, not only the stored state (Heat observe-reality)')
    .option('--dry-run', 'print the plan (the update preview) and change nothing')
    .option('--show-nested', 'with --dry-run: include changes inside nested stacks')
    .option('--wait', 'show progress until the update ends; exit 1 when it fails or rolls back')
    .option('--poll <seconds>', 'poll interval of --wait (default 1)')
    .action(async (name: string, opts: UpdateOptions, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const intervalMs = pollInterval(opts.poll);
      if (opts.dryRun && env.format === 'value') {
        throw new CliError('stack update --dry-run prints a plan (table), json or yaml, not value', 2);
      }
      const body = await updateBody(opts);
      const path = await env.client.stackPath(name);
      const method = opts.existing ? 'PATCH' : 'PUT';
      if (opts.dryRun) {
        const preview = await env.client.request<PreviewBody>(
          method,
          `${path}/preview${opts.showNested ? '?show_nested=true' : ''}`,
          body,
        );
        if (env.format === 'table') io.out(renderPlan(preview));
        else if (env.format === 'yaml') io.out(stringify(preview).trimEnd());
        else io.out(JSON.stringify(preview, null, 2));
        return;
      }
      await mutateStack(
        env,
        path,
        stackNameOf(path),
        { wait: opts.wait ?? false, actions: ['UPDATE', 'ROLLBACK'], ...(intervalMs ? { intervalMs } : {}) },
        () => env.client.request(method, path, body),
      );
      await printStack(env, path, false);
    });
}
