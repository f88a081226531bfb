/**
 * `hearth stack …`: create, list, show, delete and outputs here; update, actions, snapshots, hooks, failures,
 * resources, events and stored inputs in the other `stack-*.ts` modules. Options and their meaning follow
 * python-heatclient's `openstack stack …` commands.
 */
import { Command, Option } from 'commander';
import { ApiError } from '../client.js';
import { formatList, formatRecord, yamlCell } from '../format.js';
import { collect, readParameters, templateBody } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { treeMarker, waitForStack } from '../wait.js';
import { commandEnv, type CommandEnv } from './common.js';
import { addActionCommands } from './stack-actions.js';
import {
  checkFinal,
  checkInterrupted,
  confirm,
  pollInterval,
  printStack,
  stackNameOf,
  timeoutMinutes,
  type Json,
} from './stack-common.js';
import { addStackDataCommands } from './stack-data.js';
import { addFailuresCommand } from './stack-failures.js';
import { addHookCommands } from './stack-hook.js';
import { appendPairs, hooksEnvironment, parseSort, sortItems } from './stack-inputs.js';
import { addResourceCommands } from './stack-resource.js';
import { addSnapshotCommands } from './stack-snapshot.js';
import { addUpdateCommand } from './stack-update.js';

/** Options of `stack create`. */
interface CreateOptions {
  template: string;
  environment: string[];
  parameter: string[];
  parameterFile: string[];
  timeout?: string;
  enableRollback?: boolean;
  tags?: string;
  preCreate: string[];
  dryRun?: boolean;
  wait?: boolean;
  poll?: string;
}

/** The create (or create preview) request body. */
async function createBody(name: string, opts: CreateOptions): Promise<Json> {
  const body: Json = {
    stack_name: name,
    ...(await templateBody(opts.template, opts.environment)),
    parameters: await readParameters(opts.parameter, opts.parameterFile),
    disable_rollback: !opts.enableRollback,
  };
  const hooks = hooksEnvironment(opts.preCreate, 'pre-create');
  if (hooks) body.environment = hooks;
  const timeout = timeoutMinutes(opts.timeout);
  if (timeout !== undefined) body.timeout_mins = timeout;
  if (opts.tags !== undefined) body.tags = opts.tags;
  return body;
}

/** Adds `stack create`. */
function addCreateCommand(stack: Command, io: CliIo): void {
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
    .option(
      '--pre-create <resource>',
      'set a pre-create hook on a resource (repeatable; nested as parent/child, wildcards * and ?)',
      collect,
      [],
    )
    .option('--dry-run', 'show the stack the server would create (create preview); create nothing')
    .option('--wait', 'show progress until the stack is created; exit 1 when it fails')
    .option('--poll <seconds>', 'poll interval of --wait (default 1)')
    .action(async (name: string, opts: CreateOptions, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const intervalMs = pollInterval(opts.poll);
      const body = await createBody(name, opts);
      if (opts.dryRun) {
        const { stack: preview } = await env.client.request<{ stack: Json }>('POST', 'stacks/preview', body);
        const sorted = Object.fromEntries(
          Object.keys(preview)
            .sort()
            .map((k) => [k, preview[k]]),
        );
        env.io.out(formatRecord(env.format, sorted, env.columns));
        return;
      }
      const created = await env.client.request<{ stack: { id: string } }>('POST', 'stacks', body);
      const path = `stacks/${encodeURIComponent(name)}/${encodeURIComponent(created.stack.id)}`;
      if (!opts.wait) {
        await printStack(env, path, false);
        return;
      }
      const final = await waitForStack(env, path, name, {
        actions: ['CREATE', 'ROLLBACK'],
        ...(intervalMs !== undefined ? { intervalMs } : {}),
      });
      checkInterrupted(final);
      await printStack(env, path, false);
      checkFinal(final);
    });
}

/** Options of `stack list`. */
interface ListOptions {
  deleted?: boolean;
  nested?: boolean;
  hidden?: boolean;
  property: string[];
  tags?: string;
  tagMode?: 'any' | 'not' | 'not-any';
  limit?: string;
  marker?: string;
  sort?: string;
  allProjects?: boolean;
  short?: boolean;
  long?: boolean;
}

