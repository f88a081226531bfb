/**
 * `hearth stack failures list NAME [--long]`: every FAILED leaf of the stack tree with its nested path and
 * reason; `--long` adds the update time and, for software deployments, their `deploy_stdout`/`deploy_stderr`/
 * `deploy_status_code`.
 */
import { Command } from 'commander';
import { failureBlock, listFailures } from '../failures.js';
import { formatList } from '../format.js';
import type { CliIo } from '../io.js';
import { commandEnv } from './common.js';

const DEPLOY_OUTPUTS = ['deploy_status_code', 'deploy_stdout', 'deploy_stderr'];

/** Adds `failures list` to `stack`. */
export function addFailuresCommand(stack: Command, io: CliIo): void {
  stack
    .command('failures')
    .description('Failed resources of a stack')
    .command('list')
    .description('List the failed leaf resources of a stack, following nested stacks')
    .argument('<name>', 'stack name or id')
    .option('--long', 'add update times and software deployment output')
    .action(async (name: string, opts: { long?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const failures = await listFailures(env.client, await env.client.stackPath(name));
      if (env.format !== 'table') {
        env.io.out(
          formatList(
            env.format,
            [
              ['path', 'path'],
              ['resource_type', 'type'],
              ['status', 'status'],
              ['status_reason', 'reason'],
              ['physical_resource_id', 'physicalId'],
            ],
            failures as unknown as Record<string, unknown>[],
            env.columns,
          ),
        );
        return;
      }
      for (const f of failures) {
        const details: Record<string, unknown> = {};
        if (opts.long) {
          details.updated_time = f.updatedTime ?? '';
          if (/SoftwareDeployment/.test(f.type)) {
            const { resource } = await env.client.request<{
              resource: { attributes?: Record<string, unknown> };
            }>('GET', f.url);
            for (const k of DEPLOY_OUTPUTS) {
              const v = resource.attributes?.[k];
              if (v !== undefined && v !== null && v !== '') details[k] = v;
            }
          }
        }
        io.out(failureBlock(f, details));
      }
    });
}
