/**
 * `hearth template validate -t FILE [-e ENV]...`.
 */
import { Command } from 'commander';
import { formatRecord } from '../format.js';
import { collect, readParameters, templateBody } from '../inputs.js';
import { problemLine, type CliIo } from '../io.js';
import type { ApiProblem } from '../client.js';
import { commandEnv } from './common.js';

/** Builds the `template` command group. */
export function templateCommand(io: CliIo): Command {
  const template = new Command('template').description('Templates');
  template
    .command('validate')
    .description('Validate a template (with its environments and files) on the server')
    .requiredOption('-t, --template <file>', 'template file')
    .option('-e, --environment <file>', 'environment file (repeatable)', collect, [])
    .option('--parameter <key=value>', 'parameter value (repeatable)', collect, [])
    .option('--show-nested', 'also validate nested templates')
    .action(async (opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const body = {
        ...(await templateBody(opts.template, opts.environment)),
        parameters: await readParameters(opts.parameter, []),
      };
      const result = await env.client.request<Record<string, unknown> & { Warnings?: ApiProblem[] }>(
        'POST',
        `validate?with_warnings=true${opts.showNested ? '&show_nested=true' : ''}`,
        body,
      );
      const { Warnings: warnings, ...rest } = result;
      env.io.out(formatRecord(env.format === 'table' ? 'yaml' : env.format, rest));
      for (const w of warnings ?? []) io.err(`WARNING: ${problemLine(w)}`);
    });
  return template;
}
