/**
 * `hearth audit list [--limit N] [--marker ID] [--since TIME] [--action A]… [--result R]… [--long]`: the project's
 * audit records (`GET /v1/{project}/audit`, project admins), newest first.
 */
import { Command } from 'commander';
import { formatList } from '../format.js';
import type { CliIo } from '../io.js';
import { commandEnv } from './common.js';
import type { Json } from './stack-common.js';

/** The columns of `audit list`. */
const COLUMNS: [string, string][] = [
  ['Time', 'time'],
  ['User', 'user_name'],
  ['Action', 'action'],
  ['Target', 'target'],
  ['Status', 'status'],
  ['Result', 'result'],
];

/** The columns of `audit list --long`. */
const LONG_COLUMNS: [string, string][] = [
  ['ID', 'id'],
  ['Time', 'time'],
  ['User ID', 'user_id'],
  ['User', 'user_name'],
  ['Method', 'method'],
  ['Route', 'route'],
  ['Action', 'action'],
  ['Target', 'target'],
  ['Status', 'status'],
  ['Result', 'result'],
  ['Request ID', 'request_id'],
];

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The query string of `audit list`'s options. */
export function auditQueryString(opts: {
  limit?: string;
  marker?: string;
  since?: string;
  action?: string[];
  result?: string[];
}): string {
  const q = new URLSearchParams();
  if (opts.limit !== undefined) q.set('limit', opts.limit);
  if (opts.marker !== undefined) q.set('marker', opts.marker);
  if (opts.since !== undefined) q.set('since', opts.since);
  for (const a of opts.action ?? []) q.append('action', a);
  for (const r of opts.result ?? []) q.append('result', r);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Builds the `audit` command group. */
export function auditCommand(io: CliIo): Command {
  const audit = new Command('audit').description('Audit trail of the project (project admins)');
  audit
    .command('list')
    .description('List audit records, newest first')
    .option('--limit <n>', 'at most this many records')
    .option('--marker <id>', 'start after this record (the last id of the previous page)')
    .option('--since <time>', 'only records at or after this ISO 8601 time')
    .option('--action <action>', 'only this policy action, e.g. stacks:delete (repeatable)', collect)
    .option('--result <result>', 'only success, failure or denied (repeatable)', collect)
    .option('--long', 'show every field')
    .action(
      async (
        opts: {
          limit?: string;
          marker?: string;
          since?: string;
          action?: string[];
          result?: string[];
          long?: boolean;
        },
        cmd: Command,
      ) => {
        const env = commandEnv(cmd, io);
        const { audit: records } = await env.client.request<{ audit: Json[] }>(
          'GET',
          `audit${auditQueryString(opts)}`,
        );
        env.io.out(formatList(env.format, opts.long ? LONG_COLUMNS : COLUMNS, records, env.columns));
      },
    );
  return audit;
}
