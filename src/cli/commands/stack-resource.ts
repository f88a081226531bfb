/**
 * `hearth stack resource list|show|signal|metadata|mark unhealthy` (also `mark-unhealthy`).
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { formatList, formatOr, formatRecord } from '../format.js';
import { collect } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { linkOf, stackRef } from '../progress/model.js';
import { commandEnv } from './common.js';
import { countOption, type Json } from './stack-common.js';
import { appendPairs } from './stack-inputs.js';

/** The resource URL of `resource` in the stack at `stackPath`. */
function resourcePath(stackPath: string, resource: string): string {
  return `${stackPath}/resources/${encodeURIComponent(resource)}`;
}

/** The signal body from `--data` / `--data-file` (undefined: no body). @throws CliError for bad JSON */
export async function signalBody(data?: string, dataFile?: string): Promise<unknown> {
  if (data !== undefined && dataFile !== undefined) {
    throw new CliError('Use either --data or --data-file, not both', 2);
  }
  let text = data;
  if (dataFile !== undefined) {
    try {
      text = await readFile(dataFile, 'utf8');
    } catch (err) {
      throw new CliError(`--data-file: cannot read ${dataFile}: ${(err as Error).message}`);
    }
  }
  if (text === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`Signal data is not valid JSON: ${(err as Error).message}`, 2);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new CliError(`Signal data must be a JSON object, got ${JSON.stringify(body)}`, 2);
  }
  return body;
}

/** Options of `stack resource list`. */
interface ResourceListOptions {
  long?: boolean;
  withDetail?: boolean;
  nestedDepth?: string;
  filter: string[];
}

/** Adds the `resource` group to `stack`. */
export function addResourceCommands(stack: Command, io: CliIo): void {
  const resource = stack.command('resource').description('Stack resources');

  resource
    .command('list')
    .description('List the resources of a stack')
    .argument('<name>', 'stack name or id')
    .option('--long', 'with details (description, attributes in -f json|yaml) and the stack_name column')
    .option('--with-detail', 'same as --long (the legacy heat client’s name)')
    .option('-n, --nested-depth <n>', 'include nested stacks down to this depth')
    .option(
      '--filter <key=value>',
      'name, status, type, action, id or physical_resource_id (repeatable)',
      collect,
      [],
    )
    .action(async (name: string, opts: ResourceListOptions, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const depth = countOption('--nested-depth', opts.nestedDepth) ?? 0;
      const long = opts.long || opts.withDetail;
      const q = new URLSearchParams();
      if (depth > 0) q.set('nested_depth', String(depth));
      if (long) q.set('with_detail', 'true');
      appendPairs(q, opts.filter, '--filter');
      const path = await env.client.stackPath(name);
      const { resources } = await env.client.request<{ resources: Json[] }>(
        'GET',
        `${path}/resources${q.size ? `?${q}` : ''}`,
      );
      const columns: [string, string][] = [
        ['resource_name', 'resource_name'],
        ['physical_resource_id', 'physical_resource_id'],
        ['resource_type', 'resource_type'],
        ['resource_status', 'resource_status'],
        ['updated_time', 'updated_time'],
      ];
      if (depth > 0 || long) columns.push(['stack_name', 'stack_name']);
      const rows = resources.map((r) => ({ ...r, stack_name: stackRef(linkOf(r, 'stack'))?.name ?? null }));
      env.io.out(formatList(env.format, columns, rows, env.columns));
    });

  resource
    .command('show')
    .description('Show a resource (with its attributes)')
    .argument('<name>', 'stack name or id')
    .argument('<resource>', 'resource name')
    .option('--with-attr <attribute>', 'also resolve this attribute (repeatable)', collect, [])
    .action(async (name: string, res: string, opts: { withAttr: string[] }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const q = new URLSearchParams();
      for (const a of opts.withAttr) q.append('with_attr', a);
      const path = resourcePath(await env.client.stackPath(name), res);
      const { resource: body } = await env.client.request<{ resource: Json }>(
        'GET',
        `${path}${q.size ? `?${q}` : ''}`,
      );
      env.io.out(formatRecord(env.format, body, env.columns));
    });

  resource
    .command('signal')
    .description('Signal a resource (wait condition handles, deployments, scaling policies, hooks)')
    .argument('<name>', 'stack name or id')
    .argument('<resource>', 'resource name')
    .option('--data <json>', 'JSON body of the signal')
    .option('--data-file <file>', 'file holding the JSON body of the signal')
    .action(async (name: string, res: string, opts: { data?: string; dataFile?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const body = await signalBody(opts.data, opts.dataFile);
      const path = resourcePath(await env.client.stackPath(name), res);
      await env.client.request('POST', `${path}/signal`, body);
    });

  // `openstack stack resource mark unhealthy`, and Hearth's one-word spelling.
  for (const command of [
    resource.command('mark').description('Resource health').command('unhealthy'),
    resource.command('mark-unhealthy'),
  ]) {
    command
      .description('Mark a resource unhealthy (replaced on the next update), or healthy again with --reset')
      .argument('<name>', 'stack name or id')
      .argument('<resource>', 'resource name or physical id')
      .argument('[reason]', 'why (shown as the resource status reason)')
      .option('--reset', 'mark the resource healthy again')
      .action(
        async (
          name: string,
          res: string,
          reason: string | undefined,
          opts: { reset?: boolean },
          cmd: Command,
        ) => {
          const env = commandEnv(cmd, io);
          const path = resourcePath(await env.client.stackPath(name), res);
          await env.client.request('PATCH', path, {
            mark_unhealthy: !opts.reset,
            resource_status_reason: reason ?? '',
          });
        },
      );
  }

  resource
    .command('metadata')
    .description("Show a resource's metadata")
    .argument('<name>', 'stack name or id')
    .argument('<resource>', 'resource name')
    .action(async (name: string, res: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = resourcePath(await env.client.stackPath(name), res);
      const { metadata } = await env.client.request<{ metadata: Json }>('GET', `${path}/metadata`);
      env.io.out(formatRecord(formatOr(cmd, 'json'), metadata, env.columns));
    });
}
