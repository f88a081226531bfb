/**
 * `hearth stack event list|show`, `stack template show`, `stack environment show`, `stack file list`.
 */
import { Command } from 'commander';
import { formatGiven, formatList, formatOr, formatRecord } from '../format.js';
import { CliError, type CliIo } from '../io.js';
import { linkOf, stackRef, type EventItem, type ResourceItem } from '../progress/model.js';
import { PollingSource } from '../progress/polling-source.js';
import { eventLine } from '../progress/render.js';
import { ProgressTracker } from '../progress/tracker.js';
import { JsonLinesView, PlainView, type ProgressView } from '../progress/views.js';
import { watchStack } from '../progress/watch.js';
import { formatEventLine, withInterrupt } from '../wait.js';
import { commandEnv, type CommandEnv } from './common.js';
import { checkFinal, countOption, pollInterval, stackNameOf, type Json } from './stack-common.js';
import { appendPairs, parseSort, sortItems } from './stack-inputs.js';

/** Options of `stack event list`. */
interface EventListOptions {
  resource?: string;
  filter: string[];
  limit?: string;
  marker?: string;
  nestedDepth?: string;
  sort: string[];
  follow?: boolean;
  wait?: boolean;
  poll?: string;
}

/** An event with the name of the stack it belongs to (from its `stack` link). */
function withStackName(e: EventItem, fallback: string): Json {
  return { ...e, stack_name: stackRef(linkOf(e, 'stack'))?.name ?? fallback };
}

/**
 * `--follow`: streams the events (log lines, or one JSON object per line with `-f json`) until Ctrl-C; with
 * `--wait`, until the stack's action in progress ends (exit 1 when it fails).
 */
async function followEvents(
  env: CommandEnv,
  cmd: Command,
  path: string,
  opts: EventListOptions,
): Promise<void> {
  if (formatGiven(cmd) && env.format !== 'json') {
    throw new CliError('--follow prints event log lines, or one JSON object per line with -f json', 2);
  }
  if (opts.resource) throw new CliError('--follow cannot be combined with --resource', 2);
  const name = stackNameOf(path);
  const intervalMs = pollInterval(opts.poll);
  const source = new PollingSource(env.client, path, {
    nestedDepth: countOption('--nested-depth', opts.nestedDepth) ?? 0,
    ...(opts.marker ? { marker: opts.marker } : {}),
    ...(intervalMs !== undefined ? { intervalMs } : {}),
  });
  const tracker = new ProgressTracker({ name, id: decodeURIComponent(path.split('/')[2] ?? '') }, Date.now());
  const view: ProgressView = formatGiven(cmd)
    ? new JsonLinesView(env.io.out)
    : new PlainView(env.io.out, { summary: opts.wait ?? false });
  const actions = opts.wait
    ? ['CREATE', 'UPDATE', 'DELETE', 'ROLLBACK', 'SUSPEND', 'RESUME', 'CHECK', 'RESTORE', 'ADOPT', 'SNAPSHOT']
    : [];
  const final = await withInterrupt((signal) => watchStack(source, tracker, view, { actions, signal }));
  if (opts.wait) checkFinal(final);
}

/**
 * Prints events as log lines; with nested stacks, each resource under its path from the stack
 * (`[s.grp.0.leaf]`; a nested stack's own events show through its resource's).
 */
async function printEventLog(
  env: CommandEnv,
  path: string,
  events: EventItem[],
  depth: number,
): Promise<void> {
  const name = stackNameOf(path);
  if (depth === 0) {
    for (const e of events) env.io.out(formatEventLine(name, e));
    return;
  }
  const { resources } = await env.client.request<{ resources: ResourceItem[] }>(
    'GET',
    `${path}/resources?nested_depth=${depth}`,
  );
  const tracker = new ProgressTracker({ name, id: decodeURIComponent(path.split('/')[2] ?? '') }, Date.now());
  const news = tracker.apply({ events, resources }, Date.now());
  for (const e of news.events) env.io.out(eventLine(e));
}