/**
 * The columns of `stack list` for the options, as `openstack stack list` — except that Project is shown with
 * `--all-projects` only (the openstack client shows it whenever the server sends it, i.e. to admins).
 */
export function stackListColumns(opts: ListOptions): [string, string][] {
  const columns: [string, string][] = [
    ['ID', 'id'],
    ['Stack Name', 'stack_name'],
    ['Stack Status', 'stack_status'],
    ['Creation Time', 'creation_time'],
    ['Updated Time', 'updated_time'],
  ];
  if (opts.short) columns.splice(3, 2);
  if (opts.long || opts.allProjects) columns.splice(2, 0, ['Stack Owner', 'stack_owner']);
  if (opts.nested) columns.push(['Parent', 'parent']);
  if (opts.deleted) columns.push(['Deletion Time', 'deletion_time']);
  if (opts.allProjects) columns.splice(2, 0, ['Project', 'project']);
  return columns;
}

/** The `GET /stacks` query for the options. */
export function stackListQuery(opts: ListOptions): URLSearchParams {
  const q = new URLSearchParams();
  appendPairs(q, opts.property, '--property');
  if (opts.tags) {
    const key = { any: 'tags_any', not: 'not_tags', 'not-any': 'not_tags_any' }[opts.tagMode ?? 'any'];
    q.set(opts.tagMode ? key : 'tags', opts.tags);
  } else if (opts.tagMode) {
    throw new CliError('--tag-mode needs --tags', 2);
  }
  if (opts.limit !== undefined) {
    const n = Number(opts.limit);
    if (!Number.isInteger(n) || n < 1)
      throw new CliError(`--limit expects a number >= 1, got "${opts.limit}"`, 2);
    q.set('limit', String(n));
  }
  if (opts.marker) q.set('marker', opts.marker);
  const sort = parseSort(opts.sort ? [opts.sort] : []);
  if (sort.length > 0 && sort.every((k) => k.dir === sort[0]!.dir)) {
    for (const k of sort) q.append('sort_keys', k.key);
    q.set('sort_dir', sort[0]!.dir);
  }
  if (opts.allProjects) q.set('global_tenant', 'true');
  if (opts.deleted) q.set('show_deleted', 'true');
  if (opts.hidden) q.set('show_hidden', 'true');
  if (opts.nested) q.set('show_nested', 'true');
  return q;
}

/** Adds `stack list`. */
function addListCommand(stack: Command, io: CliIo): void {
  stack
    .command('list')
    .description('List stacks')
    .option('--deleted', 'include soft-deleted stacks')
    .option('--nested', 'include nested stacks (adds the Parent column)')
    .option('--hidden', 'include hidden stacks')
    .option(
      '--property <key=value>',
      'filter: name, status, action, id, username, … (repeatable)',
      collect,
      [],
    )
    .option('--tags <a,b>', 'only stacks with these tags (all of them unless --tag-mode)')
    .addOption(
      new Option('--tag-mode <mode>', 'any: any of the tags; not: not all of them; not-any: none').choices([
        'any',
        'not',
        'not-any',
      ]),
    )
    .option('--limit <n>', 'list at most this many stacks')
    .option('--marker <id>', 'list the stacks after this one')
    .option('--sort <key[:dir],…>', 'sort by fields, e.g. stack_name:desc,creation_time')
    .option('--all-projects', 'stacks of every project (admin; adds the Stack Owner column)')
    .option('--short', 'fewer columns')
    .option('--long', 'more columns (Stack Owner)')
    .action(async (opts: ListOptions, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const q = stackListQuery(opts);
      const { stacks } = await env.client.request<{ stacks: Json[] }>(
        'GET',
        `stacks${q.size ? `?${q}` : ''}`,
      );
      const sorted = sortItems(stacks, parseSort(opts.sort ? [opts.sort] : []));
      env.io.out(formatList(env.format, stackListColumns(opts), sorted, env.columns));
    });
}

