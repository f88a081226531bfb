/**
 * `hearth stack resource list|show|signal|mark-unhealthy|metadata`.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { formatList, formatRecord } from '../format.js';
import { collect } from '../inputs.js';
import { CliError, type CliIo } from '../io.js';
import { commandEnv } from './common.js';
import type { Json } from './stack-common.js';

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
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`Signal data is not valid JSON: ${(err as Error).message}`, 2);
  }
}

/** Adds the `resource` group to `stack`. */
export function addResourceCommands(stack: Command, io: CliIo): void {
  const resource = stack.command('resource').description('Stack resources');

  resource
    .command('list')
    .description('List the resources of a stack')
    .argument('<name>', 'stack name or id')
    .option('-n, --nested-depth <n>', 'include nested stacks down to this depth')
    .action(async (name: string, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const depth =
        opts.nestedDepth !== undefined ? `?nested_depth=${encodeURIComponent(opts.nestedDepth)}` : '';
      const path = await env.client.stackPath(name);
      const { resources } = await env.client.request<{ resources: Json[] }>(
        'GET',
        `${path}/resources${depth}`,
      );
      const columns: [string, string][] = [
        ['resource_name', 'resource_name'],
        ['physical_resource_id', 'physical_resource_id'],
        ['resource_type', 'resource_type'],
        ['resource_status', 'resource_status'],
        ['updated_time', 'updated_time'],
      ];
      if (depth) columns.push(['stack_name', 'parent_resource']);
      env.io.out(formatList(env.format, columns, resources));
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
      env.io.out(formatRecord(env.format, body));
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

  resource
    .command('mark-unhealthy')
    .description('Mark a resource unhealthy (replaced on the next update), or healthy again with --reset')
    .argument('<name>', 'stack name or id')
    .argument('<resource>', 'resource name or physical id')
    .argument('[reason]', 'why (shown as the resource status reason)')
    .option('--reset', 'mark the resource healthy again')
    .action(async (name: string, res: string, reason: string | undefined, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = resourcePath(await env.client.stackPath(name), res);
      await env.client.request('PATCH', path, {
        mark_unhealthy: !opts.reset,
        resource_status_reason: reason ?? '',
      });
    });

  resource
    .command('metadata')
    .description("Show a resource's metadata")
    .argument('<name>', 'stack name or id')
    .argument('<resource>', 'resource name')
    .action(async (name: string, res: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = resourcePath(await env.client.stackPath(name), res);
      const { metadata } = await env.client.request<{ metadata: Json }>('GET', `${path}/metadata`);
      env.io.out(formatRecord(env.format === 'table' ? 'json' : env.format, metadata));
    });
}
