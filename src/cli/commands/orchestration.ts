/**
 * `hearth orchestration …`, as `openstack orchestration …`: `template version list`, `template function list
 * VERSION [--with-conditions]`, `template validate`, `resource type list [--filter k=v] [--long]`, `resource type
 * show TYPE [--template-type hot|cfn] [--long]`, `build info`, `service list`.
 */
import { Command, Option } from 'commander';
import { formatList, formatOr, formatRecord } from '../format.js';
import { ApiError } from '../client.js';
import { CliError, type CliIo } from '../io.js';
import { commandEnv } from './common.js';
import { appendPairs } from './stack-inputs.js';
import { addValidateCommand } from './template.js';

type Json = Record<string, unknown>;

/** Adds `template version list`, `template function list` and `template validate`. */
function addTemplateCommands(orchestration: Command, io: CliIo): void {
  const template = orchestration.command('template').description('Template versions, functions, validation');
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
      const columns: [string, string][] = [
        ['Version', 'version'],
        ['Type', 'type'],
        ['Aliases', 'aliases'],
      ];
      const rows = template_versions.map((v) => ({
        ...v,
        aliases: ((v.aliases as string[] | undefined) ?? []).join(','),
      }));
      env.io.out(formatList(env.format, columns, rows, env.columns));
    });
  template
    .command('function')
    .description('Template functions')
    .command('list')
    .description('List the functions of a template version')
    .argument('<version>', 'e.g. heat_template_version.2018-08-31')
    .option('--with-conditions', 'include the condition functions')
    .addOption(
      new Option('--with_conditions', 'as --with-conditions (the openstack client’s spelling)').hideHelp(),
    )
    .action(
      async (
        version: string,
        opts: { withConditions?: boolean; with_conditions?: boolean },
        cmd: Command,
      ) => {
        const env = commandEnv(cmd, io);
        const conditions = opts.withConditions || opts.with_conditions;
        const { template_functions } = await env.client.request<{ template_functions: Json[] }>(
          'GET',
          `template_versions/${encodeURIComponent(version)}/functions${conditions ? '?with_condition_func=true' : ''}`,
        );
        const columns: [string, string][] = [
          ['Functions', 'functions'],
          ['Description', 'description'],
        ];
        env.io.out(formatList(env.format, columns, template_functions, env.columns));
      },
    );
  addValidateCommand(template, io);
}

/** Adds `resource type list|show`. */
function addResourceTypeCommands(orchestration: Command, io: CliIo): void {
  const type = orchestration
    .command('resource')
    .description('Resource types')
    .command('type')
    .description('Resource types');
  type
    .command('list')
    .description('List resource types (sorted)')
    .option(
      '--filter <key=value>',
      'name=REGEX, support_status=STATUS or version=V (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .option('--long', 'show descriptions')
    .action(async (opts: { filter: string[]; long?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const q = new URLSearchParams();
      appendPairs(q, opts.filter, '--filter');
      if (opts.long) q.set('with_description', 'true');
      const { resource_types } = await env.client.request<{ resource_types: (string | Json)[] }>(
        'GET',
        `resource_types${q.size ? `?${q}` : ''}`,
      );
      const rows = resource_types
        .map((t) => (typeof t === 'string' ? { resource_type: t } : t))
        .sort((a, b) => String(a.resource_type).localeCompare(String(b.resource_type)));
      const columns: [string, string][] = [['Resource Type', 'resource_type']];
      if (opts.long) columns.push(['Description', 'description']);
      env.io.out(formatList(env.format, columns, rows, env.columns));
    });
  type
    .command('show')
    .description('Show a resource type’s schema (YAML unless -f is given), or its generated template')
    .argument('<type>', 'e.g. OS::Heat::RandomString')
    .option('--template-type <hot|cfn>', 'show the provider template generated for the type')
    .option('--long', 'with the type’s description')
    .action(async (name: string, opts: { templateType?: string; long?: boolean }, cmd: Command) => {
      const env = commandEnv(cmd, io);
      if (opts.templateType !== undefined && opts.long) {
        throw new CliError('--template-type and --long cannot be combined', 2);
      }
      const templateType = opts.templateType?.toLowerCase();
      if (templateType !== undefined && templateType !== 'hot' && templateType !== 'cfn') {
        throw new CliError(`--template-type must be hot or cfn, got "${opts.templateType}"`, 2);
      }
      const base = `resource_types/${encodeURIComponent(name)}`;
      const url = templateType
        ? `${base}/template?template_type=${templateType}`
        : `${base}${opts.long ? '?with_description=true' : ''}`;
      const body = await env.client.request<Json>('GET', url);
      env.io.out(formatRecord(formatOr(cmd, 'yaml'), body, env.columns));
    });
}

/** Builds the `orchestration` command group. */
export function orchestrationCommand(io: CliIo): Command {
  const orchestration = new Command('orchestration').description(
    'Service information: template versions and validation, resource types, build, engines',
  );
  addTemplateCommands(orchestration, io);
  addResourceTypeCommands(orchestration, io);
  orchestration
    .command('build')
    .description('Build information')
    .command('info')
    .description('Show the API and engine revisions')
    .action(async (_opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const info = await env.client.request<Json>('GET', 'build_info');
      const sorted = Object.fromEntries(
        Object.keys(info)
          .sort()
          .map((k) => [k, info[k]]),
      );
      env.io.out(formatRecord(env.format, sorted, env.columns));
    });
  orchestration
    .command('service')
    .description('Engine services')
    .command('list')
    .description('List the engines serving the API')
    .action(async (_opts, cmd: Command) => {
      const env = commandEnv(cmd, io);
      const { services } = await env.client
        .request<{ services: Json[] }>('GET', 'services')
        .catch((err: unknown) => {
          if (err instanceof ApiError && err.status === 404) {
            throw new CliError(
              `${env.client.endpoint}/services: this server does not list its engines (HTTP 404)`,
            );
          }
          throw err;
        });
      const columns: [string, string][] = [
        ['Hostname', 'hostname'],
        ['Binary', 'binary'],
        ['Engine ID', 'engine_id'],
        ['Host', 'host'],
        ['Topic', 'topic'],
        ['Updated At', 'updated_at'],
        ['Status', 'status'],
      ];
      env.io.out(formatList(env.format, columns, services, env.columns));
    });
  return orchestration;
}