/** Deletes stacks (OSC semantics for several: report each failure, then fail with the count). */
async function deleteStacks(
  env: CommandEnv,
  names: string[],
  opts: { wait?: boolean; poll?: string },
): Promise<void> {
  const intervalMs = pollInterval(opts.poll);
  const single = names.length === 1;
  let failed = 0;
  const waiting: { path: string; marker: string | undefined; startedMs: number }[] = [];
  for (const name of names) {
    try {
      const path = await env.client.stackPath(name);
      const marker = opts.wait ? await treeMarker(env.client, path) : undefined;
      const startedMs = Date.now();
      await env.client.request('DELETE', path);
      waiting.push({ path, marker, startedMs });
    } catch (err) {
      if (single || !(err instanceof ApiError)) throw err;
      failed++;
      env.io.err(`${name}: ${err.message}`);
    }
  }
  for (const { path, marker, startedMs } of opts.wait ? waiting : []) {
    const final = await waitForStack(env, path, stackNameOf(path), {
      actions: ['DELETE'],
      startedMs,
      ...(marker ? { marker } : {}),
      ...(intervalMs !== undefined ? { intervalMs } : {}),
    });
    if (single || final.interrupted) checkFinal(final);
    else if (final.status === 'DELETE_FAILED') {
      failed++;
      env.io.err(`${stackNameOf(path)}: Stack DELETE_FAILED: ${final.reason}`);
    }
  }
  if (failed > 0) throw new CliError(`Unable to delete ${failed} of the ${names.length} stacks.`);
}

/** Adds `stack delete`. */
function addDeleteCommand(stack: Command, io: CliIo): void {
  stack
    .command('delete')
    .description('Delete stacks')
    .argument('<stack...>', 'stack names or ids')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--wait', 'show progress until the stacks are deleted; exit 1 when one fails')
    .option('--poll <seconds>', 'poll interval of --wait (default 1)')
    .action(async (names: string[], opts: { yes?: boolean; wait?: boolean; poll?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const what = names.length === 1 ? `stack ${names[0]}` : `${names.length} stacks (${names.join(', ')})`;
      if (!opts.yes && process.stdin.isTTY && !(await confirm(`Delete ${what}? [y/N] `))) {
        throw new CliError('Delete cancelled', 1);
      }
      await deleteStacks(env, names, opts);
    });
}

/** Adds `stack output list|show`. */
function addOutputCommands(stack: Command, io: CliIo): void {
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
      const columns: [string, string][] = [
        ['output_key', 'output_key'],
        ['description', 'description'],
      ];
      env.io.out(formatList(env.format, columns, outputs, env.columns));
    });
  output
    .command('show')
    .description('Show one output (or all with --all)')
    .argument('<name>', 'stack name or id')
    .argument('[key]', 'output key')
    .option('--all', 'show every output')
    .action(async (name: string, key: string | undefined, opts: { all?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      if (!key && !opts.all) throw new CliError('stack output show needs an output KEY or --all', 2);
      if (key && opts.all) throw new CliError('stack output show takes an output KEY or --all, not both', 2);
      const path = await env.client.stackPath(name);
      if (opts.all) {
        const { stack } = await env.client.request<{ stack: { outputs?: Json[] } }>('GET', path);
        const all = Object.fromEntries((stack.outputs ?? []).map((o) => [o.output_key as string, o]));
        env.io.out(formatRecord(env.format, all, env.columns, (_k, v) => yamlCell(v)));
        return;
      }
      const { output: o } = await env.client.request<{ output: Json }>(
        'GET',
        `${path}/outputs/${encodeURIComponent(key!)}`,
      );
      env.io.out(formatRecord(env.format, o, env.columns));
      if (o.output_error !== undefined) throw new CliError(`Output ${key}: ${String(o.output_error)}`);
    });
}

/** Builds the `stack` command group. */
export function stackCommand(io: CliIo): Command {
  const stack = new Command('stack').description('Manage stacks');
  addCreateCommand(stack, io);
  addListCommand(stack, io);
  stack
    .command('show')
    .description('Show a stack')
    .argument('<name>', 'stack name or id')
    .option('--no-resolve-outputs', 'do not resolve the outputs (faster)')
    .action(async (name: string, opts: { resolveOutputs: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      await printStack(env, await env.client.stackPath(name), true, opts.resolveOutputs);
    });
  addDeleteCommand(stack, io);
  addOutputCommands(stack, io);
  addUpdateCommand(stack, io);
  addActionCommands(stack, io);
  addSnapshotCommands(stack, io);
  addHookCommands(stack, io);
  addFailuresCommand(stack, io);
  addResourceCommands(stack, io);
  addStackDataCommands(stack, io);
  return stack;
}