/** Lists the events once. */
async function listEvents(
  env: CommandEnv,
  cmd: Command,
  path: string,
  opts: EventListOptions,
): Promise<void> {
  const depth = countOption('--nested-depth', opts.nestedDepth) ?? 0;
  const limit = countOption('--limit', opts.limit);
  const sort = parseSort(opts.sort, 'event_time');
  const q = new URLSearchParams({ sort_dir: sort[0]?.dir ?? 'asc' });
  appendPairs(q, opts.filter, '--filter');
  if (depth > 0) q.set('nested_depth', String(depth));
  if (limit !== undefined) q.set('limit', String(limit));
  if (opts.marker) q.set('marker', opts.marker);
  const url = opts.resource
    ? `${path}/resources/${encodeURIComponent(opts.resource)}/events?${q}`
    : `${path}/events?${q}`;
  const { events } = await env.client.request<{ events: EventItem[] }>('GET', url);
  const name = stackNameOf(path);
  const items = sortItems(
    events.map((e) => withStackName(e, name)),
    sort,
  );
  if (!formatGiven(cmd)) {
    if (env.columns.length) throw new CliError('-c selects columns of -f table|json|yaml|value output', 2);
    await printEventLog(env, path, items as unknown as EventItem[], depth);
    return;
  }
  const columns: [string, string][] = [
    ['resource_name', 'resource_name'],
    ['id', 'id'],
    ['resource_status', 'resource_status'],
    ['resource_status_reason', 'resource_status_reason'],
    ['event_time', 'event_time'],
    ['physical_resource_id', 'physical_resource_id'],
  ];
  if (depth > 0) columns.push(['stack_name', 'stack_name']);
  columns.push(['logical_resource_id', 'logical_resource_id']);
  env.io.out(formatList(env.format, columns, items, env.columns));
}

/** Adds `stack event list|show`. */
function addEventCommands(stack: Command, io: CliIo): void {
  const event = stack.command('event').description('Stack events');
  event
    .command('list')
    .description('List the events of a stack (oldest first; log lines unless -f is given)')
    .argument('<name>', 'stack name or id')
    .option('--resource <name>', 'only the events of this resource (not with --nested-depth)')
    .option(
      '--filter <key=value>',
      'resource_name, resource_action, resource_status (COMPLETE…), resource_type (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .option('--limit <n>', 'at most this many events')
    .option('--marker <id>', 'only the events after this one')
    .option('-n, --nested-depth <n>', 'include events of nested stacks down to this depth')
    .option(
      '--sort <key[:dir]>',
      'sort by event_time (default), resource_name, resource_status, id… (repeatable; ":desc" = newest first)',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .option('--follow', 'keep printing new events until interrupted (Ctrl-C)')
    .option('--wait', 'with --follow: stop when the action in progress ends; exit 1 when it fails')
    .option('--poll <seconds>', 'poll interval of --follow (default 1)')
    .action(async (name: string, opts: EventListOptions, cmd: Command) => {
      const env = commandEnv(cmd, io);
      if (opts.resource && opts.nestedDepth !== undefined) {
        throw new CliError('--resource and --nested-depth cannot be combined', 2);
      }
      if (opts.wait && !opts.follow) throw new CliError('--wait applies to --follow', 2);
      const path = await env.client.stackPath(name);
      if (opts.follow) await followEvents(env, cmd, path, opts);
      else await listEvents(env, cmd, path, opts);
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
      env.io.out(formatRecord(env.format, body, env.columns));
    });
}

/** Adds a `stack <group> <verb>` command printing the document at `…/{suffix}` (YAML unless -f is given). */
function addDocumentCommand(
  stack: Command,
  io: CliIo,
  [group, verb, suffix]: [string, string, string],
  descriptions: [string, string],
): void {
  stack
    .command(group)
    .description(descriptions[0])
    .command(verb)
    .description(descriptions[1])
    .argument('<name>', 'stack name or id')
    .action(async (name: string, _opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const doc = await env.client.request<Json>('GET', `${await env.client.stackPath(name)}/${suffix}`);
      env.io.out(formatRecord(formatOr(cmd, 'yaml'), doc, env.columns));
    });
}

/** Adds the event, template, environment and file groups to `stack`. */
export function addStackDataCommands(stack: Command, io: CliIo): void {
  addEventCommands(stack, io);
  addDocumentCommand(
    stack,
    io,
    ['template', 'show', 'template'],
    ['The stored template of a stack', 'Show the stored template (YAML unless -f is given)'],
  );
  addDocumentCommand(
    stack,
    io,
    ['environment', 'show', 'environment'],
    ['The environment of a stack', 'Show the merged environment in effect (YAML unless -f is given)'],
  );
  addDocumentCommand(
    stack,
    io,
    ['file', 'list', 'files'],
    ['The files uploaded with a stack', 'Show the files map (name → content; YAML unless -f is given)'],
  );
}
