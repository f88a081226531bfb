/**
 * `hearth orchestration template version list`, `orchestration template function list VERSION
 * [--with-conditions]`, `orchestration resource type list [--filter name=RE] [--long]`,
 * `orchestration resource type show TYPE [--template-type hot|cfn]`, `orchestration build info`.
 */
import { Command } from 'commander';
import { formatList, formatRecord } from '../format.js';
import { CliError, type CliIo } from '../io.js';
import { commandEnv } from './common.js';

type Json = Record<string, unknown>;

/** Builds the `orchestration` command group. */
export function orchestrationCommand(io: CliIo): Command {
  const orchestration = new Command('orchestration').description(
    'Service information: template versions, resource types',
  );

  const template = orchestration.command('template').description('Template versions and functions');
  template
    .command('version')
    .description('Template versions')
    .command('list')
    .description('List the template versions the server accepts')
    .action(async (_opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const { template_versions } = await env.client.request<{ template_versions: Json[] }>(
        'GET',
        'template_versions',
      );
      env.io.out(
        formatList(
          env.format,
          [
            ['Version', 'version'],
            ['Type', 'type'],
            ['Aliases', 'aliases'],
          ],
          template_versions.map((v) => ({
            ...v,
            aliases: ((v.aliases as string[] | undefined) ?? []).join(', '),
          })),
        ),
      );
    });
  template
    .command('function')
    .description('Template functions')
    .command('list')
    .description('List the functions of a template version')
    .argument('<version>', 'e.g. heat_template_version.2018-08-31')
    .option('--with-conditions', 'include the condition functions')
    .action(async (version: string, opts: { withConditions?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const { template_functions } = await env.client.request<{ template_functions: Json[] }>(
        'GET',
        `template_versions/${encodeURIComponent(version)}/functions${opts.withConditions ? '?with_condition_func=true' : ''}`,
      );
      env.io.out(
        formatList(
          env.format,
          [
            ['Functions', 'functions'],
            ['Description', 'description'],
          ],
          template_functions,
        ),
      );
    });

  const type = orchestration
    .command('resource')
    .description('Resource types')
    .command('type')
    .description('Resource types');
  type
    .command('list')
    .description('List resource types')
    .option(
      '--filter <key=value>',
      'name=REGEX, support_status=STATUS or version=V (repeatable)',
      (v, prev: string[]) => [...prev, v],
      [],
    )
    .option('--long', 'show descriptions')
    .action(async (opts: { filter: string[]; long?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const q = new URLSearchParams();
      for (const f of opts.filter) {
        const i = f.indexOf('=');
        if (i <= 0) throw new CliError(`--filter expects KEY=VALUE, got "${f}"`, 2);
        q.append(f.slice(0, i), f.slice(i + 1));
      }
      if (opts.long) q.set('with_description', 'true');
      const { resource_types } = await env.client.request<{ resource_types: (string | Json)[] }>(
        'GET',
        `resource_types${q.size ? `?${q}` : ''}`,
      );
      const rows = resource_types.map((t) => (typeof t === 'string' ? { resource_type: t } : t));
      const columns: [string, string][] = [['Resource Type', 'resource_type']];
      if (opts.long) columns.push(['Description', 'description']);
      env.io.out(formatList(env.format, columns, rows));
    });
  type
    .command('show')
    .description('Show a resource type’s schema, or its generated template with --template-type')
    .argument('<type>', 'e.g. OS::Heat::RandomString')
    .option('--template-type <hot|cfn>', 'show the provider template generated for the type')
    .action(async (name: string, opts: { templateType?: string }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const base = `resource_types/${encodeURIComponent(name)}`;
      const body = await env.client.request<Json>(
        'GET',
        opts.templateType ? `${base}/template?template_type=${encodeURIComponent(opts.templateType)}` : base,
      );
      env.io.out(formatRecord(env.format === 'table' ? 'yaml' : env.format, body));
    });

  orchestration
    .command('build')
    .description('Build information')
    .command('info')
    .description('Show the API and engine revisions')
    .action(async (_opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      env.io.out(formatRecord(env.format, await env.client.request<Json>('GET', 'build_info')));
    });
  return orchestration;
}
