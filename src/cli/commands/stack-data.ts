/**
 * `hearth stack event list|show`, `stack template show`, `stack environment show`, `stack file list`.
 */
import { Command } from 'commander';
import { formatList, formatRecord } from '../format.js';
import type { CliIo } from '../io.js';
import { followStack, formatEventLine, type EventItem } from '../wait.js';
import { commandEnv } from './common.js';
import { stackNameOf, type Json } from './stack-common.js';

/** Adds the event, template, environment and file groups to `stack`. */
export function addStackDataCommands(stack: Command, io: CliIo): void {
  const event = stack.command('event').description('Stack events');
  event
    .command('list')
    .description('List the events of a stack (oldest first)')
    .argument('<name>', 'stack name or id')
    .option('-n, --nested-depth <n>', 'include events of nested stacks down to this depth')
    .option('--follow', 'keep printing new events until interrupted')
    .action(async (name: string, opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = await env.client.stackPath(name);
      const stackName = stackNameOf(path);
      if (opts.follow) {
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        try {
          await followStack(env.client, path, stackName, {
            actions: [],
            print: io.out,
            signal: abort.signal,
          });
        } finally {
          process.off('SIGINT', stop);
        }
        return;
      }
      const q = new URLSearchParams({ sort_dir: 'asc' });
      if (opts.nestedDepth !== undefined) q.set('nested_depth', String(opts.nestedDepth));
      const { events } = await env.client.request<{ events: EventItem[] }>('GET', `${path}/events?${q}`);
      if (env.format === 'table') {
        for (const e of events) io.out(formatEventLine(stackName, e));
        return;
      }
      env.io.out(
        formatList(
          env.format,
          [
            ['id', 'id'],
            ['resource_name', 'resource_name'],
            ['resource_status', 'resource_status'],
            ['resource_status_reason', 'resource_status_reason'],
            ['event_time', 'event_time'],
          ],
          events as unknown as Json[],
        ),
      );
    });
  event
    .command('show')
    .description('Show one event')
    .argument('<name>', 'stack name or id')
    .argument('<resource>', 'resource name (the stack name for the stack’s own events)')
    .argument('<event>', 'event id')
    .action(async (name: string, resource: string, id: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const path = await env.client.stackPath(name);
      const { event: body } = await env.client.request<{ event: Json }>(
        'GET',
        `${path}/resources/${encodeURIComponent(resource)}/events/${encodeURIComponent(id)}`,
      );
      env.io.out(formatRecord(env.format, body));
    });

  const structured = (env: { format: string }) => (env.format === 'json' ? 'json' : 'yaml');
  stack
    .command('template')
    .description('The stored template of a stack')
    .command('show')
    .description('Show the stored template (YAML unless -f json)')
    .argument('<name>', 'stack name or id')
    .action(async (name: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const template = await env.client.request<Json>('GET', `${await env.client.stackPath(name)}/template`);
      env.io.out(formatRecord(structured(env), template));
    });
  stack
    .command('environment')
    .description('The environment of a stack')
    .command('show')
    .description('Show the merged environment in effect (YAML unless -f json)')
    .argument('<name>', 'stack name or id')
    .action(async (name: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const environment = await env.client.request<Json>(
        'GET',
        `${await env.client.stackPath(name)}/environment`,
      );
      env.io.out(formatRecord(structured(env), environment));
    });
  stack
    .command('file')
    .description('The files uploaded with a stack')
    .command('list')
    .description('Show the files map (name → content)')
    .argument('<name>', 'stack name or id')
    .action(async (name: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const files = await env.client.request<Json>('GET', `${await env.client.stackPath(name)}/files`);
      env.io.out(formatRecord(structured(env), files));
    });
}
