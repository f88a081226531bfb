/**
 * `hearth orchestration template validate -t FILE [-e ENV]... [--parameter k=v]... [--show-nested]
 * [--ignore-errors E1,E2]` (also `hearth template validate`): the server's validation, printed as YAML unless
 * `-f` is given; Hearth's warnings go to stderr, each with its `file:line:col`.
 */
import { Command } from 'commander';
import type { ApiProblem } from '../client.js';
import { formatOr, formatRecord } from '../format.js';
import { collect, readParameters, templateBody } from '../inputs.js';
import { problemLine, type CliIo } from '../io.js';
import { commandEnv } from './common.js';

/** Options of `template validate`. */
interface ValidateOptions {
  template: string;
  environment: string[];
  parameter: string[];
  parameterFile: string[];
  showNested?: boolean;
  ignoreErrors?: string;
}

/** Adds `validate` to a `template` group. */
export function addValidateCommand(group: Command, io: CliIo): void {
  group
    .command('validate')
    .description('Validate a template (with its environments and files) on the server')
    .requiredOption('-t, --template <file>', 'template file')
    .option('-e, --environment <file>', 'environment file (repeatable)', collect, [])
    .option('--parameter <key=value>', 'parameter value (repeatable)', collect, [])
    .option('--parameter-file <key=path>', 'parameter value read from a file (repeatable)', collect, [])
    .option('--show-nested', 'also validate nested templates (their parameters appear too)')
    .option('--ignore-errors <e1,e2>', 'Heat error codes to ignore')
    .action(async (opts: ValidateOptions, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const body = {
        ...(await templateBody(opts.template, opts.environment)),
        parameters: await readParameters(opts.parameter, opts.parameterFile),
      };
      const q = new URLSearchParams({ with_warnings: 'true' });
      if (opts.showNested) q.set('show_nested', 'true');
      if (opts.ignoreErrors) q.set('ignore_errors', opts.ignoreErrors);
      const result = await env.client.request<Record<string, unknown> & { Warnings?: ApiProblem[] }>(
        'POST',
        `validate?${q}`,
        body,
      );
      const { Warnings: warnings, ...rest } = result;
      env.io.out(formatRecord(formatOr(cmd, 'yaml'), rest, env.columns));
      for (const w of warnings ?? []) io.err(`WARNING: ${problemLine(w)}`);
    });
}

/** Builds the `template` command group (`hearth template validate`, as `orchestration template validate`). */
export function templateCommand(io: CliIo): Command {
  const template = new Command('template').description('Templates');
  addValidateCommand(template, io);
  return template;
}
